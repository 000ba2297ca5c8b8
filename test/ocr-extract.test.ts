import net from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas, PDFDocument } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { segmentsToGrids } from '../src/extract/grid/lattice.js';
import type { Grid } from '../src/extract/grid/types.js';
import type { ExtractedDocument, Row } from '../src/extract/rows.js';
import { langPathOf, tesseractTextToCellText } from '../src/extract/ocr/cellOcr.js';
import { grayToBinary } from '../src/extract/ocr/binarize.js';
import { binaryToSkewAngle } from '../src/extract/ocr/deskew.js';
import type { BinaryImage, GrayImage } from '../src/extract/ocr/image.js';
import { DEFAULT_OCR_ENGINE, extractScan, gridToRows, OcrError, settingsOf, type OcrPool } from '../src/extract/ocr/index.js';
import { ppOcrModelPaths } from '../src/extract/ocr/ppocr.js';
import { pageImageToLayout } from '../src/extract/ocr/layout.js';
import { bytesToPageSource } from '../src/extract/ocr/pageImages.js';
import { binaryToRules } from '../src/extract/ocr/rules.js';
import { tiffPageToGray } from '../src/extract/ocr/tiff.js';

const SCANS = join(import.meta.dirname, '..', 'fixtures', 'scan');

interface Label {
  row: number;
  col: number;
  text: string;
}
interface FormExpect {
  rows: number;
  cols: number;
  cells: number;
  labels: Label[];
  blank: { row: number; col: number }[];
}
interface PageExpect {
  page: number;
  form: string;
  dpi: number;
  skewDeg: number;
}
const expected = JSON.parse(readFileSync(join(SCANS, 'expected.json'), 'utf8')) as {
  forms: Record<string, FormExpect>;
  files: Record<string, PageExpect[]>;
};

function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length]!;
}

/** The rows of the n-th table on `page` (tables are runs of multi-cell rows between blank rows). */
function tableRows(doc: ExtractedDocument, page: number): Row[] {
  const rows = doc.rows.filter((r) => r.page === page);
  const start = rows.findIndex((r) => r.cells.length > 1);
  const out: Row[] = [];
  for (let i = start; i >= 0 && i < rows.length && rows[i]!.cells.length > 0; i++) out.push(rows[i]!);
  return out;
}

function expectLabels(table: Row[], form: FormExpect): void {
  expect(table).toHaveLength(form.rows);
  for (const l of form.labels) {
    const cell = table[l.row]!.cells.find((c) => c.col === l.col);
    expect(cell, `cell ${l.row},${l.col}`).toBeDefined();
    expect(editDistance(cell!.text, l.text), `"${cell!.text}" vs "${l.text}"`).toBeLessThanOrEqual(1);
    expect(cell!.conf).toBeGreaterThan(0);
    expect(cell!.conf).toBeLessThanOrEqual(100);
    expect(cell!.box).toHaveLength(4);
  }
  for (const b of form.blank) {
    const cell = table[b.row]!.cells.find((c) => c.col === b.col);
    expect(cell?.text).toBe('');
  }
  const read = table.flatMap((r) => r.cells).filter((c) => c.text !== '');
  expect(read.length).toBeGreaterThan(form.cells / 2);
  for (const c of read) expect(typeof c.conf).toBe('number');
}

