// Pixel buffers the scan pipeline passes between steps. Plain typed arrays, row-major, origin
// top-left, so every step is a pure function that tests can feed with hand-made pixels.
import { STAMP_BLOCK, type StampInk } from './stamps.js';

/** 8-bit grayscale, 0 = black, 255 = white. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
  /** Pixels per inch, as stored in the file or derived from the PDF page size. */
  dpi: number;
  /** Where stamp ink was dropped out of this page as loaded (absent: none was). */
  stamps?: StampInk;
}

/** One byte a pixel: 1 = ink, 0 = paper. */
export interface BinaryImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Pixel rectangle, half-open: [x0, x1) × [y0, y1). */
export interface PxRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * A pixel this much redder (or bluer) than its other channels is stamp ink: an official seal
 * (公章) or a blue stamp over the table. Printed text is black or gray, with chroma well under
 * this even through JPEG and scanner noise; where black text lies under the seal the pixel is
 * dark in every channel and stays ink.
 */
export const STAMP_CHROMA = 60;

/**
 * Ink multiplies the print under it by the ink's own transmission, the same in the luma of
 * every pixel it covers: a stamp pixel's luma divided by the ink's (measured on the page, as the
 * paper level over the luma of its stamp pixels at this quantile) is the print's gray, paper
 * where there is none. Luma, not the ink's own channel: JPEG keeps luma at full resolution but
 * halves colour, so the red channel of a thin rule under a seal takes the seal's colour and the
 * rule would go, and the rim of a stroke would stay as an outline.
 */
export const STAMP_INK_QUANTILE = 0.3;
/**
 * The gain is kept within [1, this]: an ink darker than a third of paper (a seal pressed on a
 * fresh pad) has lost the print under it to noise, and stays gray for the reader to doubt.
 */
export const STAMP_GAIN_MAX = 3;
/** Where a page's stamp pixels are too few to measure (a stamp only grazing it): read in the ink's own channel raised by the 15–20 % ink takes away. */
export const STAMP_GAIN = 1.2;

/**
 * Below this chroma a pixel is print. Between it and STAMP_CHROMA it is read partly as print,
 * partly in the stamp's channel, in proportion: the edge of a stamp's stroke, whose colour a
 * JPEG's chroma subsampling has halved, then fades into the paper instead of leaving the
 * stroke's outline in the gray.
 */
export const STAMP_CHROMA_FROM = 20;

/** How much redder (+) or bluer (−) than both its other channels a pixel is; 0 for gray, green or yellow. */
function stampChroma(r: number, g: number, b: number): number {
  const red = r - (g > b ? g : b);
  const blue = b - (r > g ? r : g);
  if (red >= blue) return red > 0 ? red : 0;
  return blue > 0 ? -blue : 0;
}

/**
 * A pixel's gray level with stamp ink dropped out, given its signed chroma `c` (|c| above
 * STAMP_CHROMA_FROM): its luma raised by its ink's gain (red or blue), so the ink is paper and
 * the print under it what it was; a pixel of little chroma is blended with its plain luma.
 */
function dropStampGray(r: number, g: number, b: number, c: number, gainRed: number, gainBlue: number): number {
  const y = lumaOf(299 * r + 587 * g + 114 * b);
  const gain = c > 0 ? gainRed : gainBlue;
  // gain 0: the ink was not measured; its own channel is read instead.
  const own = Math.min(255, Math.round(gain > 0 ? y * gain : (c > 0 ? r : b) * STAMP_GAIN));
  const m = c > 0 ? c : -c;
  if (m >= STAMP_CHROMA) return own;
  return Math.round(y + ((own - y) * (m - STAMP_CHROMA_FROM)) / (STAMP_CHROMA - STAMP_CHROMA_FROM));
}

/** The level at quantile `q` of a 256-bin histogram holding `n` counts. */
function levelAt(hist: Uint32Array, n: number, q: number): number {
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v]!;
    if (seen > q * n) return v;
  }
  return 255;
}

/** ITU-R 601 luma of packed RGBA (or RGB with `channels` 3), alpha composited on white; stamp ink dropped out (dropStampGray). */
export function rgbaToGray(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, channels = 4): Uint8Array {
  return rgbaToGrayAndStamps(rgba, width, height, channels).gray;
}

/**
 * rgbaToGray, counting where stamp ink was (pixels of chroma over STAMP_CHROMA, per
 * STAMP_BLOCK-pixel square, stamps.ts): a cell under a seal is known by it. `stamps` is null
 * when the page had none. The first pass reads print and measures the inks; only the squares
 * that hold stamp colour are visited again, to drop it out at the gain measured.
 */
