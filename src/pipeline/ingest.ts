// Batch ingest: files → extract (bounded concurrency) → batched transactions. A file whose
// doc_id is already stored is skipped before it is parsed; a file that cannot be read becomes
// an `unreadable` event, one that is not a regular file an `ignored` one, and the batch goes on.
// PDFs and scans are read by the Extractors given (worker processes in a run); without any, a
// set is made in this process for the batch and closed at its end.
import PQueue from 'p-queue';
import { ExtractError } from '../extract/errors.js';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import { docIdOf } from '../model/ids.js';
import type { ExtractResult } from '../model/schema.js';
import type { Database } from '../store/db.js';
import { readOptionsOf, readOptionsText, type ReadOptionsRecord, type StoreExtras } from '../store/loader.js';
import { blockHashesOf, headShaOf, supersededResult, supersedesFinding } from '../store/prefix.js';
import { sqliteStoreOf } from '../store/sqliteStore.js';
import { isStore, type DocumentLoader, type Store, type StoredState } from '../store/store.js';
import { extractBytes, failedResult, type ExtractOptions } from './extract.js';
import { inProcessExtractors, type Extractors } from './extractors.js';
import { Interrupted, stopAfterGrace } from './interrupted.js';
import { readInput } from './readInput.js';
import { sniffKind } from './sniff.js';
import { walkFiles, type Walked } from './walk.js';
import { SUPPORTED_TYPES, unsupportedType } from './fileTypes.js';
import type { PathFilter } from './pathFilter.js';

export interface DocEvent {
  path: string;
  doc_id: string | null;
  /**
   * What happened: stored, re-read, skipped as already stored, could not even be read, or
   * left out because it is not a regular file (`ignored`) or of no type govtables reads
   * (`unsupported`: a ZIP, a JSON file; `error` says what it is); `interrupted`:
   * the run was stopped while it was being read, and nothing of it was stored.
   */
  outcome: 'inserted' | 'replaced' | 'skipped' | 'unreadable' | 'ignored' | 'unsupported' | 'interrupted';
  status: 'ok' | 'partial' | 'failed' | null;
  variant: string | null;
  projects: number;
  findings: number;
  error: string | null;
  /** For a document read again (`replaced`): what was stored before. */
  previous?: { status: 'ok' | 'partial' | 'failed'; pipeline_version: string };
  /** For an unreadable file: `io` (it could not be listed or read; may pass next time) or `internal` (it could not be stored). */
  unreadableReason?: 'io' | 'internal';
  ms: number;
}

export interface IngestOptions extends Omit<ExtractOptions, 'extractors'> {
  concurrency?: number;
  /** What reads PDFs and scans; without it, an in-process set for this call. */
  extractors?: Extractors;
  /** Read every stored document again, replacing its records (`ingest --reparse`, `govtables reparse`). */
  reparse?: boolean;
  /**
   * Only these documents: a file whose bytes are another document's is left alone (`govtables
   * reparse` reads the paths it recorded, and a file there may have changed since).
   */
  onlyDocIds?: ReadonlySet<string>;
  /** Re-read documents stored as failed (a newer release may read them). */
  retryFailed?: (doc: { docId: string; path: string }) => boolean | Promise<boolean>;
  onDocument?: (ev: DocEvent) => void;
  /**
   * Aborting stops the batch: no new file is taken, the documents in hand get a short grace
   * (STOP_SETTINGS) to finish and be stored, then their workers are stopped and they are
   * rolled back (an `interrupted` event each).
   */
  signal?: AbortSignal;
  /** Decorates each result before it is stored (the nightly run adds its run id). */
  beforeLoad?: (result: ExtractResult) => void;
}

export interface IngestSummary {
  files: number;
  /** Documents stored, read again ones included. */
  inserted: number;
  /** Of `inserted`, stored documents read again (their records replaced). */
  replaced: number;
  skipped: number;
  /** Paths that are not regular files (FIFOs, devices, sockets, links already followed). */
  ignored: number;
  /** Files of no type govtables reads (a ZIP, a JSON file), listed and left out. */
  unsupported: number;
  /** Documents in hand when the batch was stopped, rolled back (read again next time). */
  interrupted: number;
  ok: number;
  partial: number;
  failed: number;
  /** The batch was stopped (its signal aborted) before every file was taken. */
  stopped: boolean;
}

/** A Store, or a SQLite connection a library caller opened itself. */
export type StoreLike = Store | Database;

export function asStore(db: StoreLike): Store {
  return isStore(db) ? db : sqliteStoreOf(db);
}

export function ingestPaths(db: StoreLike, paths: readonly string[], opts: IngestOptions & { filter?: PathFilter | null } = {}): Promise<IngestSummary> {
  return ingestWalked(db, walkFiles(paths, opts.filter ?? null), opts);
}

