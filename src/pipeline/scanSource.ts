// Scanned images and image-only PDF pages → rows, by grid-aware OCR. One pool of the OCR
// engine serves every file its reader is given (starting one costs about a second); the
// reader's owner closes it.
import { ExtractError } from '../extract/errors.js';
import { createOcrPool, DEFAULT_OCR_ENGINE, extractScan, type OcrEngineName, type OcrPool } from '../extract/ocr/index.js';
import { repairOcrValue } from '../extract/ocr/repair.js';
import type { ExtractedDocument } from '../extract/rows.js';
import { refOf } from '../extract/rows.js';
import { OverLimit, type Limits } from '../limits.js';

export const SCAN_SETTINGS = {
  /** A cell read with less confidence than this (0–100) is a finding a reviewer should check. */
  lowConfidence: 70,
} as const;

const SUSPECT_COMPARATOR = /(满意度|满意率|率|达)\d/;

export interface ScanReader {
  /** OCR of `pages` (null: all), then the value repair and the per-cell confidence notes every scan gets. */
  read(bytes: Uint8Array, file: string, pages: number[] | null, onPage?: (page: number) => void): Promise<ExtractedDocument>;
  /** Ends the OCR workers, so the process can exit. Safe to call when none started. */
  close(): Promise<void>;
}

/** A reader whose pool of `engine` (`workers` slots) starts on the first scanned page. */
export function createScanReader(limits: Limits, workers: number, engine: OcrEngineName = DEFAULT_OCR_ENGINE): ScanReader {
  let pool: Promise<OcrPool> | null = null;
  return {
    read: async (bytes, file, pages, onPage) => {
      pool ??= createOcrPool(workers, engine);
      // A pool that failed to start is retried on the next document.
      pool.catch(() => { pool = null; });
      return ocrDocument(bytes, file, pages, { pool: await pool, limits, ...(onPage ? { onPage } : {}) });
    },
    close: async () => {
      const p = pool;
      pool = null;
      if (p) await (await p.catch(() => null))?.terminate();
    },
  };
}

async function ocrDocument(bytes: Uint8Array, file: string, pages: number[] | null, with_: { pool: OcrPool; limits: Limits; onPage?: (page: number) => void }): Promise<ExtractedDocument> {
  let doc: ExtractedDocument;
  try {
    doc = await extractScan(bytes, { file, ...with_, ...(pages ? { pages } : {}) });
  } catch (err) {
    if (err instanceof ExtractError || err instanceof OverLimit) throw err;
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
      const low = cell.conf !== undefined && cell.conf < SCAN_SETTINGS.lowConfidence;
      const what = cell.text.trim() === '' ? 'a mark that reads as nothing' : `"${cell.text}"`;
      if (low && !doubted) {
        notes.push({ code: 'OCR_LOW_CONFIDENCE', message: `${what} read with confidence ${Math.round(cell.conf!)}`, location: refOf(row, cell) });
      }
      // Unsure under a seal: the seal's strokes, not the print, may be what was read.
      if ((low || doubted) && cell.stampInk) {
        notes.push({ code: 'OCR_UNDER_SEAL', message: `${what} read unsurely under a seal: ${cell.stampInk} pixels of stamp ink were dropped out of the cell`, location: refOf(row, cell) });
      }
    }
  }
  return { ...doc, notes };
}
