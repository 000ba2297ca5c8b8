// A table row → which of its cells stand in which column. A cell's column is first of all where
// it is printed; a row a page break or a dump's lost cell shifted no longer fits its headings,
// and is aligned to them by content instead: the best order-preserving placement of its cells
// under the columns, each cell weighed against its column by the role schema, position counting
// for much (for everything, when the page's geometry is known) but not for all.
import type { Cell, Row } from '../../extract/rows.js';
import { nonEmptyCells } from '../forms.js';
import { cellFeatures, type CellFeatures } from './content.js';
import type { Column, TableHeader } from './headerToRoles.js';
import { ROLE_SPECS, roleSpec } from './roles.js';

export const ALIGN_SETTINGS = {
  /** What standing under its own heading is worth, in a dump (columns may shift) … */
  positionBonusText: 2.5,
  /** … and where cells have boxes on a page (they do not). */
  positionBonusGeometry: 6,
  /**
   * A dump that lost or gained a cell shifts the rest of its row: shifts this far are tried,
   * each column of shift costing this much.
   */
  maxShift: 1,
  shiftCost: 1,
  /** A placement other than as printed must beat it by this much to replace it … */
  minGain: 2,
  /** … and by this much to be taken without a doubt said in a finding. */
  sureGain: 3.5,
  /** A second cell under one heading in a dump (where headings do not span): it was shifted there. */
  crowdedCost: -2,
  /** Leaving a cell out: a short label-like text, or content. */
  dropLabelCost: -1,
  dropContentCost: -3,
} as const;

export interface Placement {
  /** Cells per column, indexed like `columns` (the header's, with a leading block column). */
  cells: Cell[][];
  columns: Column[];
  /** Cells no column took (debris where a label goes, or text beyond the table). */
  dropped: Cell[];
  /** The cells were placed by content, not where they were printed. */
  misaligned: boolean;
  /** How much better the placement by content fits than the printed one (0 when printed). */
  margin: number;
}

/** The header's columns with a column for cells printed left of every heading (the block). */
export function placementColumns(header: TableHeader): Column[] {
  const first = header.columns[0];
  const lead: Column = { col: -1, span: (first?.col ?? 0) + 1, role: 'block', horizon: null, how: 'inferred', printed: '', label: null };
  if (first?.x) lead.x = [-Infinity, first.x[0]];
  return [lead, ...header.columns];
}

/** The column whose heading stands over a grid column, or -1. */
function columnAt(col: number, columns: Column[]): number {
  for (let k = 0; k < columns.length; k++) {
    const c = columns[k]!;
    if (col >= c.col && col < c.col + c.span) return k;
  }
  return -1;
}

/**
 * Where the page's geometry is known, the column a cell stands under is the heading it overlaps
 * most: grid column numbers differ between a table and its continuation on the next page.
 */
function columnUnder(cell: Cell, columns: Column[]): number {
  if (!cell.box || !columns.every((c) => c.x)) return columnAt(cell.col, columns);
  const [x0, , x1] = cell.box;
  let best = -1;
  let most = 0;
  columns.forEach((c, k) => {
    const overlap = Math.min(x1, c.x![1]) - Math.max(x0, c.x![0]);
    if (overlap > most) { most = overlap; best = k; }
  });
  return best;
}

/**
 * A cell's place counted in headings, for shifting it: the heading it stands under, or one past
 * the last when it stands right of every heading (a row whose right part moved a column on).
 */
function placeOf(cell: Cell, columns: Column[]): number {
  const k = columnUnder(cell, columns);
  if (k >= 0) return k;
  const last = columns[columns.length - 1]!;
  const right = cell.box && last.x ? cell.box[0] >= last.x[1] - 1 : cell.col >= last.col + last.span;
  return right ? columns.length : -1;
}

/** Where a cell printed outside every heading goes as printed: under the nearest heading left of it. */
function nearestLeft(col: number, columns: Column[]): number {
  let at = 0;
  for (let k = 1; k < columns.length; k++) if (columns[k]!.col <= col) at = k;
  return at;
}