describe('scan geometry (no OCR)', () => {
  it('finds the ruled grid and the skew of every fixture page', async () => {
    const s = settingsOf();
    for (const [file, pages] of Object.entries(expected.files)) {
      const src = await bytesToPageSource(readFileSync(join(SCANS, file)), file, s);
      try {
        expect(src.pages, file).toBe(pages.length);
        for (const p of pages) {
          const img = await src.load(p.page);
          expect(img.dpi, `${file} p${p.page}`).toBe(p.dpi);
          if (src.format === 'pdf') expect(img.origin).toBe('embedded');
          const layout = pageImageToLayout(img, s);
          expect(Math.abs(layout.skewDeg - p.skewDeg), `${file} p${p.page} skew ${layout.skewDeg}`).toBeLessThanOrEqual(0.1);
          const form = expected.forms[p.form]!;
          expect(layout.grids, `${file} p${p.page}`).toHaveLength(1);
          const g = layout.grids[0]!;
          expect([g.ys.length - 1, g.xs.length - 1, g.cells.length], `${file} p${p.page}`).toEqual([form.rows, form.cols, form.cells]);
        }
      } finally {
        await src.close();
      }
    }
  }, 120_000);

  it('renders a PDF page drawn with vector rules instead of taking an image from it', async () => {
    const pdf = new PDFDocument();
    const ctx = pdf.beginPage(300, 200);
    ctx.lineWidth = 0.75;
    for (const y of [20, 70, 120, 170]) {
      ctx.beginPath();
      ctx.moveTo(20, y);
      ctx.lineTo(280, y);
      ctx.stroke();
    }
    for (const x of [20, 120, 280]) {
      ctx.beginPath();
      ctx.moveTo(x, 20);
      ctx.lineTo(x, 170);
      ctx.stroke();
    }
    pdf.endPage();
    const s = settingsOf({ renderDpi: 150 });
    const src = await bytesToPageSource(pdf.close(), 'vector.pdf', s);
    try {
      const img = await src.load(1);
      expect([img.origin, img.dpi, img.width]).toEqual(['rendered', 150, Math.ceil((300 * 150) / 72)]);
      const [grid] = pageImageToLayout(img, s).grids;
      expect([grid!.ys.length - 1, grid!.xs.length - 1, grid!.cells.length]).toEqual([3, 2, 6]);
    } finally {
      await src.close();
    }
  });

  it('reads JPEG input and falls back to the default resolution when none is stored', async () => {
    const canvas = createCanvas(120, 80);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 120, 80);
    ctx.fillStyle = '#000';
    ctx.fillRect(10, 10, 50, 20);
    const src = await bytesToPageSource(canvas.toBuffer('image/jpeg'), 'x.jpg', settingsOf({ defaultDpi: 240 }));
    const img = await src.load(1);
    expect([src.format, src.pages, img.width, img.height]).toEqual(['jpeg', 1, 120, 80]);
    expect(img.dpi).toBe(240);
    expect(img.data[20 * 120 + 30]!).toBeLessThan(60);
    expect(img.data[60 * 120 + 100]!).toBeGreaterThan(200);
  });

  it('reads rules off a drawn grid and ignores a line of text-like strokes', () => {
    const w = 400;
    const h = 300;
    const data = new Uint8Array(w * h);
    const hline = (y: number, x0: number, x1: number) => data.fill(1, y * w + x0, y * w + x1);
    const vline = (x: number, y0: number, y1: number) => {
      for (let y = y0; y < y1; y++) data[y * w + x] = 1;
    };
    for (const y of [20, 120, 220]) hline(y, 20, 381);
    for (const x of [20, 200, 380]) vline(x, 20, 221);
    // Strokes of "text": long dark runs with ink right above and below, not rules.
    for (let y = 150; y < 160; y++) for (let x = 40; x < 180; x += 3) data[y * w + x] = 1;
    hline(155, 40, 180);
    const img: BinaryImage = { width: w, height: h, data };
    const rules = binaryToRules(img, { minLength: 60, shortLength: 30, gap: 2, maxThickness: 6, neighbourGap: 2, maxNeighbourInk: 0.35, snap: 6 });
    expect(rules.horizontal).toHaveLength(3);
    expect(rules.vertical).toHaveLength(3);
    const grids = segmentsToGrids(rules.horizontal, rules.vertical, { snapTolerance: 6, joinTolerance: 6, intersectionTolerance: 6 });
    expect(grids).toHaveLength(1);
    expect(grids[0]!.cells).toHaveLength(4);
  });

  it('binarizes unevenly lit paper with Sauvola where one Otsu threshold fails', () => {
    const w = 300;
    const h = 100;
    const data = new Uint8Array(w * h);
    const stroke = (x: number, y: number) => x % 30 < 4 && y > 30 && y < 70;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const paper = 250 - Math.round((160 * x) / w);
        data[y * w + x] = stroke(x, y) ? paper - 60 : paper;
      }
    }
    const img: GrayImage = { width: w, height: h, data, dpi: 300 };
    const inkShare = (b: BinaryImage, onStroke: boolean): number => {
      let n = 0;
      let total = 0;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          if (stroke(x, y) !== onStroke) continue;
          total++;
          n += b.data[y * w + x]!;
        }
      }
      return n / total;
    };
    const otsu = grayToBinary(img, settingsOf());
    const sauvola = grayToBinary(img, settingsOf({ binarize: 'sauvola' }));
    expect(inkShare(otsu, false)).toBeGreaterThan(0.2);
    expect(inkShare(sauvola, false)).toBeLessThan(0.02);
    expect(inkShare(sauvola, true)).toBeGreaterThan(0.9);
  });

  it('measures skew from the slope of the lines', () => {
    const w = 800;
    const h = 600;
    const data = new Uint8Array(w * h);
    const t = Math.tan((0.7 * Math.PI) / 180);
    for (const y0 of [100, 250, 400]) for (let x = 50; x < 750; x++) data[Math.round(y0 + x * t) * w + x] = 1;
    expect(binaryToSkewAngle({ width: w, height: h, data }, 2, 0.05)).toBeCloseTo(0.7, 1);
  });
});

