// Text-layer PDFs: read the text layer; pages without one go to OCR (`--ocr auto`), or the whole
// document does (`--ocr always`).
import { ExtractError } from '../extract/errors.js';
import type { ExtractedDocument } from '../extract/rows.js';
import type { OcrMode } from './extract.js';

export async function extractPdfSource(bytes: Uint8Array, file: string, ocr: OcrMode): Promise<ExtractedDocument> {
  void bytes; void ocr;
  throw new ExtractError(file, 'unsupported', 'PDF input is not supported by this build');
}
