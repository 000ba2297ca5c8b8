#!/usr/bin/env node
// Benchmark of the queue (`npm run bench -- scaleout`): documents per second with 1, 2 and 3
// `govtables worker` processes on one BullMQ queue and one PostgreSQL store, against the
// single-process `govtables ingest` of the same files in the same run, for text dumps and for
// scans; and where the time goes: parsing (one core, in process), the queue (BullMQ jobs with
// nothing to do), the store (documents already parsed, loaded into PostgreSQL). Uses the
// servers named by GOVTABLES_TEST_REDIS and GOVTABLES_TEST_PG, or starts its own with
// scripts/ci/servers.sh (Debian's redis-server and postgresql must be installed).
// Usage: node scripts/bench/scaleout.mjs [--text N] [--scans N]   (needs `npm run build`)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { extractBytes } from '../../dist/src/pipeline/extract.js';
import { openStore } from '../../dist/src/store/store.js';
import { fmt } from './stats.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'govtables.js');
const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : dflt; };
const TEXT_DOCS = arg('--text', 600);
const SCAN_DOCS = arg('--scans', 6);
const WORKERS = [1, 2, 3];

// --- servers -------------------------------------------------------------------------------
let servers = { pg: process.env.GOVTABLES_TEST_PG, redis: process.env.GOVTABLES_TEST_REDIS };
let ownServers = null;
if (!servers.pg || !servers.redis) {
  const out = execFileSync('bash', [join(ROOT, 'scripts/ci/servers.sh'), 'start'], { encoding: 'utf8' });
  const env = Object.fromEntries([...out.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  servers = { pg: env.GOVTABLES_TEST_PG, redis: env.GOVTABLES_TEST_REDIS };
  ownServers = env.GOVTABLES_SERVERS;
}
const stopServers = () => {
  if (ownServers) spawnSync('bash', [join(ROOT, 'scripts/ci/servers.sh'), 'stop'], { env: { ...process.env, GOVTABLES_SERVERS: ownServers } });
};

async function sql(url, text) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { return (await c.query(text)).rows; } finally { await c.end(); }
}
const made = [];
async function freshDb(label) {
  const name = `bench_${label}_${randomBytes(3).toString('hex')}`;
  await sql(servers.pg, `CREATE DATABASE ${name}`);
  made.push(name);
  const u = new URL(servers.pg);
  u.pathname = `/${name}`;
  return u.toString();
}
const stored = async (url) => { try { return (await sql(url, 'SELECT count(*)::int AS n FROM documents'))[0].n; } catch { return 0; } };

// --- inputs --------------------------------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'govtables-scaleout-'));

/** Text dumps: the seeds with their first project renamed per copy, so each doc_id differs. */
function makeText(n) {
  const dir = join(work, 'text');
  mkdirSync(dir);
  const seedDir = join(ROOT, 'fixtures/text');
  const seeds = readdirSync(seedDir).sort().map((f) => readFileSync(join(seedDir, f), 'utf8'));
  for (let i = 0; i < n; i++) {
    const seed = seeds[i % seeds.length];
    const name = /项目名称[:：]?\t+([^\t\n]+)/.exec(seed)[1];
    writeFileSync(join(dir, `dump-${String(i).padStart(5, '0')}.txt`), seed.split(name).join(`${name}${i}号`));
  }
  return dir;
}

/** Scans: the fixture PNG with a text chunk of its own before IEND (the same image, a new doc_id, no copy a prefix of another). */
function makeScans(n) {
  const dir = join(work, 'scans');
  mkdirSync(dir);
  const png = readFileSync(join(ROOT, 'fixtures/scan/form-200.png'));
  const iend = png.length - 12;
  const crcTable = Array.from({ length: 256 }, (_, k) => { let c = k; for (let j = 0; j < 8; j++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (b) => { let c = 0xffffffff; for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  for (let i = 0; i < n; i++) {
    const body = Buffer.concat([Buffer.from('tEXt'), Buffer.from(`Comment\0copy ${i}`)]);
    const chunk = Buffer.alloc(12 + body.length - 4);
    chunk.writeUInt32BE(body.length - 4, 0);
    body.copy(chunk, 4);
    chunk.writeUInt32BE(crc(body), 4 + body.length);
    writeFileSync(join(dir, `scan-${String(i).padStart(3, '0')}.png`), Buffer.concat([png.subarray(0, iend), chunk, png.subarray(iend)]));
  }
  return dir;
}

// --- measurements --------------------------------------------------------------------------
function cli(args, env = {}) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, GOVTABLES_DB: '', ...env } });
  if (r.status !== 0 && r.status !== 1) throw new Error(`govtables ${args[0]} exited ${r.status}: ${r.stderr.slice(-500)}`);
  return { ms: performance.now() - t0, stderr: r.stderr };
}

/** `govtables ingest DIR` with one extraction process, into a store; documents/s over the whole command. */
async function ingestRate(dir, n, target) {
  const { ms } = cli(['ingest', dir, '--db', target, '--concurrency', '1', '--quiet']);
  return { rate: n / (ms / 1000), ms };
}

/** k workers (one extraction process each) over n queued files: documents/s from their start to the last stored. */
async function workersRate(dir, n, k, label) {
  const db = await freshDb(`${label}${k}`);
  const env = { GOVTABLES_QUEUE: JSON.stringify({ name: `bench-${label}-${k}-${randomBytes(3).toString('hex')}` }) };
  const q = cli(['enqueue', dir, '--queue', servers.redis, '--db', db, '--quiet'], env);
  const t0 = performance.now();
  const procs = Array.from({ length: k }, () => spawn(process.execPath, [BIN, 'worker', '--queue', servers.redis, '--db', db, '--concurrency', '1', '--quiet'], { cwd: work, env: { ...process.env, GOVTABLES_DB: '', ...env }, stdio: 'ignore' }));
  let first = null;
  let atFirst = 0;
  for (;;) {
    const s = await stored(db);
    if (s > 0 && first === null) { first = performance.now(); atFirst = s; }
    if (s >= n) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const t1 = performance.now();
  await Promise.all(procs.map((p) => new Promise((r) => { p.once('exit', r); p.kill('SIGTERM'); })));
  return { rate: n / ((t1 - t0) / 1000), steady: first !== null && t1 > first ? (n - atFirst) / ((t1 - first) / 1000) : null, enqueueRate: n / (q.ms / 1000) };
}

/** Parsing alone, in this process on one core. */
async function parseRate(dir) {
  const files = readdirSync(dir).map((f) => readFileSync(join(dir, f)));
  const t0 = performance.now();
  const results = [];
  for (const b of files) results.push(await extractBytes(b, 'bench'));
  return { rate: files.length / ((performance.now() - t0) / 1000), results };
}

/** The store alone: parsed documents into a new PostgreSQL database through the loader (group commit). */
async function storeRate(results) {
  const store = await openStore(await freshDb('store'));
  try {
    const loader = store.loader({});
    const t0 = performance.now();
    await Promise.all(results.map((r) => loader.add(r)));
    await loader.flush();
    return results.length / ((performance.now() - t0) / 1000);
  } finally {
    await store.close();
  }
}

/** The queue alone: BullMQ jobs of a document's size with nothing to do, added in bulk and taken by one worker. */
async function queueRate(n) {
  const name = `bench-noop-${randomBytes(3).toString('hex')}`;
  const conn = new Redis(servers.redis, { maxRetriesPerRequest: null });
  const wconn = new Redis(servers.redis, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection: conn });
  const data = { path: `/srv/archive/${'x'.repeat(60)}.txt`, pathBytes: null, docId: 'f'.repeat(64), size: 12345, runId: null, ocr: 'auto', variant: null };
  const t0 = performance.now();
  for (let i = 0; i < n; i += 500) await queue.addBulk(Array.from({ length: Math.min(500, n - i) }, (_, k) => ({ name: 'document', data, opts: { jobId: `j${i + k}`, removeOnComplete: true } })));
  const tAdd = performance.now();
  let done = 0;
  await new Promise((resolve) => {
    const w = new Worker(name, async () => ({ ok: true }), { connection: wconn, concurrency: 8 });
    w.on('completed', () => { if (++done === n) { w.close().then(resolve); } });
  });
  const tDone = performance.now();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  conn.disconnect();
  wconn.disconnect();
  return { addRate: n / ((tAdd - t0) / 1000), takeRate: n / ((tDone - tAdd) / 1000) };
}

// --- the run -------------------------------------------------------------------------------
const lines = [];
const r2 = (x) => fmt(x, x < 10 ? 2 : 1);
const say = (s) => { lines.push(s); process.stderr.write(`${s}\n`); };
try {
  const load = () => (readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  say(`scaleout on ${availableParallelism()} cores (load average ${load()} at start); worker processes with --concurrency 1 each`);
  for (const [kind, dir, n] of [['text dumps', makeText(TEXT_DOCS), TEXT_DOCS], ['scans (200 dpi PNG, one page)', makeScans(SCAN_DOCS), SCAN_DOCS]]) {
    const label = kind.startsWith('text') ? 'text' : 'scan';
    const ref = await ingestRate(dir, n, join(work, `${label}.sqlite`));
    const refPg = await ingestRate(dir, n, await freshDb(`${label}ingest`));
    say(`${kind}: ${n} files`);
    say(`  govtables ingest --concurrency 1, SQLite (reference): ${r2(ref.rate)} docs/s`);
    say(`  govtables ingest --concurrency 1, PostgreSQL:         ${r2(refPg.rate)} docs/s (${fmt(refPg.rate / ref.rate, 2)}×)`);
    for (const k of WORKERS) {
      const w = await workersRate(dir, n, k, label);
      say(`  ${k} worker${k > 1 ? 's' : ' '} (queue + PostgreSQL):            ${r2(w.rate)} docs/s (${fmt(w.rate / ref.rate, 2)}× the reference; ${w.steady ? `${r2(w.steady)} docs/s once the first is stored` : 'start-up bound'}; the enqueue command ${r2(w.enqueueRate)} files/s)`);
    }
    if (label === 'text') {
      const p = await parseRate(dir);
      const s = await storeRate(p.results);
      const q = await queueRate(5000);
      say(`  where the time goes, per document (text):`);
      say(`    parse, one core in process:     ${fmt(1000 / p.rate, 2)} ms (${fmt(p.rate, 0)} docs/s)`);
      say(`    store, PostgreSQL, one loader:  ${fmt(1000 / s, 2)} ms (${fmt(s, 0)} docs/s)`);
      say(`    queue, BullMQ job with no work: ${fmt(1000 / q.takeRate, 2)} ms to take and acknowledge (${fmt(q.takeRate, 0)} jobs/s, one worker, 8 at once); ${fmt(1000 / q.addRate, 3)} ms to add (${fmt(q.addRate, 0)} jobs/s in bulk)`);
    }
  }
  say(`load average ${load()} at the end`);
} finally {
  for (const name of made) await sql(servers.pg, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
  stopServers();
}
process.stdout.write(`${lines.join('\n')}\n`);
