// The comparator signs ≥ and ≤, found by their shape. Tesseract's chi_sim model reads them in
// these forms as =, 三, 二, 之, 过, <, 生 or drops them, and no text-level repair can tell a
// misread ≥ from a real 三, so the glyph is judged from its pixels instead.
//
// A sign is a chevron (`>` or `<`: two straight arms meeting at a vertex, the opposite side
// open) with one or two thin straight bars under it and nothing else in its column of the line.
// The bars are horizontal (≥, ≧) or slanted parallel to the chevron's lower arm (⩾, the form
// Song typefaces use); where blur has joined a horizontal bar to the arm tip, the bar is read
// from the rows at the foot of the chevron's own component. Everything is measured relative to
// the chevron, so the test works at any resolution. Ink is taken as 8-connected components built
// from row runs, so the cost follows the amount of ink rather than the crop area.
import { binaryToRunComponents, type RunComponents } from './components.js';
import type { BinaryImage, PxRect } from './image.js';

export type Sign = '≥' | '≤';
export interface SignGlyph {
  sign: Sign;
  box: PxRect;
}

/** A crop's row runs and their components, with the run indexes grouped by component (see `Component.first`). */
interface Runs extends RunComponents {
  order: Int32Array;
}

interface Component {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** The component's runs are `Runs.order[first .. first + count)`, in row order. */
  first: number;
  count: number;
}

/** Per row of a component (index y − y0): outermost ink (right exclusive), runs, longest run, ink. */
interface RowProfile {
  left: Int32Array;
  right: Int32Array;
  runs: Int32Array;
  longest: Int32Array;
  ink: Int32Array;
}

/** The `>` or `<` of a comparator, in the top rows of a component. */
interface Chevron {
  kind: '>' | '<';
  box: PxRect;
  /** dy/dx of the lower arm, image y pointing down. */
  lowerArmSlope: number;
  /** Lowest chevron ink per column of `box` (absolute y), −1 where the column holds none. */
  bottoms: Int32Array;
}

/** A thin straight stroke: a comparator's bar, as its own component or as rows under the chevron. */
interface Bar {
  box: PxRect;
  slope: number;
  thickness: number;
}

/** Components whose box is at most this many pixels both ways are noise, never part of a glyph. */
const SPECK_PX = 2;

/** Components with their runs grouped (in row order) in one shared index array. */
function runsToComponents(r: RunComponents): { comps: Component[]; order: Int32Array } {
  const index = new Int32Array(r.count).fill(-1);
  const comps: Component[] = [];
  for (let i = 0; i < r.count; i++) {
    const root = r.comp[i]!;
    if (index[root]! < 0) {
      index[root] = comps.length;
      comps.push({ x0: r.x0[i]!, y0: r.y[i]!, x1: r.x1[i]!, y1: r.y[i]! + 1, first: 0, count: 0 });
    }
    const c = comps[index[root]!]!;
    c.count++;
    if (r.x0[i]! < c.x0) c.x0 = r.x0[i]!;
    if (r.x1[i]! > c.x1) c.x1 = r.x1[i]!;
    c.y1 = r.y[i]! + 1;
  }
  let first = 0;
  for (const c of comps) {
    c.first = first;
    first += c.count;
  }
  const order = new Int32Array(r.count);
  const filled = new Int32Array(comps.length);
  for (let i = 0; i < r.count; i++) {
    const k = index[r.comp[i]!]!;
    order[comps[k]!.first + filled[k]!++] = i;
  }
  return { comps, order };
}

const widthOf = (b: PxRect): number => b.x1 - b.x0;
const heightOf = (b: PxRect): number => b.y1 - b.y0;
const overlapX = (a: PxRect, b: PxRect): number => Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
const boxOf = (c: Component): PxRect => ({ x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1 });

