// The run lock and the ledger's document tags, in one process with hand-made holders.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ExtractResult } from '../src/model/schema.js';
import { extractBytes } from '../src/pipeline/extract.js';
import { finishRun, getRun, openRun } from '../src/runs/ledger.js';
import { LockHeldError, procStart } from '../src/runs/lock.js';
import { failureReasonOf } from '../src/runs/reasons.js';
import { closeDb, openDb, type Database } from '../src/store/db.js';
import { loadResult } from '../src/store/loader.js';
import { FIXED_NOW, tempDir } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
let file: string;
let db: Database;

beforeEach(() => {
  tmp = tempDir('govtables-lock-');
  file = join(tmp.dir, 'runs.sqlite');
  db = openDb(file);
});
afterEach(() => {
  closeDb(db);
  tmp.cleanup();
});

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

function plantHolder(pid: number, host: string, procStartTicks: string | null): number {
  const runId = Number(db.prepare(`INSERT INTO runs (pipeline, started_at, status, args_json, pid, host) VALUES ('nightly', '2026-01-01T00:00:00.000Z', 'running', '{}', ?, ?)`).run(pid, host).lastInsertRowid);
  db.prepare(`INSERT INTO locks (name, run_id, pid, host, proc_start, started_at) VALUES ('ingest-run', ?, ?, ?, ?, '2026-01-01T00:00:00.000Z')`).run(runId, pid, host, procStartTicks);
  return runId;
}

async function failedResult(bytes: string): Promise<ExtractResult> {
  return extractBytes(Buffer.from(bytes), 'bad.txt', { now: FIXED_NOW });
}

describe('run lock', () => {
  test('a live holder keeps the lock; the error names the database and the holder', async () => {
    const run = await openRun(db, file, { pipeline: 'nightly', args: {} });
    const other = openDb(file);
    try {
      const err = await openRun(other, file, { pipeline: 'nightly', args: {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LockHeldError);
      expect((err as Error).message).toContain(`${file} is locked by run ${run.runId} (pid ${process.pid} on ${hostname()}`);
    } finally {
      closeDb(other);
    }
    finishRun(db, run, 'ok');
    expect(db.prepare('SELECT count(*) FROM locks').pluck().get()).toBe(0);
  });

  test('--wait takes the lock once the holder lets go', async () => {
    const run = await openRun(db, file, { pipeline: 'nightly', args: {} });
    const other = openDb(file);
    try {
      setTimeout(() => finishRun(db, run, 'ok'), 300);
      const t0 = Date.now();
      const second = await openRun(other, file, { pipeline: 'nightly', args: {}, waitSeconds: 10 });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
      expect(second.runId).toBe(run.runId + 1);
    } finally {
      closeDb(other);
    }
  });

  test('a dead holder is stale: its run is closed as interrupted and the lock taken', async () => {
    const old = plantHolder(deadPid(), hostname(), null);
    const run = await openRun(db, file, { pipeline: 'archive', args: {} });
    expect(getRun(db, old)).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/ended without closing the run/) });
    expect(run.runId).toBe(old + 1);
  });

  test('a reused pid (same pid, another start time) is stale; a holder on another host is not', async () => {
    plantHolder(process.pid, hostname(), `${procStart(process.pid) ?? '1'}0`);
    if (procStart(process.pid) !== null) {
      await expect(openRun(db, file, { pipeline: 'nightly', args: {} })).resolves.toMatchObject({ pipeline: 'nightly' });
    }
    db.prepare('DELETE FROM locks').run();
    plantHolder(1, 'elsewhere.example', null);
    await expect(openRun(db, file, { pipeline: 'nightly', args: {} })).rejects.toThrow(/on elsewhere\.example/);
  });
});

describe('run tags', () => {
  test('documents stored on the run connection carry the run id and the failure reason, in the same transaction', async () => {
    const run = await openRun(db, file, { pipeline: 'nightly', args: {} });
    loadResult(db, await failedResult(''));
    loadResult(db, await failedResult('会议纪要\n时间\t三月\n'));
    const rows = db.prepare('SELECT run_id, status, failure_reason FROM documents ORDER BY failure_reason').all();
    expect(rows).toEqual([
      { run_id: run.runId, status: 'failed', failure_reason: 'empty' },
      { run_id: run.runId, status: 'failed', failure_reason: 'unrecognised-layout' },
    ]);
    // Another connection (a plain `ingest` beside the run) is not tagged.
    const other = openDb(file);
    try {
      loadResult(other, await failedResult('\u0000\u0001binary'));
    } finally {
      closeDb(other);
    }
    expect(db.prepare(`SELECT run_id FROM documents WHERE error LIKE '%binary%'`).pluck().get()).toBeNull();
    const closed = finishRun(db, run, 'ok');
    expect(closed).toMatchObject({ status: 'ok', docs_failed: 2, docs_ok: 0 });
  });

  test('failure reason tokens from the error messages of each throw site', () => {
    expect(failureReasonOf('/x/a.txt: cannot read the file (EACCES)')).toBe('io');
    expect(failureReasonOf('/x/a.txt: the file is empty (0 bytes)')).toBe('empty');
    expect(failureReasonOf('/x/a.txt: binary data, not a text dump (NUL or control bytes)')).toBe('binary');
    expect(failureReasonOf('/x/a.txt: not valid UTF-8 or GB18030 text: unknown or mixed encoding')).toBe('encoding');
    expect(failureReasonOf('/x/a.txt: the file ends in the middle of a character at line 3: it was cut short')).toBe('truncated');
    expect(failureReasonOf('/x/a.pdf (page 2): OCR failed: worker died')).toBe('io');
    expect(failureReasonOf('/x/a.pdf: has no text layer on any page, and OCR is off (--ocr never)')).toBe('no-text');
    expect(failureReasonOf('something new')).toBe('unknown');
  });
});