export async function ingestWalked(db: StoreLike, items: AsyncIterable<Walked> | Iterable<Walked>, opts: IngestOptions = {}): Promise<IngestSummary> {
  const store = asStore(db);
  const summary: IngestSummary = { files: 0, inserted: 0, replaced: 0, skipped: 0, ignored: 0, unsupported: 0, interrupted: 0, ok: 0, partial: 0, failed: 0, stopped: false };
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const queue = new PQueue({ concurrency });
  const own = opts.extractors ? null : inProcessExtractors({ ...(opts.limits ? { limits: opts.limits } : {}) });
  const extractors = opts.extractors ?? own!;
  const limits = opts.limits ?? extractors.limits ?? DEFAULT_LIMITS;
  const emit = (ev: DocEvent) => {
    if (ev.outcome === 'skipped') summary.skipped++;
    else if (ev.outcome === 'ignored') summary.ignored++;
    else if (ev.outcome === 'interrupted') summary.interrupted++;
    else if (ev.outcome === 'unsupported') summary.unsupported++;
    else if (ev.outcome !== 'unreadable') summary.inserted++;
    if (ev.outcome === 'replaced') summary.replaced++;
    if (ev.status && ev.outcome !== 'skipped') summary[ev.status]++;
    if (ev.outcome === 'unreadable') summary.failed++;
    opts.onDocument?.(ev);
  };
  const loader = store.loader();
  const storing = new Set<Promise<void>>();
  const settle = (ev: Promise<DocEvent>) => {
    const p = ev.then(emit);
    storing.add(p);
    void p.finally(() => storing.delete(p));
  };
  const ctx: FileContext = { store, opts, extractors, limits };
  const { signal } = opts;
  const onStop = () => queue.clear();
  signal?.addEventListener('abort', onStop, { once: true });
  const disarm = stopAfterGrace(signal, extractors.abort ? () => extractors.abort!() : undefined);
  try {
    for await (const item of items) {
      if (signal?.aborted) break;
      const { path } = item;
      if (item.error !== undefined) {
        summary.files++;
        emit({ path, doc_id: null, outcome: 'unreadable', status: null, variant: null, projects: 0, findings: 0, error: `${path}: ${item.error}`, unreadableReason: 'io', ms: 0 });
        continue;
      }
      if (item.skipped !== undefined) {
        summary.files++;
        emit({ path, doc_id: null, outcome: 'ignored', status: null, variant: null, projects: 0, findings: 0, error: item.skipped, ms: 0 });
        continue;
      }
      // Back-pressure: never more than a few files in flight, however long the listing.
      await queue.onSizeLessThan(concurrency * 2);
      if (signal?.aborted) break;
      summary.files++;
      // The queue slot is held while a file is read and parsed; storing happens in batches after.
      // A document that cannot be stored is reported like an unreadable one; the batch goes on.
      const fsPath = item.fsPath;
      void queue.add(async () => {
        const ev = await readAndExtract(ctx, path, fsPath).catch((err: unknown) => (err instanceof Interrupted ? interruptedEvent(path) : failedEvent(path, err)));
        settle('ready' in ev ? ev.ready(loader).catch((err: unknown) => failedEvent(path, err)) : Promise.resolve(ev));
        // A store behind a server that lags: wait for it before reading more.
        if (loader.behind) await loader.flush().catch(() => undefined);
      });
    }
    await queue.onIdle();
    await loader.flush();
    await Promise.all(storing);
  } finally {
    disarm();
    signal?.removeEventListener('abort', onStop);
    await loader.flush().catch(() => undefined);
    await own?.close();
  }
  summary.stopped = signal?.aborted === true;
  return summary;
}

export function interruptedEvent(path: string): DocEvent {
  return {
    path, doc_id: null, outcome: 'interrupted', status: null, variant: null, projects: 0, findings: 0,
    error: 'the run was stopped while this document was read; nothing of it was stored', ms: 0,
  };
}

export interface FileContext {
  store: Store;
  opts: IngestOptions;
  extractors: Extractors;
  limits: Limits;
}

export function failedEvent(path: string, err: unknown): DocEvent {
  return {
    path, doc_id: null, outcome: 'unreadable', status: null, variant: null, projects: 0, findings: 0,
    error: err instanceof Error ? err.message : String(err), unreadableReason: 'internal', ms: 0,
  };
}

/** A finished event (skipped, unreadable), or a parsed document ready to be stored. */
export type Extracted = DocEvent | { ready: (loader: DocumentLoader) => Promise<DocEvent> };

/**
 * Reads one file and parses it unless it is stored: a finished event, or a document ready to
 * be stored. Store errors (a server away) are thrown, for the caller to report or retry.
 */