function rowProfile(c: Component, r: Runs): RowProfile {
  const h = c.y1 - c.y0;
  const left = new Int32Array(h).fill(c.x1);
  const right = new Int32Array(h);
  const runs = new Int32Array(h);
  const longest = new Int32Array(h);
  const ink = new Int32Array(h);
  for (let k = c.first; k < c.first + c.count; k++) {
    const i = r.order[k]!;
    const y = r.y[i]! - c.y0;
    const x0 = r.x0[i]!;
    const x1 = r.x1[i]!;
    if (x0 < left[y]!) left[y] = x0;
    if (x1 > right[y]!) right[y] = x1;
    if (x1 - x0 > longest[y]!) longest[y] = x1 - x0;
    ink[y]! += x1 - x0;
    runs[y]!++;
  }
  return { left, right, runs, longest, ink };
}

/** Per column of a component (index x − x0), over its rows above `yEnd`: topmost and lowest ink row, ink count. */
function columnProfile(c: Component, r: Runs, yEnd = c.y1): { top: Int32Array; bottom: Int32Array; ink: Int32Array } {
  const w = c.x1 - c.x0;
  const top = new Int32Array(w).fill(-1);
  const bottom = new Int32Array(w).fill(-1);
  const ink = new Int32Array(w);
  for (let k = c.first; k < c.first + c.count; k++) {
    const i = r.order[k]!;
    const y = r.y[i]!;
    if (y >= yEnd) break;
    for (let x = r.x0[i]! - c.x0; x < r.x1[i]! - c.x0; x++) {
      if (top[x]! < 0) top[x] = y;
      bottom[x] = y;
      ink[x]!++;
    }
  }
  return { top, bottom, ink };
}

/** Least-squares line through (xs[i], ys[i]): slope and the largest residual. */
function fitLine(xs: Float64Array, ys: Float64Array): { slope: number; maxResidual: number } {
  const n = xs.length;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]!;
    sy += ys[i]!;
    sxx += xs[i]! * xs[i]!;
    sxy += xs[i]! * ys[i]!;
  }
  const d = n * sxx - sx * sx;
  const slope = d === 0 ? 0 : (n * sxy - sx * sy) / d;
  const icpt = (sy - slope * sx) / n;
  let maxResidual = 0;
  for (let i = 0; i < n; i++) maxResidual = Math.max(maxResidual, Math.abs(ys[i]! - icpt - slope * xs[i]!));
  return { slope, maxResidual };
}

/**
 * Rows `from`..`to` (inclusive) of an arm must trace one straight stroke across most of the
 * chevron's width: curves (parentheses, the bowl of 2 or 3) bend away from the chord, hooks turn
 * back, and a slant ending in a vertical stroke (亻, 壬) does not travel far enough. The callers
 * leave out the vertex row, where both arms merge, and the arm's end row, where the stroke's cap
 * and scan noise move the centre; `span` is the arm's full height in rows.
 */
function isStraightArm(centre: Float64Array, from: number, to: number, span: number, w: number): boolean {
  const n = to - from + 1;
  if (n < 2) return false;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = from + i;
    ys[i] = centre[from + i]!;
  }
  const { slope, maxResidual } = fitLine(xs, ys);
  return maxResidual <= Math.max(1.5, 0.1 * w) && Math.abs(slope) * span >= 0.55 * w;
}

function meanOf(a: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i]!;
  return s / (to - from);
}

/**
 * The chevron in the top `rows` rows of a component, or null. A chevron's every row is one short
 * stroke (never near the full width, which rules out 之's and Z's cross strokes), its row centre
 * runs straight to the closed side and straight back, both arm ends sit on the open side and the
 * vertex row is empty towards them.
 */
