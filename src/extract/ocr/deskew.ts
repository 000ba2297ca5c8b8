// Skew: the angle at which the page's ink, projected onto the vertical axis, piles up most
// sharply. Ruled forms make this easy (a long rule is a single spike at the right angle); text
// lines do the same, more weakly, on pages without rules.
import { nextInk, wordsOf, type BinaryImage, type GrayImage } from './image.js';

/** Ink pixels the skew search looks at: enough for a sharp profile, few enough to stay cheap. */
const SAMPLE_LIMIT = 400_000;

/** Coordinates of (some of) a page's ink pixels, and the page size they lie in. */
export interface InkSample {
  width: number;
  height: number;
  xs: Int32Array;
  ys: Int32Array;
}

/** Marks a column whose shift must be computed pixel by pixel (see columnShifts). */
const PER_PIXEL = -0x80000000;

/**
 * The profile row offset of every column at slope `t`, when it is the same for every row:
 * Math.round(y − x·t) = y + Math.round(−x·t) for whole y, unless x·t lies within rounding
 * error of a half-integer (y − x·t, rounded to a double, might land on the half and round the
 * other way). Below 2^29 that error is under 1e-7, so columns within 1e-6 of a half (or all of
 * them, on an absurdly large page) are marked PER_PIXEL and computed as before.
 */
function columnShifts(width: number, height: number, t: number, pad: number): Int32Array {
  const shifts = new Int32Array(width);
  // |y − x·t| < height + width·|t|: the size of the numbers rounded.
  const small = height + width * Math.abs(t) < 2 ** 29;
  for (let x = 0; x < width; x++) {
    const xt = x * t;
    const frac = xt - Math.floor(xt);
    shifts[x] = small && Math.abs(frac - 0.5) >= 1e-6 ? Math.round(-xt) + pad : PER_PIXEL;
  }
  return shifts;
}

/**
 * Projection-profile sharpness (sum of squared row counts) of the ink sheared by `tan(angle)`:
 * pixel (x, y) falls in row y − x·tan(angle). Maximal when `angle` matches the page's lines.
 */
export function binaryToProfileScore(img: { width: number; height: number }, angleDeg: number, xs: Int32Array, ys: Int32Array): number {
  const t = Math.tan((angleDeg * Math.PI) / 180);
  const pad = Math.ceil(Math.abs(t) * img.width) + 1;
  // Whole counts: an Int32Array increments faster than a Float64Array, and b·b stays exact.
  const bins = new Int32Array(img.height + 2 * pad);
  const shifts = columnShifts(img.width, img.height, t, pad);
  for (let i = 0, n = xs.length; i < n; i++) {
    const shift = shifts[xs[i]!]!;
    bins[shift === PER_PIXEL ? Math.round(ys[i]! - xs[i]! * t) + pad : ys[i]! + shift]!++;
  }
  let s = 0;
  for (let i = 0, n = bins.length; i < n; i++) {
    const b = bins[i]!;
    s += b * b;
  }
  return s;
}

/**
 * Room for the sample of `inkCount` ink pixels: every `stride`-th one in reading order,
 * starting with the first, where `stride` keeps the sample within `limit`.
 */
function emptySample(width: number, height: number, inkCount: number, limit: number): InkSample & { stride: number } {
  const stride = Math.max(1, Math.ceil(inkCount / limit));
  const size = Math.ceil(inkCount / stride);
  return { width, height, xs: new Int32Array(size), ys: new Int32Array(size), stride };
}

/** The sample of a binary page's ink (non-zero pixels). */
export function binaryToInkSample(img: BinaryImage, limit = SAMPLE_LIMIT): InkSample {
  const { width: w, height: h, data } = img;
  let n = 0;
  for (let i = 0, len = data.length; i < len; i++) n += data[i]!;
  const { xs, ys, stride } = emptySample(w, h, n, limit);
  const words = wordsOf(data);
  let k = 0;
  // Ink pixels still to pass over before the next one is taken (a countdown, not a modulo).
  let skip = 0;
  for (let y = 0; y < h && k < xs.length; y++) {
    const row = y * w;
    const end = row + w;
    for (let i = nextInk(data, words, row, end); i < end && k < xs.length; i = nextInk(data, words, i + 1, end)) {
      if (skip > 0) skip--;
      else {
        xs[k] = i - row;
        ys[k++] = y;
        skip = stride - 1;
      }
    }
  }
  return { width: w, height: h, xs: xs.subarray(0, k), ys: ys.subarray(0, k) };
}

