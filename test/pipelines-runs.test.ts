// The run pipelines as a nightly job sees them: the real CLI in child processes, killed,
// interrupted, started twice at once, and fed bad input.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { docIdOf } from '../src/model/ids.js';
import { encodeGb18030 } from './gb18030.js';
import { FIXTURES, ROOT, startCli as start, tempDir, until } from './helpers.js';

const BIN = join(ROOT, 'bin/govtables.js');
const SEEDS = readdirSync(join(FIXTURES, 'text')).sort().map((f) => readFileSync(join(FIXTURES, 'text', f), 'utf8'));
const tmp = tempDir('govtables-runs-');

/** The n-th variation of a seed: its first project renamed everywhere, so each doc_id differs. */
function dumpVariant(n: number): string {
  const seed = SEEDS[n % SEEDS.length]!;
  const name = /项目名称[:：]?\t+([^\t\n]+)/.exec(seed)![1]!;
  return seed.split(name).join(`${name}${n}号`);
}

function writeDumps(dir: string, from: number, count: number): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let n = from; n < from + count; n++) {
    const f = join(dir, `dump-${String(n).padStart(5, '0')}.txt`);
    writeFileSync(f, dumpVariant(n));
    files.push(f);
  }
  return files;
}

// As root a chmod 000 file is still readable, so the unreadable-file case runs as nobody.
const AS_NOBODY = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

