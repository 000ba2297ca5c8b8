// The queue on real servers: worker processes of the CLI on one BullMQ queue in Redis, one
// PostgreSQL store. A worker killed half-way, Redis restarted, PostgreSQL restarted: every file
// ends stored exactly once, whole, with no row that belongs to nothing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, expect, test } from 'vitest';
import { FIXTURES, ROOT, tempDir } from './helpers.js';
import { describeWithServers, freshDatabase, freshQueueName, query, serverControl, type Servers } from './servers.js';

const BIN = join(ROOT, 'bin', 'govtables.js');

/** Short locks and stall checks, a quick back-off: a dead worker's jobs come back in seconds. */
function queueEnv(name: string): string {
  return JSON.stringify({ name, lockSeconds: 2, stalledSeconds: 1, backoffMs: 200, backoffMaxMs: 2000, attempts: 40 });
}

/** `n` small text dumps, each its own form (its own doc_id), none a prefix of another. */
function makeForms(dir: string, n: number): string[] {
  const base = readFileSync(join(FIXTURES, 'variations', 'generic_a_county.txt'), 'utf8');
  expect(base).toContain('乡村文化振兴示范点建设');
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = join(dir, `form-${String(i).padStart(4, '0')}.txt`);
    writeFileSync(p, base.replace('乡村文化振兴示范点建设', `乡村文化振兴示范点建设第${i + 1}批`));
    paths.push(p);
  }
  return paths;
}

interface Worker { proc: ChildProcess; stderr: () => string }

function cliEnv(queue: string): NodeJS.ProcessEnv {
  return { ...process.env, GOVTABLES_QUEUE: queueEnv(queue), GOVTABLES_DB: '' };
}

