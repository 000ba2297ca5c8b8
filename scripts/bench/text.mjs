// Text dumps: the seeds repeated to N documents (each copy made distinct so its doc_id is new),
// through extract only, store only and extract + load. The reference in the same run is the
// raw decode-and-split of the same bytes, the floor any dump pipeline pays. Extract + load is
// also split into the time spent extracting and the time spent storing, so where the time
// goes is printed whether or not the aim (1,000 documents/s on one core) is met.
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractText } from '../../dist/src/extract/text.js';
import { extractBytes } from '../../dist/src/pipeline/extract.js';
import { openDb } from '../../dist/src/store/db.js';
import { BatchLoader } from '../../dist/src/pipeline/batchLoader.js';
import { ingestPaths } from '../../dist/src/pipeline/ingest.js';
import { writeFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchDumps } from './dumps.mjs';
import { fmt, measure, median } from './stats.mjs';

const AIM = 1000;

export async function benchText({ root, docs = 2000, runs = 3 }) {
  const inputs = benchDumps(join(root, 'fixtures', 'text'), docs);
  let indicators = 0;
  const raw = await measure(() => { for (const b of inputs) extractText(b, 'bench.txt'); }, runs);
  let results = [];
  const extract = await measure(async () => {
    indicators = 0;
    results = [];
    for (const b of inputs) {
      const r = await extractBytes(b, 'bench.txt');
      for (const p of r.projects) indicators += p.indicators.length;
      results.push(r);
    }
  }, runs);
  const rows = results.reduce((n, r) => n + 1 + r.budget_lines.length + r.findings.length
    + r.projects.reduce((m, p) => m + 1 + p.indicators.length + p.cost_items.length + p.funding.length, 0), 0);
  const tmp = mkdtempSync(join(tmpdir(), 'govtables-bench-'));
  let n = 0;
  // As `ingest` stores: commits in batches (BatchLoader), into a new database each run.
  const storeAll = async (list) => {
    const db = openDb(join(tmp, `s${n++}.sqlite`));
    try {
      const loader = new BatchLoader(db);
      const stored = list.map((r) => loader.add(r));
      loader.flush();
      await Promise.all(stored);
    } finally { db.close(); }
  };
  const store = await measure(() => storeAll(results), runs);
  results = [];
  const splits = [];
  const load = await measure(async () => {
    const db = openDb(join(tmp, `b${n++}.sqlite`));
    // Wall and CPU time (CPU is what a busy machine distorts least) of each side.
    let extracting = 0;
    let storing = 0;
    let extractCpu = 0;
    let storeCpu = 0;
    const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
    try {
      const loader = new BatchLoader(db);
      const stored = [];
      for (const b of inputs) {
        const t0 = performance.now();
        const c0 = cpuMs();
        const r = await extractBytes(b, 'bench.txt');
        const t1 = performance.now();
        const c1 = cpuMs();
        stored.push(loader.add(r));
        storing += performance.now() - t1;
        extracting += t1 - t0;
        storeCpu += cpuMs() - c1;
        extractCpu += c1 - c0;
      }
      const t2 = performance.now();
      const c2 = cpuMs();
      loader.flush();
      await Promise.all(stored);
      storing += performance.now() - t2;
      storeCpu += cpuMs() - c2;
    } finally { db.close(); }
    splits.push({ extracting, storing, extractCpu, storeCpu });
  }, runs);
  // The whole `ingest` path over files: dumps are read in the main process beside the store.
  const folder = join(tmp, 'files');
  mkdirSync(folder);
  inputs.forEach((b, i) => writeFileSync(join(folder, `d${String(i).padStart(5, '0')}.txt`), b));
  const cpu0 = process.cpuUsage();
  const ingest = await measure(async () => {
    const db = openDb(join(tmp, `i${n++}.sqlite`));
    try { await ingestPaths(db, [folder], { concurrency: 4 }); } finally { db.close(); }
  }, runs);
  const cpu = process.cpuUsage(cpu0);
  rmSync(tmp, { recursive: true, force: true });
  const rate = (m) => docs / (m.ms / 1000);
  const perDoc = (ms) => fmt((ms / docs) * 1000);
  const ex = median(splits.map((s) => s.extracting));
  const st = median(splits.map((s) => s.storing));
  const exCpu = median(splits.map((s) => s.extractCpu));
  const stCpu = median(splits.map((s) => s.storeCpu));
  const lines = [
    `text dumps: ${fmt(docs)} documents (the 5 seeds repeated, ${fmt(rows / docs)} rows a document), median of ${runs} runs, one core`,
    `  raw decode + split (reference): ${fmt(rate(raw))} documents/s`,
    `  extract only:                   ${fmt(rate(extract))} documents/s, ${fmt(indicators / (extract.ms / 1000))} indicators/s, peak RSS ${fmt(extract.peakMiB)} MiB (${fmt(rate(extract) / rate(raw), 2)}× the reference)`,
    `  store only (SQLite, batches):   ${fmt(rate(store))} documents/s, ${fmt(rows / (store.ms / 1000))} rows/s (${fmt(rate(store) / rate(raw), 2)}× the reference)`,
    `  extract + load (SQLite):        ${fmt(rate(load))} documents/s, ${fmt(indicators / (load.ms / 1000))} indicators/s, peak RSS ${fmt(load.peakMiB)} MiB (${fmt(rate(load) / rate(raw), 2)}× the reference, ${fmt(rate(load) / rate(extract), 2)}× extract only)`,
    `    where the time goes:          wall: extract ${perDoc(ex)} µs + store ${perDoc(st)} µs a document (store ${fmt((100 * st) / (ex + st))}%)`,
    `                                  CPU:  extract ${perDoc(exCpu)} µs + store ${perDoc(stCpu)} µs a document (store ${fmt((100 * stCpu) / (exCpu + stCpu))}%; ${fmt(docs / ((exCpu + stCpu) / 1000))} documents per CPU-second)`,
    `    aim ${fmt(AIM)} documents/s:       ${rate(load) >= AIM ? 'met' : `not met (${fmt(rate(load) / AIM, 2)}× the aim; by CPU, extract alone allows at most ${fmt(docs / (exCpu / 1000))} documents/s, the store alone ${fmt(docs / (stCpu / 1000))})`}`,
    `  govtables ingest (ingestPaths):  ${fmt(rate(ingest))} documents/s (${fmt(rate(ingest) / rate(load), 2)}× extract + load; main-process CPU ${fmt((cpu.user + cpu.system) / 1000 / (ingest.ms * ingest.runs), 2)} of wall), peak RSS ${fmt(ingest.peakMiB)} MiB`,
  ];
  const baseline = process.env.GOVTABLES_BENCH_BASELINE;
  if (baseline) lines.push(...againstBaseline(root, baseline));
  return lines.join('\n');
}

