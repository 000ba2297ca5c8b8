// Text without rules, from pixels: ink rows → line bands; within a band, ink columns → pieces
// split where the gap is wide compared with the line height. Used for text outside ruled
// tables, for pages with no rules at all, and to tell a one-line cell from a paragraph cell.
import type { BinaryImage, PxRect } from './image.js';

export interface TextLine {
  box: PxRect;
  /** Runs of the line separated by wide gaps, left to right: the cells of a rule-less table. */
  pieces: PxRect[];
}

export interface TextLineSettings {
  /** Pixels. Bands lower than this are noise or a rule's leftover edge. */
  minLineHeight: number;
  /** A row needs this many ink pixels to count as part of a line (single noise pixels do not). */
  minRowInk: number;
  /** A piece narrower and lower than this (pixels) is a speck. */
  speck: number;
  /** Horizontal gap, in line heights, that splits a line into pieces. */
  wideGap: number;
}

function rowInk(img: BinaryImage, r: PxRect): Int32Array {
  const out = new Int32Array(r.y1 - r.y0);
  for (let y = r.y0; y < r.y1; y++) {
    let n = 0;
    const row = y * img.width;
    for (let x = r.x0; x < r.x1; x++) n += img.data[row + x]!;
    out[y - r.y0] = n;
  }
  return out;
}

function colInk(img: BinaryImage, r: PxRect): Int32Array {
  const out = new Int32Array(r.x1 - r.x0);
  for (let y = r.y0; y < r.y1; y++) {
    const row = y * img.width;
    for (let x = r.x0; x < r.x1; x++) out[x - r.x0]! += img.data[row + x]!;
  }
  return out;
}

/** Maximal runs of indices where `counts[i] >= min`, as half-open [from, to). */
function runsOf(counts: Int32Array, min: number): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= counts.length; i++) {
    const on = i < counts.length && counts[i]! >= min;
    if (on && start < 0) start = i;
    else if (!on && start >= 0) {
      out.push([start, i]);
      start = -1;
    }
  }
  return out;
}

/** Tightest rectangle around the ink of `r`, or null when it holds none. */
export function binaryToInkBox(img: BinaryImage, r: PxRect): PxRect | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let y = r.y0; y < r.y1; y++) {
    const row = y * img.width;
    for (let x = r.x0; x < r.x1; x++) {
      if (!img.data[row + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/** Text lines within `region`, top to bottom, each with its wide-gap pieces. */
export function binaryToTextLines(img: BinaryImage, region: PxRect, s: TextLineSettings): TextLine[] {
  const lines: TextLine[] = [];
  for (const [a, b] of runsOf(rowInk(img, region), s.minRowInk)) {
    if (b - a < s.minLineHeight) continue;
    const band: PxRect = { x0: region.x0, y0: region.y0 + a, x1: region.x1, y1: region.y0 + b };
    const height = b - a;
    const cols = runsOf(colInk(img, band), 1);
    const groups: [number, number][] = [];
    for (const c of cols) {
      const last = groups.at(-1);
      if (last && c[0] - last[1] < s.wideGap * height) last[1] = c[1];
      else groups.push([c[0], c[1]]);
    }
    const pieces: PxRect[] = [];
    for (const [c0, c1] of groups) {
      const box = binaryToInkBox(img, { x0: band.x0 + c0, y0: band.y0, x1: band.x0 + c1, y1: band.y1 });
      if (box && (box.x1 - box.x0 >= s.speck || box.y1 - box.y0 >= s.speck)) pieces.push(box);
    }
    if (pieces.length === 0) continue;
    lines.push({
      box: {
        x0: Math.min(...pieces.map((p) => p.x0)),
        y0: Math.min(...pieces.map((p) => p.y0)),
        x1: Math.max(...pieces.map((p) => p.x1)),
        y1: Math.max(...pieces.map((p) => p.y1)),
      },
      pieces,
    });
  }
  return lines;
}

/**
 * The image without its specks: 8-connected ink components whose box is smaller than `speck`
 * pixels both ways (scanner noise, JPEG ringing). Components are built from row runs, so the
 * cost follows the amount of ink, not the page area.
 */
export function binaryWithoutSpecks(img: BinaryImage, speck: number): BinaryImage {
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
    const row = y * w;
    let x = 0;
    while (x < w) {
      if (!data[row + x]) {
        x++;
        continue;
      }
      const x0 = x;
      while (x < w && data[row + x]) x++;
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
  const minX = new Map<number, number>();
  const maxX = new Map<number, number>();
  const minY = new Map<number, number>();
  const maxY = new Map<number, number>();
  for (let i = 0; i < runY.length; i++) {
    const r = find(i);
    minX.set(r, Math.min(minX.get(r) ?? Infinity, runX0[i]!));
    maxX.set(r, Math.max(maxX.get(r) ?? -1, runX1[i]!));
    minY.set(r, Math.min(minY.get(r) ?? Infinity, runY[i]!));
    maxY.set(r, Math.max(maxY.get(r) ?? -1, runY[i]! + 1));
  }
  const out = new Uint8Array(data);
  for (let i = 0; i < runY.length; i++) {
    const r = find(i);
    if (maxX.get(r)! - minX.get(r)! < speck && maxY.get(r)! - minY.get(r)! < speck) {
      out.fill(0, runY[i]! * w + runX0[i]!, runY[i]! * w + runX1[i]!);
    }
  }
  return { width: w, height: h, data: out };
}
