// Tesseract.js as a recognition engine: a pool of workers, each slot one Simplified Chinese
// worker and one English one (chi_sim reads a lone `72.35` as `2.35`; eng reads it right).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PQueue from 'p-queue';
import Tesseract from 'tesseract.js';
import { isCjk } from '../grid/reading.js';
import { TESSERACT_TRAITS, type CellCrop, type Layout, type Model, type OcrPool, type OcrReading, type OcrSymbol } from './engine.js';
import { grayToPgm } from './image.js';

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
export async function createTesseractPool(size: number): Promise<OcrPool> {
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
    const t0 = performance.now();
    const { data } = await w.worker.recognize(Buffer.from(grayToPgm(crop.image)), {}, { text: false, blocks: true });
    return { symbols: pageToSymbols(data), conf: clampConf(data.confidence), ms: performance.now() - t0 };
  };
  return {
    size,
    engine: 'tesseract',
    traits: TESSERACT_TRAITS,
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
