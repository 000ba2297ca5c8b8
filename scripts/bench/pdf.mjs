// Text-layer PDFs: the 10 fixture PDFs (whole rounds) until at least `minPages` pages. The
// reference in the same run is the raw pdf.js pass every PDF reader pays: per page
// getTextContent() + getOperatorList(), opened with the extractor's own loading options.
// Then the extractor alone, the full pipeline, pdftotext -layout for scale (when installed),
// and a batch ingest into SQLite at concurrency 1 vs 2 with the process CPU/wall ratio.
import { spawnSync } from 'node:child_process';
import { copyFileSync, appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, sep } from 'node:path';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { extractPdf } from '../../dist/src/extract/pdf/index.js';
import { extractBytes } from '../../dist/src/pipeline/extract.js';
import { ingestPaths } from '../../dist/src/pipeline/ingest.js';
import { createExtractors } from '../../dist/src/pipeline/runExtractors.js';
import { DEFAULT_LIMITS } from '../../dist/src/limits.js';
import { openDb } from '../../dist/src/store/db.js';
import { fmt, measure, median } from './stats.mjs';

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** The loading options of src/extract/pdf/load.ts (offline assets as file paths). */
function loadingOptions(bytes) {
  return {
    data: new Uint8Array(bytes),
    cMapUrl: join(pdfjsRoot, 'cmaps') + sep,
    cMapPacked: true,
    standardFontDataUrl: join(pdfjsRoot, 'standard_fonts') + sep,
    wasmUrl: join(pdfjsRoot, 'wasm') + sep,
    iccUrl: join(pdfjsRoot, 'iccs') + sep,
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    stopAtErrors: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  };
}

/** Raw pdf.js: open, every page's text content and operator list, close. Returns the page count. */
async function rawPass(bytes) {
  const doc = await pdfjs.getDocument(loadingOptions(bytes)).promise;
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      try {
        await page.getTextContent();
        await page.getOperatorList();
      } finally {
        page.cleanup();
      }
    }
    return doc.numPages;
  } finally {
    await doc.destroy();
  }
}

function hasTool(name) {
  const r = spawnSync(name, ['-v'], { stdio: 'ignore' });
  return !(r.error && r.error.code === 'ENOENT');
}

/** Runs fn, returns { ms, cpuOverWall } for that one call. */
async function cpuWall(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuOverWall: (c.user + c.system) / 1000 / ms };
}

