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

/** How tesseract segments a crop: one line, a block of lines, or one word (a second reading of a short line). */
export type Layout = 'line' | 'block' | 'word';

export interface CellCrop {
  image: GrayImage;
  layout: Layout;
  /** Default chi_sim. */
  model?: Model;
}

/** One character as tesseract read it, with its box in the crop's pixels. */
export interface OcrSymbol {
  text: string;
  box: PxRect;
  /** The confidence of the word it belongs to (0–100): tesseract's symbol scores stay high on misreads. */
  conf: number;
  /** Line and word index within the crop's reading, in reading order. */
  line: number;
  word: number;
}

/** One recognition of one crop. */
export interface OcrReading {
  symbols: OcrSymbol[];
  /** Tesseract's mean word confidence, 0–100. */
  conf: number;
}

export interface OcrPool {
  readonly size: number;
  recognize(crop: CellCrop): Promise<OcrReading>;
  terminate(): Promise<void>;
}

export interface CropSettings extends TextLineSettings {
  /** Pixels trimmed from each side of the cell box before looking for ink. */
  inset: number;
  blankInkRatio: number;
  /** …unless it holds at least this many ink pixels: a short number in a wide, tall cell is a small share. */
  minTextInk: number;
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
  if (n / area < s.blankInkRatio && n < s.minTextInk) return null;
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

/** Which trained model reads a crop: Simplified Chinese (which reads digits too, poorly when alone), or English for numbers. */
export type Model = 'chi_sim' | 'eng';

/** The traineddata shipped in node_modules: recognition never fetches a model. */
export function langPathOf(model: Model): string {
  return join(dirname(createRequire(import.meta.url).resolve(`@tesseract.js-data/${model}/package.json`)), '4.0.0_best_int');
}

const PSM_OF: Record<Layout, Tesseract.PSM> = {
  line: Tesseract.PSM.SINGLE_LINE,
  block: Tesseract.PSM.SINGLE_BLOCK,
  word: Tesseract.PSM.SINGLE_WORD,
};

const clampConf = (c: number) => Math.max(0, Math.min(100, Math.round(c)));

/** Tesseract's block tree, flattened to symbols in reading order. */
export function pageToSymbols(page: Tesseract.Page): OcrSymbol[] {
  const out: OcrSymbol[] = [];
  let line = 0;
  let word = 0;
  for (const block of page.blocks ?? []) {
    for (const para of block.paragraphs) {
      for (const l of para.lines) {
        for (const w of l.words) {
          for (const sym of w.symbols) {
            out.push({ text: sym.text, box: { x0: sym.bbox.x0, y0: sym.bbox.y0, x1: sym.bbox.x1, y1: sym.bbox.y1 }, conf: clampConf(w.confidence), line, word });
          }
          word++;
        }
        line++;
      }
    }
  }
  return out;
}

interface ModelWorker {
  worker: Tesseract.Worker;
  psm: string;
  dpi: number;
}

/** One pool slot: a worker per model, used one at a time, so a slot is one core's worth. */
type PooledWorker = Record<Model, ModelWorker>;

const MODELS: readonly Model[] = ['chi_sim', 'eng'];

/**
 * `size` slots of tesseract workers: Simplified Chinese for the forms' text, English for cells
 * that hold only a number (chi_sim reads a lone `72.35` as `2.35`; eng reads it right).
 */
export async function createOcrPool(size: number): Promise<OcrPool> {
  const started = await Promise.allSettled(
    Array.from({ length: size }, () => MODELS.map((model) =>
      Tesseract.createWorker(model, Tesseract.OEM.LSTM_ONLY, {
        langPath: langPathOf(model),
        gzip: true,
        cacheMethod: 'none',
        workerBlobURL: false,
      }),
    )).flat(),
  );
  const workers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.allSettled(workers.map((w) => w.terminate()));
    throw new Error(`could not start tesseract: ${String(failed.reason?.message ?? failed.reason)}`);
  }
  const idle: PooledWorker[] = Array.from({ length: size }, (_, i) => ({
    chi_sim: { worker: workers[2 * i]!, psm: '', dpi: 0 },
    eng: { worker: workers[2 * i + 1]!, psm: '', dpi: 0 },
  }));
  const queue = new PQueue({ concurrency: size });
  let terminated = false;

  const run = async (slot: PooledWorker, crop: CellCrop): Promise<OcrReading> => {
    const w = slot[crop.model ?? 'chi_sim'];
    const psm = PSM_OF[crop.layout];
    // Parameters persist in a worker; set them only when they change to save a round trip.
    if (w.psm !== psm || w.dpi !== crop.image.dpi) {
      await w.worker.setParameters({ tessedit_pageseg_mode: psm, user_defined_dpi: String(crop.image.dpi) });
      w.psm = psm;
      w.dpi = crop.image.dpi;
    }
    const { data } = await w.worker.recognize(Buffer.from(grayToPgm(crop.image)), {}, { text: false, blocks: true });
    return { symbols: pageToSymbols(data), conf: clampConf(data.confidence) };
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
