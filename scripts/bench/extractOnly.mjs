// One build's extract-only time over the bench's dumps, in a process of its own:
// `node extractOnly.mjs <build root> <dumps dir> <documents> <rounds>` prints a JSON line with
// the CPU and wall time of each round, in µs a document. The text section runs it for this
// build and a baseline build in turn, so both read the same dumps on the same machine minutes apart.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchDumps } from './dumps.mjs';

const [root, dumps, docsArg, roundsArg] = process.argv.slice(2);
const { extractBytes } = await import(pathToFileURL(join(root, 'dist', 'src', 'pipeline', 'extract.js')).href);
const docs = Number(docsArg);
const inputs = benchDumps(dumps, docs);
const cpu = [];
const wall = [];
for (let r = 0; r < Number(roundsArg); r++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const b of inputs) await extractBytes(b, 'bench.txt');
  const c = process.cpuUsage(c0);
  wall.push(((performance.now() - t0) * 1000) / docs);
  cpu.push((c.user + c.system) / docs);
}
console.log(JSON.stringify({ cpu, wall }));
