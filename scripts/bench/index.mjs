// `npm run bench`: every benchmark section in one process. Figures are medians of repeated
// runs, with ratios against a reference measured in the same run.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchText } from './text.mjs';
import { benchPdf } from './pdf.mjs';
import { benchOcr } from './ocr.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const only = process.argv.slice(2);
const sections = {
  text: () => benchText({ root }),
  pdf: () => benchPdf({ root }),
  ocr: () => benchOcr({ root }),
};

for (const [name, run] of Object.entries(sections)) {
  if (only.length && !only.includes(name)) continue;
  console.log(await run());
  console.log();
}
