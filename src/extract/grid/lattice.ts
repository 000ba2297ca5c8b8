// Ruled tables from ruling segments, after pdfplumber's table finder:
//   mergeRules (snapRules → joinRules) → rulesToIntersections → intersectionsToComponents
//   → componentToGrid (rule positions, then slots merged where an inner rule is missing)
// and assignTextToCells to fill the cells. Tolerances are in page units (PDF points, or pixels
// for a page image: scale them with the resolution). Pure geometry: the text-PDF extractor feeds it rules
// from the content stream, the OCR extractor rules found in the page image.
import type { Box } from '../rows.js';
import type { Grid, GridCell, Segment } from './types.js';
import { DEFAULT_READING_SETTINGS, readingText, type ReadingSettings, type TextBox } from './reading.js';
import { resolveSettings } from './settings.js';

export interface GridSettings extends ReadingSettings {
  /** Rules whose positions differ by at most this are one rule (double borders, anti-aliasing). */
  snapTolerance: number;
  /** Collinear pieces of a rule with a gap of at most this are one rule. */
  joinTolerance: number;
  /** A rule that stops this short of another still meets it. */
  intersectionTolerance: number;
  /** Rules shorter than this are dropped: dots, dashes, strokes of glyphs drawn as paths. */
  minRuleLength: number;
  /** Where the horizontal rules overhang the outermost vertical (or the reverse) by more than this, the table is open-sided and the overhang is a column (row). */
  openSideOverhang: number;
}

export const DEFAULT_GRID_SETTINGS: Readonly<GridSettings> = Object.freeze({
  snapTolerance: 3,
  joinTolerance: 3,
  intersectionTolerance: 3,
  minRuleLength: 3,
  openSideOverhang: 6,
  ...DEFAULT_READING_SETTINGS,
});

export function resolveGridSettings(given?: Partial<GridSettings>): GridSettings {
  return resolveSettings('grid', DEFAULT_GRID_SETTINGS, given);
}

/** A rule normalised to its axis: `at` is the fixed coordinate, [from, to] the extent. */
export interface Rule {
  at: number;
  from: number;
  to: number;
}

export function horizontalToRule(s: Segment): Rule {
  return { at: (s.y0 + s.y1) / 2, from: Math.min(s.x0, s.x1), to: Math.max(s.x0, s.x1) };
}

export function verticalToRule(s: Segment): Rule {
  return { at: (s.x0 + s.x1) / 2, from: Math.min(s.y0, s.y1), to: Math.max(s.y0, s.y1) };
}

