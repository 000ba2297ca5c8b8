// A table row that a page break cut in two (`可持续发` at the foot of one page, `展指标` at the
// top of the next) is one row again before any form is read. Only the first row of a new page
// is a candidate, and only when the cut shows: joined, a cell becomes a label that neither half
// is, or closes a bracket the first half left open; or the new row is a stray piece or two, in
// an otherwise empty table row, under cells of the row above that stop mid-sentence.
import type { Cell, Row } from '../extract/rows.js';
import { labelHits } from './labels.js';
import { cellFeatures } from './table/content.js';
import { isHeaderRow } from './table/headerToRoles.js';

export const SPLIT_ROW_SETTINGS = {
  /** At most this many pieces make a cut-off remainder row. */
  maxRemainderPieces: 2,
  /** The row above must be at least this full. */
  minCellsAbove: 3,
  /** A cut cell above holds at least this many characters. */
  minCutCellLength: 4,
} as const;

// An opening bracket left open (`《=` is a typed ≤, not a bracket).
const OPEN = /(?:[（(【\[]|《(?!=))[^）)》】\]]*$/;
const SENTENCE_END = /[。；;！!？?]$/;
const LIST_START = /^(\(?[一二三四五六七八九十\d]+[)、.．]|指标\d*[:：]|[-•])/;

function isExactLabel(text: string): boolean {
  return labelHits(text).some((h) => h.how === 'exact');
}

/** A label, or a `标签：值` cell: the start of a part of the form, never the rest of a cut cell. */
function startsWithLabel(text: string): boolean {
  return labelHits(text).length > 0 || labelHits(text.split(/[:：]/)[0]!).length > 0;
}

/**
 * The cell of the row above each piece of the row below continues: the one it overlaps most on
 * the page where both have boxes (a table continued on the next page is drawn on a grid of its
 * own, with other column numbers), else the one in its column.
 */
function pairCells(above: Cell[], below: Cell[]): Map<Cell, Cell> {
  const out = new Map<Cell, Cell>();
  for (const b of below) {
    let best: Cell | undefined;
    if (b.box && above.every((a) => a.box)) {
      let most = 0;
      for (const a of above) {
        const overlap = Math.min(a.box![2], b.box[2]) - Math.max(a.box![0], b.box[0]);
        const narrower = Math.min(a.box![2] - a.box![0], b.box[2] - b.box[0]);
        if (overlap > most && overlap > narrower / 2) { most = overlap; best = a; }
      }
    } else {
      best = above.find((a) => a.col === b.col);
    }
    if (best) out.set(b, best);
  }
  return out;
}

/** The text of a piece joined to the cell above makes a label neither is, or closes its bracket. */
function completes(head: string, tail: string): boolean {
  const joined = head + tail;
  if (isExactLabel(joined) && !isExactLabel(head) && !isExactLabel(tail)) return true;
  return OPEN.test(head) && !OPEN.test(joined);
}

/**
 * Which pieces of the first row of a new page continue cells of the last row before it: all of
 * them (the row was cut whole), some (a tall merged cell was cut, the rest of the row is new),
 * or none.
 */
function continuedPieces(prev: Row, row: Row): Map<Cell, Cell> | null {
  const above = prev.cells.filter((c) => c.text.trim() !== '');
  const below = row.cells.filter((c) => c.text.trim() !== '');
  // A table header repeated at the top of the page is never the rest of a row.
  if (below.length === 0 || below.length > above.length || isHeaderRow(row)) return null;
  const pairs = pairCells(above, below);
  const whole = pairs.size === below.length;
  const continuing = above.filter((c) => c.continues);
  const tableRow = row.cells.length >= 2;
  // The extractor saw the text above run to the cell's edge at the page foot.
  if (whole && tableRow && continuing.length > 0 && below.every((b) => pairs.get(b)!.continues) && (below.length < above.length || continuing.length > 0)) return pairs;
  const completing = new Map([...pairs].filter(([b, a]) => completes(a.text, b.text)));
  if (completing.size > 0) {
    // The rest of a row cut whole goes with it: pieces under cells that stop short.
    for (const [b, a] of pairs) if (!completing.has(b) && strayPiece(a.text, b.text) && stopsShort(a.text)) completing.set(b, a);
    return completing;
  }
  const s = SPLIT_ROW_SETTINGS;
  if (!whole || !tableRow || below.length >= above.length || below.length > s.maxRemainderPieces || above.length < s.minCellsAbove) return null;
  return below.every((b) => strayPiece(pairs.get(b)!.text, b.text)) ? pairs : null;
}

/** A piece that can be the rest of the cell above: no label, no list item of its own, under text that did not end a sentence. */
function strayPiece(above: string, tail: string): boolean {
  const head = above.trim();
  return head.length >= SPLIT_ROW_SETTINGS.minCutCellLength && !SENTENCE_END.test(head) && !LIST_START.test(tail.trim()) && !startsWithLabel(tail) && !startsWithLabel(head);
}

/** A cell's text that stops where no name or value ends (`维护医保基`), unlike `…合格率（≥**%）` or `=95.2`. */
function stopsShort(text: string): boolean {
  const t = text.trim();
  return !/[)）\]】%‰\d]$/.test(t) && !cellFeatures(t).nameLike && !cellFeatures(t).quantitative;
}

export function mergeSplitRows(rows: Row[]): Row[] {
  const out: Row[] = [];
  let lastContent = -1;
  for (const row of rows) {
    const prev = lastContent >= 0 ? out[lastContent]! : null;
    const hasText = row.cells.some((c) => c.text.trim() !== '');
    // Only the first row with content on a new page can hold the rest of the last row before it.
    const pieces = prev && hasText && row.page > prev.page ? continuedPieces(prev, row) : null;
    if (prev && pieces) {
      const into = new Map([...pieces].map(([b, a]) => [a, b]));
      out[lastContent] = {
        ...prev,
        page: row.page,
        cells: prev.cells.map((c) => (into.has(c) ? { ...c, text: c.text + into.get(c)!.text, continues: false } : c)),
      };
      const rest = row.cells.filter((c) => !pieces.has(c));
      if (!rest.some((c) => c.text.trim() !== '')) continue;
      // The rest of the row is a row of its own (under a tall merged cell that was cut).
      out.push({ ...row, cells: rest });
      lastContent = out.length - 1;
      continue;
    }
    out.push(row);
    if (hasText) lastContent = out.length - 1;
  }
  return out;
}
