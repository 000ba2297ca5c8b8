// Opening the database: connection settings and bringing the schema up to date. A file that is
// some other application's SQLite database (tables, but no schema_migrations) is refused before
// anything is written to it; commands that only read open the file read-only and change nothing.
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations.js';

export type Database = BetterSqlite3.Database;

/** How long a writer waits for another process's lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

const IN_MEMORY = ':memory:';

/** Page cache per connection, KiB. */
export const CACHE_KIB = 65536;

/** A database govtables cannot use as given: another application's, or missing when it must exist. */
export class DatabaseRefusedError extends Error {
  override name = 'DatabaseRefusedError';
}

export interface OpenOptions {
  /** Read only: no migration, no pragma that writes; the file must exist and be govtables'. */
  readonly?: boolean;
  migrations?: readonly Migration[];
}

/** Tables of a database that has no schema_migrations: another application's, left untouched. */
function foreignTables(db: Database): string[] | null {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
  if (tables.length === 0 || tables.includes('schema_migrations')) return null;
  return tables;
}

export function openDb(file: string, opts: OpenOptions | readonly Migration[] = {}): Database {
  const o: OpenOptions = Array.isArray(opts) ? { migrations: opts as readonly Migration[] } : (opts as OpenOptions);
  const migrations = o.migrations ?? MIGRATIONS;
  let db: Database | undefined;
  try {
    if (o.readonly) {
      if (file === IN_MEMORY || file === '' || !existsSync(file)) throw new DatabaseRefusedError(`${file}: no such database`);
      db = openReadonly(file);
      const foreign = foreignTables(db);
      const ours = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get() !== undefined;
      if (foreign || !ours) throw new DatabaseRefusedError(`${file}: not a govtables database (${foreign ? `it has tables ${foreign.join(', ')} and` : 'it has'} no schema_migrations)`);
      const have = db.prepare('SELECT coalesce(max(version), 0) FROM schema_migrations').pluck().get() as number;
      const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
      if (have > latest) throw new Error(`database schema version ${have} is newer than this govtables knows (${latest}); upgrade govtables`);
      db.pragma(`cache_size = -${CACHE_KIB}`);
      return db;
    }
    if (file !== IN_MEMORY && file !== '') mkdirSync(dirname(file), { recursive: true });
    db = new BetterSqlite3(file);
    // busy_timeout first: the journal_mode switch itself needs a lock when another process
    // is opening the same new file.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Before anything writes: another application's database is refused as it is.
    const foreign = foreignTables(db);
    if (foreign) throw new DatabaseRefusedError(`${file}: not a govtables database (it has tables ${foreign.join(', ')} and no schema_migrations); refusing to change it`);
    db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL loses at most the last commits on power loss, never consistency.
    db.pragma('synchronous = NORMAL');
    // Index pages stay cached across a batch's transactions instead of being re-read per document.
    db.pragma(`cache_size = -${CACHE_KIB}`);
    // Savepoints' sub-journals (a batch stored again document by document) and sorts stay in
    // memory instead of temporary files.
    db.pragma('temp_store = MEMORY');
    db.pragma('foreign_keys = ON');
    migrate(db, file, migrations);
    return db;
  } catch (err) {
    db?.close();
    const why = err instanceof Error ? err.message : String(err);
    if (why.startsWith(`${file}: `)) throw err;
    throw err instanceof DatabaseRefusedError ? err : new Error(`${file}: ${why}`, { cause: err });
  }
}

/**
 * A read-only connection. A WAL database needs its -shm file, which SQLite creates even to read;
 * in a folder this process cannot write, the file is opened as immutable instead (nothing can
 * be writing it there), through a URI (bin/govtables.js turns URI names on).
 */
function openReadonly(file: string): Database {
  let db: Database | undefined;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (err) {
    db?.close();
    if (!/readonly database|unable to open/.test((err as Error).message) || canWrite(dirname(file))) throw err;
    const immutable = new BetterSqlite3(`${pathToFileURL(resolve(file)).href}?immutable=1`, { readonly: true, fileMustExist: true });
    immutable.prepare('SELECT count(*) FROM sqlite_master').get();
    return immutable;
  }
}

function canWrite(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export function closeDb(db: Database): void {
  if (db.open) db.close();
}

/** Applies the migrations the database has not seen; returns the versions applied. */
export function migrate(db: Database, file: string, migrations: readonly Migration[] = MIGRATIONS): number[] {
  checkOrdered(migrations);
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const current = db.prepare('SELECT coalesce(max(version), 0) FROM schema_migrations').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const m of migrations) {
    // IMMEDIATE takes the write lock before re-reading the version, so two processes opening
    // the same file cannot both apply one migration.
    db.transaction(() => {
      if ((current.get() as number) >= m.version) return;
      db.exec(m.up);
      record.run(m.version, m.name, new Date().toISOString());
      applied.push(m.version);
    }).immediate();
  }
  const have = current.get() as number;
  if (have > latest) {
    throw new Error(
      `${file}: database schema version ${have} is newer than this govtables knows (${latest}); upgrade govtables`,
    );
  }
  return applied;
}

function checkOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migrations: entry ${i} has version ${m.version}, expected ${i + 1} (versions run 1, 2, 3 …)`);
    }
  });
}
