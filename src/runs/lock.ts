// One writer run per database. The lock is a row in the database itself, taken inside
// BEGIN IMMEDIATE, so it needs no lock file beside the database and cannot disagree with it.
// A holder that died (SIGKILL, power loss) leaves its row behind; the row names its pid, host
// and process start time, so the next run can tell a dead holder from a live one.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Database } from '../store/db.js';

export const RUN_LOCK = 'ingest-run';

/** How often `--wait` looks at the lock again. */
export const LOCK_POLL_MS = 250;

export interface LockHolder {
  run_id: number | null;
  pid: number;
  host: string;
  proc_start: string | null;
  started_at: string;
}

export class LockHeldError extends Error {
  constructor(readonly dbFile: string, readonly holder: LockHolder) {
    super(
      `${dbFile} is locked by run ${holder.run_id ?? '?'} (pid ${holder.pid} on ${holder.host}, started ${holder.started_at}); ` +
      `wait for it, pass --wait SECONDS, or if that process is gone from another host, delete its row from the locks table`,
    );
    this.name = 'LockHeldError';
  }
}

export interface Me {
  pid: number;
  host: string;
  proc_start: string | null;
}

export function me(): Me {
  return { pid: process.pid, host: hostname(), proc_start: procStart(process.pid) };
}

/**
 * Linux start time of a process (clock ticks since boot), which tells a reused pid from the
 * original holder; null where /proc is missing.
 */
export function procStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; fields after it do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A holder on another host cannot be checked, so it is never stale. */
export function isStale(holder: LockHolder, here: Me = me()): boolean {
  if (holder.host !== here.host) return false;
  if (!pidAlive(holder.pid)) return true;
  const start = procStart(holder.pid);
  return holder.proc_start !== null && start !== null && start !== holder.proc_start;
}

export function lockHolder(db: Database, name = RUN_LOCK): LockHolder | null {
  return (db.prepare('SELECT run_id, pid, host, proc_start, started_at FROM locks WHERE name = ?').get(name) as LockHolder | undefined) ?? null;
}

/**
 * Runs `take` under the lock check, all in one IMMEDIATE transaction: throws LockHeldError when
 * a live holder has the lock, otherwise calls `onStale` for a dead holder's row and `take` to
 * write the new holder.
 */
export function tryLock<T>(
  db: Database, dbFile: string, take: () => T, onStale: (holder: LockHolder) => void, name = RUN_LOCK,
): T {
  return db.transaction(() => {
    const holder = lockHolder(db, name);
    if (holder) {
      if (!isStale(holder)) throw new LockHeldError(dbFile, holder);
      onStale(holder);
      db.prepare('DELETE FROM locks WHERE name = ?').run(name);
    }
    return take();
  }).immediate();
}

export function writeLock(db: Database, runId: number, startedAt: string, name = RUN_LOCK): void {
  const m = me();
  db.prepare('INSERT INTO locks (name, run_id, pid, host, proc_start, started_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(name, runId, m.pid, m.host, m.proc_start, startedAt);
}

export function releaseLock(db: Database, runId: number, name = RUN_LOCK): void {
  db.prepare('DELETE FROM locks WHERE name = ? AND run_id = ?').run(name, runId);
}

/** Retries `attempt` while the lock is held, until `waitSeconds` have passed; `onWait` hears of the first wait. */
export async function withWait<T>(attempt: () => T, waitSeconds: number, onWait?: (holder: LockHolder) => void): Promise<T> {
  const deadline = Date.now() + waitSeconds * 1000;
  let told = false;
  for (;;) {
    try {
      return attempt();
    } catch (err) {
      if (!(err instanceof LockHeldError) || Date.now() >= deadline) throw err;
      if (!told) onWait?.(err.holder);
      told = true;
    }
    await new Promise((r) => setTimeout(r, Math.min(LOCK_POLL_MS, Math.max(0, deadline - Date.now()))));
  }
}
