// The SQLite store: the embedded default, the functions of db.ts, loader.ts, prefix.ts and
// runs/ledger.ts behind the Store interface. They stay synchronous underneath; nothing here
// changes what a user who never names a server gets.
import type { DocStatus } from '../model/schema.js';
import { BatchLoader } from '../pipeline/batchLoader.js';
import * as ledger from '../runs/ledger.js';
import type BetterSqlite3 from 'better-sqlite3';
import { closeDb, openDb, type Database } from './db.js';
import { docStatus } from './loader.js';
import { prefixRelations } from './prefix.js';
import { withSqliteSnapshot, type SqlReader } from './sql.js';
import { RECORD_REREAD_SQL, rereadParams, type Reread } from '../runs/rereads.js';
import type { DocumentLoader, LoaderOptions, OpenStoreOptions, Store, StoredState } from './store.js';

/** IN (…) lists are cut to this many ids (SQLite's default limit is 32,766 parameters). */
const IDS_PER_QUERY = 500;

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private runId: number | null = null;

  constructor(readonly db: Database, readonly name: string, private readonly owned = true) {}

  async docStatus(docId: string): Promise<DocStatus | null> {
    return docStatus(this.db, docId) as DocStatus | null;
  }

  async storedState(docId: string): Promise<StoredState | null> {
    const r = this.db.prepare('SELECT status, failure_reason, read_options, pipeline_version FROM documents WHERE doc_id = ?').get(docId) as
      { status: DocStatus; failure_reason: string | null; read_options: string | null; pipeline_version: string } | undefined;
    return r ? { status: r.status, reason: r.failure_reason, readOptions: r.read_options, pipelineVersion: r.pipeline_version } : null;
  }

  async recordReread(runId: number, r: Reread): Promise<void> {
    const [a, b] = rereadParams(runId, r);
    this.db.transaction(() => {
      this.db.prepare(RECORD_REREAD_SQL[0]).run(...a);
      this.db.prepare(RECORD_REREAD_SQL[1]).run(...b);
    })();
  }

  async failureReason(docId: string): Promise<string | null> {
    return ledger.failureReasonLookup(this.db)(docId);
  }

  async storedDocs(docIds: readonly string[]): Promise<Map<string, { status: DocStatus; reason: string | null }>> {
    const out = new Map<string, { status: DocStatus; reason: string | null }>();
    for (let i = 0; i < docIds.length; i += IDS_PER_QUERY) {
      const ids = docIds.slice(i, i + IDS_PER_QUERY);
      const rows = this.storedDocsStatement(ids.length).all(...ids) as { doc_id: string; status: DocStatus; failure_reason: string | null }[];
      for (const r of rows) out.set(r.doc_id, { status: r.status, reason: r.failure_reason });
    }
    return out;
  }

  private readonly storedDocsStatements = new Map<number, BetterSqlite3.Statement>();

  /** The look-up of `n` doc_ids; a full chunk's is kept, so a long listing prepares it once. */
  private storedDocsStatement(n: number): BetterSqlite3.Statement {
    const hit = this.storedDocsStatements.get(n);
    if (hit) return hit;
    const s = this.db.prepare(`SELECT doc_id, status, failure_reason FROM documents WHERE doc_id IN (${Array.from({ length: n }, () => '?').join(', ')})`);
    if (n === IDS_PER_QUERY) this.storedDocsStatements.set(n, s);
    return s;
  }

  async prefixRelations(bytes: Uint8Array, docId: string) {
    return prefixRelations(this.db, bytes, docId);
  }

  loader(opts: LoaderOptions = {}): DocumentLoader {
    // Documents are tagged with their run by the TEMP trigger openRun puts on this connection.
    if (opts.runId !== undefined && opts.runId !== null && opts.runId !== this.runId) {
      throw new Error(`${this.name}: a SQLite store tags documents with the run opened on its own connection, not run ${opts.runId}`);
    }
    const batch = new BatchLoader(this.db);
    return {
      add: (result, replace = false, extras) => batch.add(result, replace, extras),
      flush: async () => batch.flush(),
      behind: false,
    };
  }

  async openRun(opts: ledger.OpenRunOptions): Promise<ledger.Run> {
    const run = await ledger.openRun(this.db, this.name, opts);
    this.runId = run.runId;
    return run;
  }

  async finishRun(run: ledger.Run, status: Exclude<ledger.RunStatus, 'running'>, details: ledger.CloseDetails = {}): Promise<ledger.RunRow> {
    const row = ledger.finishRun(this.db, run, status, details);
    if (this.runId === run.runId) this.runId = null;
    return row;
  }

  async recordUnreadable(runId: number, path: string, reason: string, error: string): Promise<void> {
    ledger.recordUnreadable(this.db, runId, path, reason, error);
  }

  async backfillFailureReasons(): Promise<number> {
    return ledger.backfillFailureReasons(this.db);
  }

  read<T>(fn: (reader: SqlReader) => Promise<T>): Promise<T> {
    return withSqliteSnapshot(this.db, fn);
  }

  async close(): Promise<void> {
    if (this.owned) closeDb(this.db);
  }
}

export async function openSqliteStore(file: string, opts: OpenStoreOptions = {}): Promise<SqliteStore> {
  return new SqliteStore(openDb(file, { readonly: opts.readonly === true }), file);
}

/** A Store over a connection the caller opened and will close (library callers, tests). */
export function sqliteStoreOf(db: Database, name = db.name): SqliteStore {
  return new SqliteStore(db, name, false);
}
