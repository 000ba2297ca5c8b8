// Scans: the image-only fixtures through extractScan with a pool of 1 and of 2 tesseract
// workers. Each round starts a fresh pool (start-up timed apart), reads every file with it and
// ends it; rounds interleave 1, 2 and the tesseract CLI (when installed, for scale: whole page,
// --psm 6, one thread) so load from elsewhere on the machine hits them alike.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOcrPool, extractScan } from '../../dist/src/extract/ocr/index.js';
import { fmt, measure, median } from './stats.mjs';

const FILES = ['form-300.pdf', 'form-200.pdf', 'form-200.png', 'form-200.tif'];

function hasTool(name, arg) {
  const r = spawnSync(name, [arg], { stdio: 'ignore' });
  return !(r.error && r.error.code === 'ENOENT');
}

/** The resolution of each page's embedded scan image (pdfimages -list), 300 when unknown. */
function pdfPageDpis(path) {
  const r = spawnSync('pdfimages', ['-list', path], { encoding: 'utf8' });
  const dpis = new Map();
  if (r.status === 0) {
    for (const line of r.stdout.split('\n').slice(2)) {
      const f = line.trim().split(/\s+/);
      if (f.length >= 14 && !dpis.has(Number(f[0]))) dpis.set(Number(f[0]), Number(f[12]));
    }
  }
  return dpis;
}

/** Page images for the tesseract CLI: PDF pages rendered to PNG at their scan's dpi, PNG/TIFF as they are. */
function tesseractInputs(dir, tmp) {
  const out = [];
  const skipped = [];
  const poppler = hasTool('pdftoppm', '-v');
  for (const name of FILES) {
    const path = join(dir, name);
    if (!name.endsWith('.pdf')) {
      out.push({ name, path, args: [] });
      continue;
    }
    if (!poppler) { skipped.push(name); continue; }
    for (const [page, dpi] of pdfPageDpis(path)) {
      const prefix = join(tmp, `${name}-p${page}`);
      const r = spawnSync('pdftoppm', ['-r', String(dpi || 300), '-gray', '-png', '-singlefile', '-f', String(page), '-l', String(page), path, prefix]);
      if (r.status !== 0) throw new Error(`pdftoppm ${name} p${page}: ${r.stderr}`);
      out.push({ name: `${name} p${page}`, path: `${prefix}.png`, args: ['--dpi', String(dpi || 300)] });
    }
  }
  return { out, skipped };
}

export async function benchOcr({ root, runs = 3 }) {
  const load = loadavg()[0];
  const dir = join(root, 'fixtures', 'scan');
  const inputs = FILES.map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
  const hasTesseract = hasTool('tesseract', '--version');
  const tmp = mkdtempSync(join(tmpdir(), 'govtables-bench-ocr-'));
  try {
    const cli = hasTesseract ? tesseractInputs(dir, tmp) : null;
    let pages = 0;
    const rowsBy = {};
    const fig = { 1: { ms: [], start: [], peak: 0 }, 2: { ms: [], start: [], peak: 0 }, cli: { ms: [], peak: 0 } };
    const scanAll = async (workers) => {
      const t0 = performance.now();
      const pool = await createOcrPool(workers);
      fig[workers].start.push(performance.now() - t0);
      try {
        const m = await measure(async () => {
          pages = 0;
          const rows = [];
          for (const { name, bytes } of inputs) {
            const doc = await extractScan(bytes, { file: name, workers, pool });
            pages += doc.pages;
            rows.push(doc.rows.map((r) => r.cells.map((c) => c.text)));
          }
          rowsBy[workers] = JSON.stringify(rows);
        }, 1);
        fig[workers].ms.push(m.ms);
        fig[workers].peak = Math.max(fig[workers].peak, m.peakMiB);
      } finally {
        await pool.terminate();
      }
    };
    let cliPages = 0;
    const cliAll = () => {
      cliPages = 0;
      for (const { name, path, args } of cli.out) {
        const r = spawnSync('tesseract', [path, '-', '-l', 'chi_sim', '--psm', '6', ...args], {
          env: { ...process.env, OMP_THREAD_LIMIT: '1' }, encoding: 'utf8', maxBuffer: 1 << 26,
        });
        if (r.status !== 0) throw new Error(`tesseract ${name}: ${r.stderr}`);
        // A multi-page TIFF prints its pages separated by form feeds.
        cliPages += Math.max(1, r.stdout.split('\f').filter((t) => t.trim() !== '').length);
      }
    };
    for (let r = 0; r < runs; r++) {
      await scanAll(1);
      await scanAll(2);
      if (cli && cli.out.length > 0) {
        const m = await measure(cliAll, 1);
        fig.cli.ms.push(m.ms);
      }
    }
    const perPage = (k) => median(fig[k].ms) / 1000 / pages;
    const lines = [
      `scans: ${inputs.length} files (${FILES.join(', ')}), ${pages} pages, median of ${runs} interleaved runs, ${availableParallelism()} cores, load average at start ${fmt(load, 2)}`,
      `  extractScan, 1 worker:  ${fmt(perPage(1), 2)} s/page, pool start-up ${fmt(median(fig[1].start) / 1000, 2)} s (not in the per-page figure), peak RSS ${fmt(fig[1].peak)} MiB`,
      `  extractScan, 2 workers: ${fmt(perPage(2), 2)} s/page, pool start-up ${fmt(median(fig[2].start) / 1000, 2)} s (not in the per-page figure), peak RSS ${fmt(fig[2].peak)} MiB`,
      `  speed-up 2 vs 1 worker: ${fmt(perPage(1) / perPage(2), 2)}× (aim ≥ 1.7×); same cell text with 1 and 2 workers: ${rowsBy[1] === rowsBy[2] ? 'yes' : 'no'}`,
    ];
    if (!hasTesseract) {
      lines.push('  tesseract CLI: not installed, skipped');
    } else {
      const cliPerPage = median(fig.cli.ms) / 1000 / cliPages;
      const skipped = cli.skipped.length ? `; ${cli.skipped.join(', ')} skipped (pdftoppm not installed)` : '';
      lines.push(`  tesseract CLI (scale: whole page, -l chi_sim --psm 6, OMP_THREAD_LIMIT=1, system chi_sim model): ${fmt(cliPerPage, 2)} s/page over ${cliPages} pages${skipped} (extractScan with 1 worker takes ${fmt(perPage(1) / cliPerPage, 2)}× as long per page)`);
    }
    return lines.join('\n');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
