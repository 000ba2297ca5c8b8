// Text without rules, from pixels: ink rows → line bands; within a band, ink columns → pieces
// split where the gap is wide compared with the line height. Used for text outside ruled
// tables, for pages with no rules at all, and to tell a one-line cell from a paragraph cell.
import { binaryToRunComponents } from './components.js';
import { inkSum, nextInk, nextPaper, wordsOf, type BinaryImage, type PxRect } from './image.js';

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
  const { width: w, data } = img;
  const words = wordsOf(data);
  const out = new Int32Array(r.y1 - r.y0);
  for (let y = r.y0; y < r.y1; y++) out[y - r.y0] = inkSum(data, words, y * w + r.x0, y * w + r.x1);
  return out;
}

function colInk(img: BinaryImage, r: PxRect): Int32Array {
  const { width: w, data } = img;
  const words = wordsOf(data);
  const out = new Int32Array(r.x1 - r.x0);
  for (let y = r.y0; y < r.y1; y++) {
    const row = y * w;
    const end = row + r.x1;
    const origin = row + r.x0;
    for (let i = nextInk(data, words, origin, end); i < end; i = nextInk(data, words, i, end)) {
      for (const stop = nextPaper(data, i, end); i < stop; i++) out[i - origin]! += data[i]!;
    }
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
  const { width: w, data } = img;
  const words = wordsOf(data);
  for (let y = r.y0; y < r.y1; y++) {
    const row = y * w;
    const end = row + r.x1;
    for (let i = nextInk(data, words, row + r.x0, end); i < end; i = nextInk(data, words, i, end)) {
      const first = i - row;
      i = nextPaper(data, i, end);
      const last = i - 1 - row;
      if (first < x0) x0 = first;
      if (last > x1) x1 = last;
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
  const out = { width: img.width, height: img.height, data: new Uint8Array(img.data) };
  wipeSpecks(out, speck);
  return out;
}

/** `binaryWithoutSpecks` done in place, for a binary image nobody else holds. */
export function wipeSpecks(img: BinaryImage, speck: number): void {
  const { width: w, data } = img;
  const { y: runY, x0: runX0, x1: runX1, count, comp: root } = binaryToRunComponents(img);
  // Each component's box, kept at its root.
  const minX = new Int32Array(count).fill(0x7fffffff);
  const maxX = new Int32Array(count).fill(-1);
  const minY = new Int32Array(count).fill(0x7fffffff);
  const maxY = new Int32Array(count).fill(-1);
  for (let i = 0; i < count; i++) {
    const r = root[i]!;
    if (runX0[i]! < minX[r]!) minX[r] = runX0[i]!;
    if (runX1[i]! > maxX[r]!) maxX[r] = runX1[i]!;
    if (runY[i]! < minY[r]!) minY[r] = runY[i]!;
    if (runY[i]! + 1 > maxY[r]!) maxY[r] = runY[i]! + 1;
  }
  for (let i = 0; i < count; i++) {
    const r = root[i]!;
    if (maxX[r]! - minX[r]! < speck && maxY[r]! - minY[r]! < speck) {
      data.fill(0, runY[i]! * w + runX0[i]!, runY[i]! * w + runX1[i]!);
    }
  }
}
