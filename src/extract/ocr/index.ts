// Scan extractor: image-only PDFs, PNG, JPEG and TIFF → rows, like every other extractor.
//   pageImages → layout (deskew, rules, grids, text lines) → cellOcr → rows
// Ruled tables give one Row per grid row; text outside them one single-cell Row per line;
// a page without rules goes through the shared stream (whitespace) strategy.
import { OverLimit, type Limits } from '../../limits.js';
import { ExtractError } from '../errors.js';
import type { TextBox } from '../grid/reading.js';
import { streamRows } from '../grid/stream.js';
import type { Grid } from '../grid/types.js';
import { PdfError } from '../pdf/errors.js';
import type { Box, Cell, ExtractedDocument, Row } from '../rows.js';
import { cellToCrop, cellToTextLines, textLinesToCrop, textLinesToLineHeight, type CellCrop, type CropSettings } from './cellOcr.js';
import type { OcrEngineName, OcrPool } from './engine.js';
import { createOcrPool } from './pool.js';
import { readCell, type CellReading, type ReadSettings } from './readCell.js';
import { OcrError } from './errors.js';
import type { PxRect } from './image.js';
import { pageImageToLayout, textLineSettingsOf, type PageLayout } from './layout.js';
import { bytesToPageSource, type PageImage, type PageImageSource } from './pageImages.js';
import { inchesToPx, settingsOf, type OcrSettings } from './settings.js';
import { stampInkIn } from './stamps.js';
import { TiffError } from './tiff.js';
import { DEFAULT_RESOLUTION_SETTINGS, pageToResolution } from './resolution.js';

export { OcrError } from './errors.js';
export { DEFAULT_OCR_SETTINGS, settingsOf, type OcrSettings } from './settings.js';
export { createOcrPool } from './pool.js';
export { DEFAULT_OCR_ENGINE, isOcrEngineName, OCR_ENGINES, type OcrEngineName, type OcrPool } from './engine.js';

export interface ExtractScanOptions {
  /** Name used in errors and notes. */
  file?: string;
  /** Tesseract workers (default: available parallelism); ignored when `pool` is given. */
  workers?: number;
  /** 1-based pages to read (default: all). */
  pages?: number[];
  settings?: Partial<OcrSettings>;
  /** A pool shared across files; the caller terminates it. */
  pool?: OcrPool;
  /** The engine of the pool started when none is given (default: DEFAULT_OCR_ENGINE). */
  engine?: OcrEngineName;
  /** Pixels per image and pages per document, checked from headers before decoding. */
  limits?: Limits;
  /** Called as each page is started (a watchdog times pages by it). */
  onPage?: (page: number) => void;
}

type Note = ExtractedDocument['notes'][number];

function rectToBox(r: PxRect): Box {
  return [r.x0, r.y0, r.x1, r.y1];
}

function boxToRect(b: Box): PxRect {
  return { x0: b[0], y0: b[1], x1: b[2], y1: b[3] };
}

function roundBox(b: Box): Box {
  return [Math.round(b[0]), Math.round(b[1]), Math.round(b[2]), Math.round(b[3])];
}

/**
 * One Row per grid row, cells in column order. A slot covered by a row-span from above gets an
 * empty cell, as a text dump has an empty field there, so columns line up across rows.
 */
export function gridToRows(page: number, grid: Grid, read: readonly (CellReading | null)[]): Row[] {
  const rows: Row[] = [];
  for (let r = 0; r + 1 < grid.ys.length; r++) {
    const cells: Cell[] = [];
    grid.cells.forEach((gc, i) => {
      if (gc.row === r) {
        const res = read[i] ?? null;
        const cell: Cell = { text: res?.text ?? '', col: gc.col, colSpan: gc.colSpan, box: roundBox(gc.box) };
        if (res) cell.conf = res.conf;
        if (res && res.notes.length > 0) cell.notes = res.notes;
        if (res?.stampInk) cell.stampInk = res.stampInk;
        cells.push(cell);
      } else if (gc.row < r && r < gc.row + gc.rowSpan) {
        const box: Box = [gc.box[0], grid.ys[r]!, gc.box[2], grid.ys[r + 1]!];
        cells.push({ text: '', col: gc.col, colSpan: gc.colSpan, box: roundBox(box) });
      }
    });
    cells.sort((a, b) => a.col - b.col);
    rows.push({ page, box: roundBox([grid.xs[0]!, grid.ys[r]!, grid.xs.at(-1)!, grid.ys[r + 1]!]), cells });
  }
  return rows;
}

