// One ingesting run from lock to ledger: open the database, take the run lock, feed the engine,
// close the run with counts read back from the database, release the lock. Pipelines differ
// only in the settings they pass and in what they do after the documents are in.
import { openStore, type Store } from '../store/store.js';
import type { Limits } from '../limits.js';
import type { OcrEngineName } from '../extract/ocr/engine.js';
import type { OcrMode } from '../pipeline/options.js';
import { createExtractors } from '../pipeline/runExtractors.js';
import { countFiles, ingestRun, type EngineResult, type RunEvent, type Tally } from './engine.js';
import { humanLine, JsonLog } from './eventLog.js';
import type { Run, RunRow } from './ledger.js';
import { DocCounter, Progress, type ProgressSink } from './progress.js';
import type { PathFilter } from '../pipeline/pathFilter.js';
import { availableParallelism } from 'node:os';

export interface SessionOptions {
  pipeline: string;
  /** A SQLite file or a postgres:// URL. */
  dbFile: string;
  paths: readonly string[];
  /** Recorded in runs.args_json. */
  args: Record<string, unknown>;
  concurrency: number;
  ocr?: OcrMode;
  /** The engine scans are read with (default: DEFAULT_OCR_ENGINE). */
  ocrEngine?: OcrEngineName | undefined;
  limits: Limits;
  /** Read PDFs and scans in worker processes (default true). */
  isolate?: boolean;
  waitSeconds?: number;
  retryTransient?: boolean;
  /** Read stored documents again (pipelines/reparse.ts): every one met, or only these. */
  reparse?: boolean;
  onlyDocIds?: ReadonlySet<string>;
  /** --include / --exclude. */
  filter?: PathFilter | null;
  logJson?: string;
  signal?: AbortSignal;
  stderr: ProgressSink;
  /** 'lines': one line per stored or failed document; 'bar': progress, plus failures. */
  display: 'lines' | 'bar';
  /** Work after the documents are stored, under the same lock (e.g. the CSV export). */
  after?: (store: Store, run: Run) => Record<string, unknown> | Promise<Record<string, unknown>>;
}

export interface SessionResult {
  run: RunRow;
  tally: Tally;
  interrupted: boolean;
  summary: RunSummary;
}

export interface RunSummary {
  run_id: number;
  pipeline: string;
  status: RunRow['status'];
  database: string;
  started_at: string;
  ended_at: string | null;
  files: number;
  stored: number;
  re_read: number;
  skipped: number;
  /** Paths that are not regular files (FIFOs, devices, sockets, links already followed). */
  ignored: number;
  /** Documents in hand when the run was stopped, rolled back (read again by the next run). */
  rolled_back: number;
  /** Files of no type govtables reads (a ZIP, a JSON file), listed and left out. */
  unsupported: number;
  /** Files left out by --include / --exclude. */
  excluded: number;
  ok: number;
  partial: number;
  failed: number;
  unreadable: number;
  findings_by_code: Record<string, number>;
  elapsed_s: number;
  docs_per_s: number;
  /** This process's peak resident memory. */
  peak_rss_mb: number;
  /** The largest total resident memory of the extraction worker processes at one time (0 when none ran). */
  peak_rss_workers_mb: number;
  /** Worker processes that died or were stopped while reading a document. */
  workers_lost: number;
  args: Record<string, unknown>;
  [extra: string]: unknown;
}

