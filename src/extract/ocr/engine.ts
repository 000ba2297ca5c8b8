// Cell recognition behind one interface: a crop in, its characters with boxes and confidence
// out. The rest of the scan extractor (what is cropped, what is read again, the sign and dot
// repairs, the notes) does not know which engine read a crop; where an engine is better read
// again another way, its traits say so.
import type { GrayImage, PxRect } from './image.js';

/** How a crop is laid out: one line, a block of lines, or one word (a second reading of a short line). */
export type Layout = 'line' | 'block' | 'word';

/** Which trained model reads a crop, for an engine that has several (tesseract: Chinese, or English for numbers). */
export type Model = 'chi_sim' | 'eng';

export interface CellCrop {
  image: GrayImage;
  layout: Layout;
  /** Default chi_sim. */
  model?: Model;
  /** The text lines found in the crop, in its pixels, top to bottom (a line engine reads them one by one). */
  lines?: PxRect[];
  /** The page's usual height of one line of text, pixels: a band much taller holds several lines. */
  lineHeight?: number;
}

/** One character as an engine read it, with its box in the crop's pixels. */
export interface OcrSymbol {
  text: string;
  box: PxRect;
  /**
   * 0–100. Tesseract: the confidence of the word it belongs to (its symbol scores stay high on
   * misreads); PP-OCR: the character's own, calibrated to the same scale (`ppocr.ts`).
   */
  conf: number;
  /** Line and word index within the crop's reading, in reading order. */
  line: number;
  word: number;
}

/** One recognition of one crop. */
export interface OcrReading {
  symbols: OcrSymbol[];
  /** Mean confidence, 0–100. */
  conf: number;
  /** Time the engine spent on this crop (its own work, not waiting in the queue), ms. */
  ms?: number;
}

export const OCR_ENGINES = ['ppocr', 'tesseract'] as const;
export type OcrEngineName = (typeof OCR_ENGINES)[number];

/** The engine a scan is read with unless told otherwise; chosen by measurement (README, “Performance”). */
export const DEFAULT_OCR_ENGINE: OcrEngineName = 'ppocr';

/** What an engine's readings gain from being read again another way (measured per engine). */
export interface EngineTraits {
  /** A crop of digits read unsure is read again by an English model. */
  englishNumbers: boolean;
  /** An unsure crop is read again as one word and at another size. */
  resegment: boolean;
}

export interface OcrPool {
  readonly size: number;
  /** Absent: tesseract's (the engine every trait was first measured on). */
  readonly engine?: OcrEngineName;
  readonly traits?: EngineTraits;
  recognize(crop: CellCrop): Promise<OcrReading>;
  terminate(): Promise<void>;
}

/** An engine is a pool of `size` slots, each one core's worth of recognition. */
export type OcrEngine = OcrPool;

export function isOcrEngineName(s: string): s is OcrEngineName {
  return (OCR_ENGINES as readonly string[]).includes(s);
}

export const TESSERACT_TRAITS: EngineTraits = { englishNumbers: true, resegment: true };

export function traitsOf(pool: OcrPool): EngineTraits {
  return pool.traits ?? TESSERACT_TRAITS;
}
