// The run ledger on PostgreSQL (runs/ledger.ts is SQLite's): the same tables and counts. The
// lock that keeps two runs off one store is a session advisory lock, held on a connection of
// its own for the run's length: the server releases it when that session ends, so a run whose
// process died (SIGKILL, machine lost) never leaves a lock behind. The `locks` row is written
// beside it only so that a refused run can say who holds the store.
import { LOCK_POLL_MS, LockHeldError, me, RUN_LOCK, type LockHolder } from '../../runs/lock.js';
import type { CloseDetails, OpenRunOptions, Run, RunCounts, RunRow, RunStatus } from '../../runs/ledger.js';
import { failureReasonOf } from '../../runs/reasons.js';
import { holdClient, type Pool, type PoolClient } from './connect.js';
import { GOVTABLES_LOCK_SPACE, RUN_LOCK_KEY } from './schema.js';

type Q = Pick<PoolClient, 'query'>;

export async function runCounts(q: Q, runId: number): Promise<RunCounts> {
  const byStatus = (await q.query<{ status: string; n: number }>('SELECT status, count(*) AS n FROM documents WHERE run_id = $1 GROUP BY status', [runId])).rows;
  const n = (s: string) => byStatus.find((r) => r.status === s)?.n ?? 0;
  const findings = (await q.query<{ code: string; n: number }>(
    `SELECT f.code, count(*) AS n FROM documents d JOIN findings f ON f.doc_id = d.doc_id
      WHERE d.run_id = $1 GROUP BY f.code ORDER BY n DESC, f.code`, [runId])).rows;
  const unreadable = (await q.query<{ n: number }>('SELECT count(*) AS n FROM run_unreadable WHERE run_id = $1', [runId])).rows[0]!.n;
  return { docs_ok: n('ok'), docs_partial: n('partial'), docs_failed: n('failed'), unreadable, findings: Object.fromEntries(findings.map((f) => [f.code, f.n])) };
}

export async function getRun(q: Q, runId: number): Promise<RunRow | null> {
  return (await q.query<RunRow>('SELECT * FROM runs WHERE run_id = $1', [runId])).rows[0] ?? null;
}

async function closeRun(q: Q, runId: number, status: Exclude<RunStatus, 'running'>, details: CloseDetails, now: () => Date = () => new Date()): Promise<RunRow> {
  const c = await runCounts(q, runId);
  await q.query(
    `UPDATE runs SET ended_at = $1, status = $2, docs_ok = $3, docs_partial = $4, docs_failed = $5, unreadable = $6, findings_json = $7,
       files = coalesce($8, files), skipped = coalesce($9, skipped), stats_json = coalesce($10, stats_json), error = coalesce($11, error)
     WHERE run_id = $12`,
    [now().toISOString(), status, c.docs_ok, c.docs_partial, c.docs_failed, c.unreadable, JSON.stringify(c.findings),
      details.files ?? null, details.skipped ?? null, details.stats ? JSON.stringify(details.stats) : null, details.error ?? null, runId],
  );
  return (await getRun(q, runId))!;
}

