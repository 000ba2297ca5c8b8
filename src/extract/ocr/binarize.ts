// Gray → ink/paper. Otsu is one global threshold (fast, right for evenly lit scans); Sauvola
// adapts to local contrast (right for shaded or unevenly lit pages) at the cost of two
// integral images.
import type { BinaryImage, GrayImage } from './image.js';
import type { OcrSettings } from './settings.js';
import { inchesToPx } from './settings.js';

export function grayToHistogram(img: GrayImage): Float64Array {
  // Four interleaved integer tallies: neighbouring pixels are mostly the same level, and
  // bumping one counter over and over waits on its previous store every time.
  const tallies = new Int32Array(1024);
  const data = img.data;
  const n = data.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    tallies[data[i]!]!++;
    tallies[256 + data[i + 1]!]!++;
    tallies[512 + data[i + 2]!]!++;
    tallies[768 + data[i + 3]!]!++;
  }
  for (; i < n; i++) tallies[data[i]!]!++;
  const h = new Float64Array(256);
  for (let v = 0; v < 256; v++) h[v] = tallies[v]! + tallies[256 + v]! + tallies[512 + v]! + tallies[768 + v]!;
  return h;
}

/** The gray level that best separates the histogram into two classes (Otsu 1979). */
export function histogramToOtsuThreshold(hist: Float64Array): number {
  let total = 0;
  let sum = 0;
  for (let t = 0; t < 256; t++) {
    total += hist[t]!;
    sum += t * hist[t]!;
  }
  let wB = 0;
  let sumB = 0;
  let best = 0;
  let threshold = 127;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/**
 * The image through a 256-entry table of 0/1: any per-pixel threshold test on a gray level
 * becomes one load, whatever the test (≤ an integer, < a fraction).
 */
function grayThroughTable(img: GrayImage, isInk: (level: number) => boolean): BinaryImage {
  const table = new Uint8Array(256);
  for (let v = 0; v < 256; v++) table[v] = isInk(v) ? 1 : 0;
  const src = img.data;
  const n = src.length;
  const data = new Uint8Array(n);
  let i = 0;
  // Four pixels a word when the gray plane is word-aligned (a whole page is; a crop may not be).
  if (src.byteOffset % 4 === 0) {
    const words = n >> 2;
    const src32 = new Uint32Array(src.buffer, src.byteOffset, words);
    const out32 = new Uint32Array(data.buffer, 0, words);
    for (let k = 0; k < words; k++) {
      const v = src32[k]!;
      out32[k] = table[v & 0xff]! | (table[(v >>> 8) & 0xff]! << 8) | (table[(v >>> 16) & 0xff]! << 16) | (table[v >>> 24]! << 24);
    }
    i = words * 4;
  }
  for (; i < n; i++) data[i] = table[src[i]!]!;
  return { width: img.width, height: img.height, data };
}

/** `hist`, when the caller already has the image's histogram, saves counting it again. */
export function grayToBinaryOtsu(img: GrayImage, hist: Float64Array = grayToHistogram(img)): BinaryImage {
  const t = histogramToOtsuThreshold(hist);
  return grayThroughTable(img, (v) => v <= t);
}

/** Sauvola: ink where gray < mean · (1 + k · (std / 128 − 1)) over a window around the pixel. */
export function grayToBinarySauvola(img: GrayImage, windowPx: number, k: number): BinaryImage {
  const { width: w, height: h } = img;
  const W = w + 1;
  const sum = new Float64Array(W * (h + 1));
  const sq = new Float64Array(W * (h + 1));
  for (let y = 0; y < h; y++) {
    let rs = 0;
    let rq = 0;
    for (let x = 0; x < w; x++) {
      const v = img.data[y * w + x]!;
      rs += v;
      rq += v * v;
      sum[(y + 1) * W + x + 1] = sum[y * W + x + 1]! + rs;
      sq[(y + 1) * W + x + 1] = sq[y * W + x + 1]! + rq;
    }
  }
  const r = Math.max(1, Math.floor(windowPx / 2));
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(w, x + r + 1);
      const n = (x1 - x0) * (y1 - y0);
      const s = sum[y1 * W + x1]! - sum[y0 * W + x1]! - sum[y1 * W + x0]! + sum[y0 * W + x0]!;
      const q = sq[y1 * W + x1]! - sq[y0 * W + x1]! - sq[y1 * W + x0]! + sq[y0 * W + x0]!;
      const mean = s / n;
      const std = Math.sqrt(Math.max(0, q / n - mean * mean));
      data[y * w + x] = img.data[y * w + x]! < mean * (1 + k * (std / 128 - 1)) ? 1 : 0;
    }
  }
  return { width: w, height: h, data };
}

/** `hist` (the image's histogram, if the caller has it) is only read by Otsu. */
export function grayToBinary(
  img: GrayImage,
  s: Pick<OcrSettings, 'binarize' | 'sauvolaWindowIn' | 'sauvolaK'>,
  hist?: Float64Array,
): BinaryImage {
  return s.binarize === 'sauvola'
    ? grayToBinarySauvola(img, inchesToPx(s.sauvolaWindowIn, img.dpi), s.sauvolaK)
    : grayToBinaryOtsu(img, hist);
}

/**
 * Ink for rule finding: anything darker than paper by `contrast` of the paper-to-ink range.
 * Scanned hairline rules are often lighter than the Otsu threshold (a one-pixel line blurred
 * over three) while text is not, so rules get a threshold of their own.
 */
export function grayToRuleBinary(img: GrayImage, contrast: number, hist: Float64Array = grayToHistogram(img)): BinaryImage {
  const otsu = histogramToOtsuThreshold(hist);
  let half = img.data.length / 2;
  let paper = 255;
  for (let t = 0; t < 256; t++) {
    half -= hist[t]!;
    if (half <= 0) {
      paper = t;
      break;
    }
  }
  let n = 0;
  let sum = 0;
  for (let t = 0; t <= otsu; t++) {
    n += hist[t]!;
    sum += t * hist[t]!;
  }
  const ink = n > 0 ? sum / n : 0;
  const threshold = paper - contrast * (paper - ink);
  return grayThroughTable(img, (v) => v < threshold);
}
