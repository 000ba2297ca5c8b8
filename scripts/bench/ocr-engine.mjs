// One OCR engine over the fixture scans, in a process of its own (so its peak RSS is its own):
// `node --expose-gc scripts/bench/ocr-engine.mjs ENGINE RUNS` prints one JSON object.
//
// cells: every grid cell crop of every fixture scan page (the crops extractScan reads), read
// one after another by readCell on a pool of one slot (the engine's own re-readings included),
// against the text of the same cell in the text-layer PDF the scan was printed from. Cells are
// paired by position: the k-th ruled table of a scan page with the k-th of its source page, a
// scan cell with the source cell whose box, as a share of its table's box, holds its centre.
// pages: each scan through extractScan with a pool of 1 and of 2 slots, interleaved `RUNS` times.
// workers: what a run does with `--concurrency 1` and `2`: every scan, twice over, read whole
// (OCR, normalizer, validator) by 1 and by 2 worker processes, each with its one OCR slot;
// seconds of wall time per page once the workers are up (their start is timed apart).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOcrPool, extractScan, pageImageToCellCrops } from '../../dist/src/extract/ocr/index.js';
import { readCell } from '../../dist/src/extract/ocr/readCell.js';
import { bytesToPageSource } from '../../dist/src/extract/ocr/pageImages.js';
import { settingsOf } from '../../dist/src/extract/ocr/settings.js';
import { DEFAULT_LIMITS } from '../../dist/src/limits.js';
import { createExtractors } from '../../dist/src/pipeline/runExtractors.js';
import { extractPdf } from '../../dist/src/extract/pdf/index.js';
import { fold } from '../../dist/src/text/fold.js';
import { SCANS } from './ocr-scans.mjs';
import { median } from './stats.mjs';

const [engine, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 2);
const root = join(import.meta.dirname, '..', '..');

let peak = process.memoryUsage.rss();
const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 20);

function editDistance(a, b) {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length];
}

/** The source page's ruled tables: runs of rows between blank rows, more than one row each, with their extent. */
function pdfTables(rows) {
  const tables = [];
  let cur = [];
  const flush = () => {
    if (cur.length > 1) {
      const boxes = cur.map((r) => r.box).filter(Boolean);
      tables.push({
        box: [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))],
        cells: cur.flatMap((r) => r.cells.filter((c) => c.box)),
      });
    }
    cur = [];
  };
  for (const r of rows) {
    if (r.cells.length === 0) flush();
    else cur.push(r);
  }
  flush();
  return tables;
}

const rel = (b, g) => [(b[0] - g[0]) / (g[2] - g[0]), (b[1] - g[1]) / (g[3] - g[1]), (b[2] - g[0]) / (g[2] - g[0]), (b[3] - g[1]) / (g[3] - g[1])];

/** Every crop of every fixture scan page with the source text of its cell (null when unpaired). */
async function cropsWithTruth() {
  const s = settingsOf();
  const out = [];
  for (const scan of SCANS) {
    const bytes = readFileSync(join(root, 'fixtures', 'scan', scan.file));
    const source = await extractPdf(readFileSync(join(root, scan.source)));
    const src = await bytesToPageSource(bytes, scan.file, { renderDpi: s.renderDpi, defaultDpi: s.defaultDpi });
    try {
      for (let p = 1; p <= src.pages; p++) {
        const crops = pageImageToCellCrops(await src.load(p), s);
        const tables = pdfTables(source.rows.filter((r) => r.page === scan.pages[p - 1]));
        const grids = [...new Set(crops.map((c) => c.grid.join()))].map((k) => crops.find((c) => c.grid.join() === k).grid).sort((a, b) => a[1] - b[1]);
        for (const c of crops) {
          const table = tables[grids.findIndex((g) => g.join() === c.grid.join())];
          const r = rel(c.box, c.grid);
          const cx = (r[0] + r[2]) / 2;
          const cy = (r[1] + r[3]) / 2;
          const match = table?.cells.find((t) => {
            const q = rel(t.box, table.box);
            return q[0] <= cx && cx <= q[2] && q[1] <= cy && cy <= q[3];
          });
          out.push({ file: scan.file, page: p, crop: c.crop, truth: match ? fold(match.text) : null });
        }
      }
    } finally {
      await src.close();
    }
  }
  return out;
}

