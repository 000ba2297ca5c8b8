// `npm run bench`: every benchmark section in one process. Figures are medians of repeated
// runs, with ratios against a reference measured in the same run.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchText } from './text.mjs';
import { benchPdf } from './pdf.mjs';
import { benchOcr } from './ocr.mjs';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const only = process.argv.slice(2);
const sections = {
  text: () => benchText({ root }),
  pdf: () => benchPdf({ root }),
  ocr: () => benchOcr({ root }),
  // A separate process: it measures the RSS of a whole `govtables run archive` over 20,000 files.
  archive: () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'bench', 'archive.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    return `archive (20,000 generated dumps through \`govtables run archive\`):\n${r.stdout.trim()}`;
  },
  // Only when named: it needs Redis and PostgreSQL (its own, started by scripts/ci/servers.sh, when none is given).
  scaleout: () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'bench', 'scaleout.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    return `scaleout (\`govtables worker\` processes on one queue and one PostgreSQL store):\n${r.stdout.trim()}`;
  },
};
const NAMED_ONLY = new Set(['scaleout']);

for (const [name, run] of Object.entries(sections)) {
  if (only.length ? !only.includes(name) : NAMED_ONLY.has(name)) continue;
  console.log(await run());
  console.log();
}
