// Reading cells: crop each cell to its text (rules and borders left out), skip blank ones, and
// recognise the rest one crop at a time on a pool of tesseract workers. Whole-page recognition
// of a ruled form reads the rules as text and scores 14–24; a crop per cell reads cleanly.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PQueue from 'p-queue';
import Tesseract from 'tesseract.js';
import { isCjk } from '../grid/reading.js';
import type { BinaryImage, GrayImage, PxRect } from './image.js';
import { clampRect, cropGray, grayToPgm, insetRect, padGray } from './image.js';
import { binaryToTextLines, type TextLine, type TextLineSettings } from './textLines.js';

export type Layout = 'line' | 'block';

export interface CellCrop {
  image: GrayImage;
  layout: Layout;
}

export interface OcrResult {
  text: string;
  /** Tesseract's mean word confidence, 0–100. */
  conf: number;
}

export interface OcrPool {
  readonly size: number;
  recognize(crop: CellCrop): Promise<OcrResult>;
  terminate(): Promise<void>;
}

export interface CropSettings extends TextLineSettings {
  /** Pixels trimmed from each side of the cell box before looking for ink. */
  inset: number;
  blankInkRatio: number;
  /** White margin (pixels) put back around the text for tesseract. */
  pad: number;
  /** A band this many times the usual line height is read as a block of lines. */
  multiLineRatio: number;
}

/** The text lines inside a cell box (inset so borders stay out), or null when it is blank. */
export function cellToTextLines(ink: BinaryImage, rect: PxRect, s: CropSettings): TextLine[] | null {
  const inner = clampRect(insetRect(rect, s.inset), ink.width, ink.height);
  const area = (inner.x1 - inner.x0) * (inner.y1 - inner.y0);
  if (area <= 0) return null;
  let n = 0;
  for (let y = inner.y0; y < inner.y1; y++) for (let x = inner.x0; x < inner.x1; x++) n += ink.data[y * ink.width + x]!;
  if (n / area < s.blankInkRatio) return null;
  const lines = binaryToTextLines(ink, inner, s);
  return lines.length === 0 ? null : lines;
}

/**
 * The gray crop around `lines`, padded, rule pixels whitened so a border that strays into the
 * text box is not read as `|` or `1`. Several lines, or one band much taller than a line of
 * text (tightly set lines whose gap the projection cannot see), are read as a block.
 */
export function textLinesToCrop(gray: GrayImage, rules: BinaryImage, lines: readonly TextLine[], lineHeight: number, s: CropSettings): CellCrop {
  const text: PxRect = {
    x0: Math.min(...lines.map((l) => l.box.x0)),
    y0: Math.min(...lines.map((l) => l.box.y0)),
    x1: Math.max(...lines.map((l) => l.box.x1)),
    y1: Math.max(...lines.map((l) => l.box.y1)),
  };
  const grow = Math.max(1, Math.round(s.pad / 2));
  const box = clampRect({ x0: text.x0 - grow, y0: text.y0 - grow, x1: text.x1 + grow, y1: text.y1 + grow }, gray.width, gray.height);
  const crop = cropGray(gray, box);
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      if (rules.data[y * rules.width + x]) crop.data[(y - box.y0) * crop.width + (x - box.x0)] = 255;
    }
  }
  const tall = lines.some((l) => l.box.y1 - l.box.y0 > s.multiLineRatio * lineHeight);
  return { image: padGray(crop, s.pad), layout: lines.length > 1 || tall ? 'block' : 'line' };
}

/** The usual height of one line of text: the median band height (most cells hold one line). */
export function textLinesToLineHeight(lines: readonly TextLine[]): number {
  const h = lines.map((l) => l.box.y1 - l.box.y0).sort((a, b) => a - b);
  return h.length === 0 ? Infinity : h[Math.floor(h.length / 2)]!;
}

export function cellToCrop(gray: GrayImage, ink: BinaryImage, rules: BinaryImage, rect: PxRect, s: CropSettings, lineHeight = Infinity): CellCrop | null {
  const lines = cellToTextLines(ink, rect, s);
  return lines ? textLinesToCrop(gray, rules, lines, lineHeight, s) : null;
}

/**
 * Tesseract's text as a cell's text: lines joined, and the spaces it puts between CJK
 * characters (and between CJK and digits) removed; spaces between Latin words kept.
 */
export function tesseractTextToCellText(raw: string): string {
  const flat = raw.replace(/\s+/gu, ' ').trim();
  let out = '';
  const chars = [...flat];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === ' ') {
      const prev = out.at(-1) ?? '';
      const next = chars[i + 1] ?? '';
      if (isCjk(prev) || isCjk(next)) continue;
    }
    out += c;
  }
  return out;
}

/** The traineddata shipped in node_modules: recognition never fetches a model. */
export function chiSimLangPath(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@tesseract.js-data/chi_sim/package.json')), '4.0.0_best_int');
}

interface PooledWorker {
  worker: Tesseract.Worker;
  psm: string;
  dpi: number;
}

/** `size` tesseract workers for Simplified Chinese (which reads Latin and digits too). */
export async function createOcrPool(size: number): Promise<OcrPool> {
  const langPath = chiSimLangPath();
  const started = await Promise.allSettled(
    Array.from({ length: size }, () =>
      Tesseract.createWorker('chi_sim', Tesseract.OEM.LSTM_ONLY, {
        langPath,
        gzip: true,
        cacheMethod: 'none',
        workerBlobURL: false,
      }),
    ),
  );
  const workers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.allSettled(workers.map((w) => w.terminate()));
    throw new Error(`could not start tesseract: ${String(failed.reason?.message ?? failed.reason)}`);
  }
  const idle: PooledWorker[] = workers.map((worker) => ({ worker, psm: '', dpi: 0 }));
  const queue = new PQueue({ concurrency: size });
  let terminated = false;

  const run = async (w: PooledWorker, crop: CellCrop): Promise<OcrResult> => {
    const psm = crop.layout === 'block' ? Tesseract.PSM.SINGLE_BLOCK : Tesseract.PSM.SINGLE_LINE;
    // Parameters persist in a worker; set them only when they change to save a round trip.
    if (w.psm !== psm || w.dpi !== crop.image.dpi) {
      await w.worker.setParameters({ tessedit_pageseg_mode: psm, user_defined_dpi: String(crop.image.dpi) });
      w.psm = psm;
      w.dpi = crop.image.dpi;
    }
    const { data } = await w.worker.recognize(Buffer.from(grayToPgm(crop.image)));
    return { text: tesseractTextToCellText(data.text), conf: Math.max(0, Math.min(100, Math.round(data.confidence))) };
  };

  return {
    size,
    recognize: (crop) =>
      queue.add(async () => {
        if (terminated) throw new Error('OCR pool already terminated');
        const w = idle.pop();
        if (!w) throw new Error('no idle OCR worker');
        try {
          return await run(w, crop);
        } finally {
          idle.push(w);
        }
      }),
    terminate: async () => {
      if (terminated) return;
      terminated = true;
      queue.clear();
      await queue.onIdle().catch(() => undefined);
      await Promise.allSettled(workers.map((w) => w.terminate()));
    },
  };
}
