#!/usr/bin/env node
// Builds the scanned-form fixtures in fixtures/scan/ from a ruled text PDF: rasterise, skew a
// little, add noise, blur and JPEG artefacts, wrap as image-only PDFs, plus one PNG and one
// multi-page TIFF. Needs Debian poppler-utils, imagemagick, img2pdf (and libreoffice-writer +
// fonts-noto-cjk when no fixture PDF exists yet). CI never runs this: its outputs are committed.
//
//   node scripts/scans/make-scans.mjs [--source FILE.pdf]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const outDir = join(root, 'fixtures', 'scan');

// Every output is one entry: which source pages, at what dpi, skewed by how much. Angles are
// kept within what the deskewer searches (±2°) and differ in sign so both directions are seen.
const OUTPUTS = [
  { name: 'form-300.pdf', kind: 'pdf', dpi: 300, pages: [{ page: 2, angle: 0.6 }] },
  { name: 'form-200.pdf', kind: 'pdf', dpi: 200, pages: [{ page: 1, angle: -0.4 }, { page: 2, angle: 0.9 }] },
  { name: 'form-200.png', kind: 'png', dpi: 200, pages: [{ page: 2, angle: -0.3 }] },
  { name: 'form-200.tif', kind: 'tiff', dpi: 200, pages: [{ page: 1, angle: 0.5 }, { page: 2, angle: -0.7 }] },
];

function run(cmd, args, cwd) {
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
}

// The seed's text-PDF rendering (its first two pages: 项目基本信息表 and 绩效目标申报表), so
// the scans hold the same forms the other extractors read; the HTML stand-in has the same
// two forms for when the fixture PDFs have not been generated.
const SEED_PDF = join(root, 'fixtures', 'pdf', '000_6f0229354a83724c.libreoffice.pdf');

function sourcePdf(work) {
  const i = process.argv.indexOf('--source');
  if (i > 0 && process.argv[i + 1]) return resolve(process.argv[i + 1]);
  if (existsSync(SEED_PDF)) return SEED_PDF;
  const html = join(here, 'sample-form.html');
  copyFileSync(html, join(work, 'sample-form.html'));
  // writer_web_pdf_Export keeps the HTML table borders as real rules.
  run('soffice', ['--headless', '--convert-to', 'pdf:writer_web_pdf_Export', 'sample-form.html'], work);
  return join(work, 'sample-form.pdf');
}

/** One degraded grayscale page: rasterise, rotate, noise, blur. Returns a PNG path. */
function degradedPage(work, pdf, page, dpi, angle, seed) {
  const base = join(work, `p${page}-${dpi}`);
  run('pdftoppm', ['-r', String(dpi), '-gray', '-png', '-singlefile', '-f', String(page), '-l', String(page), pdf, base]);
  const out = `${base}-${seed}.png`;
  run('convert', [
    `${base}.png`, '-seed', String(seed),
    '-background', 'white', '-rotate', String(angle),
    '-attenuate', '0.25', '+noise', 'Gaussian',
    '-blur', '0x0.5',
    '-colorspace', 'Gray', '-depth', '8',
    '-density', String(dpi), '-units', 'PixelsPerInch',
    out,
  ]);
  return out;
}

function jpegOf(png, dpi) {
  const out = png.replace(/\.png$/, '.jpg');
  run('convert', [png, '-quality', '55', '-density', String(dpi), '-units', 'PixelsPerInch', out]);
  return out;
}

function main() {
  const work = mkdtempSync(join(tmpdir(), 'govtables-scans-'));
  try {
    mkdirSync(outDir, { recursive: true });
    const pdf = sourcePdf(work);
    let seed = 1;
    for (const o of OUTPUTS) {
      const pngs = o.pages.map((p) => degradedPage(work, pdf, p.page, o.dpi, p.angle, seed++));
      const target = join(outDir, o.name);
      if (o.kind === 'pdf') {
        // JPEG inside the PDF is what scanners produce: DCT artefacts on the rules and text.
        run('img2pdf', ['--imgsize', `${o.dpi}dpi`, '-o', target, ...pngs.map((p) => jpegOf(p, o.dpi))]);
      } else if (o.kind === 'png') {
        // Round-trip through JPEG so the PNG carries the same artefacts as the PDFs.
        run('convert', [jpegOf(pngs[0], o.dpi), '-density', String(o.dpi), '-units', 'PixelsPerInch', target]);
      } else {
        run('convert', [
          ...pngs.map((p) => jpegOf(p, o.dpi)),
          '-colorspace', 'Gray', '-depth', '8', '-compress', 'LZW',
          '-density', String(o.dpi), '-units', 'PixelsPerInch', target,
        ]);
      }
      console.log(`${o.name}\t${statSync(target).size} bytes`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (!existsSync(join(here, 'sample-form.html'))) throw new Error('scripts/scans/sample-form.html is missing');
main();
