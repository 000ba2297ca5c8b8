// The fast paths of the scan layout give exactly what the plain ones gave: each is checked
// here against a straightforward reference (the code it replaced), on made-up pages whose
// buffers are word-aligned and not. Nothing is timed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grayToBinaryOtsu, grayToHistogram, grayToRuleBinary, histogramToOtsuThreshold } from '../src/extract/ocr/binarize.js';
import { binaryToInkSample, binaryToProfileScore, grayToDeskewed, grayToInkSample } from '../src/extract/ocr/deskew.js';
import { inkSum, nextInk, rgbaToGray, STAMP_CHROMA_FROM, wordsOf, type BinaryImage, type GrayImage } from '../src/extract/ocr/image.js';
import { bytesToPageSource, type PageImage } from '../src/extract/ocr/pageImages.js';
import { binaryToColumnRuns, binaryToRuns, binaryWithoutRules, wipeRules } from '../src/extract/ocr/rules.js';
import { settingsOf } from '../src/extract/ocr/settings.js';
import { binaryToInkBox, binaryToTextLines, binaryWithoutSpecks } from '../src/extract/ocr/textLines.js';
import { prng } from './helpers.js';

const SCANS = join(import.meta.dirname, '..', 'fixtures', 'scan');

/** `data` copied to `shift` bytes into a larger buffer: a plane that does not start on a word. */
function shifted(data: Uint8Array, shift: number): Uint8Array {
  const buf = new Uint8Array(data.length + shift + 3);
  buf.set(data, shift);
  return buf.subarray(shift, shift + data.length);
}

/** A page-like gray image: noisy paper, ruled lines, dark strokes, blobs, grey smudges. */
function pageLike(width: number, height: number, seed: number): GrayImage {
  const rnd = prng(seed);
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = rnd() < 0.6 ? 250 : 235 + Math.floor(rnd() * 21);
  for (let y = 7; y < height; y += 23) for (let x = 3; x < width - 3; x++) data[y * width + x] = 40 + Math.floor(rnd() * 60);
  for (let x = 11; x < width; x += 37) for (let y = 2; y < height - 2; y++) data[y * width + x] = 90 + Math.floor(rnd() * 60);
  for (let k = 0; k < (width * height) / 60; k++) {
    const x = Math.floor(rnd() * (width - 4));
    const y = Math.floor(rnd() * (height - 4));
    const v = Math.floor(rnd() * 200);
    const n = 1 + Math.floor(rnd() * 4);
    for (let dy = 0; dy < n; dy++) for (let dx = 0; dx < n; dx++) data[(y + dy) * width + x + dx] = v;
  }
  return { width, height, data, dpi: 300 };
}

/** Byte-for-byte equality, told briefly (a deep diff of thousands of pixels is slow and unreadable). */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array, what = ''): void {
  expect(actual.length, what).toBe(expected.length);
  const at = actual.findIndex((v, i) => v !== expected[i]);
  expect(at, `${what} first differing byte`).toBe(-1);
}

function binaryOf(gray: GrayImage, threshold: number): BinaryImage {
  return { width: gray.width, height: gray.height, data: gray.data.map((v) => (v <= threshold ? 1 : 0)) };
}

// ---- References: the plain versions the fast paths replaced -------------------------------

function refHistogram(img: GrayImage): Float64Array {
  const h = new Float64Array(256);
  for (let i = 0; i < img.data.length; i++) h[img.data[i]!]!++;
  return h;
}

/**
 * Plain luma on white, and -1 for an opaque pixel of stamp colour (redder or bluer than both
 * other channels by more than STAMP_CHROMA_FROM): those are dropped out at a gain the page's
 * inks decide, never darker than their luma (checked apart).
 */
function refRgbaToGray(rgba: Uint8Array, width: number, height: number, channels: number): Int16Array {
  const out = new Int16Array(width * height);
  for (let i = 0, p = 0; i < out.length; i++, p += channels) {
    const y = (299 * rgba[p]! + 587 * rgba[p + 1]! + 114 * rgba[p + 2]!) / 1000;
    const a = channels === 4 ? rgba[p + 3]! / 255 : 1;
    const [r, g, b] = [rgba[p]!, rgba[p + 1]!, rgba[p + 2]!];
    if (a === 1 && (r - Math.max(g, b) > STAMP_CHROMA_FROM || b - Math.max(r, g) > STAMP_CHROMA_FROM)) out[i] = -1;
    else out[i] = Math.round(y * a + 255 * (1 - a));
  }
  return out;
}

