// `run archive --queue`: the backlog as jobs for workers on any number of machines. This
// process opens the run in the store, queues the files (tagged with the run, so the workers
// record their documents under it), follows the workers' progress until the queue is empty, and
// closes the run with the counts the store holds. Ctrl-C stops following: the jobs stay queued
// and the workers go on; the run is closed as interrupted, and the same command resumes.
import { emptyTally, type Tally } from '../runs/engine.js';
import { Progress, type ProgressSink } from '../runs/progress.js';
import type { RunSummary } from '../runs/session.js';
import type { Store } from '../store/store.js';
import { displayRedis, redisConnection } from './connection.js';
import { enqueuePaths } from './enqueue.js';
import type { DocumentJob } from './job.js';
import { closeQueue, openQueue, runCounters, unfinished } from './queue.js';
import type { QueueSettings } from './settings.js';

export const FOLLOW_POLL_MS = 500;

export interface QueuedArchiveOptions {
  store: Store;
  queueUrl: string;
  settings: QueueSettings;
  from: string;
  ocr: DocumentJob['ocr'];
  waitSeconds: number;
  args: Record<string, unknown>;
  signal: AbortSignal;
  stderr: ProgressSink;
}

export async function runQueuedArchive(opts: QueuedArchiveOptions): Promise<RunSummary> {
  const { store, settings } = opts;
  const t0 = performance.now();
  const run = await store.openRun({ pipeline: 'archive', args: opts.args, waitSeconds: opts.waitSeconds });
  const queue = openQueue(opts.queueUrl, settings);
  const redis = redisConnection(opts.queueUrl);
  try {
    await store.backfillFailureReasons();
    const progress = new Progress(opts.stderr, `archive run ${run.runId} (queue ${settings.name})`, opts.stderr.isTTY === true);
    const queued = await enqueuePaths(queue, [opts.from], {
      settings, store, runId: run.runId, ocr: opts.ocr, signal: opts.signal,
      onFile: (ev) => { if (ev.outcome === 'unreadable') progress.log(`failed  ${ev.error}`); },
    });
    progress.setTotal(queued.queued);
    opts.stderr.write(`queued ${queued.queued} of ${queued.files} files on ${displayRedis(opts.queueUrl)} (${queued.duplicate} already queued by an earlier run, ${queued.stored} already stored, ${queued.unreadable} unreadable); following the workers\n`);
    let tally: Tally = emptyTally();
    let warnedNoWorkers = false;
    for (;;) {
      const c = await runCounters(redis, settings, run.runId);
      tally = { ...emptyTally(), files: queued.files, inserted: c.stored, skipped: c.skipped + queued.stored, ok: c.ok, partial: c.partial, failed: c.failed, unreadable: c.unreadable + queued.unreadable, findings: c.findings };
      progress.tick(tally, c.stored + c.skipped + c.unreadable);
      if (opts.signal.aborted || (await unfinished(queue)) === 0) break;
      if (!warnedNoWorkers && performance.now() - t0 > 10_000 && (await queue.getWorkersCount()) === 0) {
        warnedNoWorkers = true;
        progress.log(`no worker is connected to queue ${settings.name}: start one with govtables worker --queue ${displayRedis(opts.queueUrl)} --db ${store.name}`);
      }
      await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
    }
    const c = await runCounters(redis, settings, run.runId);
    progress.end(tally, c.stored + c.skipped + c.unreadable);
    const interrupted = opts.signal.aborted;
    const elapsed = (performance.now() - t0) / 1000;
    const stats = {
      elapsed_s: Math.round(elapsed * 1000) / 1000,
      docs_per_s: Math.round((queued.files / Math.max(elapsed, 0.001)) * 10) / 10,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
      peak_rss_workers_mb: 0,
      workers_lost: 0,
    };
    const row = await store.finishRun(run, interrupted ? 'interrupted' : 'ok', { files: queued.files, skipped: queued.stored + c.skipped, stats });
    return {
      run_id: row.run_id, pipeline: row.pipeline, status: row.status, database: store.name,
      started_at: row.started_at, ended_at: row.ended_at, files: queued.files,
      stored: row.docs_ok + row.docs_partial + row.docs_failed, re_read: 0, skipped: queued.stored + c.skipped, ignored: queued.ignored, rolled_back: 0, unsupported: 0, excluded: 0,
      ok: row.docs_ok, partial: row.docs_partial, failed: row.docs_failed, unreadable: row.unreadable + queued.unreadable,
      findings_by_code: JSON.parse(row.findings_json) as Record<string, number>, ...stats, args: opts.args,
      queue: settings.name, queued: queued.queued,
    };
  } catch (err) {
    await store.finishRun(run, 'failed', { error: err instanceof Error ? err.message : String(err) }).catch(() => undefined);
    throw err;
  } finally {
    await closeQueue(queue);
    redis.disconnect();
  }
}