async function benchCells(items) {
  const pool = await createOcrPool(1, engine);
  const s = settingsOf();
  let errors = 0;
  let chars = 0;
  let exact = 0;
  let paired = 0;
  const ms = [];
  // Calibration: how often a cell under the review threshold is wrong, and a wrong cell is under it.
  let flaggedWrong = 0;
  let flaggedRight = 0;
  let wrong = 0;
  const misreads = [];
  try {
    for (const it of items) {
      const t0 = performance.now();
      const r = await readCell(pool, it.crop, s);
      ms.push(performance.now() - t0);
      if (it.truth === null || it.truth === '') continue;
      paired++;
      const got = fold(r.text);
      const d = editDistance(got, it.truth);
      errors += d;
      chars += [...it.truth].length;
      const flagged = r.conf < 70 || r.notes.some((n) => n.code === 'OCR_LOW_CONFIDENCE');
      if (d === 0) {
        exact++;
        if (flagged) flaggedRight++;
      } else {
        wrong++;
        if (flagged) flaggedWrong++;
        if (misreads.length < 12) misreads.push(`${it.file} p${it.page}: "${got}" for "${it.truth}" (conf ${r.conf})`);
      }
    }
  } finally {
    await pool.terminate();
  }
  return { cells: items.length, paired, cer: errors / chars, exact: exact / paired, msPerCell: median(ms), msMean: ms.reduce((a, b) => a + b, 0) / ms.length, wrong, flaggedWrong, flaggedRight, misreads };
}

async function benchPages() {
  const inputs = SCANS.map((s) => ({ name: s.file, bytes: readFileSync(join(root, 'fixtures', 'scan', s.file)) }));
  const perFile = { 1: [], 2: [] };
  const start = { 1: [], 2: [] };
  const texts = {};
  let pages = 0;
  for (let r = 0; r < runs; r++) {
    for (const workers of [1, 2]) {
      const t0 = performance.now();
      const pool = await createOcrPool(workers, engine);
      start[workers].push(performance.now() - t0);
      try {
        pages = 0;
        const rows = [];
        for (const { name, bytes } of inputs) {
          globalThis.gc?.();
          const t = performance.now();
          const doc = await extractScan(bytes, { file: name, workers, pool });
          perFile[workers].push((performance.now() - t) / 1000 / doc.pages);
          pages += doc.pages;
          rows.push(doc.rows.map((row) => row.cells.map((c) => c.text)));
        }
        texts[workers] = JSON.stringify(rows);
      } finally {
        await pool.terminate();
      }
    }
  }
  return {
    files: inputs.length, pages,
    sPerPage1: median(perFile[1]), sPerPage2: median(perFile[2]),
    start1: median(start[1]) / 1000, start2: median(start[2]) / 1000,
    sameText: texts[1] === texts[2],
  };
}

/**
 * CPU seconds this process's children (the worker processes) have used so far, every thread of
 * each, from /proc; null where there is none to read.
 */
function childrenCpu() {
  try {
    const tick = 100;
    let sum = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat;
      try { stat = readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { continue; }
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (f[1] !== String(process.pid)) continue;
      sum += (Number(f[11]) + Number(f[12])) / tick;
    }
    return sum;
  } catch {
    return null;
  }
}

async function benchWorkers() {
  const inputs = SCANS.map((s) => ({ name: s.file, bytes: readFileSync(join(root, 'fixtures', 'scan', s.file)) }));
  const docs = [...inputs, ...inputs];
  const wall = { 1: [], 2: [] };
  const start = { 1: [], 2: [] };
  // CPU of all worker processes a page: what a page costs when one reads alone and when two share the cores.
  const cpu = { 1: [], 2: [] };
  let pages = 0;
  for (let r = 0; r < runs; r++) {
    for (const workers of [1, 2]) {
      const ex = createExtractors({ limits: DEFAULT_LIMITS, workers, isolate: true, ocrEngine: engine });
      try {
        // Every worker up, its model loaded, before the clock starts: one small scan each at once.
        let t = performance.now();
        await Promise.all(Array.from({ length: workers }, () => ex.extractDocument(inputs[2].bytes, inputs[2].name, { ocr: 'auto' })));
        start[workers].push((performance.now() - t) / 1000);
        t = performance.now();
        const cpu0 = childrenCpu();
        let next = 0;
        pages = 0;
        await Promise.all(Array.from({ length: workers }, async () => {
          while (next < docs.length) {
            const d = docs[next++];
            const res = await ex.extractDocument(d.bytes, d.name, { ocr: 'auto' });
            if (res.document.status === 'failed') throw new Error(`${d.name}: ${res.document.error}`);
            pages += res.document.pages;
          }
        }));
        wall[workers].push((performance.now() - t) / 1000 / pages);
        const cpu1 = childrenCpu();
        if (cpu0 !== null && cpu1 !== null) cpu[workers].push((cpu1 - cpu0) / pages);
      } finally {
        await ex.close();
      }
    }
  }
  return { docs: docs.length, pages, sPerPage1: median(wall[1]), sPerPage2: median(wall[2]), start1: median(start[1]), start2: median(start[2]), cpuPerPage1: cpu[1].length ? median(cpu[1]) : null, cpuPerPage2: cpu[2].length ? median(cpu[2]) : null };
}

const items = await cropsWithTruth();
const cells = await benchCells(items);
const pages = await benchPages();
clearInterval(sampler);
const workers = await benchWorkers();
console.log(JSON.stringify({ engine, runs, cells, pages, workers, peakMiB: peak / 2 ** 20 }));
