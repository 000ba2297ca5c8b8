// Seconds per page and peak RSS of the scan extractor over the fixture scans, with 1 and 2
// workers (or those given). Run: npx vite-node scripts/scans/measure-ocr.ts [workers…]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { createOcrPool, extractScan } from '../../src/extract/ocr/index.js';
import { bytesToPageSource } from '../../src/extract/ocr/pageImages.js';
import { settingsOf } from '../../src/extract/ocr/settings.js';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'scan');
const files = readdirSync(dir).filter((f) => /\.(pdf|png|tif)$/.test(f)).sort();
const workerCounts = process.argv.slice(2).map(Number).filter((n) => n > 0);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

for (const workers of workerCounts.length ? workerCounts : [1, 2]) {
  const perPage: number[] = [];
  const cpuPerPage: number[] = [];
  // One pool for the run, as an ingest of many files would use it; its start-up is reported apart.
  const t0 = performance.now();
  const pool = await createOcrPool(workers);
  console.log(`workers=${workers}\tpool start ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  for (const file of files) {
    const bytes = readFileSync(join(dir, file));
    const src = await bytesToPageSource(bytes, file, settingsOf());
    const pages = src.pages;
    await src.close();
    for (let page = 1; page <= pages; page++) {
      const t = performance.now();
      // CPU time of all threads (tesseract workers included): comparable on a busy machine.
      const cpu0 = process.cpuUsage();
      const doc = await extractScan(bytes, { file, pool, pages: [page] });
      const secs = (performance.now() - t) / 1000;
      const used = process.cpuUsage(cpu0);
      const cpuSecs = (used.user + used.system) / 1e6;
      perPage.push(secs);
      cpuPerPage.push(cpuSecs);
      const cells = doc.rows.flatMap((r) => r.cells).filter((c) => c.conf !== undefined);
      const conf = cells.reduce((a, c) => a + c.conf!, 0) / Math.max(1, cells.length);
      console.log(`workers=${workers}\t${file} p${page}\t${secs.toFixed(2)} s (cpu ${cpuSecs.toFixed(2)} s)\t${cells.length} cells read\tmean conf ${conf.toFixed(1)}`);
    }
  }
  await pool.terminate();
  console.log(`workers=${workers}\tmedian ${median(perPage).toFixed(2)} s/page (cpu ${median(cpuPerPage).toFixed(2)} s) over ${perPage.length} pages`);
}
clearInterval(sampler);
console.log(`load average ${loadavg().map((v) => v.toFixed(1)).join(' ')}`);
console.log(`peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