function rowsToChevron(c: Component, p: RowProfile, rows: number, r: Runs): Chevron | null {
  let x0 = c.x1;
  let x1 = c.x0;
  for (let y = 0; y < rows; y++) {
    if (p.runs[y] === 0) return null;
    x0 = Math.min(x0, p.left[y]!);
    x1 = Math.max(x1, p.right[y]!);
  }
  const w = x1 - x0;
  const h = rows;
  if (h < 5 || w < 4 || h > 1.25 * w || w > 2.6 * h) return null;
  const centre = new Float64Array(h);
  let multi = 0;
  for (let y = 0; y < h; y++) {
    if (p.right[y]! - p.left[y]! >= 0.85 * w) return null;
    if (p.runs[y]! > 1) multi++;
    centre[y] = (p.left[y]! + p.right[y]!) / 2 - x0;
  }
  if (multi > 1 + 0.15 * h) return null;
  let vRight = 0;
  let vLeft = 0;
  for (let y = 1; y < h; y++) {
    if (centre[y]! > centre[vRight]!) vRight = y;
    if (centre[y]! < centre[vLeft]!) vLeft = y;
  }
  const end = Math.max(1, Math.round(0.12 * h));
  const topC = meanOf(centre, 0, end);
  const bottomC = meanOf(centre, h - end, h);
  let kind: '>' | '<';
  let v: number;
  if (topC <= 0.4 * w && bottomC <= 0.4 * w && centre[vRight]! >= 0.6 * w) {
    kind = '>';
    v = vRight;
  } else if (topC >= 0.6 * w && bottomC >= 0.6 * w && centre[vLeft]! <= 0.4 * w) {
    kind = '<';
    v = vLeft;
  } else return null;
  if (v < 0.25 * h || v > 0.75 * h) return null;
  const open = kind === '>' ? p.left[v]! - x0 >= 0.45 * w : x1 - p.right[v]! >= 0.45 * w;
  if (!open || !isStraightArm(centre, 1, v - 1, v, w) || !isStraightArm(centre, v + 1, h - 2, h - 1 - v, w)) return null;
  const bottom = columnProfile(c, r, c.y0 + rows).bottom.subarray(x0 - c.x0, x1 - c.x0);
  return {
    kind,
    box: { x0, y0: c.y0, x1, y1: c.y0 + h },
    lowerArmSlope: (h - 1 - v) / (centre[h - 1]! - centre[v]!),
    bottoms: bottom,
  };
}

/**
 * Where a blurred scan has joined the bar to the chevron's arm tip, the bar is a band of rows at
 * the component's foot, each mostly one stroke spanning most of its width (two bands for ≧),
 * reached from above through a thin neck. Returns how many rows from the top may hold the
 * chevron, and the bands as bars; no bars when the foot is not such a band, null when it is a
 * band but not joined like a comparator's.
 */
function footBars(c: Component, p: RowProfile): { rows: number; bars: Bar[] } | null {
  const w = c.x1 - c.x0;
  const h = c.y1 - c.y0;
  const isBandRow = (y: number): boolean => p.longest[y]! >= 0.7 * w && p.ink[y]! - p.longest[y]! <= 0.15 * w;
  const narrowerThan = (y: number, share: number): boolean => p.longest[y]! <= share * w;
  // Blur and JPEG noise leave a ragged row or two under a bar.
  let y = h - 1;
  for (let tail = Math.max(1, Math.round(0.12 * h)); tail > 0 && y > 0 && !isBandRow(y); tail--) y--;
  const bars: Bar[] = [];
  while (bars.length < 2 && isBandRow(y)) {
    const y1 = y + 1;
    let x0 = c.x1;
    let x1 = c.x0;
    for (; y >= 0 && isBandRow(y); y--) {
      x0 = Math.min(x0, p.left[y]!);
      x1 = Math.max(x1, p.right[y]!);
    }
    bars.unshift({ box: { x0, y0: c.y0 + y + 1, x1, y1: c.y0 + y1 }, slope: 0, thickness: y1 - y - 1 });
    if (y < 0 || !narrowerThan(y, 0.6)) return null;
    // A second band close above, joined through a few thin rows, is ≧'s upper bar.
    let n = y;
    while (n >= 0 && n > y - 3 && !isBandRow(n) && narrowerThan(n, 0.4)) n--;
    if (n >= 0 && n < y && isBandRow(n)) y = n;
    else break;
  }
  if (bars.length === 0) return { rows: h, bars };
  return { rows: neckOf(p, y + 1), bars };
}

/**
 * The row where a joined chevron ends: the one with least ink among the few rows above the bar,
 * where blur bridged the arm tip to the bar. Rows from there down belong to neither.
 */
function neckOf(p: RowProfile, barTop: number): number {
  let best = barTop - 1;
  for (let y = barTop - 1; y >= Math.max(1, barTop - Math.max(1, Math.round(0.25 * barTop))); y--) {
    if (p.ink[y]! < p.ink[best]!) best = y;
  }
  return best;
}

