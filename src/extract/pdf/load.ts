// Opening a PDF with pdf.js, offline: CMaps and standard fonts come from the installed package,
// never from the network, and pdf.js failures become PdfErrors that say what is wrong.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { DEFAULT_LIMITS, checkLimit, type Limits } from '../../limits.js';
import { pdfHeaderOffset } from '../format.js';
import { PdfError } from './errors.js';
import { PDFJS_CONSTANTS, loadPdfjs } from './pdfjs.js';
import { checkPdfStreams } from './streams.js';

const pdfjsRoot = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

export const PDFJS_ASSETS = Object.freeze({
  cMapUrl: path.join(pdfjsRoot, 'cmaps') + path.sep,
  standardFontDataUrl: path.join(pdfjsRoot, 'standard_fonts') + path.sep,
  wasmUrl: path.join(pdfjsRoot, 'wasm') + path.sep,
  iccUrl: path.join(pdfjsRoot, 'iccs') + path.sep,
});

const HEADER = new TextEncoder().encode('%PDF-');
const EOF_MARK = new TextEncoder().encode('%%EOF');
/** How far from either end the header and the end-of-file marker may sit (junk around them is common). */
const HEADER_WINDOW = 1024;
const EOF_WINDOW = 4096;

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number, to: number): number {
  outer: for (let i = Math.max(from, 0); i <= Math.min(to, hay.length) - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

export function hasPdfHeader(bytes: Uint8Array): boolean {
  return indexOf(bytes, HEADER, 0, HEADER_WINDOW) >= 0 && pdfHeaderOffset(bytes) >= 0;
}

export function hasEofMarker(bytes: Uint8Array): boolean {
  return indexOf(bytes, EOF_MARK, bytes.length - EOF_WINDOW, bytes.length) >= 0;
}

function describe(err: unknown): { name: string; message: string; code: unknown } {
  const e = err as { name?: unknown; message?: unknown; code?: unknown } | null;
  return { name: String(e?.name ?? ''), message: String(e?.message ?? err), code: e?.code };
}

/** Maps a pdf.js failure to a reason; `truncated` when the file has lost its end. */
export function pdfjsErrorToPdfError(err: unknown, file: string, bytes: Uint8Array): PdfError {
  if (err instanceof PdfError) return err;
  const { name, message, code } = describe(err);
  if (name === 'PasswordException') {
    return new PdfError('password', file, code === PDFJS_CONSTANTS.PasswordResponses.INCORRECT_PASSWORD ? 'the password given was wrong' : undefined, { cause: err });
  }
  if (/encrypt|crypt filter|security handler/i.test(message)) return new PdfError('encrypted', file, message, { cause: err });
  if (!hasEofMarker(bytes)) return new PdfError('truncated', file, message, { cause: err });
  return new PdfError('corrupt', file, message, { cause: err });
}

let lockTail: Promise<void> = Promise.resolve();

/** Waits for the thread's open document to close; returns the function that releases the turn. */
function openDocumentLock(): Promise<() => void> {
  let release!: () => void;
  const turn = new Promise<void>((resolve) => { release = resolve; });
  const before = lockTail;
  lockTail = before.then(() => turn);
  let released = false;
  return before.then(() => () => { if (!released) { released = true; release(); } });
}

export async function openPdf(bytes: Uint8Array, file: string, limits: Limits = DEFAULT_LIMITS): Promise<PDFDocumentProxy> {
  if (!hasPdfHeader(bytes)) throw new PdfError('not-pdf', file);
  // pdf.js often rebuilds a cut file from what is left and would quietly lose its last pages.
  if (!hasEofMarker(bytes)) throw new PdfError('truncated', file);
  // pdf.js inflates streams whole: one that inflates past the limit is refused before it does.
  await checkPdfStreams(bytes, limits);
  // pdf.js in Node runs its worker in this thread, and two documents open at once there get
  // each other's page requests ("Invalid page request"): one open document per thread.
  // Parallelism comes from worker threads, each with its own pdf.js.
  const pdfjs = await loadPdfjs();
  const release = await openDocumentLock();
  const task = pdfjs.getDocument({
    // pdf.js takes ownership of (detaches) the buffer it is given.
    // A Buffer is refused, and Buffer#slice would share memory: copy into a plain Uint8Array.
    data: new Uint8Array(bytes),
    cMapUrl: PDFJS_ASSETS.cMapUrl,
    cMapPacked: true,
    standardFontDataUrl: PDFJS_ASSETS.standardFontDataUrl,
    wasmUrl: PDFJS_ASSETS.wasmUrl,
    iccUrl: PDFJS_ASSETS.iccUrl,
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    stopAtErrors: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    // Larger images are left out of the page by pdf.js rather than decoded.
    maxImageSize: limits.pixelsPerImage,
  });
  let doc: PDFDocumentProxy;
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    release();
    throw pdfjsErrorToPdfError(err, file, bytes);
  }
  if (doc.numPages < 1) {
    await doc.destroy();
    release();
    throw new PdfError('no-pages', file);
  }
  try {
    checkLimit(limits, 'pagesPerDocument', doc.numPages, `the PDF has ${doc.numPages} pages`);
  } catch (err) {
    await doc.destroy();
    release();
    throw err;
  }
  // The lock goes when the document does: every caller destroys what it opens.
  const destroy = doc.destroy.bind(doc);
  doc.destroy = async () => {
    try { await destroy(); } finally { release(); }
  };
  return doc;
}
