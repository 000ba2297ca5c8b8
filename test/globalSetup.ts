// Compiles src/ and pipelines/ into dist/ once before the suites: the CLI tests run the bin,
// and every run reads PDFs and scans in worker processes started from dist/. Type errors do
// not stop the emit (npm test type-checks first).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

export default function setup(): void {
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) process.stderr.write(`tsc reported errors (emitted anyway):\n${build.stdout.slice(0, 2000)}\n`);
  if (!existsSync(join(ROOT, 'dist/src/pipeline/extractChild.js'))) throw new Error('the build did not produce dist/src/pipeline/extractChild.js');
}