export async function benchPdf({ root, minPages = 100, runs = 3, copies = 2 }) {
  const load = loadavg()[0];
  const dir = join(root, 'fixtures', 'pdf');
  const files = readdirSync(dir).filter((f) => f.endsWith('.pdf')).sort()
    .map((f) => ({ name: f, path: join(dir, f), bytes: readFileSync(join(dir, f)) }));
  // Page counts from the extractor's result (also the warm-up of pdf.js and the extractor).
  for (const f of files) f.pages = (await extractPdf(f.bytes, { file: f.name })).pages;
  const inputs = [];
  let pages = 0;
  while (pages < minPages) for (const f of files) { inputs.push(f); pages += f.pages; }
  for (const f of files) await extractBytes(f.bytes, f.name); // warm-up of the lazy imports

  // The passes are interleaved, one of each per round, so load from elsewhere on the machine
  // hits them alike; each figure is the median over the rounds.
  const hasPdftotext = hasTool('pdftotext');
  let rows = 0;
  let records = 0;
  const status = {};
  const passes = {
    raw: async () => {
      let seen = 0;
      for (const f of inputs) seen += await rawPass(f.bytes);
      if (seen !== pages) throw new Error(`raw pdf.js saw ${seen} pages, the extractor ${pages}`);
    },
    extractor: async () => {
      rows = 0;
      for (const f of inputs) rows += (await extractPdf(f.bytes, { file: f.name })).rows.length;
    },
    pipeline: async () => {
      for (const k of Object.keys(status)) delete status[k];
      records = 0;
      for (const f of inputs) {
        const r = await extractBytes(f.bytes, f.name);
        status[r.document.status] = (status[r.document.status] ?? 0) + 1;
        for (const p of r.projects) records += 1 + p.indicators.length;
        records += r.budget_lines.length;
      }
    },
    ...(hasPdftotext ? {
      poppler: () => {
        for (const f of inputs) {
          const r = spawnSync('pdftotext', ['-layout', f.path, '-'], { maxBuffer: 1 << 28 });
          if (r.status !== 0) throw new Error(`pdftotext ${f.name}: ${r.stderr}`);
        }
      },
    } : {}),
  };
  const times = Object.fromEntries(Object.keys(passes).map((k) => [k, { all: [], peak: 0 }]));
  for (let r = 0; r < runs; r++) {
    for (const [k, fn] of Object.entries(passes)) {
      const m = await measure(fn, 1);
      times[k].all.push(m.ms);
      times[k].peak = Math.max(times[k].peak, m.peakMiB);
    }
  }
  const fig = (k) => (times[k] ? { ms: median(times[k].all), peakMiB: times[k].peak } : null);
  const raw = fig('raw');
  const extractor = fig('extractor');
  const pipeline = fig('pipeline');
  const poppler = fig('poppler');

  // Batch ingest: each PDF copied `copies` times, a distinct comment appended after %%EOF
  // (still a valid PDF, a new sha256, so a new doc_id).
  const tmp = mkdtempSync(join(tmpdir(), 'govtables-bench-pdf-'));
  const batch = join(tmp, 'in');
  mkdirSync(batch);
  for (const f of files) {
    for (let i = 0; i < copies; i++) {
      const to = join(batch, `${basename(f.name, '.pdf')}.copy${i}.pdf`);
      copyFileSync(f.path, to);
      appendFileSync(to, `\n% bench copy ${i}\n`);
    }
  }
  const batchPages = files.reduce((s, f) => s + f.pages, 0) * copies;
  const batchFiles = files.length * copies;
  let n = 0;
  const ingest = {};
  try {
    // Interleaved runs, so drift (thermal, page cache) hits both settings alike.
    const samples = { 1: [], 2: [] };
    const summaries = {};
    let peak = process.memoryUsage.rss();
    for (let r = 0; r < runs; r++) {
      for (const concurrency of [1, 2]) {
        const db = openDb(join(tmp, `db${n++}.sqlite`));
        try {
          globalThis.gc?.();
          samples[concurrency].push(await cpuWall(async () => {
            // As the CLI reads them: in worker processes, one per document in hand.
            const extractors = createExtractors({ limits: DEFAULT_LIMITS, workers: concurrency, isolate: true });
            try {
              summaries[concurrency] = await ingestPaths(db, [batch], { concurrency, extractors });
            } finally {
              await extractors.close();
            }
          }));
        } finally {
          db.close();
        }
        peak = Math.max(peak, process.memoryUsage.rss());
      }
    }
    for (const c of [1, 2]) {
      ingest[c] = { ms: median(samples[c].map((s) => s.ms)), cpuOverWall: median(samples[c].map((s) => s.cpuOverWall)), summary: summaries[c] };
    }
    ingest.peakMiB = peak / 2 ** 20;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const rate = (m) => pages / (m.ms / 1000);
  const bRate = (c) => batchPages / (ingest[c].ms / 1000);
  const sum = (s) => `${s.ok} ok, ${s.partial} partial, ${s.failed} failed`;
  const statusLine = ['ok', 'partial', 'failed'].map((k) => `${status[k] ?? 0} ${k}`).join(', ');
  const lines = [
    `text-layer PDFs: ${inputs.length} files (the ${files.length} fixtures × ${inputs.length / files.length}), ${fmt(pages)} pages, median of ${runs} interleaved runs, load average at start ${fmt(load, 2)}`,
    `  (a) raw pdf.js text + operators (reference): ${fmt(rate(raw), 1)} pages/s, peak RSS ${fmt(raw.peakMiB)} MiB`,
    `  (b) extractPdf only:             ${fmt(rate(extractor), 1)} pages/s, ${fmt(rows)} rows, peak RSS ${fmt(extractor.peakMiB)} MiB (${fmt(rate(extractor) / rate(raw), 2)}× the reference)`,
    `  (c) extractBytes full pipeline:  ${fmt(rate(pipeline), 1)} pages/s, ${fmt(records)} records (${statusLine}), peak RSS ${fmt(pipeline.peakMiB)} MiB (${fmt(rate(pipeline) / rate(raw), 2)}× the reference; aim ≥ 0.75×)`,
    poppler
      ? `  (d) pdftotext -layout (scale):   ${fmt(rate(poppler), 1)} pages/s (one process per file, text only, no tables)`
      : '  (d) pdftotext: not installed, skipped',
    `  (e) ingest into SQLite, ${batchFiles} files (${copies} distinct copies of each), ${fmt(batchPages)} pages, ${availableParallelism()} cores available, median of ${runs}:`,
    `      concurrency 1: ${fmt(bRate(1), 1)} pages/s, CPU/wall ${fmt(ingest[1].cpuOverWall, 2)} (${sum(ingest[1].summary)})`,
    `      concurrency 2: ${fmt(bRate(2), 1)} pages/s, CPU/wall ${fmt(ingest[2].cpuOverWall, 2)} (${sum(ingest[2].summary)})`,
    `      speed-up ${fmt(bRate(2) / bRate(1), 2)}× (2 busy cores would show CPU/wall near 2), peak RSS ${fmt(ingest.peakMiB)} MiB`,
  ];
  return lines.join('\n');
}
