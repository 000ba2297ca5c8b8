// The BullMQ queue of documents and what every command of the queue shares: job options (a
// transient failure retried with a doubling wait, a completed job removed since its document
// is in the store, failed jobs kept for `status`), and the per-run counters `run archive
// --queue` follows.
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { redisConnection, type RedisChoice } from './connection.js';
import type { DocumentJob, JobResult } from './job.js';
import type { QueueSettings } from './settings.js';

export const JOB_NAME = 'document';
export const BACKOFF_TYPE = 'govtables';

const connections = new WeakMap<Queue, Redis>();

export function openQueue(url: string, settings: QueueSettings, choice: RedisChoice = {}): Queue<DocumentJob, JobResult> {
  const conn = redisConnection(url, choice);
  const q = new Queue<DocumentJob, JobResult>(settings.name, { connection: conn });
  q.on('error', () => undefined);
  connections.set(q, conn);
  return q;
}

/** The Redis connection a queue of openQueue's uses. */
export function queueRedis(q: Queue): Redis {
  const c = connections.get(q);
  if (!c) throw new Error(`queue ${q.name} was not opened by openQueue`);
  return c;
}

/** Closes the queue and its connection (BullMQ leaves a connection it was handed open). */
export async function closeQueue(q: Queue): Promise<void> {
  await q.close().catch(() => undefined);
  connections.get(q)?.disconnect();
}

export function jobOptions(settings: QueueSettings, docId: string): JobsOptions {
  return {
    jobId: docId,
    attempts: settings.attempts,
    backoff: { type: BACKOFF_TYPE },
    removeOnComplete: true,
    removeOnFail: { count: settings.keepFailed },
  };
}

/** The wait before try `attemptsMade + 1`: backoffMs, doubling, at most backoffMaxMs. */
export function backoffMs(settings: QueueSettings, attemptsMade: number): number {
  return Math.min(settings.backoffMaxMs, settings.backoffMs * 2 ** Math.max(0, attemptsMade - 1));
}

/** What the workers count for a run, in a Redis hash beside the queue's keys. */
export type RunCounter = 'stored' | 'ok' | 'partial' | 'failed' | 'skipped' | 'unreadable' | 'findings';

export function runCounterKey(settings: QueueSettings, runId: number): string {
  return `bull:${settings.name}:govtables:run:${runId}`;
}

export async function countForRun(redis: Redis, settings: QueueSettings, runId: number, counts: Partial<Record<RunCounter, number>>): Promise<void> {
  const m = redis.multi();
  for (const [k, n] of Object.entries(counts)) if (n) m.hincrby(runCounterKey(settings, runId), k, n);
  await m.exec();
}

export async function runCounters(redis: Redis, settings: QueueSettings, runId: number): Promise<Record<RunCounter, number>> {
  const h = await redis.hgetall(runCounterKey(settings, runId));
  const n = (k: RunCounter) => Number(h[k] ?? 0);
  return { stored: n('stored'), ok: n('ok'), partial: n('partial'), failed: n('failed'), skipped: n('skipped'), unreadable: n('unreadable'), findings: n('findings') };
}

/** Jobs not finished yet, in any state. */
export async function unfinished(q: Queue): Promise<number> {
  const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  return Object.values(c).reduce((a, n) => a + n, 0);
}