/** A separate component as a thin straight stroke, with its slope and thickness; null for anything else. */
function componentToBar(c: Component, r: Runs): Bar | null {
  const w = c.x1 - c.x0;
  const h = c.y1 - c.y0;
  if (w < 4 || h > 1.2 * w) return null;
  const { top, bottom, ink } = columnProfile(c, r);
  const xs = new Float64Array(w);
  const ys = new Float64Array(w);
  let gappy = 0;
  let inkSum = 0;
  for (let x = 0; x < w; x++) {
    if (top[x]! < 0) return null;
    if (bottom[x]! - top[x]! + 1 > ink[x]!) gappy++;
    xs[x] = x;
    ys[x] = (top[x]! + bottom[x]!) / 2;
    inkSum += ink[x]!;
  }
  if (gappy > 1 + 0.1 * w) return null;
  const { slope, maxResidual } = fitLine(xs, ys);
  const thickness = (inkSum / w) * Math.cos(Math.atan(slope));
  if (thickness > 0.45 * w || maxResidual > Math.max(1.5, 0.6 * thickness)) return null;
  return { box: boxOf(c), slope, thickness };
}

/**
 * A comparator's bar: about as wide as the chevron and under it, thin, and horizontal (≥) or
 * parallel to the lower arm (⩾).
 */
function isBarOf(chev: Chevron, bar: Bar): boolean {
  const cw = widthOf(chev.box);
  const bw = widthOf(bar.box);
  if (bw < 0.55 * cw || bw > 1.6 * cw || overlapX(chev.box, bar.box) < 0.55 * cw) return false;
  if (bar.thickness > 0.7 * heightOf(chev.box) || bar.box.y1 <= chev.box.y1) return false;
  const horizontal = Math.abs(bar.slope) <= 0.12;
  const s = Math.abs(bar.slope);
  const arm = Math.abs(chev.lowerArmSlope);
  const parallel = Math.sign(bar.slope) === Math.sign(chev.lowerArmSlope) && s >= 0.5 * arm && s <= 1.6 * arm;
  return horizontal || parallel;
}

/**
 * Smallest vertical clearance from the ink above (`bottoms`, per column of `upper`) down to a
 * component's ink over their shared columns: negative where it reaches above, Infinity when
 * they share no column.
 */
function clearanceBelow(upper: PxRect, bottoms: Int32Array, lower: Component, r: Runs): number {
  const { top } = columnProfile(lower, r);
  let min = Infinity;
  for (let x = Math.max(upper.x0, lower.x0); x < Math.min(upper.x1, lower.x1); x++) {
    const ub = bottoms[x - upper.x0]!;
    const lt = top[x - lower.x0]!;
    if (ub >= 0 && lt >= 0) min = Math.min(min, lt - ub - 1);
  }
  return min;
}

/**
 * Components in the chevron's column of text: overlapping it by half the narrower width, not
 * specks, and not underlines or rule fragments, which run under many glyphs.
 */
function columnMates(c: Component, chev: Chevron, comps: Component[]): Component[] {
  const ch = heightOf(chev.box);
  const cw = widthOf(chev.box);
  return comps
    .filter(
      (o) =>
        o !== c &&
        overlapX(chev.box, o) >= 0.5 * Math.min(cw, o.x1 - o.x0) &&
        Math.max(o.x1 - o.x0, o.y1 - o.y0) >= 0.2 * ch &&
        !(o.x1 - o.x0 > 3 * cw && o.y1 - o.y0 < 0.3 * ch),
    )
    .sort((a, b) => a.y0 - b.y0);
}

/**
 * Separate bar components under the chevron (or under bars already found), each close under the
 * ink above it, at most `room` of them.
 */
function barsBelow(c: Component, chev: Chevron, joined: boolean, mates: Component[], room: number, r: Runs): Component[] {
  const ch = heightOf(chev.box);
  const out: Component[] = [];
  let upper = joined ? boxOf(c) : chev.box;
  let bottoms = joined ? columnProfile(c, r).bottom : chev.bottoms;
  for (const o of mates) {
    if (out.length === room) break;
    if (o.y1 <= chev.box.y1) continue;
    const bar = componentToBar(o, r);
    if (!bar || !isBarOf(chev, bar)) continue;
    const gap = clearanceBelow(upper, bottoms, o, r);
    if (!(gap >= 0 && gap <= 0.5 * ch)) continue;
    out.push(o);
    upper = boxOf(o);
    bottoms = columnProfile(o, r).bottom;
  }
  return out;
}