const SHIFTS: readonly number[] = Array.from({ length: 2 * ALIGN_SETTINGS.maxShift + 1 }, (_, k) => k - ALIGN_SETTINGS.maxShift);

const bestFits = new WeakMap<CellFeatures, number>();

/** The best a cell fits any role: a bound on what moving it can gain (features are shared per text). */
function bestFit(f: CellFeatures): number {
  let best = bestFits.get(f);
  if (best === undefined) {
    best = Math.max(...ROLE_SPECS.map((s) => s.fit(f)));
    bestFits.set(f, best);
  }
  return best;
}

function dropCost(f: CellFeatures): number {
  return f.length <= 8 && !f.hasDigit ? ALIGN_SETTINGS.dropLabelCost : ALIGN_SETTINGS.dropContentCost;
}

interface Scored { cells: Cell[][]; dropped: Cell[]; score: number }

/**
 * The best order-preserving placement, at most one cell a column, cells may be left out. A cell
 * earns the position bonus under the column its printed place stands under moved by the row's
 * shift at that cell; the shift may change along the row (a dump whose right half lost a cell),
 * each column of shift, and of change, costing `shiftCost`.
 */
/** The column each cell stands under at each shift (-1: none). A shift moves a cell by grid columns in a dump, by headings where the geometry is known. */
function expectedColumns(cells: readonly Cell[], columns: Column[], shifts: readonly number[]): number[][] {
  return shifts.map((d) => cells.map((c) => {
    if (d === 0) return columnUnder(c, columns);
    if (!c.box) return columnAt(c.col + d, columns);
    const k = placeOf(c, columns);
    return k < 0 || k + d < 0 || k + d >= columns.length ? -1 : k + d;
  }));
}

/**
 * What the search can score at most: each cell at its best, under any column (with the bonus
 * only where some shift puts it), or left out. Shift costs and one cell a column only lower it.
 */
function searchBound(feats: readonly CellFeatures[], fits: number[][], expected: number[][], bonus: number): number {
  let bound = 0;
  for (let i = 0; i < feats.length; i++) {
    let b = dropCost(feats[i]!);
    const row = fits[i]!;
    for (let k = 0; k < row.length; k++) {
      let v = row[k]!;
      for (const e of expected) if (e[i] === k) { v += bonus; break; }
      if (v > b) b = v;
    }
    bound += b;
  }
  return bound;
}

let scratch = { best: new Float64Array(0), move: new Int8Array(0), from: new Int8Array(0) };

function placeByContent(cells: readonly Cell[], fits: number[][], feats: readonly CellFeatures[], columns: Column[], bonus: number, shifts: readonly number[], expected: number[][]): Scored {
  const n = cells.length;
  const m = columns.length;
  const S = shifts.length;
  const cost = ALIGN_SETTINGS.shiftCost;
  // best[i][k][s]: first i cells placed over the first k columns, the last placed at shift s.
  const size = (n + 1) * (m + 1) * S;
  // Every entry is written before it is read (row 0 below, then in order): the tables are reused.
  if (scratch.best.length < size) scratch = { best: new Float64Array(size * 2), move: new Int8Array(size * 2), from: new Int8Array(size * 2) };
  const { best, move, from } = scratch;
  const at = (i: number, k: number, s: number) => (i * (m + 1) + k) * S + s;
  for (let k = 0; k <= m; k++) for (let s = 0; s < S; s++) best[at(0, k, s)] = -cost * Math.abs(shifts[s]!);
  for (let i = 1; i <= n; i++) {
    const drop = dropCost(feats[i - 1]!);
    for (let s = 0; s < S; s++) {
      best[at(i, 0, s)] = best[at(i - 1, 0, s)]! + drop;
      move[at(i, 0, s)] = 1;
    }
    for (let k = 1; k <= m; k++) {
      for (let s = 0; s < S; s++) {
        const gain = fits[i - 1]![k - 1]! + (expected[s]![i - 1] === k - 1 ? bonus : 0);
        let take = -Infinity;
        let prev = s;
        // A row's shift changes by a column at a time (half a row moved by a lost cell).
        for (let t = Math.max(0, s - 1); t <= Math.min(S - 1, s + 1); t++) {
          const v = best[at(i - 1, k - 1, t)]! - cost * Math.abs(shifts[t]! - shifts[s]!);
          if (v > take) { take = v; prev = t; }
        }
        take += gain;
        const skip = best[at(i, k - 1, s)]!;
        const dropped = best[at(i - 1, k, s)]! + drop;
        const x = at(i, k, s);
        // Ties go to taking, then to skipping: a cell is left out only when that is clearly better.
        if (take >= skip && take >= dropped) { best[x] = take; move[x] = 2; from[x] = prev; }
        else if (skip >= dropped) { best[x] = skip; move[x] = 0; }
        else { best[x] = dropped; move[x] = 1; }
      }
    }
  }
  let s = 0;
  for (let t = 1; t < S; t++) if (best[at(n, m, t)]! > best[at(n, m, s)]!) s = t;
  const score = best[at(n, m, s)]!;
  const placed: Cell[][] = columns.map(() => []);
  const dropped: Cell[] = [];
  for (let i = n, k = m; i > 0;) {
    const x = at(i, k, s);
    const mv = move[x]!;
    if (k === 0 || mv === 1) { dropped.unshift(cells[i - 1]!); i--; }
    else if (mv === 0) k--;
    else { placed[k - 1]!.push(cells[i - 1]!); s = from[x]!; i--; k--; }
  }
  return { cells: placed, dropped, score };
}

