// Scanned images and image-only PDF pages → rows, by grid-aware OCR. One pool of tesseract
// workers serves every file of a run (starting one costs about a second); `closeOcr` ends it.
import { availableParallelism } from 'node:os';
import { ExtractError } from '../extract/errors.js';
import { createOcrPool, extractScan, type OcrPool } from '../extract/ocr/index.js';
import { repairOcrValue } from '../extract/ocr/repair.js';
import type { ExtractedDocument } from '../extract/rows.js';
import { refOf } from '../extract/rows.js';
import { onClose } from './extract.js';
import { registerPageOcr } from './pdfSource.js';

export const SCAN_SETTINGS = {
  /** A cell read with less confidence than this (0–100) is a finding a reviewer should check. */
  lowConfidence: 70,
} as const;

const SUSPECT_COMPARATOR = /(满意度|满意率|率|达)\d/;

let pool: Promise<OcrPool> | null = null;

function sharedPool(): Promise<OcrPool> {
  // One tesseract worker per core; an extraction worker thread asks for one (it is the parallelism).
  pool ??= createOcrPool(Number(process.env.GOVTABLES_OCR_WORKERS) || availableParallelism());
  return pool;
}

/** Ends the shared OCR workers, so the process can exit. Safe to call when none started. */
export async function closeOcr(): Promise<void> {
  const p = pool;
  pool = null;
  if (p) await (await p).terminate();
}

/** OCR, then the value repair and the per-cell confidence notes every scan gets. */
export async function ocrDocument(bytes: Uint8Array, file: string, pages: number[] | null): Promise<ExtractedDocument> {
  let doc: ExtractedDocument;
  try {
    doc = await extractScan(bytes, { file, pool: await sharedPool(), ...(pages ? { pages } : {}) });
  } catch (err) {
    if (err instanceof ExtractError) throw err;
    throw new ExtractError(file, 'corrupt', err instanceof Error ? err.message : String(err));
  }
  const notes = [...doc.notes];
  for (const row of doc.rows) {
    for (const cell of row.cells) {
      for (const n of cell.notes ?? []) notes.push({ code: n.code, message: n.message, location: refOf(row, cell) });
      const fixed = repairOcrValue(cell.text);
      if (fixed !== cell.text) {
        notes.push({ code: 'OCR_VALUE_REPAIRED', message: `"${cell.text}" read as "${fixed}"`, location: refOf(row, cell) });
        cell.text = fixed;
      }
      // OCR drops a thin ≥ more often than anything else: a rate printed right against its
      // number with no comparator is worth a look.
      if (SUSPECT_COMPARATOR.test(cell.text)) {
        notes.push({ code: 'OCR_SUSPECT_COMPARATOR', message: `"${cell.text}" has no comparator before its number; a ≥ or ≤ may have been lost`, location: refOf(row, cell) });
      }
      // A cell is only OCR'd when it has ink: an empty reading is a mark that could not be read.
      const doubted = cell.notes?.some((n) => n.code === 'OCR_LOW_CONFIDENCE') ?? false;
      if (cell.conf !== undefined && cell.conf < SCAN_SETTINGS.lowConfidence && !doubted) {
        const what = cell.text.trim() === '' ? 'a mark that reads as nothing' : `"${cell.text}"`;
        notes.push({ code: 'OCR_LOW_CONFIDENCE', message: `${what} read with confidence ${Math.round(cell.conf)}`, location: refOf(row, cell) });
      }
    }
  }
  return { ...doc, notes };
}

export async function extractScanSource(bytes: Uint8Array, file: string): Promise<ExtractedDocument> {
  return ocrDocument(bytes, file, null);
}

registerPageOcr(ocrDocument);
onClose(closeOcr);
