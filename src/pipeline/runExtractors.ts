// The extractors a command builds at its start: worker processes when reading is isolated
// (every command of the CLI), this process otherwise.
import type { OcrEngineName } from '../extract/ocr/engine.js';
import type { Limits } from '../limits.js';
import { ChildPool, childEntry } from './childPool.js';
import { inProcessExtractors, type Extractors } from './extractors.js';

export interface ExtractorChoice {
  limits: Limits;
  /** Documents read at once: worker processes, or tesseract slots in this process. */
  workers: number;
  /** Read PDFs and scans in worker processes (a native crash or a memory blow-up then ends one document). */
  isolate: boolean;
  /** The engine scans are read with (default: DEFAULT_OCR_ENGINE). */
  ocrEngine?: OcrEngineName;
}

export function createExtractors(c: ExtractorChoice): Extractors {
  if (!c.isolate) return inProcessExtractors({ limits: c.limits, ocrWorkers: c.workers, ...(c.ocrEngine ? { ocrEngine: c.ocrEngine } : {}) });
  const entry = childEntry();
  if (!entry) throw new Error('the extraction worker is not built: run npm run build');
  return new ChildPool({ limits: c.limits, size: c.workers, entry, ...(c.ocrEngine ? { ocrEngine: c.ocrEngine } : {}) });
}
