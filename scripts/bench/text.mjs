// Text dumps: the seeds repeated to N documents (each copy made distinct so its doc_id is new),
// through extract only and through extract + load. The reference in the same run is the raw
// decode-and-split of the same bytes, the floor any dump pipeline pays.
import { readdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractText } from '../../dist/src/extract/text.js';
import { extractBytes } from '../../dist/src/pipeline/extract.js';
import { openDb } from '../../dist/src/store/db.js';
import { loadResult } from '../../dist/src/store/loader.js';
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
      for (const b of inputs) loadResult(db, await extractBytes(b, 'bench.txt'));
    } finally { db.close(); }
  }, runs);
  rmSync(tmp, { recursive: true, force: true });
  const rate = (m) => docs / (m.ms / 1000);
  const lines = [
    `text dumps: ${fmt(docs)} documents (the 5 seeds repeated), median of ${runs} runs, one core`,
    `  raw decode + split (reference): ${fmt(rate(raw))} documents/s`,
    `  extract only:                   ${fmt(rate(extract))} documents/s, ${fmt(indicators / (extract.ms / 1000))} indicators/s, peak RSS ${fmt(extract.peakMiB)} MiB (${fmt(rate(extract) / rate(raw), 2)}× the reference)`,
    `  extract + load (SQLite):        ${fmt(rate(load))} documents/s, ${fmt(indicators / (load.ms / 1000))} indicators/s, peak RSS ${fmt(load.peakMiB)} MiB (${fmt(rate(load) / rate(extract), 2)}× extract only)`,
  ];
  return lines.join('\n');
}
