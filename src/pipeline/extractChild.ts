// A worker process of the extraction pool (childPool.ts): reads the documents it is sent (whole,
// normalizer included) or the rows of a PDF or scan, one at a time, with its own pdf.js and one
// tesseract slot. It holds no state a document
// could need from another, so the pool may kill it at any moment and start a fresh one.
import { ExtractError } from '../extract/errors.js';
import { DEFAULT_OCR_ENGINE, isOcrEngineName } from '../extract/ocr/engine.js';
import { limitsOf, OverLimit } from '../limits.js';
import type { ChildJob, ChildReply, WireError } from './childProtocol.js';
import { extractBytes } from './extract.js';
import { inProcessExtractors } from './extractors.js';

const limits = limitsOf(JSON.parse(process.env.GOVTABLES_WORKER_LIMITS ?? '{}') as object);
const engine = process.env.GOVTABLES_WORKER_OCR_ENGINE ?? DEFAULT_OCR_ENGINE;
if (!isOcrEngineName(engine)) throw new Error(`unknown OCR engine "${engine}"`);
const extractors = inProcessExtractors({ limits, ocrWorkers: 1, ocrEngine: engine });

// Ctrl-C reaches the whole process group; the pool, not the terminal, decides when a worker stops.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => undefined);
// The pool is gone (its process died): nothing is left to read for.
process.on('disconnect', () => process.exit(0));

function send(reply: ChildReply): void {
  process.send?.(reply);
}

function toWire(err: unknown): WireError {
  if (err instanceof OverLimit) return { kind: 'limit', message: err.message, limit: err.limit, found: err.found, allowed: err.allowed, what: err.what, location: err.location };
  if (err instanceof ExtractError) return { kind: 'extract', message: err.message, reason: err.reason, location: err.location };
  return { kind: 'other', message: err instanceof Error ? err.message : String(err) };
}

process.on('message', (msg: ChildJob | { type: 'close' }) => {
  if (msg.type === 'close') {
    void extractors.close().finally(() => process.exit(0));
    return;
  }
  const { id } = msg;
  const onPage = (page: number) => send({ id, type: 'page', page });
  if (msg.type === 'extract') {
    const nowIso = msg.nowIso;
    // The whole document here, normalizer included: a run's documents are read in parallel.
    extractBytes(msg.bytes, msg.file, {
      ocr: msg.ocr, limits, onPage, extractors,
      ...(msg.variant ? { variant: msg.variant } : {}), ...(nowIso ? { now: () => new Date(nowIso) } : {}),
    }).then(
      (result) => send({ id, type: 'result', result }),
      (err: unknown) => send({ id, type: 'error', error: toWire(err) }),
    );
    return;
  }
  extractors.read(msg.kind, msg.bytes, msg.file, { ocr: msg.ocr, onPage }).then(
    (doc) => send({ id, type: 'done', doc }),
    (err: unknown) => send({ id, type: 'error', error: toWire(err) }),
  );
});

send({ id: 0, type: 'ready', pid: process.pid });
