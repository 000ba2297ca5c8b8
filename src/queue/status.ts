// `status`: what the queue holds and how fast it empties. Counts come from BullMQ; documents
// done and failed are BullMQ's metrics totals (completed jobs themselves are removed); the
// rate is measured over a short sample, beside the average of the last five whole minutes.
import type { Queue } from 'bullmq';
import { printable } from '../pipeline/printable.js';
import type { DocumentJob, JobResult } from './job.js';

export interface QueueStatus {
  queue: string;
  waiting: number;
  active: number;
  /** Waiting for a retry after a transient failure. */
  delayed: number;
  /** Jobs finished since the queue's metrics began. */
  done: number;
  /** Jobs that failed for good, since the metrics began, and those still kept (listed below). */
  failed: number;
  failedKept: number;
  workers: number;
  /** Documents per second over the sample; null when not sampled. */
  rateNow: number | null;
  /** Documents per second over the last five whole minutes; null before there are any. */
  rate5min: number | null;
  failures: { id: string; path: string; reason: string; attempts: number }[];
}

export interface StatusOptions {
  /** Seconds to sample the rate over (0: no sample). */
  sampleSeconds: number;
  /** Failed jobs to list. */
  failures: number;
}

export async function queueStatus(q: Queue<DocumentJob, JobResult>, opts: StatusOptions): Promise<QueueStatus> {
  const completed0 = (await q.getMetrics('completed', 0, 4));
  let rateNow: number | null = null;
  if (opts.sampleSeconds > 0) {
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, opts.sampleSeconds * 1000));
    const again = await q.getMetrics('completed', 0, 0);
    rateNow = (again.meta.count - completed0.meta.count) / ((Date.now() - t0) / 1000);
  }
  const [counts, failedMetrics, workers, failedJobs] = await Promise.all([
    q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'waiting-children'),
    q.getMetrics('failed', 0, 0),
    q.getWorkersCount(),
    opts.failures > 0 ? q.getFailed(0, opts.failures - 1) : Promise.resolve([]),
  ]);
  const done = (await q.getMetrics('completed', 0, 0)).meta.count;
  const points = completed0.data.slice(0, 5);
  return {
    queue: q.name,
    waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts['waiting-children'] ?? 0),
    active: counts.active ?? 0,
    delayed: counts.delayed ?? 0,
    done,
    failed: failedMetrics.meta.count,
    failedKept: counts.failed ?? 0,
    workers,
    rateNow,
    rate5min: points.length === 5 ? points.reduce((a, n) => a + n, 0) / 300 : null,
    failures: failedJobs.filter((j) => j).map((j) => ({ id: String(j.id), path: j.data?.path ?? '?', reason: j.failedReason ?? '?', attempts: j.attemptsMade })),
  };
}

const rate = (r: number | null) => (r === null ? '-' : `${r.toFixed(1)} docs/s`);

export function statusText(s: QueueStatus, shownUrl: string): string {
  const lines = [
    `queue ${s.queue} on ${shownUrl}: ${s.workers} worker connection${s.workers === 1 ? '' : 's'}`,
    `  waiting ${s.waiting}, active ${s.active}, retrying later ${s.delayed}, done ${s.done}, failed ${s.failed}`,
    `  rate: ${rate(s.rateNow)} now, ${rate(s.rate5min)} over the last 5 minutes${s.rateNow && s.waiting + s.active + s.delayed > 0 ? `; the queue empties in about ${Math.ceil((s.waiting + s.active + s.delayed) / s.rateNow)} s at this rate` : ''}`,
  ];
  if (s.failures.length) {
    lines.push(`  failed jobs (${s.failures.length} of the ${s.failedKept} kept):`);
    for (const f of s.failures) lines.push(`    ${f.path}: ${f.reason.startsWith(`${f.path}: `) ? f.reason.slice(f.path.length + 2) : f.reason} (after ${f.attempts} tr${f.attempts === 1 ? 'y' : 'ies'})`);
  }
  return `${lines.map(printable).join('\n')}\n`;
}
