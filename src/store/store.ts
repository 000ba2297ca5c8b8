// Where documents are stored: one interface, two stores. SQLite (a file, the default) for one
// machine; PostgreSQL (`postgres://…`) for many, shared by the queue's workers. Both take the
// schema from the one list of versioned migrations (migrations.ts) and keep the loader's rules:
// every document in its own transaction (a crash leaves it wholly present or wholly absent),
// a stored doc_id skipped, foreign keys enforced. Everything here is async because a server is
// behind PostgreSQL; the SQLite store answers at once.
import type { DocStatus, ExtractResult } from '../model/schema.js';
import type { CloseDetails, OpenRunOptions, Run, RunRow, RunStatus } from '../runs/ledger.js';
import type { Reread } from '../runs/rereads.js';
import type { LoadOutcome, StoreExtras } from './loader.js';
import type { PrefixRelations } from './prefix.js';
import type { SqlReader } from './sql.js';

export type StoreKind = 'sqlite' | 'postgres';

/** The environment variable naming the store when no `--db` is given: a file or a postgres:// URL. */
export const DB_ENV = 'GOVTABLES_DB';

export function isPostgresTarget(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** `--db` if given, else GOVTABLES_DB, else the default file. */
export function storeTarget(given: string | undefined, fallback: string, env: NodeJS.ProcessEnv = process.env): string {
  if (given !== undefined && given !== '') return given;
  const fromEnv = env[DB_ENV];
  return fromEnv !== undefined && fromEnv.trim() !== '' ? fromEnv.trim() : fallback;
}

/** A target as it may be shown: a URL without its password. */
export function displayTarget(target: string): string {
  if (!isPostgresTarget(target)) return target;
  try {
    const u = new URL(target);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return target.replace(/:[^:@/]*@/, ':***@');
  }
}

/** Stores documents and resolves once each is committed (or known to be stored already). */
export interface DocumentLoader {
  add(result: ExtractResult, replace?: boolean, extras?: StoreExtras): Promise<LoadOutcome>;
  /** Commits everything added so far; resolves when it is committed. */
  flush(): Promise<void>;
  /** True while commits lag so far behind that the caller should wait (flush) before reading more. */
  readonly behind: boolean;
}

/** What is stored about a document, for deciding whether to read it again. */
export interface StoredState {
  status: DocStatus;
  /** The reason token of a failed document. */
  reason: string | null;
  /** documents.read_options: what it was read with (null: stored before they were recorded). */
  readOptions: string | null;
  pipelineVersion: string;
}

export interface LoaderOptions {
  /** The run that stores these documents (recorded in documents.run_id). */
  runId?: number | null;
}

export interface Store {
  readonly kind: StoreKind;
  /** The file, or the URL without its password, for messages. */
  readonly name: string;
  docStatus(docId: string): Promise<DocStatus | null>;
  /** A stored document's status, reason, read options and release; null when it is not stored. */
  storedState(docId: string): Promise<StoredState | null>;
  /** Records that run `runId` read a stored document again (runs/rereads.ts). */
  recordReread(runId: number, r: Reread): Promise<void>;
  /** The reason token of a failed document (documents.failure_reason). */
  failureReason(docId: string): Promise<string | null>;
  /** Which of `docIds` are stored, with their status and reason token. */
  storedDocs(docIds: readonly string[]): Promise<Map<string, { status: DocStatus; reason: string | null }>>;
  /** Stored documents this one's bytes begin, or that begin with this one's (prefix.ts). */
  prefixRelations(bytes: Uint8Array, docId: string): Promise<PrefixRelations>;
  loader(opts?: LoaderOptions): DocumentLoader;

  /** Takes the store's run lock and opens a `running` row (runs/ledger.ts). */
  openRun(opts: OpenRunOptions): Promise<Run>;
  finishRun(run: Run, status: Exclude<RunStatus, 'running'>, details?: CloseDetails): Promise<RunRow>;
  recordUnreadable(runId: number, path: string, reason: string, error: string): Promise<void>;
  /** Gives failed documents stored outside a run their reason token. */
  backfillFailureReasons(): Promise<number>;

  /** Runs `fn` on one consistent snapshot of the store (exports, reports). */
  read<T>(fn: (reader: SqlReader) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Read only: no migration; the store must exist and be govtables'. */
  readonly?: boolean;
}

/** Opens the store `target` names: a postgres:// URL, or a SQLite file. */
export async function openStore(target: string, opts: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresTarget(target)) {
    const { openPostgresStore } = await import('./postgres/store.js');
    return openPostgresStore(target, opts);
  }
  const { openSqliteStore } = await import('./sqliteStore.js');
  return openSqliteStore(target, opts);
}

/** A better-sqlite3 connection handed in by a library caller or a test, or a Store. */
export function isStore(x: unknown): x is Store {
  return typeof x === 'object' && x !== null && 'kind' in x && 'loader' in x && typeof (x as Store).loader === 'function';
}