/**
 * Height of the text around `box`: the median height of the other components sharing its rows
 * (the box's own height when there are none). A median, so that a rule fragment or two lines run
 * together do not make a line look tall.
 */
function lineHeightAround(box: PxRect, comps: Component[], own: Component[]): number {
  const heights: number[] = [];
  for (const o of comps) if (o.y1 > box.y0 && o.y0 < box.y1 && !own.includes(o)) heights.push(o.y1 - o.y0);
  heights.sort((a, b) => a - b);
  return heights[heights.length >> 1] ?? heightOf(box);
}

/** The comparator whose chevron is component `c`, or null. */
function componentToSign(c: Component, comps: Component[], r: Runs): SignGlyph | null {
  const w = c.x1 - c.x0;
  const h = c.y1 - c.y0;
  // A chevron and its bars are one stroke a row, nearly everywhere; most of a CJK character's
  // rows cross several strokes, so this cheap count rejects them before any profile is built.
  if (h < 5 || w < 4 || h > 3 * w || w > 3 * h || c.count > 1.4 * h + 2) return null;
  const p = rowProfile(c, r);
  const foot = footBars(c, p);
  if (!foot) return null;
  const chev = rowsToChevron(c, p, foot.rows, r);
  if (!chev || !foot.bars.every((b) => isBarOf(chev, b))) return null;
  const ch = heightOf(chev.box);
  const mates = columnMates(c, chev, comps);
  const bars = barsBelow(c, chev, foot.bars.length > 0, mates, 2 - foot.bars.length, r);
  if (foot.bars.length + bars.length === 0) return null;
  const box = boxOf(c);
  for (const b of bars) {
    box.x0 = Math.min(box.x0, b.x0);
    box.x1 = Math.max(box.x1, b.x1);
    box.y1 = Math.max(box.y1, b.y1);
  }
  // Anything else in the glyph's column, from just above the chevron to just below the last
  // bar, makes the chevron a stroke of something else (a CJK character, a digit, %), not a sign.
  const top = box.y0 - 0.25 * ch;
  const bottom = box.y1 + 0.2 * ch;
  if (mates.some((o) => !bars.includes(o) && o.y1 > top && o.y0 < bottom)) return null;
  // A comparator is a sizeable part of its line, not a mark beside the text.
  if (heightOf(box) < 0.3 * lineHeightAround(box, comps, [c, ...bars])) return null;
  return { sign: chev.kind === '>' ? '≥' : '≤', box };
}

/** Reading order: glyphs whose vertical centre lies within the topmost one's rows share its line. */
function inReadingOrder(glyphs: SignGlyph[]): SignGlyph[] {
  const rest = [...glyphs].sort((a, b) => a.box.y0 - b.box.y0);
  const out: SignGlyph[] = [];
  while (rest.length > 0) {
    const first = rest[0]!;
    const line = rest.filter((g) => (g.box.y0 + g.box.y1) / 2 < first.box.y1);
    out.push(...line.sort((a, b) => a.box.x0 - b.box.x0));
    for (const g of line) rest.splice(rest.indexOf(g), 1);
  }
  return out;
}

/**
 * The ≥ / ≤ glyphs (also the double-barred ≧ / ≦, reported as ≥ / ≤) in a cell crop's ink,
 * in reading order (top line first, left to right). `ink`: 1 = ink, 0 = paper.
 */
export function findSignGlyphs(ink: BinaryImage): SignGlyph[] {
  const unordered = binaryToRunComponents(ink);
  const { comps: all, order } = runsToComponents(unordered);
  const runs: Runs = { ...unordered, order };
  const comps = all.filter((c) => c.x1 - c.x0 > SPECK_PX || c.y1 - c.y0 > SPECK_PX);
  const found: SignGlyph[] = [];
  for (const c of comps) {
    const g = componentToSign(c, comps, runs);
    if (g) found.push(g);
  }
  return inReadingOrder(found);
}