export function rowToPlacement(row: Row, header: TableHeader, columns: Column[] = placementColumns(header), cells: readonly Cell[] = nonEmptyCells(row), feats: readonly CellFeatures[] = cells.map((c) => cellFeatures(c.text))): Placement {
  const geometry = cells.some((c) => c.box !== undefined);
  const s = ALIGN_SETTINGS;
  const bonus = geometry ? s.positionBonusGeometry : s.positionBonusText;

  // As printed: every cell under its own heading (two under one when it spans two grid columns).
  const asPrinted: Cell[][] = columns.map(() => []);
  let printedScore = 0;
  // The best any placement could do: every cell under the heading it fits best, at full bonus.
  let bound = 0;
  cells.forEach((c, i) => {
    const own = columnUnder(c, columns);
    const k = own >= 0 ? own : nearestLeft(c.col, columns);
    // In a dump headings do not span, so a second cell under one was shifted there; on a page,
    // so was one that stands under no heading at all.
    const crowded = asPrinted[k]!.length > 0 && (!geometry || own < 0);
    asPrinted[k]!.push(c);
    const f = feats[i]!;
    printedScore += roleSpec(columns[k]!.role).fit(f) + (own >= 0 ? bonus : 0) + (crowded ? s.crowdedCost : 0);
    bound += Math.max(bestFit(f), dropCost(f) - bonus) + bonus;
  });
  // Most rows: nothing could beat the printed placement by enough, and the search is not run.
  if (bound <= printedScore + s.minGain) return { cells: asPrinted, columns, dropped: [], misaligned: false, margin: 0 };
  // The bound above gives every cell the bonus wherever it fits best; the search gives it only
  // under the columns a shift puts it under. Bounded that way, most of the rest need no search.
  const fits = feats.map((f) => columns.map((c) => roleSpec(c.role).fit(f)));
  const expected = expectedColumns(cells, columns, SHIFTS);
  if (searchBound(feats, fits, expected, bonus) <= printedScore + s.minGain) return { cells: asPrinted, columns, dropped: [], misaligned: false, margin: 0 };

  // By content, the printed places trusted as they are or shifted (a dump's lost cell).
  const best = placeByContent(cells, fits, feats, columns, bonus, SHIFTS, expected);
  if (best.score <= printedScore + s.minGain) return { cells: asPrinted, columns, dropped: [], misaligned: false, margin: 0 };
  const same = best.dropped.length === 0 && best.cells.every((list, k) => list.length === asPrinted[k]!.length && list.every((c, j) => c === asPrinted[k]![j]));
  return { cells: best.cells, columns, dropped: best.dropped, misaligned: !same, margin: best.score - printedScore };
}
