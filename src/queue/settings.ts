// The queue's settings: named, validated, with their defaults, overridden by GOVTABLES_QUEUE
// (a JSON object of some of these names), as GOVTABLES_LIMITS overrides the limits. An
// unknown name or a bad value is bad usage, never ignored.
import { z } from 'zod';

export const QueueSettings = z.object({
  /** The BullMQ queue: every `enqueue`, `worker` and `status` of one archive names the same. */
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'letters, digits, _ . - only').default('govtables-documents'),
  /** Tries of a job whose failure was transient (the store away, a worker lost), the first included. */
  attempts: z.number().int().min(1).max(1000).default(20),
  /** The wait before the second try; it doubles each try, up to backoffMaxMs. */
  backoffMs: z.number().int().min(1).max(3_600_000).default(1000),
  backoffMaxMs: z.number().int().min(1).max(86_400_000).default(60_000),
  /** A worker's hold on a job, renewed at half this while it works; a worker that stops renewing has died. */
  lockSeconds: z.number().min(0.5).max(3600).default(30),
  /** How often workers look for jobs whose holder died, to take them again. */
  stalledSeconds: z.number().min(0.5).max(3600).default(30),
  /** Times a job may be taken again after its worker died before it fails (a file that kills workers). */
  maxStalled: z.number().int().min(0).max(1000).default(5),
  /** Failed jobs kept for `status` to list (completed jobs are removed; their documents are in the store). */
  keepFailed: z.number().int().min(0).max(10_000_000).default(100_000),
  /** Jobs a worker process holds per extraction process: one being read, the rest read and stored around it. */
  jobsPerExtractor: z.number().int().min(1).max(64).default(2),
}).strict();

export type QueueSettings = z.infer<typeof QueueSettings>;

export const QUEUE_ENV = 'GOVTABLES_QUEUE';

export class QueueSettingsError extends Error {
  override name = 'QueueSettingsError';
}

export function queueSettingsOf(given: unknown = {}): QueueSettings {
  const r = QueueSettings.safeParse(given ?? {});
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new QueueSettingsError(`${QUEUE_ENV}: ${i.path.join('.') || '(object)'}: ${i.message} (known: ${Object.keys(QueueSettings.shape).join(', ')})`);
  }
  return r.data;
}

export function queueSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): QueueSettings {
  const raw = env[QUEUE_ENV];
  if (raw === undefined || raw.trim() === '') return queueSettingsOf();
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new QueueSettingsError(`${QUEUE_ENV} is not JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new QueueSettingsError(`${QUEUE_ENV} must be a JSON object of setting names and values`);
  return queueSettingsOf(parsed);
}
