// Text dumps: the seeds repeated to N documents (each copy made distinct so its doc_id is new),
// through extract only and through extract + load. The reference in the same run is the raw
// decode-and-split of the same bytes, the floor any dump pipeline pays.
import { readdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractText } from '../../dist/src/extract/text.js';
import { extractBytes } from '../../dist/src/pipeline/extract.js';
import { openDb } from '../../dist/src/store/db.js';
import { BatchLoader } from '../../dist/src/pipeline/batchLoader.js';
import { ingestPaths } from '../../dist/src/pipeline/ingest.js';
import { writeFileSync, mkdirSync } from 'node:fs';
import { fmt, measure } from './stats.mjs';

export async function benchText({ root, docs = 2000, runs = 3 }) {
  const dir = join(root, 'fixtures', 'text');
  const seeds = readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(join(dir, f)));
  const inputs = Array.from({ length: docs }, (_, i) => Buffer.concat([seeds[i % seeds.length], Buffer.from(`\n\n${i}\n`)]));
  let indicators = 0;
  const raw = await measure(() => { for (const b of inputs) extractText(b, 'bench.txt'); }, runs);
  const extract = await measure(async () => {
    indicators = 0;
    for (const b of inputs) {
      const r = await extractBytes(b, 'bench.txt');
      for (const p of r.projects) indicators += p.indicators.length;
    }
  }, runs);
  const tmp = mkdtempSync(join(tmpdir(), 'govtables-bench-'));
  let n = 0;
  const load = await measure(async () => {
    const db = openDb(join(tmp, `b${n++}.sqlite`));
    try {
      // As `ingest` stores: commits in batches.
      const loader = new BatchLoader(db);
      const stored = [];
      for (const b of inputs) stored.push(loader.add(await extractBytes(b, 'bench.txt')));
      loader.flush();
      await Promise.all(stored);
    } finally { db.close(); }
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
  const lines = [
    `text dumps: ${fmt(docs)} documents (the 5 seeds repeated), median of ${runs} runs, one core`,
    `  raw decode + split (reference): ${fmt(rate(raw))} documents/s`,
    `  extract only:                   ${fmt(rate(extract))} documents/s, ${fmt(indicators / (extract.ms / 1000))} indicators/s, peak RSS ${fmt(extract.peakMiB)} MiB (${fmt(rate(extract) / rate(raw), 2)}× the reference)`,
    `  extract + load (SQLite):        ${fmt(rate(load))} documents/s, ${fmt(indicators / (load.ms / 1000))} indicators/s, peak RSS ${fmt(load.peakMiB)} MiB (${fmt(rate(load) / rate(extract), 2)}× extract only)`,
    `  govtables ingest (ingestPaths):  ${fmt(rate(ingest))} documents/s (${fmt(rate(ingest) / rate(load), 2)}× extract + load; main-process CPU ${fmt((cpu.user + cpu.system) / 1000 / (ingest.ms * ingest.runs), 2)} of wall), peak RSS ${fmt(ingest.peakMiB)} MiB`,
  ];
  return lines.join('\n');
}
