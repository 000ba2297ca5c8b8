// Reading a store with SQL that both SQLite and PostgreSQL run: the report, the exports and the
// analyst subset are written once against this reader. Parameters are `?` (positional) or
// `@name` (an object), as better-sqlite3 takes them; the PostgreSQL reader numbers them.
import type { Database } from './db.js';

export type SqlParams = Readonly<Record<string, unknown>> | readonly unknown[];

export interface SqlReader {
  /** Rows as objects keyed by column name. */
  all<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]>;
  /** Rows as arrays in column order, `size` at a time: a table of any size in bounded memory. */
  chunks(sql: string, size: number): AsyncIterable<unknown[][]>;
  /** Statements without results (the analyst subset's TEMP views). */
  exec(sql: string): Promise<void>;
  /** The schema the store's tables live in, as SQL (`main`, `"public"`): TEMP views name it to reach the tables they shadow. */
  readonly baseSchema: string;
}

function bind(params: SqlParams | undefined): unknown[] {
  if (params === undefined) return [];
  return Array.isArray(params) ? [...(params as unknown[])] : [params];
}

/** A reader over a better-sqlite3 connection (synchronous underneath). */
export function sqliteReader(db: Database): SqlReader {
  return {
    baseSchema: 'main',
    all: async <T>(sql: string, params?: SqlParams) => db.prepare(sql).all(...bind(params)) as T[],
    async *chunks(sql: string, size: number) {
      let chunk: unknown[][] = [];
      for (const row of db.prepare(sql).raw(true).iterate() as Iterable<unknown[]>) {
        chunk.push(row);
        if (chunk.length >= size) {
          yield chunk;
          chunk = [];
        }
      }
      if (chunk.length) yield chunk;
    },
    exec: async (sql: string) => {
      db.exec(sql);
    },
  };
}

/**
 * Runs `fn` on one read snapshot of a SQLite connection: a deferred transaction, so every query
 * of `fn` sees the database as it was at the first one, even while another process ingests.
 * The connection must not be used by anything else until `fn` settles.
 */
export async function withSqliteSnapshot<T>(db: Database, fn: (r: SqlReader) => Promise<T>): Promise<T> {
  db.exec('BEGIN');
  try {
    return await fn(sqliteReader(db));
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}