describe('rows and text', () => {
  it('puts an empty cell where a row-span from above covers a slot', () => {
    const grid: Grid = {
      xs: [0, 10, 20],
      ys: [0, 10, 20],
      box: [0, 0, 20, 20],
      cells: [
        { row: 0, col: 0, rowSpan: 2, colSpan: 1, box: [0, 0, 10, 20] },
        { row: 0, col: 1, rowSpan: 1, colSpan: 1, box: [10, 0, 20, 10] },
        { row: 1, col: 1, rowSpan: 1, colSpan: 1, box: [10, 10, 20, 20] },
      ],
    };
    const rows = gridToRows(3, grid, [{ text: '产出指标', conf: 90, notes: [] }, { text: '数量指标', conf: 80, notes: [] }, null]);
    expect(rows.map((r) => r.cells.map((c) => c.text))).toEqual([['产出指标', '数量指标'], ['', '']]);
    expect(rows[0]!.cells[0]).toMatchObject({ col: 0, colSpan: 1, conf: 90, box: [0, 0, 10, 20] });
    expect(rows[1]!.cells[0]!.conf).toBeUndefined();
    expect(rows.every((r) => r.page === 3)).toBe(true);
  });

  it('drops the spaces tesseract puts between CJK characters, keeps Latin word spaces', () => {
    expect(tesseractTextToCellText('项 目 名 称\n')).toBe('项目名称');
    expect(tesseractTextToCellText('功 能 科 目 编\n码 :')).toBe('功能科目编码:');
    expect(tesseractTextToCellText('2021 年 12 月 31 日')).toBe('2021年12月31日');
    expect(tesseractTextToCellText('Network  fee 1.00 项')).toBe('Network fee 1.00项');
  });

  it('rejects unknown and ill-typed settings', () => {
    expect(() => settingsOf({ bogus: 1 } as never)).toThrow(/unknown ocr setting "bogus"/);
    expect(() => settingsOf({ binarize: 'median' } as never)).toThrow(/binarize/);
    expect(() => settingsOf({ workers: 0 })).toThrow(/workers/);
  });

  it('decodes a multi-page LZW TIFF with its resolution', () => {
    const bytes = readFileSync(join(SCANS, 'form-200.tif'));
    const p2 = tiffPageToGray(bytes, 1, 300);
    expect([p2.width > 1600, p2.height > 2300, p2.dpi]).toEqual([true, true, 200]);
    let dark = 0;
    for (const v of p2.data) if (v < 128) dark++;
    // A form page: mostly paper, a few percent ink.
    expect(dark / p2.data.length).toBeGreaterThan(0.005);
    expect(dark / p2.data.length).toBeLessThan(0.1);
  });
});