/** Groups sorted values where consecutive ones are at most `tolerance` apart. */
export function clusterValues(values: readonly number[], tolerance: number): number[][] {
  const sorted = [...values].sort((a, b) => a - b);
  const clusters: number[][] = [];
  for (const v of sorted) {
    const last = clusters.at(-1);
    if (last && v - last.at(-1)! <= tolerance) last.push(v);
    else clusters.push([v]);
  }
  return clusters;
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Moves rules whose positions nearly agree onto their common mean position. */
export function snapRules(rules: readonly Rule[], tolerance: number): Rule[] {
  const clusters = clusterValues(rules.map((r) => r.at), tolerance);
  const snapped = new Map<number, number>();
  for (const c of clusters) {
    const m = mean(c);
    for (const v of c) snapped.set(v, m);
  }
  return rules.map((r) => ({ ...r, at: snapped.get(r.at)! }));
}

/** Joins pieces on one position whose extents touch or overlap, within `tolerance`. */
export function joinRules(rules: readonly Rule[], tolerance: number): Rule[] {
  const sorted = [...rules].sort((a, b) => a.at - b.at || a.from - b.from);
  const out: Rule[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && last.at === r.at && r.from <= last.to + tolerance) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

export function mergeRules(rules: readonly Rule[], s: GridSettings): Rule[] {
  return joinRules(snapRules(rules, s.snapTolerance), s.joinTolerance).filter((r) => r.to - r.from >= s.minRuleLength);
}

export interface Intersection {
  x: number;
  y: number;
  h: number;
  v: number;
}

/** Every crossing (or near-crossing) of a horizontal and a vertical rule, with their indices. */
export function rulesToIntersections(hs: readonly Rule[], vs: readonly Rule[], tolerance: number): Intersection[] {
  const out: Intersection[] = [];
  hs.forEach((h, hi) => {
    vs.forEach((v, vi) => {
      if (v.at >= h.from - tolerance && v.at <= h.to + tolerance && h.at >= v.from - tolerance && h.at <= v.to + tolerance) {
        out.push({ x: v.at, y: h.at, h: hi, v: vi });
      }
    });
  });
  return out;
}

/** Tables are the connected groups of rules; returns, per table, its intersections. */
export function intersectionsToComponents(points: readonly Intersection[], hCount: number): Intersection[][] {
  const parent: number[] = [];
  const find = (i: number): number => {
    while ((parent[i] ?? i) !== i) {
      const p = parent[i]!;
      parent[i] = parent[p] ?? p;
      i = p;
    }
    return i;
  };
  for (const p of points) {
    const a = find(p.h);
    const b = find(hCount + p.v);
    if (a !== b) parent[a] = b;
  }
  const groups = new Map<number, Intersection[]>();
  for (const p of points) {
    const root = find(p.h);
    const g = groups.get(root);
    if (g) g.push(p);
    else groups.set(root, [p]);
  }
  return [...groups.values()];
}

function distinct(values: readonly number[], tolerance: number): number[] {
  return clusterValues(values, tolerance).map(mean);
}

function covers(rules: readonly Rule[], at: number, from: number, to: number, s: GridSettings): boolean {
  return rules.some(
    (r) => Math.abs(r.at - at) <= s.snapTolerance && r.from <= from + s.intersectionTolerance && r.to >= to - s.intersectionTolerance,
  );
}

/**
 * One table's rule positions and cells. Adjacent slots whose shared inner rule is absent belong to
 * one cell (a rowspan or colspan); a group that is not a rectangle takes its bounding rectangle,
 * absorbing what it overlaps, so cells never overlap.
 */
export function componentToGrid(points: readonly Intersection[], hs: readonly Rule[], vs: readonly Rule[], s: GridSettings): Grid | null {
  const myH = [...new Set(points.map((p) => p.h))].map((i) => hs[i]!);
  const myV = [...new Set(points.map((p) => p.v))].map((i) => vs[i]!);
  const xs = distinct(points.map((p) => p.x), s.snapTolerance);
  const ys = distinct(points.map((p) => p.y), s.snapTolerance);
  const hFrom = Math.min(...myH.map((r) => r.from));
  const hTo = Math.max(...myH.map((r) => r.to));
  const vFrom = Math.min(...myV.map((r) => r.from));
  const vTo = Math.max(...myV.map((r) => r.to));
  if (xs[0]! - hFrom > s.openSideOverhang) xs.unshift(hFrom);
  if (hTo - xs.at(-1)! > s.openSideOverhang) xs.push(hTo);
  if (ys[0]! - vFrom > s.openSideOverhang) ys.unshift(vFrom);
  if (vTo - ys.at(-1)! > s.openSideOverhang) ys.push(vTo);
  const nRows = ys.length - 1;
  const nCols = xs.length - 1;
  if (nRows < 1 || nCols < 1) return null;

  const slot = (r: number, c: number): number => r * nCols + c;
  const parent = Array.from({ length: nRows * nCols }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i]! !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[ra] = rb;
  };
  for (let r = 0; r < nRows; r++) {
    for (let c = 0; c < nCols; c++) {
      if (c + 1 < nCols && !covers(myV, xs[c + 1]!, ys[r]!, ys[r + 1]!, s)) union(slot(r, c), slot(r, c + 1));
      if (r + 1 < nRows && !covers(myH, ys[r + 1]!, xs[c]!, xs[c + 1]!, s)) union(slot(r, c), slot(r + 1, c));
    }
  }

  // Bounding rectangles of the slot groups, grown until no two overlap.
  type Span = { r0: number; c0: number; r1: number; c1: number };
  const spans = new Map<number, Span>();
  for (let r = 0; r < nRows; r++) {
    for (let c = 0; c < nCols; c++) {
      const root = find(slot(r, c));
      const sp = spans.get(root);
      if (!sp) spans.set(root, { r0: r, c0: c, r1: r + 1, c1: c + 1 });
      else {
        sp.r0 = Math.min(sp.r0, r);
        sp.c0 = Math.min(sp.c0, c);
        sp.r1 = Math.max(sp.r1, r + 1);
        sp.c1 = Math.max(sp.c1, c + 1);
      }
    }
  }
  let list = [...spans.values()];
  for (let changed = true; changed; ) {
    changed = false;
    outer: for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        if (a.r0 < b.r1 && b.r0 < a.r1 && a.c0 < b.c1 && b.c0 < a.c1) {
          list[i] = { r0: Math.min(a.r0, b.r0), c0: Math.min(a.c0, b.c0), r1: Math.max(a.r1, b.r1), c1: Math.max(a.c1, b.c1) };
          list = list.filter((_, k) => k !== j);
          changed = true;
          break outer;
        }
      }
    }
  }
  const cells: GridCell[] = list
    .map((sp) => ({
      row: sp.r0,
      col: sp.c0,
      rowSpan: sp.r1 - sp.r0,
      colSpan: sp.c1 - sp.c0,
      box: [xs[sp.c0]!, ys[sp.r0]!, xs[sp.c1]!, ys[sp.r1]!] as Box,
    }))
    .sort((a, b) => a.row - b.row || a.col - b.col);
  return { xs, ys, cells, box: [xs[0]!, ys[0]!, xs.at(-1)!, ys.at(-1)!] };
}

