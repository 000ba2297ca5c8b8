// Text-layer PDFs: read the text layer; pages without one are OCR'd (`--ocr auto`), or every
// page is (`--ocr always`), or none is (`--ocr never`, and a PDF with no text at all fails).
import { ExtractError } from '../extract/errors.js';
import type { ExtractedDocument } from '../extract/rows.js';
import { extractPdf, PdfError } from '../extract/pdf/index.js';
import type { Limits } from '../limits.js';
import type { ReadOptions } from './options.js';

/** An OCR pass over some pages of a PDF (null: every page). */
export type PageOcr = (bytes: Uint8Array, file: string, pages: number[] | null, onPage?: (page: number) => void) => Promise<ExtractedDocument>;

export interface PdfSourceDeps {
  limits: Limits;
  /** How pages without a text layer are read; absent in a build without OCR. */
  ocrPages?: PageOcr;
}

export async function extractPdfSource(bytes: Uint8Array, file: string, opts: ReadOptions, deps: PdfSourceDeps): Promise<ExtractedDocument> {
  if (opts.ocr === 'always') return ocrPages(bytes, file, null, opts, deps);
  let doc;
  try {
    doc = await extractPdf(bytes, { file, limits: deps.limits, ...(opts.onPage ? { onPage: opts.onPage } : {}) });
  } catch (err) {
    if (err instanceof PdfError) {
      const detail = err.message.startsWith(file) ? err.message.slice(file.length).trim() : err.message;
      throw new ExtractError(file, err.reason, detail);
    }
    throw err;
  }
  const missing = doc.pagesWithoutText;
  if (missing.length === 0) return doc;
  if (opts.ocr === 'never') {
    if (missing.length === doc.pages) throw new ExtractError(file, 'no-text', 'has no text layer on any page, and OCR is off (--ocr never)');
    return doc;
  }
  const scanned = await ocrPages(bytes, file, missing, opts, deps);
  // Rows in page order: text-layer pages and OCR'd pages interleave as printed.
  const rows = [...doc.rows, ...scanned.rows].sort((a, b) => a.page - b.page);
  const kind = missing.length === doc.pages ? 'scan' : 'pdf';
  return {
    kind, pages: doc.pages, rows, notes: [...doc.notes.filter((n) => n.code !== 'PDF_PAGE_NO_TEXT'), ...scanned.notes],
    ...(scanned.ocrEngine ? { ocrEngine: scanned.ocrEngine } : {}),
  };
}

async function ocrPages(bytes: Uint8Array, file: string, pages: number[] | null, opts: ReadOptions, deps: PdfSourceDeps): Promise<ExtractedDocument> {
  if (!deps.ocrPages) {
    throw new ExtractError(file, 'no-text', `${pages ? `page(s) ${pages.join(', ')} have` : 'it has'} no text layer and this build has no OCR`);
  }
  return deps.ocrPages(bytes, file, pages, opts.onPage);
}