function cli(args: string[], opts: { nobody?: boolean } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT, timeout: 60_000, ...(opts.nobody ? AS_NOBODY : {}) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function readDb(file: string) {
  const db = new BetterSqlite3(file);
  const all = <T>(sql: string, ...p: unknown[]) => db.prepare(sql).all(...p) as T[];
  const one = (sql: string, ...p: unknown[]) => db.prepare(sql).pluck().get(...p) as number;
  return { db, all, one, close: () => db.close() };
}

function expectWhole(file: string, expectedDocIds: readonly string[]): void {
  const d = readDb(file);
  try {
    expect(d.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(d.db.pragma('foreign_key_check')).toEqual([]);
    const ids = d.all<{ doc_id: string }>('SELECT doc_id FROM documents').map((r) => r.doc_id);
    expect(ids.length).toBe(new Set(ids).size);
    expect(new Set(ids)).toEqual(new Set(expectedDocIds));
    // Every document holds exactly the projects it says it has: none half-written, none orphaned.
    expect(d.one('SELECT count(*) FROM projects')).toBe(d.one('SELECT coalesce(sum(project_count), 0) FROM documents'));
    expect(d.one('SELECT count(*) FROM documents d WHERE project_count <> (SELECT count(*) FROM projects p WHERE p.doc_id = d.doc_id)')).toBe(0);
    expect(d.one('SELECT count(*) FROM indicators WHERE project_id NOT IN (SELECT project_id FROM projects)')).toBe(0);
    expect(d.one('SELECT count(*) FROM documents WHERE run_id IS NULL')).toBe(0);
  } finally {
    d.close();
  }
}

const docIdsOf = (files: readonly string[]) => files.map((f) => docIdOf(readFileSync(f)));

beforeAll(() => {
  // The CLI runs from dist/, which the test set-up (globalSetup.ts) has just compiled.
  expect(existsSync(join(ROOT, 'dist/src/cli/runCommands.js'))).toBe(true);
  chmodSync(tmp.dir, 0o777);
});

afterAll(() => tmp.cleanup());

describe('archive', () => {
  const backlog = join(tmp.dir, 'backlog');
  let files: string[] = [];
  beforeAll(() => { files = writeDumps(backlog, 0, 320); });

  test('killed with SIGKILL part-way, then rerun: every file stored exactly once, nothing orphaned', async () => {
    const db = join(tmp.dir, 'crash.sqlite');
    const first = start(['run', 'archive', '--from', backlog, '--db', db, '--concurrency', '2']);
    // Plain progress lines (stderr is a pipe) report every 100 files.
    await until(() => /: 1\d\d\/320 files/.test(first.stderr()) || first.child.exitCode !== null, 30_000);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const stored = readDb(db);
    const partway = stored.one('SELECT count(*) FROM documents');
    stored.close();
    expect(partway).toBeGreaterThanOrEqual(100);
    expect(partway).toBeLessThan(320);

    const second = cli(['run', 'archive', '--from', backlog, '--db', db]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(new RegExp(`${partway} already stored`));
    expectWhole(db, docIdsOf(files));
    const d = readDb(db);
    const runs = d.all<{ run_id: number; status: string; docs_ok: number; docs_partial: number }>('SELECT run_id, status, docs_ok, docs_partial FROM runs ORDER BY run_id');
    expect(d.one('SELECT count(*) FROM locks')).toBe(0);
    d.close();
    // The killed run is closed by the next one with the counts that reached the database.
    expect(runs.map((r) => r.status)).toEqual(['interrupted', 'ok']);
    expect(runs[0]!.docs_ok + runs[0]!.docs_partial).toBe(partway);
    expect(runs[0]!.docs_ok + runs[0]!.docs_partial + runs[1]!.docs_ok + runs[1]!.docs_partial).toBe(320);
  }, 60_000);

  test('Ctrl-C finishes the documents in hand, closes the run as interrupted and exits 130; rerun resumes', async () => {
    const db = join(tmp.dir, 'sigint.sqlite');
    const log = join(tmp.dir, 'sigint.jsonl');
    const first = start(['run', 'archive', '--from', backlog, '--db', db, '--log-json', log]);
    await until(() => /: 1\d\d\/320 files/.test(first.stderr()) || first.child.exitCode !== null, 30_000);
    first.child.kill('SIGINT');
    const stopped = await first.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toMatch(/stopping: no new files; the documents in hand get 2 s to finish/);
    const d = readDb(db);
    const run = d.all<{ status: string; docs_ok: number }>('SELECT status, docs_ok FROM runs')[0]!;
    const count = d.one('SELECT count(*) FROM documents');
    d.close();
    expect(run.status).toBe('interrupted');
    expect(run.docs_ok).toBe(count);
    expect(count).toBeLessThan(320);
    // Every document event in the log is a whole JSON line about a stored document.
    const events = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { doc_id?: string; outcome?: string });
    expect(events.filter((e) => e.outcome === 'inserted')).toHaveLength(count);

    const second = cli(['run', 'archive', '--from', backlog, '--db', db]);
    expect(second.code, second.stderr).toBe(0);
    expectWhole(db, docIdsOf(files));
  }, 60_000);
});

describe('nightly', () => {
  test('a second run over the same inbox adds nothing; a copy under a new name is skipped', () => {
    const inbox = join(tmp.dir, 'inbox-idem');
    const out = join(tmp.dir, 'csv-idem');
    const db = join(tmp.dir, 'idem.sqlite');
    const files = writeDumps(inbox, 1000, 30);
    const args = ['run', 'nightly', '--inbox', inbox, '--db', db, '--out', out];
    const first = cli(args);
    expect(first.code, first.stderr).toBe(0);
    const summary1 = JSON.parse(readFileSync(join(out, 'run_summary.json'), 'utf8'));
    expect(summary1).toMatchObject({ files: 30, stored: 30, skipped: 0, failed: 0, status: 'ok' });
    const csv1 = readFileSync(join(out, 'projects.csv'), 'utf8');

    const second = cli(args);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'run_summary.json'), 'utf8'))).toMatchObject({ files: 30, stored: 0, skipped: 30 });
    expect(readFileSync(join(out, 'projects.csv'), 'utf8')).toBe(csv1);

    copyFileSync(files[3]!, join(inbox, 'resent under another name.txt'));
    const third = cli(args);
    expect(third.code, third.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'run_summary.json'), 'utf8'))).toMatchObject({ files: 31, stored: 0, skipped: 31 });
    expectWhole(db, docIdsOf(files));
  }, 60_000);

  test('two runs started together on one database: one runs, the other exits 4 naming the holder; --wait serialises them', async () => {
    const inbox = join(tmp.dir, 'inbox-race');
    const db = join(tmp.dir, 'race.sqlite');
    const files = writeDumps(inbox, 2000, 150);
    const run = (out: string, extra: string[] = []) => start(['run', 'nightly', '--inbox', inbox, '--db', db, '--out', join(tmp.dir, out), ...extra]);
    const [a, b] = await Promise.all([run('race-a').done, run('race-b').done]);
    const codes = [a.code, b.code].sort();
    expect(codes, `${a.stderr}\n${b.stderr}`).toEqual([0, 4]);
    const loser = a.code === 4 ? a : b;
    expect(loser.stderr).toContain(`${db} is locked by run 1 (pid `);

    files.push(...writeDumps(inbox, 3000, 40));
    const [c, d] = await Promise.all([run('race-c', ['--wait', '60']).done, run('race-d', ['--wait', '60']).done]);
    expect([c.code, d.code], `${c.stderr}\n${d.stderr}`).toEqual([0, 0]);
    expectWhole(db, docIdsOf(files));
    const r = readDb(db);
    const runs = r.all<{ run_id: number; status: string; docs_ok: number; skipped: number }>('SELECT run_id, status, docs_ok, skipped FROM runs ORDER BY run_id');
    r.close();
    expect(runs.map((x) => x.status)).toEqual(['ok', 'ok', 'ok']);
    expect(runs.map((x) => x.docs_ok)).toEqual([150, 40, 0]);
    expect(runs[2]!.skipped).toBe(190);
  }, 60_000);

  test('a document that cannot be stored is recorded as an internal failure and the run goes on', () => {
    const inbox = join(tmp.dir, 'inbox-store');
    const db = join(tmp.dir, 'store.sqlite');
    const out = join(tmp.dir, 'csv-store');
    const files = writeDumps(inbox, 6000, 3);
    expect(cli(['run', 'nightly', '--inbox', inbox, '--db', db, '--out', out]).code).toBe(0);
    const w = readDb(db);
    w.db.exec(`CREATE TRIGGER boom BEFORE INSERT ON documents WHEN NEW.source_path LIKE '%boom%'
      BEGIN SELECT RAISE(ABORT, 'simulated storage failure'); END`);
    w.close();
    writeFileSync(join(inbox, 'boom.txt'), dumpVariant(6100));
    files.push(...writeDumps(inbox, 6200, 3));
    const second = cli(['run', 'nightly', '--inbox', inbox, '--db', db, '--out', out]);
    expect(second.code, second.stderr).toBe(1);
    const r = readDb(db);
    expect(r.all('SELECT reason, error LIKE ? AS named FROM run_unreadable', '%simulated storage failure%')).toEqual([{ reason: 'internal', named: 1 }]);
    expect(r.all('SELECT status, docs_ok, unreadable FROM runs WHERE run_id = 2')).toEqual([{ status: 'ok', docs_ok: 3, unreadable: 1 }]);
    r.close();
    expectWhole(db, docIdsOf(files));
  }, 60_000);

  test('bad input among good files: good ones stored, bad ones failed with reason tokens, exit 1; a transient failure is read again next night', () => {
    const inbox = join(tmp.dir, 'inbox-bad');
    const db = join(tmp.dir, 'bad.sqlite');
    const out = join(tmp.dir, 'csv-bad');
    const good = writeDumps(inbox, 5000, 12);
    const seed = Buffer.from(dumpVariant(5100));
    writeFileSync(join(inbox, 'empty.txt'), '');
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 256;
    writeFileSync(join(inbox, 'garbage.bin'), garbage);
    // Cut inside a three-byte character.
    let cut = Math.floor(seed.length * 0.9);
    while ((seed[cut]! & 0xc0) !== 0x80) cut++;
    writeFileSync(join(inbox, 'truncated.txt'), seed.subarray(0, cut));
    writeFileSync(join(inbox, 'gb18030.txt'), encodeGb18030(dumpVariant(5101)));
    writeFileSync(join(inbox, 'unknown-layout.txt'), '会议纪要\n\n时间\t2021年3月\n地点\t三楼会议室\n议题\t年度工作安排\n');
    const locked = join(inbox, 'locked.txt');
    writeFileSync(locked, dumpVariant(5102));
    chmodSync(locked, 0o000);
    for (const d of [inbox, tmp.dir]) chmodSync(d, 0o777);

    const first = cli(['run', 'nightly', '--inbox', inbox, '--db', db, '--out', out], { nobody: true });
    expect(first.code, first.stderr).toBe(1);
    const d = readDb(db);
    const docs = d.all<{ source_path: string; status: string; failure_reason: string | null }>('SELECT source_path, status, failure_reason FROM documents');
    const byName = Object.fromEntries(docs.map((x) => [x.source_path.slice(inbox.length + 1), x]));
    for (const f of good) expect(byName[f.slice(inbox.length + 1)]?.status).toBe('ok');
    expect(byName['gb18030.txt']?.status).toBe('ok');
    expect(byName['truncated.txt']).toMatchObject({ status: 'failed', failure_reason: 'truncated' });
    expect(byName['empty.txt']).toMatchObject({ status: 'failed', failure_reason: 'empty' });
    expect(byName['garbage.bin']).toMatchObject({ status: 'failed', failure_reason: 'binary' });
    expect(byName['unknown-layout.txt']).toMatchObject({ status: 'failed', failure_reason: 'unrecognised-layout' });
    expect(byName['locked.txt']).toBeUndefined();
    expect(d.all('SELECT path, reason FROM run_unreadable')).toEqual([{ path: locked, reason: 'io' }]);
    d.close();
    expect(first.stderr).toMatch(/failed {2}\S*locked\.txt {2}\[io\] .*cannot read the file \(EACCES\)/);

    const report = cli(['report', '--db', db]);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/Failures: 5/);
    expect(report.stdout).toMatch(/\[io\] \S*locked\.txt: cannot read the file \(EACCES\)/);
    expect(report.stdout).toMatch(/\[binary\] \S*garbage\.bin/);

    // Next night the file is readable again. A stored failure marked transient is read again;
    // one that is simply unreadable (binary) is not.
    chmodSync(locked, 0o644);
    const w = readDb(db);
    w.db.prepare(`UPDATE documents SET failure_reason = 'io' WHERE source_path LIKE '%empty.txt'`).run();
    w.close();
    const second = cli(['run', 'nightly', '--inbox', inbox, '--db', db, '--out', out], { nobody: true });
    expect(second.code, second.stderr).toBe(1);
    expect(JSON.parse(readFileSync(join(out, 'run_summary.json'), 'utf8'))).toMatchObject({ stored: 1, re_read: 1, failed: 1, ok: 1, unreadable: 0 });
    const after = readDb(db);
    expect(after.one(`SELECT count(*) FROM documents WHERE source_path = ? AND status = 'ok' AND run_id = 2`, locked)).toBe(1);
    expect(after.all(`SELECT failure_reason, run_id FROM documents WHERE source_path LIKE '%empty.txt'`)).toEqual([{ failure_reason: 'empty', run_id: 2 }]);
    expect(after.one(`SELECT run_id FROM documents WHERE source_path LIKE '%garbage.bin'`)).toBe(1);
    expect(after.db.pragma('foreign_key_check')).toEqual([]);
    after.close();
  }, 60_000);
});
