// The text dumps every text benchmark reads: the fixture dumps repeated to `docs` documents,
// each copy made distinct by one line so its doc_id is new.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function benchDumps(dir, docs) {
  const seeds = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => readFileSync(join(dir, f)));
  return Array.from({ length: docs }, (_, i) => Buffer.concat([seeds[i % seeds.length], Buffer.from(`\n\n${i}\n`)]));
}
