// The engine under every ingesting pipeline: a streamed file walk feeding ingestPaths one file
// at a time through a bounded queue. Feeding single files (rather than handing ingestPaths the
// whole folder) lets a run stop between documents on Ctrl-C, and confines a file that vanishes
// after it was listed, or a document that throws, to that one file.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import PQueue from 'p-queue';
import type { Extractors } from '../pipeline/extractors.js';
import { ingestWalked, type DocEvent } from '../pipeline/ingest.js';
import type { OcrMode } from '../pipeline/options.js';
import { walkFiles, type Walked } from '../pipeline/walk.js';
import { readsFile, walksFolder, type PathFilter } from '../pipeline/pathFilter.js';
import type { Store } from '../store/store.js';
import type { Run } from './ledger.js';
import { failureReasonOf, isTransient } from './reasons.js';

export interface RunEvent extends DocEvent {
  run_id: number;
  /** Reason token of a failed or unreadable document, null otherwise. */
  reason: string | null;
}

export interface EngineOptions {
  concurrency: number;
  ocr?: OcrMode;
  /** What reads PDFs and scans, built by the caller for the run. */
  extractors: Extractors;
  /**
   * Aborting stops the walk and drops the files not yet started; the documents in hand get a
   * short grace to finish and be stored, then are rolled back (STOP_SETTINGS).
   */
  signal?: AbortSignal;
  /** Re-read stored documents whose failure was transient (an `io` reason). */
  retryTransient?: boolean;
  /** Read every stored document again (ingest.ts `reparse`), only these documents (`onlyDocIds`). */
  reparse?: boolean;
  onlyDocIds?: ReadonlySet<string>;
  /** --include / --exclude. */
  filter?: PathFilter | null;
  /** After each document, with the counters so far. */
  onEvent?: (ev: RunEvent, tally: Readonly<Tally>) => void;
}

/** Counters only: a run over 100,000 files keeps nothing per file in memory. */
export interface Tally {
  files: number;
  inserted: number;
  replaced: number;
  skipped: number;
  /** Paths that are not regular files, listed with the reason. */
  ignored: number;
  /** Files of no type govtables reads, listed and left out. */
  unsupported: number;
  /** Documents in hand when the run was stopped, rolled back. */
  interrupted: number;
  ok: number;
  partial: number;
  failed: number;
  unreadable: number;
  findings: number;
}

export interface EngineResult {
  tally: Tally;
  interrupted: boolean;
}

export function emptyTally(): Tally {
  return { files: 0, inserted: 0, replaced: 0, skipped: 0, ignored: 0, unsupported: 0, interrupted: 0, ok: 0, partial: 0, failed: 0, unreadable: 0, findings: 0 };
}