/** rgbaToGray against refRgbaToGray: equal where the reference says, no darker than luma where stamp ink was dropped. */
function expectGrayOf(rgba: Uint8Array, n: number, channels: number): void {
  const got = rgbaToGray(rgba, n, 1, channels);
  const want = refRgbaToGray(rgba, n, 1, channels);
  const plain = Uint8Array.from(want, (v) => (v < 0 ? 0 : v));
  expectSameBytes(got.map((v, i) => (want[i]! < 0 ? 0 : v)), plain);
  for (let i = 0, p = 0; i < n; i++, p += channels) {
    if (want[i]! >= 0) continue;
    const y = Math.round((299 * rgba[p]! + 587 * rgba[p + 1]! + 114 * rgba[p + 2]!) / 1000);
    if (got[i]! < y - 1) expect(got[i], `pixel ${i}`).toBeGreaterThanOrEqual(y - 1);
  }
}

function refInkSample(img: BinaryImage, limit: number): { xs: Int32Array; ys: Int32Array } {
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

function refProfileScore(width: number, height: number, angleDeg: number, xs: Int32Array, ys: Int32Array): number {
  const t = Math.tan((angleDeg * Math.PI) / 180);
  const pad = Math.ceil(Math.abs(t) * width) + 1;
  const bins = new Float64Array(height + 2 * pad);
  for (let i = 0; i < xs.length; i++) bins[Math.round(ys[i]! - xs[i]! * t) + pad]!++;
  let s = 0;
  for (let i = 0; i < bins.length; i++) s += bins[i]! * bins[i]!;
  return s;
}

function refDeskewed(img: GrayImage, skewDeg: number): Uint8Array {
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
  return out;
}

function refTranspose(img: BinaryImage): BinaryImage {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[x * h + y] = data[y * w + x]!;
  return { width: h, height: w, data: out };
}

function refRuns(img: BinaryImage, minLength: number, gap: number): { at: number; from: number; to: number }[] {
  const runs: { at: number; from: number; to: number }[] = [];
  const { width: w, height: h, data } = img;
  for (let y = 0; y < h; y++) {
    let start = -1;
    let last = -1;
    for (let x = 0; x < w; x++) {
      if (!data[y * w + x]) continue;
      if (start >= 0 && x - last - 1 > gap) {
        if (last + 1 - start >= minLength) runs.push({ at: y, from: start, to: last + 1 });
        start = x;
      } else if (start < 0) start = x;
      last = x;
    }
    if (start >= 0 && last + 1 - start >= minLength) runs.push({ at: y, from: start, to: last + 1 });
  }
  return runs;
}

function refWithoutSpecks(img: BinaryImage, speck: number): Uint8Array {
  const { width: w, height: h, data } = img;
  const runY: number[] = [];
  const runX0: number[] = [];
  const runX1: number[] = [];
  const parent: number[] = [];
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  let prevStart = 0;
  let prevEnd = 0;
  for (let y = 0; y < h; y++) {
    const start = runY.length;
    let x = 0;
    while (x < w) {
      if (!data[y * w + x]) {
        x++;
        continue;
      }
      const x0 = x;
      while (x < w && data[y * w + x]) x++;
      const id = runY.length;
      runY.push(y);
      runX0.push(x0);
      runX1.push(x);
      parent.push(id);
      for (let p = prevStart; p < prevEnd; p++) {
        if (runX1[p]! >= x0 && runX0[p]! <= x) {
          const a = find(p);
          const b = find(id);
          if (a !== b) parent[a] = b;
        }
      }
    }
    prevStart = start;
    prevEnd = runY.length;
  }
  const box = new Map<number, [number, number, number, number]>();
  for (let i = 0; i < runY.length; i++) {
    const r = find(i);
    const b = box.get(r) ?? [Infinity, -1, Infinity, -1];
    box.set(r, [Math.min(b[0], runX0[i]!), Math.max(b[1], runX1[i]!), Math.min(b[2], runY[i]!), Math.max(b[3], runY[i]! + 1)]);
  }
  const out = new Uint8Array(data);
  for (let i = 0; i < runY.length; i++) {
    const [x0, x1, y0, y1] = box.get(find(i))!;
    if (x1 - x0 < speck && y1 - y0 < speck) out.fill(0, runY[i]! * w + runX0[i]!, runY[i]! * w + runX1[i]!);
  }
  return out;
}

// ---- Checks ---------------------------------------------------------------------------------

describe('scan layout fast paths equal the plain computations', () => {
  const pages = [pageLike(211, 157, 1), pageLike(64, 48, 2), pageLike(333, 97, 3)];

  it('histograms, thresholds and binarizations, word-aligned or not', () => {
    for (const page of pages) {
      for (const data of [page.data, shifted(page.data, 1), shifted(page.data, 3)]) {
        const img = { ...page, data };
        const hist = refHistogram(img);
        expect(grayToHistogram(img)).toEqual(hist);
        const t = histogramToOtsuThreshold(hist);
        expectSameBytes(grayToBinaryOtsu(img).data, img.data.map((v) => (v <= t ? 1 : 0)));
        const rules = grayToRuleBinary(img, 0.2).data;
        expectSameBytes(rules, grayToRuleBinary(img, 0.2, hist).data);
        // The rule threshold is a fraction: its table must say "<" exactly.
        const levelsIn = new Set<number>(img.data.filter((_, i) => rules[i] === 1));
        const levelsOut = new Set<number>(img.data.filter((_, i) => rules[i] === 0));
        expect(Math.max(...levelsIn)).toBeLessThan(Math.min(...levelsOut));
      }
    }
  });

  it('RGB(A) to gray, every channel value and alpha', () => {
    const rnd = prng(7);
    const n = 20_000;
    const rgba = new Uint8Array(n * 4).map(() => Math.floor(rnd() * 256));
    for (let i = 0; i < n; i += 3) rgba[i * 4 + 3] = 255;
    for (let i = 0; i < n; i += 5) rgba[i * 4 + 1] = rgba[i * 4 + 2] = rgba[i * 4]!;
    expectGrayOf(rgba, n, 4);
    const rgb = new Uint8Array(n * 3).map(() => Math.floor(rnd() * 256));
    for (let i = 0; i < n; i += 2) rgb[i * 3 + 1] = rgb[i * 3 + 2] = rgb[i * 3]!;
    expectGrayOf(rgb, n, 3);
    const everyLevel = new Uint8Array(256 * 3).map((_, i) => Math.floor(i / 3));
    expectSameBytes(rgbaToGray(everyLevel, 256, 1, 3), Uint8Array.from({ length: 256 }, (_, v) => v));
  });

  it('drops a red seal and a blue stamp out of the gray, keeps black text under them', () => {
    // paper, black text, seal red, blue stamp, black text under the seal (multiplied), gray text
    const rgb = Uint8Array.from([255, 255, 255, 20, 20, 20, 220, 60, 70, 40, 60, 200, 50, 12, 14, 120, 120, 125]);
    const gray = rgbaToGray(rgb, 6, 1, 3);
    expect(gray[0]).toBe(255);
    expect(gray[1]).toBe(20);
    expect(gray[2]).toBeGreaterThan(240);
    expect(gray[3]).toBeGreaterThan(230);
    expect(gray[4]).toBeLessThan(40);
    expect(gray[5]).toBeLessThan(125);
  });

  it('ink scans across words: first ink and ink sums on any stretch', () => {
    const rnd = prng(11);
    const plain = new Uint8Array(300).map(() => (rnd() < 0.05 ? 1 : 0));
    for (const data of [plain, shifted(plain, 1), shifted(plain, 2)]) {
      const words = wordsOf(data);
      for (let from = 0; from < 40; from++) {
        for (const to of [from, from + 1, from + 7, 150, 299, 300]) {
          if (to < from) continue;
          let first = from;
          while (first < to && data[first] === 0) first++;
          expect(nextInk(data, words, from, to)).toBe(first);
          expect(inkSum(data, words, from, to)).toBe(data.subarray(from, to).reduce((a, b) => a + b, 0));
        }
      }
    }
  });

  it('the skew sample, read from gray or from a binary page, and its profile scores', () => {
    for (const page of pages) {
      const t = histogramToOtsuThreshold(refHistogram(page));
      const bin = binaryOf(page, t);
      for (const limit of [1_000_000, 977, 50]) {
        const ref = refInkSample(bin, limit);
        const inkCount = bin.data.reduce((a, b) => a + b, 0);
        const fromGray = grayToInkSample(page, t, inkCount, limit);
        const fromBinary = binaryToInkSample({ ...bin, data: shifted(bin.data, 1) }, limit);
        for (const s of [fromGray, fromBinary]) expect([Array.from(s.xs), Array.from(s.ys)]).toEqual([Array.from(ref.xs), Array.from(ref.ys)]);
      }
      const { xs, ys } = refInkSample(bin, 1e9);
      // Slopes of 1/4 and 1/2 put whole columns exactly on a half pixel: the per-pixel fallback.
      const angles = [0, -2, 2, 0.05, -0.35, 1.15, 0.7, (Math.atan(0.25) * 180) / Math.PI, (Math.atan(0.5) * 180) / Math.PI, -(Math.atan(0.25) * 180) / Math.PI];
      for (const a of angles) expect(binaryToProfileScore(page, a, xs, ys), `angle ${a}`).toBe(refProfileScore(page.width, page.height, a, xs, ys));
    }
  });

  it('the deskew rotation, pixel for pixel', () => {
    for (const page of pages) for (const a of [0.05, -0.4, 0.9, -2, 1.7]) expectSameBytes(grayToDeskewed(page, a).data, refDeskewed(page, a), `${a}°`);
  });

  it('row and column runs (column runs = row runs of the transposed page)', () => {
    for (const page of pages) {
      const bin = binaryOf(page, 150);
      for (const data of [bin.data, shifted(bin.data, 1), shifted(bin.data, 2)]) {
        const img = { ...bin, data };
        for (const [minLength, gap] of [[1, 0], [5, 1], [20, 3], [40, 0]] as const) {
          expect(binaryToRuns(img, minLength, gap)).toEqual(refRuns(img, minLength, gap));
          expect(binaryToColumnRuns(img, minLength, gap)).toEqual(refRuns(refTranspose(img), minLength, gap));
        }
      }
    }
  });

  it('wiping rules and specks, in place or into a copy', () => {
    for (const page of pages) {
      const bin = binaryOf(page, 160);
      const mask = binaryOf(page, 60);
      const want = bin.data.map((v, i) => v & (mask.data[i]! ^ 1));
      expectSameBytes(binaryWithoutRules(bin, mask).data, want);
      expectSameBytes(binaryWithoutRules({ ...bin, data: shifted(bin.data, 1) }, mask).data, want);
      const inPlace = { ...bin, data: shifted(bin.data, 2) };
      wipeRules(inPlace, { ...mask, data: shifted(mask.data, 2) });
      expectSameBytes(inPlace.data, want);
      for (const speck of [1, 2, 4, 9]) expectSameBytes(binaryWithoutSpecks({ ...bin, data: shifted(bin.data, 3) }, speck).data, refWithoutSpecks(bin, speck), `speck ${speck}`);
    }
  });

  it('text lines and ink boxes on a plane that does not start on a word', () => {
    for (const page of pages) {
      const bin = binaryOf(page, 120);
      const odd = { ...bin, data: shifted(bin.data, 1) };
      const region = { x0: 3, y0: 2, x1: bin.width - 5, y1: bin.height - 1 };
      const s = { minLineHeight: 2, minRowInk: 2, speck: 3, wideGap: 2 };
      expect(binaryToTextLines(odd, region, s)).toEqual(binaryToTextLines(bin, region, s));
      let box: { x0: number; y0: number; x1: number; y1: number } | null = null;
      for (let y = region.y0; y < region.y1; y++) {
        for (let x = region.x0; x < region.x1; x++) {
          if (!bin.data[y * bin.width + x]) continue;
          box = box ? { x0: Math.min(box.x0, x), y0: box.y0, x1: Math.max(box.x1, x + 1), y1: y + 1 } : { x0: x, y0: y, x1: x + 1, y1: y + 1 };
        }
      }
      expect(binaryToInkBox(odd, region)).toEqual(box);
    }
  });
});

describe('a scan PDF page read straight from the file', () => {
  /** Every page of `bytes`, loaded one after the other (pdf.js holds one open document at a time). */
  async function pagesOf(bytes: Uint8Array, file: string): Promise<PageImage[]> {
    const src = await bytesToPageSource(bytes, file, settingsOf());
    try {
      const out: PageImage[] = [];
      for (let p = 1; p <= src.pages; p++) out.push(await src.load(p));
      return out;
    } finally {
      await src.close();
    }
  }

  /** The same file with `startxref` pointing one byte off: the direct reader steps aside, pdf.js rebuilds the table. */
  function withBrokenStartxref(bytes: Uint8Array): Uint8Array {
    const text = new TextDecoder('latin1').decode(bytes);
    const m = /startxref\s+(\d+)\s*%%EOF\s*$/.exec(text)!;
    const at = m.index + m[0].indexOf(m[1]!, 'startxref'.length);
    const digits = String(Number(m[1]) + 1).padStart(m[1]!.length, '0').slice(-m[1]!.length);
    const out = bytes.slice();
    for (let i = 0; i < digits.length; i++) out[at + i] = digits.charCodeAt(i);
    return out;
  }

  it('equals the page pdf.js decodes, pixel for pixel', async () => {
    for (const file of ['form-200.pdf', 'qinyang-300.pdf']) {
      const bytes = new Uint8Array(readFileSync(join(SCANS, file)));
      const direct = await pagesOf(bytes, file);
      const viaPdfjs = await pagesOf(withBrokenStartxref(bytes), file);
      expect(direct).toHaveLength(viaPdfjs.length);
      direct.forEach((d, i) => {
        const p = viaPdfjs[i]!;
        expect([d.width, d.height, d.dpi, d.origin, d.page], `${file} p${i + 1}`).toEqual([p.width, p.height, p.dpi, p.origin, p.page]);
        expect(Buffer.compare(Buffer.from(d.data), Buffer.from(p.data)), `${file} p${i + 1} pixels`).toBe(0);
      });
    }
  }, 60_000);
});