interface PageWork {
  layout: PageLayout;
  /** Per grid, per cell: the crop, or null when blank. */
  gridCrops: (CellCrop | null)[][];
  lineCrops: (CellCrop | null)[];
  /** Pieces of each line, for pages without grids (stream tables). */
  pieceCrops: (CellCrop | null)[][];
  /** The stamp ink in each crop's box, in the shapes above (0: none, or too little to say a seal was there). */
  gridStamps: number[][];
  lineStamps: number[];
  pieceStamps: number[][];
}

function cropSettingsOf(s: OcrSettings, dpi: number): CropSettings {
  return {
    ...textLineSettingsOf(s, dpi),
    inset: inchesToPx(s.cellInsetIn, dpi),
    blankInkRatio: s.blankInkRatio,
    minTextInk: inchesToPx(s.minTextInkIn, dpi) ** 2,
    pad: inchesToPx(s.cellPadIn, dpi),
    multiLineRatio: s.multiLineRatio,
  };
}

function layoutToWork(layout: PageLayout, s: OcrSettings): PageWork {
  const cs = cropSettingsOf(s, layout.gray.dpi);
  const { gray, ink, rules } = layout;
  const cellLines = layout.grids.map((g) => g.cells.map((c) => cellToTextLines(ink, boxToRect(c.box), cs)));
  const lineHeight = textLinesToLineHeight([...cellLines.flat().flatMap((ls) => ls ?? []), ...layout.lines]);
  const gridCrops = cellLines.map((cl) => cl.map((ls) => (ls ? textLinesToCrop(gray, rules.mask, ls, lineHeight, cs) : null)));
  // Line boxes are already tight; inset 0 keeps their edge strokes.
  const lineCs = { ...cs, inset: 0, blankInkRatio: 0 };
  const grow = (r: PxRect): PxRect => ({ x0: r.x0 - 1, y0: r.y0 - 1, x1: r.x1 + 1, y1: r.y1 + 1 });
  const noGrid = layout.grids.length === 0;
  // A line's crop keeps its layout (a tall title is still one line to tesseract), but tells a
  // line engine the page's line height, so a lone short glyph is framed like text.
  const lineCrop = (r: PxRect): CellCrop | null => {
    const c = cellToCrop(gray, ink, rules.mask, r, lineCs);
    return c && Number.isFinite(lineHeight) ? { ...c, lineHeight } : c;
  };
  const lineCrops = noGrid ? [] : layout.lines.map((l) => lineCrop(grow(l.box)));
  const pieceCrops = noGrid ? layout.lines.map((l) => l.pieces.map((p) => lineCrop(grow(p)))) : [];
  // Counted over the cell's whole box: a seal over any of it may be what upset the reading.
  const minStamp = inchesToPx(s.stampInkMinIn, layout.gray.dpi) ** 2;
  const st = layout.stamps;
  const stampOf = (r: PxRect, crop: CellCrop | null): number => {
    if (!st || !crop) return 0;
    const n = stampInkIn(st.ink, st.width, st.height, st.turnDeg, r);
    return n >= minStamp ? n : 0;
  };
  const gridStamps = layout.grids.map((g, i) => g.cells.map((c, j) => stampOf(boxToRect(c.box), gridCrops[i]![j]!)));
  const lineStamps = noGrid ? [] : layout.lines.map((l, i) => stampOf(l.box, lineCrops[i]!));
  const pieceStamps = noGrid ? layout.lines.map((l, i) => l.pieces.map((p, j) => stampOf(p, pieceCrops[i]![j]!))) : [];
  return { layout, gridCrops, lineCrops, pieceCrops, gridStamps, lineStamps, pieceStamps };
}

/**
 * The crops of a page's grid cells, each with its box in the deskewed page's pixels and the
 * box of the grid it belongs to: the exact crops `extractScan` reads (blank cells left out).
 * For measuring engines on the same input (`npm run bench`).
 */
export function pageImageToCellCrops(img: PageImage, s: OcrSettings): { box: Box; grid: Box; crop: CellCrop }[] {
  const work = layoutToWork(pageImageToLayout(img, s), s);
  return work.layout.grids.flatMap((g, i) => g.cells.flatMap((c, j) => {
    const crop = work.gridCrops[i]![j];
    return crop ? [{ box: c.box, grid: g.box, crop }] : [];
  }));
}