export async function readAndExtract(ctx: FileContext, path: string, fsPath: string | Buffer): Promise<Extracted> {
  const { store, opts } = ctx;
  const t0 = performance.now();
  const base = { path, variant: null, projects: 0, findings: 0 };
  const input = await readInput(fsPath, ctx.limits, path);
  if (input.kind === 'error') {
    const e = new ExtractError(path, 'io', input.error);
    return { ...base, doc_id: null, outcome: 'unreadable', status: null, error: e.message, unreadableReason: 'io', ms: performance.now() - t0 };
  }
  if (input.kind === 'skipped') return { ...base, doc_id: null, outcome: 'ignored', status: null, error: input.reason, ms: performance.now() - t0 };
  const bytes = input.kind === 'bytes' ? input.bytes : null;
  const other = unsupportedType(bytes ?? (input as { head: Buffer }).head);
  if (other !== null) {
    return { ...base, doc_id: null, outcome: 'unsupported', status: null, error: `${other}, not a form; govtables reads ${SUPPORTED_TYPES}`, ms: performance.now() - t0 };
  }
  const docId = bytes ? docIdOf(bytes) : (input as { docId: string }).docId;
  if (opts.onlyDocIds && !opts.onlyDocIds.has(docId)) {
    const why = `${path}: its bytes are not the document stored from this path (now document ${docId.slice(0, 12)}): not read again; ingest it to store it`;
    return { ...base, doc_id: docId, outcome: 'ignored', status: null, error: why, ms: performance.now() - t0 };
  }
  const readOptions: ReadOptionsRecord = { ocr: opts.ocr ?? 'auto', ocrEngine: ctx.extractors.ocrEngine };
  const stored = await store.storedState(docId);
  const retry = stored !== null && (opts.reparse === true || await failedToReadAgain(stored, readOptions, () => opts.retryFailed?.({ docId, path })));
  if (stored !== null && !retry) {
    return { ...base, doc_id: docId, outcome: 'skipped', status: stored.status, error: null, ms: performance.now() - t0 };
  }
  let result: ExtractResult;
  let extras: StoreExtras = { readOptions };
  if (input.kind === 'too-large') {
    result = failedResult(docId, sniffKind(input.head), path, input.error, opts.now);
    extras = { ...extras, byteSize: input.size };
  } else {
    const relations = await store.prefixRelations(bytes!, docId);
    extras = { ...extras, byteSize: bytes!.length, headSha: headShaOf(bytes!), blockHashes: blockHashesOf(bytes!) };
    if (relations.supersededBy) {
      // A copy cut short of a document already stored: recorded, never counted a second time.
      result = supersededResult(docId, sniffKind(bytes!), path, bytes!, relations.supersededBy, opts.now);
    } else {
      const { onDocument: _o, beforeLoad: _b, retryFailed: _r, concurrency: _c, signal: _s, reparse: _p, onlyDocIds: _d, filter: _f, ...extractOpts } = opts as IngestOptions & { filter?: unknown };
      // Stopped before its reading began: left for the next run.
      if (opts.signal?.aborted) throw new Interrupted(path);
      result = await extractBytes(bytes!, path, { ...extractOpts, extractors: ctx.extractors, limits: ctx.limits });
      if (relations.supersedes.length > 0 && result.document.status !== 'failed') {
        result.findings.push(...relations.supersedes.map((old) => supersedesFinding(old, bytes!.length)));
        extras = { ...extras, supersedes: relations.supersedes };
      }
    }
  }
  opts.beforeLoad?.(result);
  const storeExtras = extras;
  return {
    ready: async (loader) => {
      const outcome = await loader.add(result, retry, storeExtras);
      const d = result.document;
      return {
        path, doc_id: docId, outcome, status: outcome === 'skipped' ? await store.docStatus(docId) : d.status, variant: d.variant,
        projects: d.project_count, findings: result.findings.length, error: d.error, ms: performance.now() - t0,
        ...(outcome === 'replaced' && stored ? { previous: { status: stored.status, pipeline_version: stored.pipelineVersion } } : {}),
      };
    },
  };
}

/**
 * A failed document is read again when the options that failed it changed (`--ocr never`, then
 * `--ocr auto`), or when the caller says so (a transient reason). A short copy superseded by its
 * complete one is never: its bytes are in that one. Stored before read options (or the OCR
 * engine) were recorded, a document counts as read with the defaults.
 */
async function failedToReadAgain(stored: StoredState, now: ReadOptionsRecord, callerSays: () => boolean | Promise<boolean> | undefined): Promise<boolean> {
  if (stored.status !== 'failed' || stored.reason === 'superseded') return false;
  if (readOptionsText(readOptionsOf(stored.readOptions)) !== readOptionsText(now)) return true;
  return (await callerSays()) ?? false;
}