describe('errors name the file and page', () => {
  it('refuses bytes that are no image', async () => {
    const err = await extractScan(new TextEncoder().encode('hello'), { file: 'notes.txt' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OcrError);
    expect((err as OcrError).message).toMatch(/^notes\.txt: /);
  });

  it('refuses a page the file does not have', async () => {
    const err = await extractScan(readFileSync(join(SCANS, 'form-200.png')), { file: 'form-200.png', pages: [3] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OcrError);
    expect((err as OcrError).page).toBe(3);
    expect((err as OcrError).message).toMatch(/form-200\.png \(page 3\).*no page 3/);
  });

  it('reports a recognition failure with its page, leaving a caller-owned pool running', async () => {
    let terminated = false;
    const pool: OcrPool = {
      size: 1,
      recognize: async () => {
        throw new Error('engine crashed');
      },
      terminate: async () => {
        terminated = true;
      },
    };
    const err = await extractScan(readFileSync(join(SCANS, 'form-200.png')), { file: 'form-200.png', pool }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OcrError);
    expect((err as OcrError).message).toMatch(/form-200\.png \(page 1\): OCR failed: engine crashed/);
    expect(terminated).toBe(false);
  }, 30_000);

  it('says which TIFF compression it cannot decode, and where', async () => {
    // Little-endian TIFF, one 8×8 bilevel page claiming CCITT Group 4.
    const tags: [number, number, number][] = [
      [256, 3, 8], [257, 3, 8], [258, 3, 1], [259, 3, 4], [262, 3, 0], [273, 4, 8], [277, 3, 1], [278, 3, 8], [279, 4, 0],
    ];
    const b = new Uint8Array(8 + 2 + tags.length * 12 + 4);
    const dv = new DataView(b.buffer);
    b.set([0x49, 0x49, 42, 0]);
    dv.setUint32(4, 8, true);
    dv.setUint16(8, tags.length, true);
    tags.forEach(([tag, type, value], i) => {
      const e = 10 + i * 12;
      dv.setUint16(e, tag, true);
      dv.setUint16(e + 2, type, true);
      dv.setUint32(e + 4, 1, true);
      if (type === 3) dv.setUint16(e + 8, value, true);
      else dv.setUint32(e + 8, value, true);
    });
    const err = await extractScan(b, { file: 'fax.tif' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OcrError);
    expect((err as OcrError).reason).toBe('unsupported');
    expect((err as OcrError).message).toMatch(/fax\.tif \(page 1\).*CCITT Group 4/);
  });
});

describe('OCR of scanned forms', () => {
  it('keeps the recognition models local', () => {
    expect(existsSync(join(langPathOf('chi_sim'), 'chi_sim.traineddata.gz'))).toBe(true);
    expect(existsSync(join(langPathOf('eng'), 'eng.traineddata.gz'))).toBe(true);
    const pp = ppOcrModelPaths();
    expect(existsSync(pp.model) && existsSync(pp.dictionary)).toBe(true);
  });

  it('reads an image-only PDF page cell by cell with the network blocked', async () => {
    let attempts = 0;
    const realFetch = globalThis.fetch;
    const realConnect = net.Socket.prototype.connect;
    globalThis.fetch = ((..._args: unknown[]) => {
      attempts++;
      throw new Error('network disabled in this test');
    }) as typeof fetch;
    net.Socket.prototype.connect = function connect(): never {
      attempts++;
      throw new Error('network disabled in this test');
    } as unknown as typeof net.Socket.prototype.connect;
    let doc: ExtractedDocument;
    try {
      doc = await extractScan(readFileSync(join(SCANS, 'form-300.pdf')), { file: 'form-300.pdf', workers: 2 });
    } finally {
      globalThis.fetch = realFetch;
      net.Socket.prototype.connect = realConnect;
    }
    expect(attempts).toBe(0);
    expect(doc.kind).toBe('scan');
    expect(doc.pages).toBe(1);
    expect(doc.rows.every((r) => r.page === 1)).toBe(true);
    // The title above the table is a single-cell row, then a blank row, then the table.
    const title = doc.rows.findIndex((r) => r.cells.length === 1 && editDistance(r.cells[0]!.text, '项目支出绩效目标申报表') <= 1);
    expect(title).toBeGreaterThanOrEqual(0);
    expect(doc.rows[title + 1]!.cells).toHaveLength(0);
    expectLabels(tableRows(doc, 1), expected.forms.targets!);
  }, 120_000);

  it('reads the same page with the other engine, tesseract, when asked', async () => {
    expect(DEFAULT_OCR_ENGINE).toBe('ppocr');
    const doc = await extractScan(readFileSync(join(SCANS, 'form-300.pdf')), { file: 'form-300.pdf', workers: 2, engine: 'tesseract' });
    expectLabels(tableRows(doc, 1), expected.forms.targets!);
  }, 120_000);

  it('reads one page of a multi-page TIFF, multi-line label cells included', async () => {
    const doc = await extractScan(readFileSync(join(SCANS, 'form-200.tif')), { file: 'form-200.tif', pages: [1], workers: 2 });
    expect(doc.pages).toBe(2);
    expect(doc.rows.every((r) => r.page === 1)).toBe(true);
    expectLabels(tableRows(doc, 1), expected.forms.info!);
  }, 120_000);

  it('falls back to text lines on a page without rules', async () => {
    // The heading block of the TIFF's first page, above the table: text only.
    const page = tiffPageToGray(readFileSync(join(SCANS, 'form-200.tif')), 0, 200);
    const gray: GrayImage = { ...page, height: 420, data: page.data.subarray(0, page.width * 420) };
    const canvas = createCanvas(gray.width, gray.height);
    const ctx = canvas.getContext('2d');
    const id = ctx.createImageData(gray.width, gray.height);
    gray.data.forEach((v, i) => id.data.set([v, v, v, 255], i * 4));
    ctx.putImageData(id, 0, 0);
    const doc = await extractScan(canvas.toBuffer('image/png'), { file: 'heading.png', workers: 1, settings: { defaultDpi: 200 } });
    const texts = doc.rows.filter((r) => r.cells.length > 0).map((r) => r.cells.map((c) => c.text).join('|'));
    expect(texts.some((t) => editDistance(t, '项目基本信息表') <= 1), texts.join(' / ')).toBe(true);
    expect(texts.some((t) => t.includes('单位')), texts.join(' / ')).toBe(true);
    for (const r of doc.rows) for (const c of r.cells) expect(c.conf).toBeGreaterThan(0);
  }, 60_000);
});
