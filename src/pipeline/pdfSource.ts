// Text-layer PDFs: read the text layer; pages without one are OCR'd (`--ocr auto`), or every
// page is (`--ocr always`), or none is (`--ocr never`, and a PDF with no text at all fails).
import { ExtractError } from '../extract/errors.js';
import type { ExtractedDocument } from '../extract/rows.js';
import { extractPdf, PdfError } from '../extract/pdf/index.js';
import type { OcrMode } from './extract.js';

/** An OCR pass over some pages of a PDF, when the OCR extractor is part of this build. */
export type PageOcr = (bytes: Uint8Array, file: string, pages: number[] | null) => Promise<ExtractedDocument>;

let pageOcr: PageOcr | null = null;

/** The OCR extractor registers itself here, so PDFs with scanned pages can be read. */
export function registerPageOcr(fn: PageOcr): void {
  pageOcr = fn;
}

export async function extractPdfSource(bytes: Uint8Array, file: string, ocr: OcrMode): Promise<ExtractedDocument> {
  if (ocr === 'always') return ocrPages(bytes, file, null);
  let doc;
  try {
    doc = await extractPdf(bytes, { file });
  } catch (err) {
    if (err instanceof PdfError) {
      const detail = err.message.startsWith(file) ? err.message.slice(file.length).trim() : err.message;
      throw new ExtractError(file, err.reason, detail);
    }
    throw err;
  }
  const missing = doc.pagesWithoutText;
  if (missing.length === 0) return doc;
  if (ocr === 'never') {
    if (missing.length === doc.pages) throw new ExtractError(file, 'no-text', 'has no text layer on any page, and OCR is off (--ocr never)');
    return doc;
  }
  const scanned = await ocrPages(bytes, file, missing);
  // Rows in page order: text-layer pages and OCR'd pages interleave as printed.
  const rows = [...doc.rows, ...scanned.rows].sort((a, b) => a.page - b.page);
  const kind = missing.length === doc.pages ? 'scan' : 'pdf';
  return { kind, pages: doc.pages, rows, notes: [...doc.notes.filter((n) => n.code !== 'PDF_PAGE_NO_TEXT'), ...scanned.notes] };
}

async function ocrPages(bytes: Uint8Array, file: string, pages: number[] | null): Promise<ExtractedDocument> {
  // The OCR module registers itself when loaded; load it on the first scanned page.
  if (!pageOcr) await import('./scanSource.js');
  if (!pageOcr) {
    throw new ExtractError(file, 'no-text', `${pages ? `page(s) ${pages.join(', ')} have` : 'it has'} no text layer and this build has no OCR`);
  }
  return pageOcr(bytes, file, pages);
}
