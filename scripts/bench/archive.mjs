#!/usr/bin/env node
// Benchmark of `govtables run archive` on a generated backlog: documents per second and peak
// resident memory after 2,000 files and after all of them. Memory should stay flat (the walk is
// streamed and the run keeps counters only), so the two peaks should agree within 1.5x.
// Usage: node scripts/bench/archive.mjs [FILES=20000] [--keep]   (needs `npm run build`)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FILES = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 20_000);
const CHECKPOINT = 2_000;
const PER_FOLDER = 1_000;

const seedDir = join(ROOT, 'fixtures/text');
const seeds = readdirSync(seedDir).sort().map((f) => readFileSync(join(seedDir, f), 'utf8'));

/** The n-th variation of a seed: its first project renamed everywhere, so each doc_id differs. */
function dumpVariant(n) {
  const seed = seeds[n % seeds.length];
  const name = /项目名称[:：]?\t+([^\t\n]+)/.exec(seed)[1];
  return seed.split(name).join(`${name}${n}号`);
}

const work = mkdtempSync(join(tmpdir(), 'govtables-bench-'));
const from = join(work, 'backlog');
const db = join(work, 'bench.sqlite');
const t0 = Date.now();
for (let n = 0; n < FILES; n++) {
  const dir = join(from, `batch-${String(Math.floor(n / PER_FOLDER)).padStart(3, '0')}`);
  if (n % PER_FOLDER === 0) mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `dump-${String(n).padStart(6, '0')}.txt`), dumpVariant(n));
}
process.stderr.write(`generated ${FILES} files in ${((Date.now() - t0) / 1000).toFixed(1)} s under ${from}\n`);

// Plain progress lines (stderr is a pipe) carry files done, rate and rss; the peaks compared are
// the largest rss those lines sampled, the last figure is the process's own maxRSS.
const LINE = /: (\d+)(?:\/\d+)? files.*?, ([\d.]+) docs\/s.*?rss (\d+) MB/;
let peakAtCheckpoint = 0;
let rateAtCheckpoint = 0;
let peak = 0;
const started = Date.now();
const child = spawn(process.execPath, [join(ROOT, 'bin/govtables.js'), 'run', 'archive', '--from', from, '--db', db], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
let buf = '';
child.stderr.setEncoding('utf8').on('data', (d) => {
  buf += d;
  let nl;
  while ((nl = buf.indexOf('\n')) >= 0) {
    const line = buf.slice(0, nl);
    buf = buf.slice(nl + 1);
    const m = LINE.exec(line);
    if (!m) {
      if (line.trim()) process.stderr.write(`${line}\n`);
      continue;
    }
    const done = Number(m[1]);
    const rss = Number(m[3]);
    peak = Math.max(peak, rss);
    if (done <= CHECKPOINT) {
      peakAtCheckpoint = Math.max(peakAtCheckpoint, rss);
      rateAtCheckpoint = Number(m[2]);
    }
    if (Math.floor(done / 2000) !== Math.floor((done - 100) / 2000)) process.stderr.write(`${line}\n`);
  }
});
const code = await new Promise((resolve) => child.on('close', resolve));
const secs = (Date.now() - started) / 1000;
const summary = JSON.parse(readFileSync(join(work, 'run-1.json'), 'utf8'));
const result = {
  files: FILES,
  exit_code: code,
  stored: summary.stored,
  wall_s: Number(secs.toFixed(1)),
  docs_per_s_at_2000: rateAtCheckpoint,
  docs_per_s_overall: summary.docs_per_s,
  peak_rss_mb_at_2000: peakAtCheckpoint,
  peak_rss_mb_at_end: peak,
  max_rss_mb_whole_run: summary.peak_rss_mb,
  rss_growth: Number((peak / Math.max(1, peakAtCheckpoint)).toFixed(2)),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
else process.stderr.write(`kept ${work}\n`);
process.exitCode = result.rss_growth <= 1.5 && code === 0 ? 0 : 1;
