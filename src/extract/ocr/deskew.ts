// Skew: the angle at which the page's ink, projected onto the vertical axis, piles up most
// sharply. Ruled forms make this easy (a long rule is a single spike at the right angle); text
// lines do the same, more weakly, on pages without rules.
import type { BinaryImage, GrayImage } from './image.js';

/**
 * Projection-profile sharpness (sum of squared row counts) of the ink sheared by `tan(angle)`:
 * pixel (x, y) falls in row y − x·tan(angle). Maximal when `angle` matches the page's lines.
 */
export function binaryToProfileScore(img: BinaryImage, angleDeg: number, xs: Int32Array, ys: Int32Array): number {
  const t = Math.tan((angleDeg * Math.PI) / 180);
  const pad = Math.ceil(Math.abs(t) * img.width) + 1;
  const bins = new Float64Array(img.height + 2 * pad);
  for (let i = 0; i < xs.length; i++) bins[Math.round(ys[i]! - xs[i]! * t) + pad]!++;
  let s = 0;
  for (let i = 0; i < bins.length; i++) s += bins[i]! * bins[i]!;
  return s;
}

/** Ink pixel coordinates, at most `limit` of them, taken evenly so big pages stay cheap. */
function inkSample(img: BinaryImage, limit: number): { xs: Int32Array; ys: Int32Array } {
  let n = 0;
  for (let i = 0; i < img.data.length; i++) n += img.data[i]!;
  const stride = Math.max(1, Math.ceil(n / limit));
  const xs = new Int32Array(Math.ceil(n / stride));
  const ys = new Int32Array(xs.length);
  let k = 0;
  let seen = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (img.data[y * img.width + x] && seen++ % stride === 0 && k < xs.length) {
        xs[k] = x;
        ys[k++] = y;
      }
    }
  }
  return { xs: xs.subarray(0, k), ys: ys.subarray(0, k) };
}

/**
 * Skew in degrees, positive when lines run down to the right (y grows with x), searched
 * coarse-then-fine within ±maxDeg. 0 for a page without ink.
 */
export function binaryToSkewAngle(img: BinaryImage, maxDeg: number, stepDeg: number): number {
  const { xs, ys } = inkSample(img, 400_000);
  if (xs.length === 0) return 0;
  const search = (from: number, to: number, step: number): number => {
    let best = 0;
    let bestScore = -1;
    for (let a = from; a <= to + 1e-9; a += step) {
      const s = binaryToProfileScore(img, a, xs, ys);
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
    let sx = cx - cx * cos - dy * sin;
    let sy = cy - cx * sin + dy * cos;
    for (let x = 0; x < w; x++, sx += cos, sy += sin) {
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
        out[y * w + x] = 255;
        continue;
      }
      const fx = sx - x0;
      const fy = sy - y0;
      const p = y0 * w + x0;
      const top = data[p]! + (data[p + 1]! - data[p]!) * fx;
      const bottom = data[p + w]! + (data[p + w + 1]! - data[p + w]!) * fx;
      out[y * w + x] = Math.round(top + (bottom - top) * fy);
    }
  }
  return { width: w, height: h, data: out, dpi: img.dpi };
}
