// The extractors a run reads documents with, built once at the start of a run and closed at its
// end: PDFs and scans in this process (library use, tests), or whole documents, dumps included,
// in worker processes that a crash, a memory blow-up or a hang can take down without taking the
// run (childPool.ts), so a batch of dumps is also parsed on every core.
import { availableParallelism } from 'node:os';
import type { ExtractedDocument } from '../extract/rows.js';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import type { ExtractResult, Variant } from '../model/schema.js';
import type { ReadOptions } from './options.js';
import { extractPdfSource } from './pdfSource.js';
import { createScanReader } from './scanSource.js';
import { DEFAULT_OCR_ENGINE, type OcrEngineName } from '../extract/ocr/engine.js';

export interface WorkerStats {
  /** Worker processes started, replacements included. */
  started: number;
  /** Workers that died or were stopped while reading a document. */
  lost: number;
  /** The largest resident size one worker reached, MB. */
  peakRssMb: number;
  /** The largest sum of the workers' resident sizes seen at one time, MB. */
  peakTotalRssMb: number;
}

/** How a whole document is read by a set that reads documents elsewhere (worker processes). */
export interface DocumentOptions {
  ocr: ReadOptions['ocr'];
  variant?: Variant;
  /** `ingested_at` of the result. */
  nowIso?: string;
}

export interface Extractors {
  readonly limits: Limits;
  /** The engine this set reads scanned cells with (recorded with each document it reads). */
  readonly ocrEngine: OcrEngineName;
  /** Reads a PDF or a scan into rows. */
  read(kind: 'pdf' | 'scan', bytes: Uint8Array, file: string, opts: ReadOptions): Promise<ExtractedDocument>;
  /**
   * Reads a whole document, any kind, normalizer included, where this set reads (a worker
   * process); absent for a set that reads in the calling process. Rejects only when the reader
   * itself was lost (a crash, a limit of time or memory): the caller records that as the reason.
   */
  extractDocument?(bytes: Uint8Array, file: string, opts: DocumentOptions): Promise<ExtractResult>;
  close(): Promise<void>;
  /**
   * Stops the documents being read at once (their promises reject with Interrupted); absent
   * for a set that reads in the calling process, whose documents are always finished.
   */
  abort?(): void;
  /** The worker processes' counters, when reading is isolated. */
  stats?(): WorkerStats;
}

export interface InProcessOptions {
  limits?: Limits;
  /** OCR engine slots (default: one per core). */
  ocrWorkers?: number;
  /** The engine scans are read with (default: DEFAULT_OCR_ENGINE). */
  ocrEngine?: OcrEngineName;
}

export function inProcessExtractors(opts: InProcessOptions = {}): Extractors {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const scans = createScanReader(limits, opts.ocrWorkers ?? Math.max(1, availableParallelism()), opts.ocrEngine);
  return {
    limits,
    ocrEngine: opts.ocrEngine ?? DEFAULT_OCR_ENGINE,
    read: (kind, bytes, file, ro) => (kind === 'pdf'
      ? extractPdfSource(bytes, file, ro, { limits, ocrPages: scans.read })
      : scans.read(bytes, file, null, ro.onPage)),
    close: () => scans.close(),
  };
}
