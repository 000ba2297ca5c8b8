// Horizon strategy for tables that print the mid-term (中长期 / 实施期) and the annual (本年度)
// targets side by side on one row (Lu'an, Qinyang): split the row into its two halves, then read
// name and value on each.
import type { Cell, Row } from '../extract/rows.js';
import { refOf } from '../extract/rows.js';
import { fold } from '../text/fold.js';
import { dropGarbledLabels, type Draft, type HorizonStrategy } from './indicatorTable.js';

type Seq = Parameters<HorizonStrategy>[0];

/**
 * Where the annual half starts, in content order: at a label printed after some content (the
 * annual half repeats 二级指标); else where the two halves line up best, cell for cell (the
 * annual half repeats the name, often the value too); else by the header's columns.
 */
function splitIndex(seq: Seq, annualFrom: number | null): number {
  let seenContent = false;
  let contentIdx = 0;
  for (const s of seq) {
    if (s.label && seenContent) return contentIdx;
    if (!s.label) { seenContent = true; contentIdx++; }
  }
  const content = seq.filter((s) => !s.label).map((s) => fold(s.cell.text));
  let best = { at: -1, matches: 0, skew: Infinity };
  for (let b = 1; b < content.length; b++) {
    let matches = 0;
    for (let k = 0; k < b && b + k < content.length; k++) if (content[k] !== '' && content[k] === content[b + k]) matches++;
    const skew = Math.abs(content.length - 2 * b);
    if (matches > best.matches || (matches === best.matches && matches > 0 && skew < best.skew)) best = { at: b, matches, skew };
  }
  if (best.at > 0) return best.at;
  const cells = seq.filter((s) => !s.label).map((s) => s.cell);
  if (annualFrom !== null) {
    const k = cells.findIndex((c) => c.col >= annualFrom);
    return k < 0 ? cells.length : k;
  }
  return Math.ceil(cells.length / 2);
}

function halfToDraft(all: Cell[], other: Cell[], row: Row, horizon: Draft['horizon'], nameCol: number | null): Draft | null {
  const { kept: cells, dropped } = dropGarbledLabels(all, 2);
  if (cells.length === 0) return null;
  let name: string | null = null;
  let value: string | null = null;
  if (cells.length >= 2) {
    name = cells[0]!.text;
    value = cells.slice(1).map((c) => c.text).join(' ');
  } else {
    const only = cells[0]!;
    const isName = other.some((o) => fold(o.text) === fold(only.text)) || (nameCol !== null && only.col <= nameCol);
    if (isName) name = only.text;
    else value = only.text;
  }
  return { horizon, name, value, ref: refOf(row, cells[0]), dropped };
}

export const sideBySide: HorizonStrategy = (seq, map, row) => {
  const content = seq.filter((s) => !s.label).map((s) => s.cell);
  const at = splitIndex(seq, map.annualFrom);
  const left = content.slice(0, at);
  const right = content.slice(at);
  const nameCols = map.roles.filter((r) => r.role === 'name').map((r) => r.col).sort((a, b) => a - b);
  const drafts: Draft[] = [];
  const p = halfToDraft(left, right, row, 'period', nameCols[0] ?? null);
  const a = halfToDraft(right, left, row, 'annual', nameCols[1] ?? null);
  if (p) drafts.push(p);
  if (a) drafts.push(a);
  return drafts;
};