export async function runSession(opts: SessionOptions): Promise<SessionResult> {
  const store = await openStore(opts.dbFile);
  const log = opts.logJson ? new JsonLog(opts.logJson, opts.pipeline) : null;
  try {
    const run = await store.openRun({
      pipeline: opts.pipeline, args: opts.args, waitSeconds: opts.waitSeconds,
      onWait: (holder) => opts.stderr.write(`${opts.pipeline}: waiting up to ${opts.waitSeconds ?? 0} s for ${store.name}: run ${holder.run_id ?? '?'} (pid ${holder.pid} on ${holder.host}, started ${holder.started_at}) holds its lock\n`),
    });
    await store.backfillFailureReasons();
    log?.note('run-start', { run_id: run.runId, database: store.name, args: opts.args });
    const t0 = performance.now();
    if (opts.waitSeconds) opts.stderr.write(`${opts.pipeline}: run ${run.runId} has the lock of ${store.name}\n`);
    const progress = new Progress(opts.stderr, `${opts.pipeline} run ${run.runId}`, opts.display === 'bar' && opts.stderr.isTTY === true);
    const counter = new DocCounter();
    const counting = new AbortController();
    opts.signal?.addEventListener('abort', () => counting.abort(), { once: true });
    countFiles(opts.paths, counting.signal, opts.filter ?? null).then((n) => { progress.setTotal(n); counter.setTotal(n); }, () => undefined);
    let done = 0;
    let result: EngineResult;
    let extra: Record<string, unknown> = {};
    // One set of extraction workers for the whole run, ended with it.
    const extractors = createExtractors({ limits: opts.limits, workers: Math.max(1, Math.min(opts.concurrency, availableParallelism())), isolate: opts.isolate ?? true, ...(opts.ocrEngine ? { ocrEngine: opts.ocrEngine } : {}) });
    try {
      result = await ingestRun(store, run, opts.paths, {
        concurrency: opts.concurrency, ocr: opts.ocr, signal: opts.signal, retryTransient: opts.retryTransient, extractors, filter: opts.filter ?? null,
        ...(opts.reparse ? { reparse: true } : {}), ...(opts.onlyDocIds ? { onlyDocIds: opts.onlyDocIds } : {}),
        onEvent: (ev: RunEvent, tally: Readonly<Tally>) => {
          done++;
          log?.event(ev);
          const failed = ev.outcome === 'unreadable' || (ev.status === 'failed' && ev.outcome !== 'skipped');
          // A file of no type read is said once, also under a progress bar, so it is not missed.
          const said = failed || ev.outcome === 'unsupported';
          const tag = counter.next();
          if (opts.display === 'lines') {
            if (ev.outcome !== 'skipped') progress.log(`${tag} ${humanLine(ev)}`);
          } else {
            if (said) progress.log(humanLine(ev));
            progress.tick(tally, done);
          }
        },
      });
      counting.abort();
      if (opts.display === 'bar') progress.end(result.tally, done);
      if (!result.interrupted && opts.after) extra = await opts.after(store, run);
    } catch (err) {
      await extractors.close().catch(() => undefined);
      const row = await store.finishRun(run, 'failed', { error: err instanceof Error ? err.message : String(err) });
      log?.note('run-end', { run_id: row.run_id, status: row.status, error: row.error });
      throw err;
    }
    await extractors.close();
    const workers = extractors.stats?.();
    const elapsed = (performance.now() - t0) / 1000;
    const t = result.tally;
    const stats = {
      elapsed_s: round(elapsed, 3),
      docs_per_s: round(t.files / Math.max(elapsed, 0.001), 1),
      peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1),
      peak_rss_workers_mb: workers?.peakTotalRssMb ?? 0,
      workers_lost: workers?.lost ?? 0,
    };
    const row = await store.finishRun(run, result.interrupted ? 'interrupted' : 'ok', { files: t.files, skipped: t.skipped, stats });
    const summary: RunSummary = {
      run_id: row.run_id, pipeline: row.pipeline, status: row.status, database: store.name,
      started_at: row.started_at, ended_at: row.ended_at, files: t.files, stored: t.inserted, re_read: t.replaced,
      skipped: t.skipped, ignored: t.ignored, rolled_back: t.interrupted, unsupported: t.unsupported, excluded: opts.filter?.excluded ?? 0, ok: t.ok, partial: t.partial, failed: t.failed, unreadable: t.unreadable,
      findings_by_code: JSON.parse(row.findings_json) as Record<string, number>, ...stats, args: opts.args, ...extra,
    };
    log?.note('run-end', { run_id: row.run_id, status: row.status, ...stats });
    return { run: row, tally: t, interrupted: result.interrupted, summary };
  } finally {
    log?.close();
    await store.close();
  }
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function summaryLine(s: RunSummary): string {
  const what = s.status === 'interrupted' ? 'interrupted after' : 'read';
  return `${s.pipeline} run ${s.run_id} ${s.status}: ${what} ${s.files} files in ${s.elapsed_s.toFixed(1)} s (${s.docs_per_s} docs/s): ` +
    `${s.stored + s.re_read} stored (${s.ok} ok, ${s.partial} partial, ${s.failed} failed), ${s.unreadable} unreadable, ${s.skipped} already stored` +
    `${s.ignored ? `, ${s.ignored} not regular files` : ''}` +
    `${s.unsupported ? `, ${s.unsupported} of no type read (skipped)` : ''}` +
    `${s.excluded ? `, ${s.excluded} left out by --include/--exclude` : ''}` +
    `${s.rolled_back ? `, ${s.rolled_back} in hand rolled back (read again next time)` : ''}`;
}
