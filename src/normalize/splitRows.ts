// A table row that a page break cut in two (`可持续发` at the foot of one page, `展指标` at the
// top of the next) is one row again before any form is read. Only the first row of a new page
// is a candidate, and only when the cut shows: joined, a cell becomes a label that neither half
// is, or closes a bracket the first half left open; or the new row is a stray piece or two, in
// an otherwise empty table row, under cells of the row above that stop mid-sentence.
import type { Row } from '../extract/rows.js';
import { labelHits } from './labels.js';

export const SPLIT_ROW_SETTINGS = {
  /** At most this many pieces make a cut-off remainder row. */
  maxRemainderPieces: 2,
  /** The row above must be at least this full. */
  minCellsAbove: 3,
  /** A cut cell above holds at least this many characters. */
  minCutCellLength: 4,
} as const;

const OPEN = /[（(《【\[][^）)》】\]]*$/;
const SENTENCE_END = /[。；;！!？?]$/;
const LIST_START = /^(\(?[一二三四五六七八九十\d]+[)、.．]|指标\d*[:：]|[-•])/;

function isExactLabel(text: string): boolean {
  return labelHits(text).some((h) => h.how === 'exact');
}

/** A label, or a `标签：值` cell: the start of a part of the form, never the rest of a cut cell. */
function startsWithLabel(text: string): boolean {
  return labelHits(text).length > 0 || labelHits(text.split(/[:：]/)[0]!).length > 0;
}

function nonEmptyCols(row: Row): Map<number, string> {
  return new Map(row.cells.filter((c) => c.text.trim() !== '').map((c) => [c.col, c.text]));
}

function looksCut(above: Map<number, string>, below: Map<number, string>, belowIsTableRow: boolean, continuing: Set<number>): boolean {
  if (![...below.keys()].every((col) => above.has(col))) return false;
  // The extractor saw the text above run to the cell's edge at the page foot.
  if (belowIsTableRow && continuing.size > 0 && [...below.keys()].every((col) => continuing.has(col))) return true;
  for (const [col, tail] of below) {
    const head = above.get(col)!;
    const joined = head + tail;
    if (isExactLabel(joined) && !isExactLabel(head) && !isExactLabel(tail)) return true;
    if (OPEN.test(head) && !OPEN.test(joined)) return true;
  }
  const s = SPLIT_ROW_SETTINGS;
  if (!belowIsTableRow || below.size > s.maxRemainderPieces || above.size < s.minCellsAbove) return false;
  return [...below].every(([col, tail]) => {
    const head = above.get(col)!.trim();
    return head.length >= s.minCutCellLength && !SENTENCE_END.test(head) && !LIST_START.test(tail.trim()) && !startsWithLabel(tail) && !startsWithLabel(head);
  });
}

export function mergeSplitRows(rows: Row[]): Row[] {
  const out: Row[] = [];
  let lastContent = -1;
  for (const row of rows) {
    const prev = lastContent >= 0 ? out[lastContent]! : null;
    const below = nonEmptyCols(row);
    // Only the first row with content on a new page can be the rest of the last row before it.
    if (prev && below.size > 0 && row.page > prev.page) {
      const above = nonEmptyCols(prev);
      const continuing = new Set(prev.cells.filter((c) => c.continues).map((c) => c.col));
      if (below.size <= above.size && (below.size < above.size || continuing.size > 0) && looksCut(above, below, row.cells.length >= 2, continuing)) {
        out[lastContent] = {
          ...prev,
          page: row.page,
          cells: prev.cells.map((c) => (below.has(c.col) ? { ...c, text: c.text + below.get(c.col)!, continues: false } : c)),
        };
        continue;
      }
    }
    out.push(row);
    if (below.size > 0) lastContent = out.length - 1;
  }
  return out;
}
