// The PostgreSQL store: the Store interface over a connection pool, for workers on many
// machines writing one database. Reads for exports and reports see one snapshot (REPEATABLE
// READ) and stream tables through a cursor, so neither the table sizes nor a concurrent
// ingest decide what an export holds or how much memory it takes.
import type { DocStatus } from '../../model/schema.js';
import type { CloseDetails, OpenRunOptions, Run, RunRow, RunStatus } from '../../runs/ledger.js';
import { GroupCommitLoader } from '../groupCommit.js';
import { PREFIX_CANDIDATES_SQL, prefixCandidateParams, relationsAmong, HEAD_BYTES, type PrefixCandidate, type PrefixRelations } from '../prefix.js';
import type { SqlParams, SqlReader } from '../sql.js';
import { RECORD_REREAD_SQL, rereadParams, type Reread } from '../../runs/rereads.js';
import { displayTarget, type DocumentLoader, type LoaderOptions, type OpenStoreOptions, type Store, type StoredState } from '../store.js';
import { createPool, type Pool, type PoolClient, type PoolSettings } from './connect.js';
import { toPostgres } from './dialect.js';
import { loadBatch } from './loader.js';
import { backfillFailureReasonsPg, finishRunPg, openRunPg, recordUnreadablePg, type HeldRun } from './runs.js';
import { checkReadable, migratePostgres } from './schema.js';

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly held = new Map<number, HeldRun>();
  private openRunId: number | null = null;

  constructor(readonly pool: Pool, readonly name: string) {}

  async docStatus(docId: string): Promise<DocStatus | null> {
    const r = await this.pool.query<{ status: DocStatus }>('SELECT status FROM documents WHERE doc_id = $1', [docId]);
    return r.rows[0]?.status ?? null;
  }

  async storedState(docId: string): Promise<StoredState | null> {
    const r = await this.pool.query<{ status: DocStatus; failure_reason: string | null; read_options: string | null; pipeline_version: string }>(
      'SELECT status, failure_reason, read_options, pipeline_version FROM documents WHERE doc_id = $1', [docId]);
    const x = r.rows[0];
    return x ? { status: x.status, reason: x.failure_reason, readOptions: x.read_options, pipelineVersion: x.pipeline_version } : null;
  }

  async recordReread(runId: number, r: Reread): Promise<void> {
    const [a, b] = rereadParams(runId, r);
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      for (const [sql, params] of [[RECORD_REREAD_SQL[0], a], [RECORD_REREAD_SQL[1], b]] as const) {
        const q = toPostgres(sql, params);
        await c.query(q.text, q.values);
      }
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async failureReason(docId: string): Promise<string | null> {
    const r = await this.pool.query<{ failure_reason: string | null }>('SELECT failure_reason FROM documents WHERE doc_id = $1', [docId]);
    return r.rows[0]?.failure_reason ?? null;
  }

  async storedDocs(docIds: readonly string[]): Promise<Map<string, { status: DocStatus; reason: string | null }>> {
    const out = new Map<string, { status: DocStatus; reason: string | null }>();
    if (docIds.length === 0) return out;
    const r = await this.pool.query<{ doc_id: string; status: DocStatus; failure_reason: string | null }>(
      'SELECT doc_id, status, failure_reason FROM documents WHERE doc_id = ANY($1::text[])', [[...docIds]],
    );
    for (const x of r.rows) out.set(x.doc_id, { status: x.status, reason: x.failure_reason });
    return out;
  }

  async prefixRelations(bytes: Uint8Array, docId: string): Promise<PrefixRelations> {
    if (bytes.length <= HEAD_BYTES) return { supersedes: [], supersededBy: null };
    const q = toPostgres(PREFIX_CANDIDATES_SQL, prefixCandidateParams(bytes, docId));
    const rows = (await this.pool.query<PrefixCandidate>(q.text, q.values)).rows;
    return relationsAmong(rows, bytes, docId);
  }

  loader(opts: LoaderOptions = {}): DocumentLoader {
    const runId = opts.runId ?? this.openRunId;
    return new GroupCommitLoader((items) => loadBatch(this.pool, items.map((i) => ({ ...i, runId }))));
  }

  async openRun(opts: OpenRunOptions): Promise<Run> {
    const held = await openRunPg(this.pool, this.name, opts);
    this.held.set(held.run.runId, held);
    this.openRunId = held.run.runId;
    return held.run;
  }

  async finishRun(run: Run, status: Exclude<RunStatus, 'running'>, details: CloseDetails = {}): Promise<RunRow> {
    const held = this.held.get(run.runId);
    this.held.delete(run.runId);
    if (this.openRunId === run.runId) this.openRunId = null;
    return finishRunPg(this.pool, held, run, status, details);
  }

  recordUnreadable(runId: number, path: string, reason: string, error: string): Promise<void> {
    return recordUnreadablePg(this.pool, runId, path, reason, error);
  }

  backfillFailureReasons(): Promise<number> {
    return backfillFailureReasonsPg(this.pool);
  }

  async read<T>(fn: (reader: SqlReader) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      // Not READ ONLY: the analyst subset lays TEMP views over the snapshot; ROLLBACK drops them.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const schema = (await client.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s;
      return await fn(pgReader(client, `"${schema.replaceAll('"', '""')}"`));
    } catch (err) {
      broken = true;
      throw err;
    } finally {
      await client.query('ROLLBACK').catch(() => { broken = true; });
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    for (const held of this.held.values()) held.client.release();
    this.held.clear();
    await this.pool.end();
  }
}

function pgReader(client: PoolClient, baseSchema: string): SqlReader {
  let cursors = 0;
  return {
    baseSchema,
    async all<T>(sql: string, params?: SqlParams) {
      const q = toPostgres(sql, params);
      return (await client.query(q.text, q.values)).rows as T[];
    },
    async *chunks(sql: string, size: number) {
      const name = `govtables_cursor_${++cursors}`;
      const q = toPostgres(sql);
      await client.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${q.text}`, q.values);
      try {
        for (;;) {
          const r = await client.query({ text: `FETCH FORWARD ${Math.max(1, Math.trunc(size))} FROM ${name}`, rowMode: 'array' });
          if (r.rows.length === 0) break;
          yield r.rows as unknown[][];
          if (r.rows.length < size) break;
        }
      } finally {
        await client.query(`CLOSE ${name}`).catch(() => undefined);
      }
    },
    async exec(sql: string) {
      await client.query(toPostgres(sql).text);
    },
  };
}

export async function openPostgresStore(url: string, opts: OpenStoreOptions & { pool?: Partial<PoolSettings> } = {}): Promise<PostgresStore> {
  const name = displayTarget(url);
  const pool = createPool(url, opts.pool);
  try {
    if (opts.readonly) await checkReadable(pool, name);
    else await migratePostgres(pool, name);
  } catch (err) {
    await pool.end().catch(() => undefined);
    const why = err instanceof Error ? err.message : String(err);
    if (why.startsWith(`${name}: `) || err instanceof Error && err.name === 'DatabaseRefusedError') throw err;
    throw new Error(`${name}: ${why}`, { cause: err });
  }
  return new PostgresStore(pool, name);
}