/**
 * The same sample for the binarization "ink where gray ≤ `threshold`", read straight from the
 * gray page (`inkCount` pixels are that dark): no binary page is built just to be sampled.
 */
export function grayToInkSample(img: GrayImage, threshold: number, inkCount: number, limit = SAMPLE_LIMIT): InkSample {
  const { width: w, height: h, data } = img;
  const { xs, ys, stride } = emptySample(w, h, inkCount, limit);
  let k = 0;
  let skip = 0;
  for (let y = 0; y < h && k < xs.length; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (data[row + x]! > threshold) continue;
      if (skip > 0) skip--;
      else {
        xs[k] = x;
        ys[k++] = y;
        if (k === xs.length) break;
        skip = stride - 1;
      }
    }
  }
  return { width: w, height: h, xs: xs.subarray(0, k), ys: ys.subarray(0, k) };
}

/**
 * Skew in degrees, positive when lines run down to the right (y grows with x), searched
 * coarse-then-fine within ±maxDeg. 0 for a page without ink.
 */
export function inkSampleToSkewAngle(sample: InkSample, maxDeg: number, stepDeg: number): number {
  const { xs, ys } = sample;
  if (xs.length === 0) return 0;
  const search = (from: number, to: number, step: number): number => {
    let best = 0;
    let bestScore = -1;
    for (let a = from; a <= to + 1e-9; a += step) {
      const s = binaryToProfileScore(sample, a, xs, ys);
      // Ties go to the smaller angle so a straight page stays exactly straight.
      if (s > bestScore * (1 + 1e-9) || (Math.abs(s - bestScore) <= bestScore * 1e-9 && Math.abs(a) < Math.abs(best))) {
        bestScore = s;
        best = a;
      }
    }
    return best;
  };
  const coarseStep = Math.max(stepDeg, 0.25);
  const coarse = search(-maxDeg, maxDeg, coarseStep);
  const fine = search(coarse - coarseStep, coarse + coarseStep, stepDeg);
  return Math.round(Math.max(-maxDeg, Math.min(maxDeg, fine)) * 1000) / 1000;
}

export function binaryToSkewAngle(img: BinaryImage, maxDeg: number, stepDeg: number): number {
  return inkSampleToSkewAngle(binaryToInkSample(img), maxDeg, stepDeg);
}

/**
 * The page turned so that lines sloping by `skewDeg` become level: each output pixel samples
 * the input, bilinearly, at its position rotated by `skewDeg` about the centre. Same size as
 * the input; what comes in from outside is paper white.
 */
export function grayToDeskewed(img: GrayImage, skewDeg: number): GrayImage {
  if (skewDeg === 0) return img;
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  const a = (skewDeg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = w / 2;
  const cy = h / 2;
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    const row = y * w;
    // Stepped, not recomputed per pixel: the sample positions must stay exactly what they were.
    let sx = cx - cx * cos - dy * sin;
    let sy = cy - cx * sin + dy * cos;
    for (let x = 0; x < w; x++, sx += cos, sy += sin) {
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
        out[row + x] = 255;
        continue;
      }
      const p = y0 * w + x0;
      const tl = data[p]!;
      const tr = data[p + 1]!;
      const bl = data[p + w]!;
      const br = data[p + w + 1]!;
      // Most of a page is flat paper: four equal neighbours interpolate to themselves exactly.
      if (tl === tr && bl === br && tl === bl) {
        out[row + x] = tl;
        continue;
      }
      const fx = sx - x0;
      const top = tl + (tr - tl) * fx;
      const bottom = bl + (br - bl) * fx;
      out[row + x] = Math.round(top + (bottom - top) * (sy - y0));
    }
  }
  return { width: w, height: h, data: out, dpi: img.dpi };
}
