// Scans: the OCR engines side by side on the same input (ocr-engine.mjs, one process each so
// each peak RSS is its engine's): character error rate and confidence calibration on every
// grid cell crop of the fixture scans, ms per cell, and s per page with 1 and 2 slots.
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_OCR_ENGINE, OCR_ENGINES } from '../../dist/src/extract/ocr/engine.js';
import { fmt } from './stats.mjs';

const pct = (x, d = 2) => `${fmt(100 * x, d)}%`;

export async function benchOcr({ root, runs = Number(process.env.BENCH_OCR_RUNS ?? 2) }) {
  const load = loadavg()[0];
  const results = [];
  for (const engine of OCR_ENGINES) {
    const r = spawnSync(process.execPath, ['--expose-gc', join(root, 'scripts', 'bench', 'ocr-engine.mjs'), engine, String(runs)], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26,
    });
    if (r.status !== 0) throw new Error(`the ${engine} bench failed (exit ${r.status})`);
    results.push(JSON.parse(r.stdout.trim().split('\n').at(-1)));
  }
  const first = results[0];
  const lines = [
    `scans, OCR engines side by side: ${first.cells.cells} grid cell crops of ${first.pages.files} fixture scans (${first.pages.pages} pages); ` +
      `pages: median over files of s/page, ${runs} interleaved runs; ${availableParallelism()} cores, load average at start ${fmt(load, 2)}; default engine: ${DEFAULT_OCR_ENGINE}`,
    `  ${'engine'.padEnd(10)} ${'CER'.padStart(7)} ${'exact'.padStart(7)} ${'wrong'.padStart(6)} ${'wrong flagged'.padStart(14)} ${'right flagged'.padStart(14)} ${'ms/cell'.padStart(8)} ${'s/page 1'.padStart(9)} ${'s/page 2'.padStart(9)} ${'2 vs 1'.padStart(7)} ${'start'.padStart(6)} ${'peak RSS'.padStart(9)}`,
  ];
  for (const r of results) {
    const c = r.cells;
    const p = r.pages;
    lines.push(`  ${r.engine.padEnd(10)} ${pct(c.cer).padStart(7)} ${pct(c.exact, 1).padStart(7)} ${String(c.wrong).padStart(6)} ${`${c.flaggedWrong}/${c.wrong}`.padStart(14)} ${`${c.flaggedRight}/${Math.round(c.exact * c.paired)}`.padStart(14)} ` +
      `${fmt(c.msPerCell, 1).padStart(8)} ${fmt(p.sPerPage1, 2).padStart(9)} ${fmt(p.sPerPage2, 2).padStart(9)} ${`${fmt(p.sPerPage1 / p.sPerPage2, 2)}×`.padStart(7)} ${`${fmt(p.start1, 1)}s`.padStart(6)} ${`${fmt(r.peakMiB)} MiB`.padStart(9)}` +
      `${p.sameText ? '' : '  (cell text differs between 1 and 2 slots)'}`);
  }
  const w = first.workers;
  lines.push(`  whole documents (OCR + normalizer), ${w.docs} scans (${w.pages} pages: each fixture scan twice) by worker processes as \`--concurrency N\` runs them, median of ${runs}:`);
  lines.push(`  ${'engine'.padEnd(10)} ${'s/page 1'.padStart(9)} ${'s/page 2'.padStart(9)} ${'2 vs 1'.padStart(7)} ${'start 1'.padStart(8)} ${'start 2'.padStart(8)} ${'CPU s/page 1'.padStart(13)} ${'CPU s/page 2'.padStart(13)} ${'cores 1'.padStart(8)}`);
  for (const r of results) {
    const x = r.workers;
    const c = (v) => (v === null || v === undefined ? '-' : fmt(v, 2));
    lines.push(`  ${r.engine.padEnd(10)} ${fmt(x.sPerPage1, 2).padStart(9)} ${fmt(x.sPerPage2, 2).padStart(9)} ${`${fmt(x.sPerPage1 / x.sPerPage2, 2)}×`.padStart(7)} ${`${fmt(x.start1, 1)}s`.padStart(8)} ${`${fmt(x.start2, 1)}s`.padStart(8)} ` +
      `${c(x.cpuPerPage1).padStart(13)} ${c(x.cpuPerPage2).padStart(13)} ${(x.cpuPerPage1 ? fmt(x.cpuPerPage1 / x.sPerPage1, 2) : '-').padStart(8)}`);
  }
  lines.push('  CPU s/page: CPU time of all worker processes (every thread) per page; cores 1: CPU over wall time with one worker. 2 workers can be at most 2 / (cores 1 × CPU 2 / CPU 1) times one');
  lines.push('  CER: edit distance / characters of the source PDF\'s cell text (both folded); exact: cells read exactly; flagged: confidence < 70 or an OCR_LOW_CONFIDENCE note; ms/cell: median, one slot, re-readings included; start: pool (or workers and their first scan) start-up, not in s/page; s/page 1 and 2 of the first table: one document at a time with 1 and 2 OCR slots');
  for (const r of results) for (const m of r.cells.misreads) lines.push(`  ${r.engine} misread: ${m}`);
  return lines.join('\n');
}
