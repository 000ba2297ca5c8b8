// Every tunable of the scan extractor, with its default. Lengths are in inches so one setting
// means the same on a 200 dpi and a 300 dpi page; `inchesToPx` turns them into pixels per page.
import { availableParallelism } from 'node:os';
import { resolveSettings, SettingsError } from '../grid/settings.js';

export type BinarizeMethod = 'otsu' | 'sauvola';

export interface OcrSettings {
  /** Resolution pages are rendered at when a PDF page is not a single embedded image. */
  renderDpi: number;
  /** Resolution assumed for an image that does not say and whose size is no standard sheet. */
  defaultDpi: number;
  /** Read a scanned page at the resolution its size gives when it is a standard sheet and the file says otherwise or nothing (`resolution.ts`). */
  resolutionFromPage: boolean;
  /** How far a page's width and height may disagree on its resolution and still be that sheet (margins, a skew's grown canvas). */
  paperFitTolerance: number;
  /** The file's resolution agrees with the page's when within this share of it. */
  dpiAgreeTolerance: number;
  binarize: BinarizeMethod;
  /** Sauvola window side (inches) and k; only read when `binarize` is 'sauvola'. */
  sauvolaWindowIn: number;
  sauvolaK: number;
  /** Largest skew searched either way, and the search step, in degrees. */
  maxSkewDeg: number;
  skewStepDeg: number;
  /** Below this estimated skew the page is left unrotated: resampling costs sharpness. */
  minSkewDeg: number;
  /** Rule pixels are darker than paper by this share of the paper-to-ink range (hairlines are faint). */
  ruleContrast: number;
  /** A dark run at least this long is a rule candidate; text strokes are far shorter. */
  ruleMinLengthIn: number;
  /** A shorter piece, down to this, is a rule when both its ends meet crossing rules (one-row borders). */
  ruleShortLengthIn: number;
  /** Where the paper beside a candidate rule is sampled, beyond its edge. */
  ruleNeighbourGapIn: number;
  /** A candidate with ink beside more than this share of its length runs through text. */
  ruleMaxNeighbourInk: number;
  /** Breaks in a rule shorter than this (noise, JPEG blocks) are bridged. */
  ruleGapIn: number;
  /** Runs thicker than this are filled blocks (stamps, shading), not rules. */
  ruleMaxThicknessIn: number;
  /** Rule ends closer than this to a crossing rule are snapped onto it. */
  snapIn: number;
  /** Pixels trimmed from each side of a cell crop so its borders are not read as text. */
  cellInsetIn: number;
  /** White margin put back around a crop's text: tesseract misreads glyphs touching the edge. */
  cellPadIn: number;
  /** A text band this many times the page's usual line height holds several tightly set lines. */
  multiLineRatio: number;
  /** A cell read with less confidence than this is read again, segmented and sized otherwise. */
  retryBelowConf: number;
  /** Size factor of that second reading. */
  retryScale: number;
  /** A second reading is kept only when surer than the first and at least this sure. */
  retryMinConf: number;
  /** A cell of digits the Chinese model read at least this sure is not read again by the English one. */
  numberSureConf: number;
  /** Characters in words read with less confidence than this may be corrected to a domain word. */
  vocabularyBelowConf: number;
  /** Words read with less confidence than this are named in a note for review. */
  weakWordConf: number;
  /** …and words holding a digit, below this (numbers carry the data). */
  weakNumberConf: number;
  /** A page whose mean OCR confidence is below this gets a note. */
  lowConfidence: number;
  /**
   * A cell is under a seal when the stamp ink dropped out of its box adds up to a square this
   * wide: a seal's ring crossing it, not a speck of colour at its corner.
   */
  stampInkMinIn: number;
  /** A cell whose ink covers less than this share of its inset crop is blank. */
  blankInkRatio: number;
  /** …unless its ink adds up to a square this wide (specks are gone by then): a lone `72.35` in a big cell. */
  minTextInkIn: number;
  /** Text bands lower than this are a rule's leftover edge or noise (about a 5 pt glyph). */
  minTextHeightIn: number;
  /** A pixel row needs this many ink pixels to belong to a text line. */
  minRowInk: number;
  /** Connected components smaller than this (inches, both sides) are noise. */
  speckIn: number;
  /** Horizontal gap, in line heights, that splits a text line into cells. */
  wideGapLineHeights: number;
  /** Tesseract workers; defaults to the machine's available parallelism. */
  workers: number;
}

export const DEFAULT_OCR_SETTINGS: Readonly<OcrSettings> = Object.freeze({
  renderDpi: 300,
  defaultDpi: 300,
  resolutionFromPage: true,
  paperFitTolerance: 0.03,
  dpiAgreeTolerance: 0.06,
  binarize: 'otsu',
  sauvolaWindowIn: 0.1,
  sauvolaK: 0.2,
  maxSkewDeg: 2,
  skewStepDeg: 0.05,
  minSkewDeg: 0.05,
  ruleContrast: 0.2,
  ruleMinLengthIn: 0.35,
  ruleShortLengthIn: 0.15,
  ruleNeighbourGapIn: 0.01,
  ruleMaxNeighbourInk: 0.35,
  ruleGapIn: 0.01,
  ruleMaxThicknessIn: 0.04,
  snapIn: 0.04,
  cellInsetIn: 0.02,
  cellPadIn: 0.04,
  multiLineRatio: 1.6,
  retryBelowConf: 70,
  retryScale: 1.5,
  retryMinConf: 50,
  numberSureConf: 90,
  vocabularyBelowConf: 70,
  weakWordConf: 50,
  weakNumberConf: 85,
  lowConfidence: 60,
  stampInkMinIn: 0.05,
  blankInkRatio: 0.004,
  minTextInkIn: 0.03,
  minTextHeightIn: 0.05,
  minRowInk: 2,
  speckIn: 0.012,
  wideGapLineHeights: 2,
  workers: Math.max(1, availableParallelism()),
});

/** Defaults overlaid with `overrides`; an unknown key or a bad value is an error, not ignored. */
export function settingsOf(overrides?: Partial<OcrSettings>): OcrSettings {
  const s = resolveSettings('ocr', DEFAULT_OCR_SETTINGS, overrides);
  if (s.binarize !== 'otsu' && s.binarize !== 'sauvola') {
    throw new SettingsError(`ocr setting "binarize" must be 'otsu' or 'sauvola', got ${String(s.binarize)}`);
  }
  if (!Number.isInteger(s.workers) || s.workers < 1) throw new SettingsError(`ocr setting "workers" must be an integer ≥ 1, got ${s.workers}`);
  return s;
}

export function inchesToPx(inches: number, dpi: number): number {
  return Math.max(1, Math.round(inches * dpi));
}