/**
 * Extract only, this build against another (`GOVTABLES_BENCH_BASELINE`: the root of a checkout
 * of an earlier release, built), each in processes of its own taking turns, on the same dumps:
 * the one figure that says whether a change made the text path slower. This machine's speed
 * drifts by ±10–15 % from minute to minute, so the ratio is of the fastest rounds of each and,
 * beside it, the median of the ratios of rounds run next to each other.
 */
function againstBaseline(root, baseline, { pairs = 6, docs = 1000, rounds = 4 } = {}) {
  const script = fileURLToPath(new URL('./extractOnly.mjs', import.meta.url));
  const dumps = join(root, 'fixtures', 'text');
  const run = (build) => {
    const r = spawnSync(process.execPath, [script, build, dumps, String(docs), String(rounds)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0) throw new Error(`extract-only run of ${build} failed (exit ${r.status})`);
    return JSON.parse(r.stdout.trim().split('\n').pop());
  };
  const mine = [];
  const theirs = [];
  for (let k = 0; k < pairs; k++) {
    // Alternating who goes first, so neither always runs on a warmer or a busier machine.
    if (k % 2) { theirs.push(run(baseline)); mine.push(run(root)); } else { mine.push(run(root)); theirs.push(run(baseline)); }
  }
  const best = (runs, key) => Math.min(...runs.flatMap((r) => r[key]));
  const pairRatios = (key) => mine.map((m, k) => Math.min(...theirs[k][key]) / Math.min(...m[key]));
  return [
    `  extract only against ${baseline} (${pairs} pairs of processes taking turns, ${fmt(docs)} dumps, ${rounds} rounds each):`,
    `    fastest round, CPU:  this build ${fmt(best(mine, 'cpu'))} µs a document, baseline ${fmt(best(theirs, 'cpu'))}: ${fmt(best(theirs, 'cpu') / best(mine, 'cpu'), 2)}× the baseline's speed`,
    `    fastest round, wall: this build ${fmt(best(mine, 'wall'))} µs a document, baseline ${fmt(best(theirs, 'wall'))}: ${fmt(best(theirs, 'wall') / best(mine, 'wall'), 2)}×`,
    `    pair by pair (wall): median ${fmt(median(pairRatios('wall')), 2)}× (${pairRatios('wall').map((x) => fmt(x, 2)).join(', ')})`,
  ];
}
