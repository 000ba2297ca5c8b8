// `worker`: takes documents from the queue, reads each in this machine's extraction processes,
// stores it, and only then acknowledges the job, so a worker that dies (SIGKILL, a machine
// lost) leaves its jobs to be taken again once their lock runs out, and a document stored just
// before the death is found stored and skipped: stored once, whatever happens. A store or a
// Redis that is away is waited for: the job is tried again later with a doubling wait. A file
// that cannot be read fails its job once, with the reason, and is not tried again.
import { MetricsTime, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Limits } from '../limits.js';
import type { Extractors } from '../pipeline/extractors.js';
import { readAndExtract, type DocEvent, type FileContext } from '../pipeline/ingest.js';
import { isTransient } from '../runs/reasons.js';
import { isTransientStoreError } from '../store/postgres/errors.js';
import type { DocumentLoader, Store } from '../store/store.js';
import { redisConnection } from './connection.js';
import { DocumentJob, fsPathOf, type JobResult } from './job.js';
import { backoffMs, countForRun } from './queue.js';
import type { QueueSettings } from './settings.js';

export interface WorkerEvent {
  jobId: string;
  path: string;
  /**
   * stored (or re-read), skipped (already stored), failed (for good), retry (a transient failure,
   * tried again later), retaken (its worker died: queued again for any worker to take).
   */
  outcome: 'stored' | 'skipped' | 'failed' | 'retry' | 'retaken';
  status: DocEvent['status'];
  error: string | null;
  /** Tries made so far, this one included. */
  attempt: number;
}

export interface WorkerOptions {
  queueUrl: string;
  store: Store;
  settings: QueueSettings;
  limits: Limits;
  /** This machine's extraction processes (createExtractors). */
  extractors: Extractors;
  /** How many there are: the worker holds `jobsPerExtractor` jobs for each. */
  extractorCount: number;
  /** Aborting stops taking jobs; the jobs in hand are finished and acknowledged. */
  signal: AbortSignal;
  onEvent?: (ev: WorkerEvent) => void;
  /** Redis or store trouble outside any one job (a lost connection), said once per kind per minute. */
  onTrouble?: (message: string) => void;
}

export interface WorkerSummary {
  stored: number;
  skipped: number;
  failed: number;
  retried: number;
}

/** A failure worth another try later (the store or Redis away), as opposed to one of the file or its data. */
function isTransientFailure(err: unknown): boolean {
  if (isTransientStoreError(err)) return true;
  const m = err instanceof Error ? err.message : String(err);
  return /Connection is closed|ECONNREFUSED|ECONNRESET|Stream isn't writeable|MaxRetriesPerRequest/i.test(m);
}

export async function runWorker(opts: WorkerOptions): Promise<WorkerSummary> {
  const { store, settings } = opts;
  const summary: WorkerSummary = { stored: 0, skipped: 0, failed: 0, retried: 0 };
  const counters = redisConnection(opts.queueUrl);
  const loaders = new Map<number | null, DocumentLoader>();
  const loaderFor = (runId: number | null) => {
    let l = loaders.get(runId);
    if (!l) loaders.set(runId, (l = store.loader({ runId })));
    return l;
  };
  const retryFailed = async ({ docId }: { docId: string }) => isTransient(await store.failureReason(docId));

  const process = async (job: Job<DocumentJob, JobResult>): Promise<JobResult> => {
    const parsed = DocumentJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`job ${job.id}: not a govtables document job (${parsed.error.issues[0]?.message ?? 'bad data'})`);
    const data = parsed.data;
    const ctx: FileContext = {
      store, extractors: opts.extractors, limits: opts.limits,
      opts: { ocr: data.ocr, ...(data.variant ? { variant: data.variant } : {}), retryFailed },
    };
    let ev: DocEvent;
    try {
      const x = await readAndExtract(ctx, data.path, fsPathOf(data));
      ev = 'ready' in x ? await x.ready(loaderFor(data.runId)) : x;
    } catch (err) {
      if (isTransientFailure(err)) throw err;
      throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
    }
    if (ev.outcome === 'unreadable' || ev.outcome === 'ignored' || ev.outcome === 'unsupported') {
      const why = ev.error ?? `${data.path}: unreadable`;
      if (data.runId !== null) {
        await store.recordUnreadable(data.runId, data.path, ev.outcome !== 'unreadable' ? 'unsupported' : ev.unreadableReason ?? 'io', why);
        await countForRun(counters, settings, data.runId, { unreadable: 1 });
      }
      throw new UnrecoverableError(why);
    }
    // Stopped before it was stored (nothing of it committed): another try, here or elsewhere.
    if (ev.outcome === 'interrupted') throw new Error(`${data.path}: interrupted before it was stored`);
    if (data.runId !== null) {
      await countForRun(counters, settings, data.runId, ev.outcome === 'skipped'
        ? { skipped: 1 }
        : { stored: 1, [ev.status ?? 'failed']: 1, findings: ev.findings });
    }
    return { outcome: ev.outcome, status: ev.status, docId: ev.doc_id, variant: ev.variant, projects: ev.projects, findings: ev.findings };
  };

  const connection = redisConnection(opts.queueUrl);
  const worker = new Worker<DocumentJob, JobResult>(settings.name, process, {
    connection,
    concurrency: Math.max(1, opts.extractorCount * settings.jobsPerExtractor),
    lockDuration: Math.round(settings.lockSeconds * 1000),
    stalledInterval: Math.round(settings.stalledSeconds * 1000),
    maxStalledCount: settings.maxStalled,
    metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
    settings: { backoffStrategy: (attemptsMade: number) => backoffMs(settings, attemptsMade) },
  });

  const said = new Map<string, number>();
  const trouble = (err: unknown) => {
    const msg = err instanceof Error ? err.message : String(err);
    const kind = msg.replace(/[0-9a-f]{12,}|\d+/g, '#').slice(0, 80);
    if (Date.now() - (said.get(kind) ?? 0) < 60_000) return;
    said.set(kind, Date.now());
    opts.onTrouble?.(msg);
  };
  worker.on('error', trouble);
  worker.on('completed', (job, r) => {
    summary[r.outcome === 'skipped' ? 'skipped' : 'stored']++;
    opts.onEvent?.({ jobId: String(job.id), path: job.data.path, outcome: r.outcome === 'skipped' ? 'skipped' : 'stored', status: r.status, error: null, attempt: job.attemptsMade + 1 });
  });
  worker.on('stalled', (jobId) => {
    opts.onEvent?.({ jobId, path: jobId, outcome: 'retaken', status: null, error: 'the worker that held it stopped renewing its lock', attempt: 0 });
  });
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    summary[final ? 'failed' : 'retried']++;
    opts.onEvent?.({ jobId: String(job.id), path: job.data.path, outcome: final ? 'failed' : 'retry', status: null, error: err.message, attempt: job.attemptsMade });
  });

  await new Promise<void>((resolve) => {
    if (opts.signal.aborted) resolve();
    else opts.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  // Stop taking jobs; the ones in hand finish (and are stored and acknowledged) first.
  await worker.close();
  for (const l of loaders.values()) await l.flush().catch(() => undefined);
  connection.disconnect();
  counters.disconnect();
  return summary;
}
