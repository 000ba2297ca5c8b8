// Opening the database: connection settings and bringing the schema up to date.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations.js';

export type Database = BetterSqlite3.Database;

/** How long a writer waits for another process's lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

const IN_MEMORY = ':memory:';

/** Page cache per connection, KiB. */
export const CACHE_KIB = 65536;

export function openDb(file: string, migrations: readonly Migration[] = MIGRATIONS): Database {
  let db: Database | undefined;
  try {
    if (file !== IN_MEMORY && file !== '') mkdirSync(dirname(file), { recursive: true });
    db = new BetterSqlite3(file);
    // busy_timeout first: the journal_mode switch itself needs a lock when another process
    // is opening the same new file.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL loses at most the last commits on power loss, never consistency.
    db.pragma('synchronous = NORMAL');
    // Index pages stay cached across a batch's transactions instead of being re-read per document.
    db.pragma(`cache_size = -${CACHE_KIB}`);
    db.pragma('foreign_keys = ON');
    migrate(db, file, migrations);
    return db;
  } catch (err) {
    db?.close();
    const why = err instanceof Error ? err.message : String(err);
    throw why.startsWith(`${file}: `) ? err : new Error(`${file}: ${why}`, { cause: err });
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