export function rgbaToGrayAndStamps(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, channels = 4): { gray: Uint8Array; stamps: StampInk | null } {
  const out = new Uint8Array(width * height);
  const cols = Math.ceil(width / STAMP_BLOCK);
  const rows = Math.ceil(height / STAMP_BLOCK);
  const shift = Math.log2(STAMP_BLOCK);
  // Allocated at the first stamp pixel: a gray page never pays for them.
  let counts: Uint32Array | null = null;
  let touched: Uint8Array | null = null;
  let redHist: Uint32Array | null = null;
  let blueHist: Uint32Array | null = null;
  let total = 0;
  let reds = 0;
  for (let y = 0, i = 0, p = 0; y < height; y++) {
    const blockRow = (y >> shift) * cols;
    for (let x = 0; x < width; x++, i++, p += channels) {
      const r = rgba[p]!;
      const g = rgba[p + 1]!;
      const b = rgba[p + 2]!;
      if (channels === 4 && rgba[p + 3] !== 255) {
        out[i] = lumaOnWhite((299 * r + 587 * g + 114 * b) / 1000, rgba[p + 3]! / 255);
        continue;
      }
      // A gray scan often arrives as RGB(A) with equal channels (pdf.js widens DeviceGray, a
      // canvas holds RGBA): its luma is that level, and the weighted sum is skipped.
      if (r === g && g === b) {
        out[i] = r;
        continue;
      }
      const c = stampChroma(r, g, b);
      if (c <= STAMP_CHROMA_FROM && c >= -STAMP_CHROMA_FROM) {
        out[i] = lumaOf(299 * r + 587 * g + 114 * b);
        continue;
      }
      // Paper for now, so the paper level below is the page's; set in the second pass.
      out[i] = 255;
      if (!counts) {
        counts = new Uint32Array(cols * rows);
        touched = new Uint8Array(cols * rows);
        redHist = new Uint32Array(256);
        blueHist = new Uint32Array(256);
      }
      touched![blockRow + (x >> shift)] = 1;
      if (c > STAMP_CHROMA) {
        redHist![lumaOf(299 * r + 587 * g + 114 * b)]!++;
        reds++;
      } else if (c < -STAMP_CHROMA) blueHist![lumaOf(299 * r + 587 * g + 114 * b)]!++;
      else continue;
      counts[blockRow + (x >> shift)]!++;
      total++;
    }
  }
  if (!counts) return { gray: out, stamps: null };
  const pageHist = new Uint32Array(256);
  for (let i = 0; i < out.length; i++) pageHist[out[i]!]!++;
  const paper = levelAt(pageHist, out.length, 0.5);
  // Under a few hundred pixels an ink's level is not worth measuring.
  const gainOf = (hist: Uint32Array, n: number): number =>
    n < 400 ? 0 : Math.min(STAMP_GAIN_MAX, Math.max(1, paper / Math.max(1, levelAt(hist, n, STAMP_INK_QUANTILE))));
  const gainRed = gainOf(redHist!, reds);
  const gainBlue = gainOf(blueHist!, total - reds);
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < cols; bx++) {
      if (touched![by * cols + bx] === 0) continue;
      for (let y = by * STAMP_BLOCK; y < Math.min(height, (by + 1) * STAMP_BLOCK); y++) {
        for (let x = bx * STAMP_BLOCK, i = y * width + x, p = i * channels; x < Math.min(width, (bx + 1) * STAMP_BLOCK); x++, i++, p += channels) {
          if (channels === 4 && rgba[p + 3] !== 255) continue;
          const r = rgba[p]!;
          const g = rgba[p + 1]!;
          const b = rgba[p + 2]!;
          const c = stampChroma(r, g, b);
          if (c > STAMP_CHROMA_FROM || c < -STAMP_CHROMA_FROM) out[i] = dropStampGray(r, g, b, c, gainRed, gainBlue);
        }
      }
    }
  }
  return { gray: out, stamps: { block: STAMP_BLOCK, cols, rows, counts, total } };
}

/**
 * round(y1000 / 1000) in integers: y1000 / 1000 is a half-integer exactly when y1000 + 500 is
 * a multiple of 1000, and otherwise lies at least 0.001 from one, so this equals Math.round of
 * the quotient for every 0 ≤ y1000 ≤ 255 000.
 */
function lumaOf(y1000: number): number {
  return ((y1000 + 500) / 1000) | 0;
}

/** A partly transparent pixel laid over white paper. */
function lumaOnWhite(y: number, a: number): number {
  return Math.round(y * a + 255 * (1 - a));
}

export function clampRect(r: PxRect, width: number, height: number): PxRect {
  const x0 = Math.max(0, Math.min(width, Math.floor(r.x0)));
  const y0 = Math.max(0, Math.min(height, Math.floor(r.y0)));
  return {
    x0,
    y0,
    x1: Math.max(x0, Math.min(width, Math.ceil(r.x1))),
    y1: Math.max(y0, Math.min(height, Math.ceil(r.y1))),
  };
}

export function insetRect(r: PxRect, d: number): PxRect {
  const dx = Math.min(d, Math.floor((r.x1 - r.x0) / 4));
  const dy = Math.min(d, Math.floor((r.y1 - r.y0) / 4));
  return { x0: r.x0 + dx, y0: r.y0 + dy, x1: r.x1 - dx, y1: r.y1 - dy };
}

