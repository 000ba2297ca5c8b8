// Scanned images (PNG, JPEG, TIFF): grid-aware OCR.
import { ExtractError } from '../extract/errors.js';
import type { ExtractedDocument } from '../extract/rows.js';

export async function extractScanSource(bytes: Uint8Array, file: string): Promise<ExtractedDocument> {
  void bytes;
  throw new ExtractError(file, 'unsupported', 'image input is not supported by this build');
}
