// What a queued job carries: one file, named by its doc_id (the job id, so a file sent twice
// is one job), with the path every worker must be able to read it at.
import { z } from 'zod';
import { VARIANTS } from '../model/schema.js';

export const DocumentJob = z.object({
  /** Absolute path, as shown (a name that is not UTF-8 has its bytes as \xNN). */
  path: z.string().min(1),
  /** The name's bytes, base64, when they are not UTF-8. */
  pathBytes: z.string().nullable().default(null),
  docId: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().min(0),
  /** The run the document is stored for (`run archive --queue`); null for a plain `enqueue`. */
  runId: z.number().int().positive().nullable().default(null),
  ocr: z.enum(['auto', 'always', 'never']).default('auto'),
  variant: z.enum(VARIANTS).nullable().default(null),
});

export type DocumentJob = z.infer<typeof DocumentJob>;

/** What a finished job returns (kept only as long as BullMQ keeps the job). */
export interface JobResult {
  outcome: 'inserted' | 'replaced' | 'skipped';
  status: 'ok' | 'partial' | 'failed' | null;
  docId: string | null;
  variant: string | null;
  projects: number;
  findings: number;
}

/** The file's path as the worker opens it. */
export function fsPathOf(job: DocumentJob): string | Buffer {
  return job.pathBytes === null ? job.path : Buffer.from(job.pathBytes, 'base64');
}
