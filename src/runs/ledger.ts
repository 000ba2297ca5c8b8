// The run ledger: a `runs` row per pipeline run, each stored document tagged with the run that
// stored it, and the files a run could not read. A run's counts are recomputed from those
// tags when it closes, so a run closed after a crash reports what really reached the database.
import type { Database } from '../store/db.js';
import { me, releaseLock, tryLock, withWait, writeLock, type LockHolder } from './lock.js';
import { failureReasonOf } from './reasons.js';

export type RunStatus = 'running' | 'ok' | 'failed' | 'interrupted';

export interface RunRow {
  run_id: number;
  pipeline: string;
  started_at: string;
  ended_at: string | null;
  status: RunStatus;
  files: number;
  skipped: number;
  docs_ok: number;
  docs_partial: number;
  docs_failed: number;
  unreadable: number;
  findings_json: string;
  args_json: string;
  stats_json: string | null;
  error: string | null;
  pid: number;
  host: string;
}

export interface Run {
  runId: number;
  pipeline: string;
  startedAt: string;
}

export interface OpenRunOptions {
  pipeline: string;
  args: Record<string, unknown>;
  /** Seconds to wait for another run's lock; 0 fails at once with LockHeldError. */
  waitSeconds?: number;
  /** Called once, when the lock is held by another run and this one starts to wait for it. */
  onWait?: (holder: LockHolder) => void;
  now?: () => Date;
}

/** Takes the database's run lock and opens a `running` row; closes runs whose process died. */
export async function openRun(db: Database, dbFile: string, opts: OpenRunOptions): Promise<Run> {
  const now = opts.now ?? (() => new Date());
  const m = me();
  const insert = db.prepare(
    `INSERT INTO runs (pipeline, started_at, status, args_json, pid, host) VALUES (?, ?, 'running', ?, ?, ?)`,
  );
  const attempt = () => tryLock(db, dbFile, () => {
    const startedAt = now().toISOString();
    const runId = Number(insert.run(opts.pipeline, startedAt, JSON.stringify(opts.args), m.pid, m.host).lastInsertRowid);
    writeLock(db, runId, startedAt);
    return { runId, pipeline: opts.pipeline, startedAt };
  }, (stale: LockHolder) => {
    if (stale.run_id !== null) closeRun(db, stale.run_id, 'interrupted', { error: `process ${stale.pid} on ${stale.host} ended without closing the run` }, now);
  });
  const run = await withWait(attempt, opts.waitSeconds ?? 0, opts.onWait);
  try {
    attachRunTag(db, run.runId);
  } catch (err) {
    finishRun(db, run, 'failed', { error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
  return run;
}

/**
 * Tags every document this connection inserts with the run id and, when it failed, its reason
 * token. A TEMP trigger lives only on this connection, so an `ingest` running beside the run
 * in another process is not tagged, and it fires inside the loader's own transaction, so a
 * document and its tag are committed together.
 */
function attachRunTag(db: Database, runId: number): void {
  db.function('govtables_failure_reason', { deterministic: true }, (error: unknown) =>
    failureReasonOf(typeof error === 'string' ? error : null));
  db.exec(`DROP TRIGGER IF EXISTS temp.documents_run_tag;
CREATE TEMP TRIGGER documents_run_tag AFTER INSERT ON main.documents
BEGIN
  UPDATE documents
     SET run_id = ${Math.trunc(runId)},
         failure_reason = CASE WHEN NEW.status = 'failed' THEN govtables_failure_reason(NEW.error) END
   WHERE doc_id = NEW.doc_id;
END;`);
}

/** Gives failed documents stored outside a run (plain `ingest`) their reason token. */
export function backfillFailureReasons(db: Database): number {
  const rows = db.prepare(`SELECT doc_id, error FROM documents WHERE status = 'failed' AND failure_reason IS NULL`).all() as { doc_id: string; error: string | null }[];
  const set = db.prepare('UPDATE documents SET failure_reason = ? WHERE doc_id = ?');
  db.transaction(() => { for (const r of rows) set.run(failureReasonOf(r.error), r.doc_id); })();
  return rows.length;
}

export function failureReasonLookup(db: Database): (docId: string) => string | null {
  const q = db.prepare('SELECT failure_reason FROM documents WHERE doc_id = ?').pluck();
  return (docId) => (q.get(docId) as string | null | undefined) ?? null;
}

export function recordUnreadable(db: Database, runId: number, path: string, reason: string, error: string): void {
  db.prepare('INSERT OR REPLACE INTO run_unreadable (run_id, path, reason, error) VALUES (?, ?, ?, ?)').run(runId, path, reason, error);
}

export interface RunCounts {
  docs_ok: number;
  docs_partial: number;
  docs_failed: number;
  unreadable: number;
  findings: Record<string, number>;
}

/** What a run stored, from the database (not from memory, which a crash loses). */
export function runCounts(db: Database, runId: number): RunCounts {
  const byStatus = db.prepare('SELECT status, count(*) AS n FROM documents WHERE run_id = ? GROUP BY status').all(runId) as { status: string; n: number }[];
  const n = (s: string) => byStatus.find((r) => r.status === s)?.n ?? 0;
  const findings = db.prepare(
    `SELECT f.code, count(*) AS n FROM documents d JOIN findings f ON f.doc_id = d.doc_id
      WHERE d.run_id = ? GROUP BY f.code ORDER BY n DESC, f.code`,
  ).all(runId) as { code: string; n: number }[];
  const unreadable = db.prepare('SELECT count(*) FROM run_unreadable WHERE run_id = ?').pluck().get(runId) as number;
  return {
    docs_ok: n('ok'), docs_partial: n('partial'), docs_failed: n('failed'), unreadable,
    findings: Object.fromEntries(findings.map((f) => [f.code, f.n])),
  };
}

export interface CloseDetails {
  files?: number;
  skipped?: number;
  stats?: Record<string, unknown>;
  error?: string | null;
}

function closeRun(db: Database, runId: number, status: Exclude<RunStatus, 'running'>, details: CloseDetails, now: () => Date = () => new Date()): RunRow {
  const c = runCounts(db, runId);
  db.prepare(
    `UPDATE runs SET ended_at = ?, status = ?, docs_ok = ?, docs_partial = ?, docs_failed = ?, unreadable = ?, findings_json = ?,
       files = coalesce(?, files), skipped = coalesce(?, skipped), stats_json = coalesce(?, stats_json), error = coalesce(?, error)
     WHERE run_id = ?`,
  ).run(
    now().toISOString(), status, c.docs_ok, c.docs_partial, c.docs_failed, c.unreadable, JSON.stringify(c.findings),
    details.files ?? null, details.skipped ?? null, details.stats ? JSON.stringify(details.stats) : null, details.error ?? null, runId,
  );
  return getRun(db, runId)!;
}

/** Closes the run and releases the lock in one transaction. */
export function finishRun(db: Database, run: Run, status: Exclude<RunStatus, 'running'>, details: CloseDetails = {}): RunRow {
  return db.transaction(() => {
    const row = closeRun(db, run.runId, status, details);
    releaseLock(db, run.runId);
    return row;
  }).immediate();
}

export function getRun(db: Database, runId: number): RunRow | null {
  return (db.prepare('SELECT * FROM runs WHERE run_id = ?').get(runId) as RunRow | undefined) ?? null;
}

export function latestRun(db: Database): RunRow | null {
  return (db.prepare('SELECT * FROM runs ORDER BY run_id DESC LIMIT 1').get() as RunRow | undefined) ?? null;
}