function startWorker(s: Servers, db: string, queue: string): Worker {
  const proc = spawn(process.execPath, [BIN, 'worker', '--queue', s.redis, '--db', db, '--concurrency', '1'], { env: cliEnv(queue), stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => { err += d.toString('utf8'); });
  return { proc, stderr: () => err };
}

function enqueue(s: Servers, db: string, queue: string, paths: string[]): string {
  const r = spawnSync(process.execPath, [BIN, 'enqueue', ...paths, '--queue', s.redis, '--db', db, '--quiet'], { env: cliEnv(queue), encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stderr;
}

function queueStatus(s: Servers, queue: string): { waiting: number; active: number; delayed: number; failed: number; failedKept: number } {
  const r = spawnSync(process.execPath, [BIN, 'status', '--queue', s.redis, '--sample', '0', '--json'], { env: cliEnv(queue), encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ReturnType<typeof queueStatus>;
}

async function storedCount(db: string): Promise<number> {
  try {
    return (await query<{ n: number }>(db, 'SELECT count(*)::int AS n FROM documents'))[0]!.n;
  } catch {
    return -1; // the server restarting, or the schema not made yet
  }
}

async function until(what: string, ok: () => Promise<boolean>, seconds: number): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stopWorker(w: Worker): Promise<void> {
  if (w.proc.exitCode !== null || w.proc.signalCode !== null) return;
  const exited = new Promise((r) => w.proc.once('exit', r));
  w.proc.kill('SIGTERM');
  await exited;
}

/** Every file once, each document whole (its projects as many as it says), nothing orphaned. */
async function expectStoredOnce(db: string, paths: string[]): Promise<void> {
  const docs = await query<{ source_path: string; status: string; project_count: number; projects: number }>(db,
    `SELECT d.source_path, d.status, d.project_count::int AS project_count, (SELECT count(*)::int FROM projects p WHERE p.doc_id = d.doc_id) AS projects FROM documents d`);
  expect(docs.length).toBe(paths.length);
  expect(new Set(docs.map((d) => d.source_path))).toEqual(new Set(paths));
  for (const d of docs) {
    expect(d.status, d.source_path).toBe('ok');
    expect(d.projects, d.source_path).toBe(d.project_count);
    expect(d.projects).toBe(1);
  }
  const [orphans] = await query<Record<string, number>>(db, `SELECT
    (SELECT count(*)::int FROM projects p WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.doc_id = p.doc_id)) AS projects,
    (SELECT count(*)::int FROM indicators i WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.project_id = i.project_id)) AS indicators,
    (SELECT count(*)::int FROM funding f WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.project_id = f.project_id)) AS funding,
    (SELECT count(*)::int FROM cost_items c WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.project_id = c.project_id)) AS cost_items,
    (SELECT count(*)::int FROM findings f WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.doc_id = f.doc_id)) AS findings,
    (SELECT count(*)::int FROM budget_lines b WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.doc_id = b.doc_id)) AS budget_lines`);
  expect(orphans).toEqual({ projects: 0, indicators: 0, funding: 0, cost_items: 0, findings: 0, budget_lines: 0 });
  // Each form's eight indicators, once: no document's children were stored twice.
  const [ind] = await query<{ n: number }>(db, 'SELECT count(*)::int AS n FROM indicators');
  expect(ind!.n).toBe(8 * paths.length);
}

describeWithServers('queue: workers on one store', (servers) => {
  const tmp = tempDir('govtables-queue-');
  const workers: Worker[] = [];
  const dbs: { drop: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) await stopWorker(w);
  });
  afterAll(async () => {
    for (const d of dbs) await d.drop().catch(() => undefined);
    tmp.cleanup();
  });

  test('three workers over 500 files, one killed half-way: every file stored exactly once', async () => {
    const db = await freshDatabase(servers.pg, 'kill');
    dbs.push(db);
    const queue = freshQueueName('kill');
    const paths = makeForms(join(tmp.dir, 'kill'), 500);
    expect(enqueue(servers, db.url, queue, [join(tmp.dir, 'kill')])).toMatch(/500 files .*: 500 queued/);
    // The same files again are the same jobs: nothing more to do.
    expect(enqueue(servers, db.url, queue, [join(tmp.dir, 'kill')])).toMatch(/500 files .*: 0 queued/);
    for (let i = 0; i < 3; i++) workers.push(startWorker(servers, db.url, queue));
    await until('half of the files stored', async () => (await storedCount(db.url)) >= 250, 400);
    const victim = workers[0]!;
    const killedAt = await storedCount(db.url);
    victim.proc.kill('SIGKILL');
    await until('every file stored', async () => (await storedCount(db.url)) === 500, 400);
    await until('the queue empty', async () => { const q = queueStatus(servers, queue); return q.waiting + q.active + q.delayed === 0; }, 60);
    expect(killedAt).toBeLessThan(500);
    expect(victim.stderr()).toMatch(/stored +\S+form-\d{4}\.txt/);
    // The jobs the killed worker held were taken again by the others.
    expect(workers.slice(1).map((w) => w.stderr()).join('')).toMatch(/retaken job [0-9a-f]{64}: the worker that held it stopped renewing its lock/);
    const q = queueStatus(servers, queue);
    expect(q.failedKept).toBe(0);
    await expectStoredOnce(db.url, paths);
    // Sent again once stored: the store says so and nothing is queued.
    expect(enqueue(servers, db.url, queue, [join(tmp.dir, 'kill')])).toMatch(/0 queued .*500 already stored/);
  }, 900_000);

  test('an unreadable file fails once, with its reason, and is not tried again', async () => {
    const db = await freshDatabase(servers.pg, 'unreadable');
    dbs.push(db);
    const queue = freshQueueName('unreadable');
    const paths = makeForms(join(tmp.dir, 'unreadable'), 3);
    enqueue(servers, db.url, queue, paths);
    // Gone before a worker reads it: the worker's error, once.
    spawnSync('rm', [paths[1]!]);
    workers.push(startWorker(servers, db.url, queue));
    await until('two files stored and one failed', async () => {
      const q = queueStatus(servers, queue);
      return (await storedCount(db.url)) === 2 && q.failedKept === 1 && q.waiting + q.active + q.delayed === 0;
    }, 120);
    const r = spawnSync(process.execPath, [BIN, 'status', '--queue', servers.redis, '--sample', '0'], { env: cliEnv(queue), encoding: 'utf8' });
    expect(r.stdout).toMatch(/failed jobs \(1 of the 1 kept\):\n\s+\S+form-0001\.txt: .*(ENOENT|no such file|does not exist).* \(after 1 try\)/);
    expect(workers[0]!.stderr().split('\n').filter((l) => l.includes('form-0001.txt'))).toEqual([expect.stringMatching(/^failed +\S+form-0001\.txt/)]);
  }, 300_000);

  test('run archive --queue queues a folder, follows the workers and closes the run with their counts', async () => {
    const db = await freshDatabase(servers.pg, 'archive');
    dbs.push(db);
    const queue = freshQueueName('archive');
    const dir = join(tmp.dir, 'archive');
    const paths = makeForms(dir, 4);
    writeFileSync(join(dir, 'not-a-form.txt'), '会议纪要\n今天讨论了天气。\n');
    workers.push(startWorker(servers, db.url, queue));
    const r = spawnSync(process.execPath, [BIN, 'run', 'archive', '--from', dir, '--queue', servers.redis, '--db', db.url], { cwd: tmp.dir, env: cliEnv(queue), encoding: 'utf8', timeout: 300_000 });
    expect(r.stderr).toMatch(/queued 5 of 5 files/);
    expect(r.stderr).toMatch(/archive run 1 ok: read 5 files .*: 5 stored \(4 ok, 0 partial, 1 failed\)/);
    expect(r.status, r.stderr).toBe(1);
    const [run] = await query<Record<string, unknown>>(db.url, 'SELECT pipeline, status, docs_ok::int AS ok, docs_failed::int AS failed FROM runs WHERE run_id = 1');
    expect(run).toEqual({ pipeline: 'archive', status: 'ok', ok: 4, failed: 1 });
    const docs = await query<{ source_path: string; run_id: number }>(db.url, 'SELECT source_path, run_id::int AS run_id FROM documents ORDER BY source_path');
    expect(docs).toEqual([...paths, join(dir, 'not-a-form.txt')].sort().map((p) => ({ source_path: p, run_id: 1 })));
  }, 300_000);

  describeWithServers('restarts', (s) => {
    test('Redis restarted mid-run: no job lost', async () => {
      const db = await freshDatabase(s.pg, 'redis');
      dbs.push(db);
      const queue = freshQueueName('redis');
      const paths = makeForms(join(tmp.dir, 'redis'), 120);
      enqueue(s, db.url, queue, paths);
      for (let i = 0; i < 2; i++) workers.push(startWorker(s, db.url, queue));
      await until('some files stored', async () => (await storedCount(db.url)) >= 20, 300);
      serverControl(s, 'down', 'redis');
      const during = await storedCount(db.url);
      await new Promise((r) => setTimeout(r, 2000));
      serverControl(s, 'up', 'redis');
      await until('every file stored', async () => (await storedCount(db.url)) === 120, 400);
      await until('the queue empty', async () => { const q = queueStatus(s, queue); return q.waiting + q.active + q.delayed === 0; }, 120);
      expect(during).toBeLessThan(120);
      expect(queueStatus(s, queue).failedKept).toBe(0);
      await expectStoredOnce(db.url, paths);
    }, 900_000);

    test('PostgreSQL restarted mid-run: no document lost, the workers try again', async () => {
      const db = await freshDatabase(s.pg, 'pgrestart');
      dbs.push(db);
      const queue = freshQueueName('pgrestart');
      const paths = makeForms(join(tmp.dir, 'pgrestart'), 120);
      enqueue(s, db.url, queue, paths);
      for (let i = 0; i < 2; i++) workers.push(startWorker(s, db.url, queue));
      await until('some files stored', async () => (await storedCount(db.url)) >= 20, 300);
      serverControl(s, 'down', 'postgres');
      await new Promise((r) => setTimeout(r, 3000));
      serverControl(s, 'up', 'postgres');
      await until('every file stored', async () => (await storedCount(db.url)) === 120, 400);
      await until('the queue empty', async () => { const q = queueStatus(s, queue); return q.waiting + q.active + q.delayed === 0; }, 120);
      expect(queueStatus(s, queue).failedKept).toBe(0);
      expect(workers.map((w) => w.stderr()).join('')).toMatch(/retry \(try \d+\)/);
      await expectStoredOnce(db.url, paths);
    }, 900_000);
  }, { restarts: true });
});
