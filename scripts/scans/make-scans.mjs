#!/usr/bin/env node
// Builds the scanned-form fixtures in fixtures/scan/ from a ruled text PDF: rasterise, skew a
// little, add noise, blur and JPEG artefacts, wrap as image-only PDFs, plus one PNG and one
// multi-page TIFF. Needs Debian poppler-utils, imagemagick, img2pdf (and libreoffice-writer +
// fonts-noto-cjk when no fixture PDF exists yet). CI never runs this: its outputs are committed.
//
//   node scripts/scans/make-scans.mjs [--source FILE.pdf] [--only NAME,NAME…]
//
// `--only` rebuilds just the named outputs (seeds stay those of a full run, so a rebuilt file is
// the same file). `--source` replaces the Mianyang seed PDF only; the other families' entries
// name their own fixture PDF.
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
  // One scan per other family: the pages holding its first project form, whole. `title` is
  // checked against the first page's text layer, so a regenerated fixture PDF that moved the
  // form fails here instead of yielding a scan of the wrong page.
  ...FAMILY_SCANS(),
  // Forms that are not seeds: one variation per family (fixtures/variations/), printed by
  // `make-pdfs.mjs --variations` with the producer the family's seed scan uses.
  ...VARIATION_SCANS(),
];

function FAMILY_SCANS() {
  const pdf = (seed, renderer) => join(root, 'fixtures', 'pdf', `${seed}.${renderer}.pdf`);
  return [
    // LibreOffice sets the first 批复表 over three pages (its 效益/满意度 rows on page 3);
    // Chromium's rendering of the same form fits on two, so that is the one scanned.
    { name: 'luan-300.pdf', kind: 'pdf', dpi: 300, source: pdf('001_5e2b26b8bb821a85', 'chromium'), title: '部门预算财政支出绩效目标批复表',
      pages: [{ page: 1, angle: -0.5 }, { page: 2, angle: 0.8 }] },
    // Page 2 holds the form's last row (服务对象满意度).
    { name: 'suining-300.pdf', kind: 'pdf', dpi: 300, source: pdf('002_3903fb4e2e6b4dba', 'libreoffice'), title: '市级预算项目支出绩效目标申报表',
      pages: [{ page: 1, angle: 0.7 }, { page: 2, angle: -0.3 }] },
    // Pages 1–20 are the budget report and its tables; the first 绩效目标申报表 is pages 21–22.
    { name: 'qinyang-300.pdf', kind: 'pdf', dpi: 300, source: pdf('003_3f6deaa4e70e764f', 'libreoffice'), title: '部门(单位)预算项目绩效目标申报表',
      pages: [{ page: 21, angle: -0.8 }, { page: 22, angle: 0.4 }] },
    // LibreOffice spills the form's last indicator row onto a third page; Chromium fits it on two.
    { name: 'hongshan-300.pdf', kind: 'pdf', dpi: 300, source: pdf('004_24ca01b87d61eeb2', 'chromium'), title: '项目资金绩效目标申报表',
      pages: [{ page: 1, angle: 0.6 }, { page: 2, angle: -0.9 }] },
  ];
}

function VARIATION_SCANS() {
  const pdf = (name, renderer) => join(root, 'fixtures', 'pdf-variations', `${name}.${renderer}.pdf`);
  return [
    // 项目基本信息表 and 项目支出绩效目标申报表 of the first project.
    { name: 'var-mianyang-300.pdf', kind: 'pdf', dpi: 300, source: pdf('mianyang_a_agriculture', 'libreoffice'), title: '项目基本信息表',
      pages: [{ page: 1, angle: -0.6 }, { page: 2, angle: 0.9 }] },
    // Chromium fits the first 批复表 on one page.
    { name: 'var-luan-300.pdf', kind: 'pdf', dpi: 300, source: pdf('luan_a_education', 'chromium'), title: '部门预算财政支出绩效目标批复表',
      pages: [{ page: 1, angle: 0.4 }] },
    { name: 'var-suining-300.pdf', kind: 'pdf', dpi: 300, source: pdf('suining_a_civil', 'libreoffice'), title: '市级预算项目支出绩效目标申报表',
      pages: [{ page: 1, angle: -0.9 }] },
    // Pages 1–2 are the budget report and its table; the 申报表 is page 3.
    { name: 'var-qinyang-300.pdf', kind: 'pdf', dpi: 300, source: pdf('qinyang_b_civil', 'libreoffice'), title: '部门(单位)预算项目绩效目标申报表',
      pages: [{ page: 3, angle: 0.7 }] },
    // Page 2 holds the form's last two indicator rows.
    { name: 'var-hongshan-300.pdf', kind: 'pdf', dpi: 300, source: pdf('hongshan_a_civil', 'chromium'), title: '项目资金绩效目标申报表',
      pages: [{ page: 1, angle: -0.4 }, { page: 2, angle: 1.0 }] },
  ];
}

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
  const base = join(work, `s${seed}-p${page}-${dpi}`);
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

/** Fails when `page` of `pdf` does not carry `title` in its text layer (spaces ignored). */
function checkTitle(pdf, page, title) {
  const text = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), pdf, '-'], { encoding: 'utf8' });
  if (!text.replace(/\s+/g, '').includes(title)) throw new Error(`${pdf} page ${page} does not hold ${title}`);
}

function main() {
  const i = process.argv.indexOf('--only');
  const only = i > 0 && process.argv[i + 1] ? new Set(process.argv[i + 1].split(',')) : null;
  const work = mkdtempSync(join(tmpdir(), 'govtables-scans-'));
  try {
    mkdirSync(outDir, { recursive: true });
    const seedPdf = sourcePdf(work);
    let seed = 1;
    for (const o of OUTPUTS) {
      const first = seed;
      seed += o.pages.length;
      if (only && !only.has(o.name)) continue;
      const pdf = o.source ?? seedPdf;
      if (o.title) checkTitle(pdf, o.pages[0].page, o.title);
      const pngs = o.pages.map((p, k) => degradedPage(work, pdf, p.page, o.dpi, p.angle, first + k));
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