async function tx<T>(c: PoolClient, fn: () => Promise<T>): Promise<T> {
  await c.query('BEGIN');
  try {
    const out = await fn();
    await c.query('COMMIT');
    return out;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** An open run and the connection that holds its lock. */
export interface HeldRun {
  run: Run;
  client: PoolClient;
}

/** Takes the advisory lock (waiting up to `waitSeconds`), closes runs whose holder is gone, opens a `running` row. */
export async function openRunPg(pool: Pool, name: string, opts: OpenRunOptions): Promise<HeldRun> {
  const now = opts.now ?? (() => new Date());
  const deadline = Date.now() + (opts.waitSeconds ?? 0) * 1000;
  const client = await holdClient(pool);
  let told = false;
  try {
    for (;;) {
      const got = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [GOVTABLES_LOCK_SPACE, RUN_LOCK_KEY])).rows[0]!.ok;
      if (got) break;
      if (Date.now() >= deadline || (!told && opts.onWait)) {
        const holder = (await client.query<LockHolder>('SELECT run_id, pid, host, proc_start, started_at FROM locks WHERE name = $1', [RUN_LOCK])).rows[0]
          ?? { run_id: null, pid: 0, host: 'another session', proc_start: null, started_at: '?' };
        if (Date.now() >= deadline) throw new LockHeldError(name, holder);
        opts.onWait?.(holder);
        told = true;
      }
      await new Promise((r) => setTimeout(r, Math.min(LOCK_POLL_MS, Math.max(0, deadline - Date.now()))));
    }
    const m = me();
    const run = await tx(client, async () => {
      // The lock is ours, so a lock row left here belongs to a run whose session ended.
      const stale = (await client.query<{ run_id: number | null; pid: number; host: string }>('SELECT run_id, pid, host FROM locks WHERE name = $1', [RUN_LOCK])).rows[0];
      if (stale?.run_id != null) {
        await closeRun(client, stale.run_id, 'interrupted', { error: `process ${stale.pid} on ${stale.host} ended without closing the run` }, now);
      }
      await client.query('DELETE FROM locks WHERE name = $1', [RUN_LOCK]);
      const startedAt = now().toISOString();
      const runId = (await client.query<{ run_id: number }>(
        `INSERT INTO runs (pipeline, started_at, status, args_json, pid, host) VALUES ($1, $2, 'running', $3, $4, $5) RETURNING run_id`,
        [opts.pipeline, startedAt, JSON.stringify(opts.args), m.pid, m.host],
      )).rows[0]!.run_id;
      await client.query('INSERT INTO locks (name, run_id, pid, host, proc_start, started_at) VALUES ($1, $2, $3, $4, $5, $6)', [RUN_LOCK, runId, m.pid, m.host, m.proc_start, startedAt]);
      return { runId, pipeline: opts.pipeline, startedAt };
    });
    return { run, client };
  } catch (err) {
    await client.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    client.release();
    throw err;
  }
}

/** Closes the run (counts read back from the store), removes its lock row and lets the lock go. */
export async function finishRunPg(pool: Pool, held: HeldRun | undefined, run: Run, status: Exclude<RunStatus, 'running'>, details: CloseDetails): Promise<RunRow> {
  // The lock's connection may have been cut (a server restart): the run is then closed on another.
  const c = await pool.connect();
  try {
    return await tx(c, async () => {
      const row = await closeRun(c, run.runId, status, details);
      await c.query('DELETE FROM locks WHERE name = $1 AND run_id = $2', [RUN_LOCK, run.runId]);
      return row;
    });
  } finally {
    c.release();
    if (held) {
      await held.client.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
      held.client.release();
    }
  }
}

export async function recordUnreadablePg(pool: Pool, runId: number, path: string, reason: string, error: string): Promise<void> {
  await pool.query(
    `INSERT INTO run_unreadable (run_id, path, reason, error) VALUES ($1, $2, $3, $4)
     ON CONFLICT (run_id, path) DO UPDATE SET reason = EXCLUDED.reason, error = EXCLUDED.error`,
    [runId, path, reason, error],
  );
}

export async function backfillFailureReasonsPg(pool: Pool): Promise<number> {
  const rows = (await pool.query<{ doc_id: string; error: string | null }>(`SELECT doc_id, error FROM documents WHERE status = 'failed' AND failure_reason IS NULL`)).rows;
  if (rows.length === 0) return 0;
  await pool.query(
    `UPDATE documents d SET failure_reason = v.reason FROM unnest($1::text[], $2::text[]) AS v(doc_id, reason) WHERE d.doc_id = v.doc_id`,
    [rows.map((r) => r.doc_id), rows.map((r) => failureReasonOf(r.error))],
  );
  return rows.length;
}

