// Pixel buffers the scan pipeline passes between steps. Plain typed arrays, row-major, origin
// top-left, so every step is a pure function that tests can feed with hand-made pixels.

/** 8-bit grayscale, 0 = black, 255 = white. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
  /** Pixels per inch, as stored in the file or derived from the PDF page size. */
  dpi: number;
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
 * Stamp ink passes about 85 % of its own colour: the channel read through it is raised by this
 * much, so a seal over paper is paper and not a pale ring a line reader still sees.
 */
export const STAMP_GAIN = 1.2;

/**
 * A pixel's gray level with stamp ink dropped out: red ink read in the red channel, blue ink in
 * the blue one, where it is near paper, as a red filter on a scanner does; ITU-R 601 luma otherwise.
 */
function dropStampGray(r: number, g: number, b: number): number {
  if (r - Math.max(g, b) > STAMP_CHROMA) return Math.min(255, Math.round(r * STAMP_GAIN));
  if (b - Math.max(r, g) > STAMP_CHROMA) return Math.min(255, Math.round(b * STAMP_GAIN));
  return lumaOf(299 * r + 587 * g + 114 * b);
}

/** ITU-R 601 luma of packed RGBA (or RGB with `channels` 3), alpha composited on white; stamp ink dropped out (dropStampGray). */
export function rgbaToGray(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, channels = 4): Uint8Array {
  const out = new Uint8Array(width * height);
  const n = out.length;
  // A gray scan often arrives as RGB(A) with equal channels (pdf.js widens DeviceGray, a canvas
  // holds RGBA): its luma is that level, and the weighted sum is skipped.
  if (channels !== 4) {
    for (let i = 0, p = 0; i < n; i++, p += channels) {
      const r = rgba[p]!;
      const g = rgba[p + 1]!;
      const b = rgba[p + 2]!;
      out[i] = r === g && g === b ? r : dropStampGray(r, g, b);
    }
    return out;
  }
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    const r = rgba[p]!;
    const g = rgba[p + 1]!;
    const b = rgba[p + 2]!;
    const alpha = rgba[p + 3]!;
    if (alpha === 255) out[i] = r === g && g === b ? r : dropStampGray(r, g, b);
    else out[i] = lumaOnWhite((299 * r + 587 * g + 114 * b) / 1000, alpha / 255);
  }
  return out;
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