/**
 * Ruling segments → ruled tables, top to bottom. `horizontal` and `vertical` are already split by
 * orientation; small slopes are absorbed by taking each segment's mid position.
 */
export function segmentsToGrids(horizontal: readonly Segment[], vertical: readonly Segment[], settings?: Partial<GridSettings>): Grid[] {
  const s = resolveGridSettings(settings);
  const hs = mergeRules(horizontal.map(horizontalToRule), s);
  const vs = mergeRules(vertical.map(verticalToRule), s);
  const points = rulesToIntersections(hs, vs, s.intersectionTolerance);
  return intersectionsToComponents(points, hs.length)
    .map((component) => componentToGrid(component, hs, vs, s))
    .filter((g): g is Grid => g !== null)
    .sort((a, b) => a.box[1] - b.box[1] || a.box[0] - b.box[0]);
}

/** Index of the last position ≤ v (clamped to a valid slot). */
function slotOf(positions: readonly number[], v: number): number {
  let lo = 0;
  let hi = positions.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (positions[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * A lookup from a point to the cell that holds it; a point on a rule or outside the frame goes
 * to the nearest slot's cell.
 */
export function cellLocator(grid: Grid): (box: Box) => number {
  const nCols = grid.xs.length - 1;
  const owner = new Int32Array((grid.ys.length - 1) * nCols).fill(-1);
  grid.cells.forEach((cell, i) => {
    for (let r = cell.row; r < cell.row + cell.rowSpan; r++) for (let c = cell.col; c < cell.col + cell.colSpan; c++) owner[r * nCols + c] = i;
  });
  return (box) => owner[slotOf(grid.ys, (box[1] + box[3]) / 2) * nCols + slotOf(grid.xs, (box[0] + box[2]) / 2)] ?? -1;
}

/** The text of each cell of `grid` (same order as `grid.cells`), pieces joined in reading order. */
export function assignTextToCells(grid: Grid, items: readonly TextBox[], settings?: Partial<GridSettings>): string[] {
  const s = resolveGridSettings(settings);
  const perCell: TextBox[][] = grid.cells.map(() => []);
  const locate = cellLocator(grid);
  for (const item of items) {
    const i = locate(item.box);
    if (i >= 0) perCell[i]!.push(item);
  }
  return perCell.map((its) => readingText(its, s));
}