async function readAll(pool: OcrPool, crops: readonly (CellCrop | null)[], s: ReadSettings, stamps: readonly number[]): Promise<(CellReading | null)[]> {
  return Promise.all(crops.map(async (c, i) => {
    if (!c) return null;
    const r = await readCell(pool, c, s);
    return stamps[i] ? { ...r, stampInk: stamps[i] } : r;
  }));
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

async function pageToRows(img: PageImage, s: OcrSettings, pool: OcrPool): Promise<{ rows: Row[]; confs: number[]; skewDeg: number }> {
  const work = layoutToWork(pageImageToLayout(img, s), s);
  const { layout } = work;
  const page = img.page;
  const confs: number[] = [];
  const keep = (r: CellReading | null): CellReading | null => {
    if (r) confs.push(r.conf);
    return r;
  };

  if (layout.grids.length === 0) {
    const results = await Promise.all(work.pieceCrops.map((pc, i) => readAll(pool, pc, s, work.pieceStamps[i]!)));
    const items: (TextBox & { conf: number; notes: CellReading['notes']; stampInk: number })[] = [];
    layout.lines.forEach((l, i) =>
      l.pieces.forEach((p, j) => {
        const r = keep(results[i]![j] ?? null);
        if (r && r.text !== '') items.push({ text: r.text, box: rectToBox(p), conf: r.conf, notes: r.notes, stampInk: r.stampInk ?? 0 });
      }),
    );
    const rows = streamRows(items).map((sr): Row => ({
      page,
      ...(sr.box ? { box: roundBox(sr.box) } : {}),
      cells: sr.cells.map((c) => {
        const inside = c.box ? items.filter((it) => it.box[0] >= c.box![0] - 1 && it.box[2] <= c.box![2] + 1 && it.box[1] >= c.box![1] - 1 && it.box[3] <= c.box![3] + 1) : [];
        const conf = mean(inside.map((it) => it.conf));
        const notes = inside.flatMap((it) => it.notes);
        const stampInk = inside.reduce((n, it) => n + it.stampInk, 0);
        return { ...c, ...(c.box ? { box: roundBox(c.box) } : {}), ...(Number.isNaN(conf) ? {} : { conf: Math.round(conf) }), ...(notes.length ? { notes } : {}), ...(stampInk ? { stampInk } : {}) };
      }),
    }));
    return { rows, confs, skewDeg: layout.skewDeg };
  }

  const [gridResults, lineResults] = await Promise.all([
    Promise.all(work.gridCrops.map((gc, i) => readAll(pool, gc, s, work.gridStamps[i]!))),
    readAll(pool, work.lineCrops, s, work.lineStamps),
  ]);
  type Item = { y: number; rows: Row[]; table: boolean };
  const items: Item[] = [];
  layout.lines.forEach((l, i) => {
    const r = keep(lineResults[i] ?? null);
    if (!r || r.text === '') return;
    items.push({ y: l.box.y0, table: false, rows: [{ page, box: roundBox(rectToBox(l.box)), cells: [{ text: r.text, col: 0, colSpan: 1, box: roundBox(rectToBox(l.box)), conf: r.conf, ...(r.notes.length ? { notes: r.notes } : {}), ...(r.stampInk ? { stampInk: r.stampInk } : {}) }] }] });
  });
  layout.grids.forEach((g, i) => {
    gridResults[i]!.forEach(keep);
    items.push({ y: g.box[1], table: true, rows: gridToRows(page, g, gridResults[i]!) });
  });
  items.sort((a, b) => a.y - b.y);
  const rows: Row[] = [];
  for (const it of items) {
    if (it.table && rows.length > 0 && rows.at(-1)!.cells.length > 0) rows.push({ page, cells: [] });
    rows.push(...it.rows);
    if (it.table) rows.push({ page, cells: [] });
  }
  while (rows.length > 0 && rows.at(-1)!.cells.length === 0) rows.pop();
  return { rows, confs, skewDeg: layout.skewDeg };
}

function toOcrError(err: unknown, file: string, page: number | null): ExtractError | OverLimit {
  if (err instanceof ExtractError || err instanceof OverLimit) return err;
  if (err instanceof PdfError) return new OcrError(file, page, err.reason, err.message, { cause: err });
  if (err instanceof TiffError) return new OcrError(file, page, /not supported/.test(err.message) ? 'unsupported' : 'corrupt', err.message, { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return new OcrError(file, page, 'corrupt', message, { cause: err });
}

/** Scanned pages → rows of cells with pixel boxes (of the deskewed page) and OCR confidence. */
export async function extractScan(bytes: Uint8Array, opts: ExtractScanOptions = {}): Promise<ExtractedDocument> {
  const file = opts.file ?? '<scan>';
  const s = settingsOf({ ...opts.settings, ...(opts.workers !== undefined ? { workers: opts.workers } : {}) });
  let source: PageImageSource;
  try {
    source = await bytesToPageSource(bytes, file, { renderDpi: s.renderDpi, defaultDpi: s.defaultDpi, ...(opts.limits ? { limits: opts.limits } : {}) });
  } catch (err) {
    throw toOcrError(err, file, null);
  }
  const notes: Note[] = [];
  const rows: Row[] = [];
  let pool: OcrPool | undefined = opts.pool;
  try {
    const wanted = opts.pages ?? Array.from({ length: source.pages }, (_, i) => i + 1);
    for (const p of wanted) {
      if (!Number.isInteger(p) || p < 1 || p > source.pages) {
        throw new OcrError(file, p, 'no-pages', `there is no page ${p} (the file has ${source.pages})`);
      }
    }
    let unreadable = 0;
    let firstFailure: ExtractError | null = null;
    let inFlight: { reading: Promise<{ rows: Row[]; confs: number[]; skewDeg: number }>; page: number } | null = null;
    for (const p of wanted) {
      opts.onPage?.(p);
      let img: PageImage;
      try {
        img = await source.load(p);
      } catch (err) {
        const e = toOcrError(err, file, p);
        // A page over a limit fails the document: its limit, not a damaged page, is the reason.
        if (e instanceof OverLimit) throw e;
        firstFailure ??= e;
        unreadable++;
        notes.push({ code: 'SCAN_PAGE_UNREADABLE', message: e.message, location: `p${p}` });
        continue;
      }
      img = withPageResolution(img, s);
      try {
        pool ??= await createOcrPool(s.workers, opts.engine);
      } catch (err) {
        throw new OcrError(file, p, 'unsupported', `the OCR engine did not start: ${(err as Error).message}`, { cause: err });
      }
      // pageToRows finds the page's layout at once (main thread) and then waits on the OCR
      // workers: the next page's layout is found while this page's cells are being read.
      const reading = pageToRows(img, s, pool).catch((err: unknown) => {
        throw new OcrError(file, p, 'io', `OCR failed: ${(err as Error).message}`, { cause: err });
      });
      reading.catch(() => undefined);
      if (inFlight) collect(await inFlight.reading, inFlight.page);
      inFlight = { reading, page: p };
    }
    if (inFlight) collect(await inFlight.reading, inFlight.page);
    if (wanted.length > 0 && unreadable === wanted.length && firstFailure) throw firstFailure;
  } finally {
    if (pool && pool !== opts.pool) await pool.terminate();
    await source.close();
  }
  return { kind: 'scan', pages: source.pages, rows, notes, ...(pool ? { ocrEngine: pool.engine ?? 'tesseract' } : {}) };

  /** The page at the resolution its size gives, when the file's is wrong or missing (said in a note). */
  function withPageResolution(img: PageImage, set: OcrSettings): PageImage {
    // A page pdf.js drew is at the resolution asked for.
    if (!set.resolutionFromPage || img.origin === 'rendered') return img;
    const r = pageToResolution(img.width, img.height, img.statedDpi, set.defaultDpi, {
      ...DEFAULT_RESOLUTION_SETTINGS, paperTolerance: set.paperFitTolerance, agreeTolerance: set.dpiAgreeTolerance,
    });
    if (r.guessed) notes.push({ code: 'SCAN_RESOLUTION_GUESSED', message: r.guessed, location: `p${img.page}` });
    return r.dpi === img.dpi ? img : { ...img, dpi: r.dpi };
  }

  /** One read page into the document: its rows, and the notes about its quality. */
  function collect(page: { rows: Row[]; confs: number[]; skewDeg: number }, p: number): void {
    if (page.rows.length === 0) notes.push({ code: 'SCAN_PAGE_BLANK', message: 'no text found on the page', location: `p${p}` });
    const conf = mean(page.confs);
    if (Math.abs(page.skewDeg) >= s.maxSkewDeg) {
      notes.push({ code: 'SCAN_SKEW_AT_LIMIT', message: `skew estimate hit the ±${s.maxSkewDeg}° search limit: the page may be turned further`, location: `p${p}` });
    }
    if (conf < s.lowConfidence) {
      notes.push({ code: 'SCAN_LOW_CONFIDENCE', message: `mean OCR confidence ${Math.round(conf)} on this page`, location: `p${p}` });
    }
    if (rows.length > 0 && page.rows.length > 0) rows.push({ page: p, cells: [] });
    rows.push(...page.rows);
  }
}