/** The pixels of `r` (clamped to the image), row by row: one crop for gray and binary planes. */
function cropPlane(img: { width: number; height: number; data: Uint8Array }, r: PxRect): { width: number; height: number; data: Uint8Array } {
  const c = clampRect(r, img.width, img.height);
  const w = c.x1 - c.x0;
  const h = c.y1 - c.y0;
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) data.set(img.data.subarray((c.y0 + y) * img.width + c.x0, (c.y0 + y) * img.width + c.x1), y * w);
  return { width: w, height: h, data };
}

export function cropGray(img: GrayImage, r: PxRect): GrayImage {
  return { ...cropPlane(img, r), dpi: img.dpi };
}

export function cropBinary(img: BinaryImage, r: PxRect): BinaryImage {
  return cropPlane(img, r);
}

/**
 * A 32-bit view of the whole buffer under `data`, for `nextInk`. Words are indexed by buffer
 * byte offset / 4, so any `data` (whatever its byteOffset) can be scanned through it.
 */
export function wordsOf(data: Uint8Array): Uint32Array {
  return new Uint32Array(data.buffer, 0, data.buffer.byteLength >> 2);
}

/**
 * Index of the first ink (non-zero) byte of `data` in [from, to), or `to` when there is none.
 * Binary pages are mostly paper and run scans spend their time crossing it, so paper is
 * crossed four pixels at a time through `words` (= wordsOf(data)).
 */
export function nextInk(data: Uint8Array, words: Uint32Array, from: number, to: number): number {
  const off = data.byteOffset;
  let i = from;
  for (; i < to && ((off + i) & 3) !== 0; i++) if (data[i] !== 0) return i;
  let k = (off + i) >> 2;
  const kEnd = (off + to) >> 2;
  while (k < kEnd && words[k] === 0) k++;
  for (i = Math.max(i, k * 4 - off); i < to; i++) if (data[i] !== 0) return i;
  return to;
}

/** Sum of `data` over [from, to): the ink count of a stretch of a binary row, a word at a time. */
export function inkSum(data: Uint8Array, words: Uint32Array, from: number, to: number): number {
  const off = data.byteOffset;
  let n = 0;
  let i = from;
  for (; i < to && ((off + i) & 3) !== 0; i++) n += data[i]!;
  let k = (off + i) >> 2;
  const kEnd = (off + to) >> 2;
  for (; k < kEnd; k++) {
    const v = words[k]!;
    if (v !== 0) n += (v & 0xff) + ((v >>> 8) & 0xff) + ((v >>> 16) & 0xff) + (v >>> 24);
  }
  for (i = Math.max(i, k * 4 - off); i < to; i++) n += data[i]!;
  return n;
}

/** Index of the first paper (zero) byte of `data` in [from, to), or `to`. */
export function nextPaper(data: Uint8Array, from: number, to: number): number {
  let i = from;
  while (i < to && data[i] !== 0) i++;
  return i;
}

export function inkRatioOf(img: BinaryImage): number {
  if (img.data.length === 0) return 0;
  let n = 0;
  for (let i = 0; i < img.data.length; i++) n += img.data[i]!;
  return n / img.data.length;
}

/**
 * Binary PGM (P5). Leptonica inside tesseract reads it without a codec, and writing it is a
 * header plus the bytes, far cheaper than PNG-encoding thousands of cell crops.
 */
export function grayToPgm(img: GrayImage): Uint8Array {
  const header = new TextEncoder().encode(`P5\n${img.width} ${img.height}\n255\n`);
  const out = new Uint8Array(header.length + img.data.length);
  out.set(header, 0);
  out.set(img.data, header.length);
  return out;
}

/** White border around a crop: tesseract reads glyphs that touch the image edge poorly. */
export function padGray(img: GrayImage, pad: number): GrayImage {
  const w = img.width + 2 * pad;
  const h = img.height + 2 * pad;
  const data = new Uint8Array(w * h).fill(255);
  for (let y = 0; y < img.height; y++) data.set(img.data.subarray(y * img.width, (y + 1) * img.width), (y + pad) * w + pad);
  return { width: w, height: h, data, dpi: img.dpi };
}

/** Bilinear resampling by `factor` (dpi scaled with it): a second reading of a crop at another size. */
export function scaleGray(img: GrayImage, factor: number): GrayImage {
  if (img.width === 0 || img.height === 0) return img;
  const w = Math.max(1, Math.round(img.width * factor));
  const h = Math.max(1, Math.round(img.height * factor));
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(img.height - 1, Math.max(0, (y + 0.5) / factor - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(img.height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < w; x++) {
      const sx = Math.min(img.width - 1, Math.max(0, (x + 0.5) / factor - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(img.width - 1, x0 + 1);
      const fx = sx - x0;
      const top = img.data[y0 * img.width + x0]! * (1 - fx) + img.data[y0 * img.width + x1]! * fx;
      const bottom = img.data[y1 * img.width + x0]! * (1 - fx) + img.data[y1 * img.width + x1]! * fx;
      data[y * w + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { width: w, height: h, data, dpi: Math.round(img.dpi * factor) };
}
