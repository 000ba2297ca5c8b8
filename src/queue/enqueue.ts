// `enqueue`: one job per file under the paths, its id the file's doc_id (sha256), so a file
// sent twice, under any name, is one job. Every file is read once here to be hashed (streamed);
// a file the store already holds is not queued. Paths are made absolute: workers open them by
// that path, so the folder must be mounted at the same place on every machine.
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import PQueue from 'p-queue';
import type { Queue } from 'bullmq';
import { isTransient } from '../runs/reasons.js';
import { walkFiles } from '../pipeline/walk.js';
import type { Store } from '../store/store.js';
import type { DocumentJob, JobResult } from './job.js';
import { JOB_NAME, jobOptions, queueRedis } from './queue.js';
import type { QueueSettings } from './settings.js';

export interface EnqueueOptions {
  settings: QueueSettings;
  /** When given, files it holds are not queued (those that failed for a transient reason are). */
  store?: Store;
  runId?: number | null;
  ocr?: DocumentJob['ocr'];
  variant?: DocumentJob['variant'];
  /** Files hashed at once. */
  concurrency?: number;
  signal?: AbortSignal;
  onFile?: (ev: EnqueueEvent) => void;
}

export interface EnqueueEvent {
  path: string;
  /** `duplicate`: its job is in the queue already (sent before, under this name or another). */
  outcome: 'queued' | 'duplicate' | 'stored' | 'unreadable' | 'ignored';
  docId: string | null;
  error: string | null;
}

export interface EnqueueSummary {
  files: number;
  queued: number;
  /** Already in the queue (waiting, in hand, or failed and kept). */
  duplicate: number;
  /** Already in the store. */
  stored: number;
  unreadable: number;
  ignored: number;
}

/** Jobs sent to Redis per round trip. */
export const ENQUEUE_BATCH = 500;

async function hashFile(path: string | Buffer): Promise<{ docId: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { docId: h.digest('hex'), size };
}

function absolute(path: string, fsPath: string | Buffer): { path: string; pathBytes: string | null } {
  if (typeof fsPath === 'string') return { path: resolve(fsPath), pathBytes: null };
  // A name that is not UTF-8: its bytes travel beside the shown form.
  const abs = fsPath[0] === 0x2f ? fsPath : Buffer.concat([Buffer.from(`${process.cwd()}/`), fsPath]);
  return { path: path.startsWith('/') ? path : `${process.cwd()}/${path}`, pathBytes: abs.toString('base64') };
}

export async function enqueuePaths(queue: Queue<DocumentJob, JobResult>, paths: readonly string[], opts: EnqueueOptions): Promise<EnqueueSummary> {
  const summary: EnqueueSummary = { files: 0, queued: 0, duplicate: 0, stored: 0, unreadable: 0, ignored: 0 };
  const hashing = new PQueue({ concurrency: Math.max(1, opts.concurrency ?? 4) });
  let batch: DocumentJob[] = [];
  const emit = (ev: EnqueueEvent) => {
    summary[ev.outcome === 'queued' ? 'queued' : ev.outcome]++;
    opts.onFile?.(ev);
  };
  const send = async () => {
    const jobs = batch;
    batch = [];
    if (jobs.length === 0) return;
    const stored = opts.store ? await opts.store.storedDocs(jobs.map((j) => j.docId)) : new Map();
    const fresh = jobs.filter((j) => {
      const s = stored.get(j.docId);
      if (s && !(s.status === 'failed' && isTransient(s.reason))) {
        emit({ path: j.path, outcome: 'stored', docId: j.docId, error: null });
        return false;
      }
      return true;
    });
    // BullMQ keeps the job it has for an id and ignores the new one: those are told apart first.
    const m = queueRedis(queue).multi();
    for (const j of fresh) m.exists(queue.toKey(j.docId));
    const exists = (await m.exec()) ?? [];
    const isNew = fresh.map((_, k) => exists[k]?.[1] === 0);
    const add = fresh.filter((_, k) => isNew[k]);
    if (add.length) await queue.addBulk(add.map((data) => ({ name: JOB_NAME, data, opts: jobOptions(opts.settings, data.docId) })));
    fresh.forEach((j, k) => emit({ path: j.path, outcome: isNew[k] ? 'queued' : 'duplicate', docId: j.docId, error: null }));
  };
  let sending: Promise<void> = Promise.resolve();
  const flush = () => { sending = sending.then(send); return sending; };
  // Redis or the store unreachable: stop walking and say so (what was sent stays queued).
  let failure: { err: unknown } | null = null;
  for await (const item of walkFiles(paths)) {
    if (opts.signal?.aborted || failure) break;
    summary.files++;
    if (item.error !== undefined) { emit({ path: item.path, outcome: 'unreadable', docId: null, error: `${item.path}: ${item.error}` }); continue; }
    if (item.skipped !== undefined) { emit({ path: item.path, outcome: 'ignored', docId: null, error: item.skipped }); continue; }
    await hashing.onSizeLessThan(hashing.concurrency * 2);
    const { path, fsPath } = item;
    hashing.add(async () => {
      let h: { docId: string; size: number };
      try {
        h = await hashFile(fsPath);
      } catch (err) {
        emit({ path, outcome: 'unreadable', docId: null, error: `${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})` });
        return;
      }
      batch.push({ ...absolute(path, fsPath), docId: h.docId, size: h.size, runId: opts.runId ?? null, ocr: opts.ocr ?? 'auto', variant: opts.variant ?? null });
      if (batch.length >= ENQUEUE_BATCH) await flush();
    }).catch((err: unknown) => { failure ??= { err }; });
  }
  await hashing.onIdle();
  if (!failure) await flush().catch((err: unknown) => { failure ??= { err }; });
  if (failure) throw (failure as { err: unknown }).err;
  return summary;
}