export async function ingestRun(store: Store, run: Run, paths: readonly string[], opts: EngineOptions): Promise<EngineResult> {
  const tally = emptyTally();
  const concurrency = Math.max(1, opts.concurrency);
  const queue = new PQueue({ concurrency });
  const retryFailed = opts.retryTransient ? async (doc: { docId: string }) => isTransient(await store.failureReason(doc.docId)) : undefined;
  // Ledger writes of unreadable files, awaited before the run ends; one that fails ends the run.
  const ledgerWrites = new Set<Promise<void>>();
  // ingestPaths runs each document in a queue task whose rejection nobody awaits; such an error
  // surfaces here instead of ending the process, and its file is recorded as unreadable.
  const strays: unknown[] = [];
  const onStray = (err: unknown) => { strays.push(err); };
  process.on('unhandledRejection', onStray);

  const record = (ev: DocEvent, reason: string | null) => {
    if (ev.outcome === 'skipped') tally.skipped++;
    else if (ev.outcome === 'ignored') tally.ignored++;
    else if (ev.outcome === 'interrupted') tally.interrupted++;
    else if (ev.outcome === 'unsupported') tally.unsupported++;
    else if (ev.outcome === 'unreadable') {
      tally.unreadable++;
      const w = store.recordUnreadable(run.runId, ev.path, reason ?? 'io', ev.error ?? 'unreadable').catch((err: unknown) => { fatal ??= { err }; });
      ledgerWrites.add(w);
      void w.finally(() => ledgerWrites.delete(w));
    } else {
      tally[ev.outcome]++;
      if (ev.status) tally[ev.status]++;
      tally.findings += ev.findings;
      if (ev.outcome === 'replaced' && ev.previous && ev.doc_id && ev.status) {
        const w = store.recordReread(run.runId, { docId: ev.doc_id, path: ev.path, previousStatus: ev.previous.status, previousVersion: ev.previous.pipeline_version, status: ev.status })
          .catch((err: unknown) => { fatal ??= { err }; });
        ledgerWrites.add(w);
        void w.finally(() => ledgerWrites.delete(w));
      }
    }
    opts.onEvent?.({ ...ev, run_id: run.runId, reason }, tally);
  };
  const unreadable = (path: string, error: string): DocEvent => ({
    path, doc_id: null, outcome: 'unreadable', status: null, variant: null, projects: 0, findings: 0, error, ms: 0,
  });

  const ingestFile = async (item: Walked) => {
    const { path } = item;
    tally.files++;
    let seen = false;
    try {
      await ingestWalked(store, [item], {
        concurrency: 1, ...(opts.signal ? { signal: opts.signal } : {}), extractors: opts.extractors, limits: opts.extractors.limits, ...(opts.ocr ? { ocr: opts.ocr } : {}), retryFailed,
        ...(opts.reparse ? { reparse: true } : {}), ...(opts.onlyDocIds ? { onlyDocIds: opts.onlyDocIds } : {}),
        onDocument: (ev) => {
          seen = true;
          const reason = ev.outcome === 'unreadable' ? ev.unreadableReason ?? 'io' : ev.status === 'failed' && ev.outcome !== 'skipped' ? failureReasonOf(ev.error) : null;
          record(ev, reason);
        },
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
      record(unreadable(path, `${path}: cannot read the file (${code})`), 'io');
      return;
    }
    if (!seen) {
      // Unhandled rejections are reported after the microtask queue drains.
      await new Promise((r) => setImmediate(r));
      const err = strays.shift();
      const why = err instanceof Error ? err.message : err === undefined ? 'no result was produced' : String(err);
      record(unreadable(path, `${path}: internal error while reading or storing: ${why}`), 'internal');
    }
  };

  // A failure outside any one document (the ledger cannot be written) ends the run.
  let fatal: { err: unknown } | null = null;
  // Files queued but not started are dropped at once on Ctrl-C: only the ones in hand remain.
  const onStop = () => queue.clear();
  opts.signal?.addEventListener('abort', onStop, { once: true });
  try {
    for await (const item of walkFiles(paths, opts.filter ?? null)) {
      if (opts.signal?.aborted || fatal) break;
      await queue.onSizeLessThan(concurrency * 2);
      if (opts.signal?.aborted || fatal) break;
      if (item.error !== undefined) { tally.files++; record(unreadable(item.path, `${item.path}: ${item.error}`), 'io'); continue; }
      queue.add(() => ingestFile(item)).catch((err: unknown) => { fatal ??= { err }; });
    }
    await queue.onIdle();
    await Promise.all(ledgerWrites);
    if (fatal) throw (fatal as { err: unknown }).err;
  } finally {
    await queue.onIdle();
    await Promise.all(ledgerWrites);
    opts.signal?.removeEventListener('abort', onStop);
    process.off('unhandledRejection', onStray);
  }
  return { tally, interrupted: opts.signal?.aborted === true };
}

/**
 * Files under `paths`, for a progress bar's total. One readdir per folder rather than the
 * entry-by-entry walk, so the count finishes early even while documents keep the process busy;
 * it follows walk.ts's rules (no dot-files, regular files and folders only) and skips what it
 * cannot list, since it is only an estimate.
 */
export async function countFiles(paths: readonly string[], signal?: AbortSignal, filter: PathFilter | null = null): Promise<number> {
  let n = 0;
  // The walk counts what it leaves out; this count must not.
  const f = filter ? { ...filter, excluded: 0 } : null;
  const count = async (dir: string, rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (signal?.aborted) return;
      if (e.name.startsWith('.')) continue;
      const below = `${rel}${e.name}`;
      if (e.isFile()) { if (readsFile(f, below)) n++; } else if (e.isDirectory()) { if (walksFolder(f, below)) await count(join(dir, e.name), `${below}/`); } else if (e.isSymbolicLink()) {
        // A link to a file counts; links to folders are not followed here (an estimate, and link loops end).
        const t = await stat(join(dir, e.name)).catch(() => null);
        if (t && !t.isDirectory() && readsFile(f, below)) n++;
      } else n++;
    }
  };
  for (const p of paths) {
    const s = await stat(p).catch(() => null);
    if (s?.isDirectory()) await count(p, '');
    else if (s) n++;
  }
  return n;
}
