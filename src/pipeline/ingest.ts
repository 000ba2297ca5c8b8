// Batch ingest: files → extract (bounded concurrency) → one transaction per document. A file
// whose doc_id is already stored is skipped before it is parsed; a file that cannot be read
// becomes a `failed` document and the batch goes on.
import { readFile } from 'node:fs/promises';
import PQueue from 'p-queue';
import { ExtractError } from '../extract/errors.js';
import { docIdOf } from '../model/ids.js';
import type { ExtractResult } from '../model/schema.js';
import type { Database } from '../store/db.js';
import { docStatus } from '../store/loader.js';
import { BatchLoader } from './batchLoader.js';
import { extractBytes, failedResult, type ExtractOptions } from './extract.js';
import { defaultWorkerCount, ExtractPool, workersAvailable } from './workerPool.js';
import { walkFiles } from './walk.js';

export interface DocEvent {
  path: string;
  doc_id: string | null;
  /** What happened: stored, skipped as already stored, or could not even be read. */
  outcome: 'inserted' | 'replaced' | 'skipped' | 'unreadable';
  status: 'ok' | 'partial' | 'failed' | null;
  variant: string | null;
  projects: number;
  findings: number;
  error: string | null;
  /** For an unreadable file: `io` (it could not be listed or read; may pass next time) or `internal` (it could not be stored). */
  unreadableReason?: 'io' | 'internal';
  ms: number;
}

export interface IngestOptions extends ExtractOptions {
  concurrency?: number;
  /** Extraction worker threads; 1 parses in the main thread. Default: one per core, at most `concurrency`. */
  workers?: number;
  /** Re-read documents stored as failed (a newer release may read them). */
  retryFailed?: (doc: { docId: string; path: string }) => boolean;
  onDocument?: (ev: DocEvent) => void;
  /** Decorates each result before it is stored (the nightly run adds its run id). */
  beforeLoad?: (result: ExtractResult) => void;
}

export interface IngestSummary {
  files: number;
  inserted: number;
  skipped: number;
  ok: number;
  partial: number;
  failed: number;
}

export async function ingestPaths(db: Database, paths: readonly string[], opts: IngestOptions = {}): Promise<IngestSummary> {
  const summary: IngestSummary = { files: 0, inserted: 0, skipped: 0, ok: 0, partial: 0, failed: 0 };
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const queue = new PQueue({ concurrency });
  const workers = Math.min(opts.workers ?? defaultWorkerCount(), concurrency);
  const pool = workers > 1 && workersAvailable() ? new ExtractPool(workers) : null;
  // Only the extraction options cross into a worker (callbacks cannot).
  const extractOpts: ExtractOptions = { ...(opts.variant ? { variant: opts.variant } : {}), ...(opts.ocr ? { ocr: opts.ocr } : {}) };
  const extract = pool
    ? (bytes: Uint8Array, path: string) => pool.run(bytes, path, extractOpts).catch((err: unknown) => failedResult(bytes, path, err))
    : (bytes: Uint8Array, path: string) => extractBytes(bytes, path, opts);
  const emit = (ev: DocEvent) => {
    if (ev.outcome === 'skipped') summary.skipped++;
    else if (ev.outcome !== 'unreadable') summary.inserted++;
    if (ev.status && ev.outcome !== 'skipped') summary[ev.status]++;
    if (ev.outcome === 'unreadable') summary.failed++;
    opts.onDocument?.(ev);
  };
  const loader = new BatchLoader(db);
  const storing = new Set<Promise<void>>();
  const store = (ev: Promise<DocEvent>) => {
    const p = ev.then(emit);
    storing.add(p);
    void p.finally(() => storing.delete(p));
  };
  try {
    for await (const { path, error } of walkFiles(paths)) {
      summary.files++;
      if (error) {
        emit({ path, doc_id: null, outcome: 'unreadable', status: null, variant: null, projects: 0, findings: 0, error: `${path}: ${error}`, unreadableReason: 'io', ms: 0 });
        continue;
      }
      // Back-pressure: never more than a few files in flight, however long the listing.
      await queue.onSizeLessThan(concurrency * 2);
      // The queue slot is held while a file is read and parsed; storing happens in batches after.
      // A document that cannot be stored is reported like an unreadable one; the batch goes on.
      void queue.add(async () => {
        const ev = await readAndExtract(db, path, opts, extract).catch((err: unknown) => failedEvent(path, err));
        store('ready' in ev ? ev.ready(loader).catch((err: unknown) => failedEvent(path, err)) : Promise.resolve(ev));
      });
    }
    await queue.onIdle();
    loader.flush();
    await Promise.all(storing);
  } finally {
    loader.flush();
    await pool?.close();
  }
  return summary;
}

function failedEvent(path: string, err: unknown): DocEvent {
  return {
    path, doc_id: null, outcome: 'unreadable', status: null, variant: null, projects: 0, findings: 0,
    error: err instanceof Error ? err.message : String(err), unreadableReason: 'internal', ms: 0,
  };
}

/** A finished event (skipped, unreadable), or a parsed document ready to be stored. */
type Extracted = DocEvent | { ready: (loader: BatchLoader) => Promise<DocEvent> };

async function readAndExtract(db: Database, path: string, opts: IngestOptions, extract: (bytes: Uint8Array, path: string) => Promise<ExtractResult>): Promise<Extracted> {
  const t0 = performance.now();
  const base = { path, variant: null, projects: 0, findings: 0 };
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const e = new ExtractError(path, 'io', `cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    return { ...base, doc_id: null, outcome: 'unreadable', status: null, error: e.message, unreadableReason: 'io', ms: performance.now() - t0 };
  }
  const docId = docIdOf(bytes);
  const stored = docStatus(db, docId);
  const retry = stored === 'failed' && (opts.retryFailed?.({ docId, path }) ?? false);
  if (stored !== null && !retry) {
    return { ...base, doc_id: docId, outcome: 'skipped', status: stored as DocEvent['status'], error: null, ms: performance.now() - t0 };
  }
  const result = await extract(bytes, path);
  opts.beforeLoad?.(result);
  return {
    ready: async (loader) => {
      const outcome = await loader.add(result, retry);
      const d = result.document;
      return {
        path, doc_id: docId, outcome, status: outcome === 'skipped' ? (docStatus(db, docId) as DocEvent['status']) : d.status, variant: d.variant,
        projects: d.project_count, findings: result.findings.length, error: d.error, ms: performance.now() - t0,
      };
    },
  };
}
