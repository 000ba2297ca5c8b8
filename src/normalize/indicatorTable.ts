// The performance-indicator table of a form: find its header, walk its rows keeping the
// carried-down 一级/二级 levels, tell labels from content, and hand each row's content cells to a
// horizon strategy (one value column, or 中期 and 年度 side by side).
import type { Cell, Row } from '../extract/rows.js';
import { refOf } from '../extract/rows.js';
import type { Horizon, Indicator, Level1, Level2 } from '../model/schema.js';
import { canonicalText, tidy } from '../text/fold.js';
import type { NormalizeContext } from './context.js';
import { nonEmptyCells } from './forms.js';
import type { ColumnRole, LabelHit } from './labels.js';
import { LEVEL1_OF, labelHits } from './labels.js';
import { splitPacked, stripIndicatorPrefix } from './packed.js';
import { isKnownNature, parseDirection, parseNatureValue, parseTarget, toNumber } from './values.js';

export interface ColumnMap {
  roles: { role: ColumnRole; col: number }[];
  /** Two value columns side by side: 中期 (period) left, 年度 (annual) right. */
  sideBySide: boolean;
  /** First column of the annual half in a side-by-side table. */
  annualFrom: number | null;
}

const headers = new WeakMap<Row, ColumnMap | null>();

/** A row is a header when two or more of its cells are column headings (一级指标, 指标值 …). */
export function headerOf(row: Row): ColumnMap | null {
  // Asked of the same rows by form splitting and by the table reader: read each row once.
  let map = headers.get(row);
  if (map === undefined) {
    map = readHeader(row);
    headers.set(row, map);
  }
  return map;
}

function readHeader(row: Row): ColumnMap | null {
  const roles: ColumnMap['roles'] = [];
  for (const c of nonEmptyCells(row)) {
    const hit = labelHits(c.text).find((h) => h.entry.kind === 'column');
    if (hit && hit.entry.kind === 'column') roles.push({ role: hit.entry.key, col: c.col });
  }
  const kinds = new Set(roles.map((r) => r.role));
  if (roles.length < 2 || !(kinds.has('level2') || kinds.has('name')) || !([...kinds].some((k) => k.endsWith('value')))) return null;
  const count = (role: ColumnRole) => roles.filter((r) => r.role === role).length;
  const sideBySide = count('level2') > 1 || count('name') > 1 || (kinds.has('period_value') && kinds.has('annual_value'));
  let annualFrom: number | null = null;
  if (sideBySide) {
    const firstValue = roles.find((r) => r.role.endsWith('value'))!;
    annualFrom = roles.find((r) => r.col > firstValue.col && (r.role === 'level2' || r.role === 'name'))?.col ?? null;
  }
  return { roles, sideBySide, annualFrom };
}

interface Classified {
  level1: { key: Level1; hit: LabelHit; cell: Cell }[];
  level2: { key: Level2; hit: LabelHit; cell: Cell }[];
  /** Cells in row order, labels marked so a strategy can split at them. */
  seq: { cell: Cell; label: boolean }[];
}

export const TABLE_SETTINGS = {
  /** A surplus leading cell this short, with no digits, is a garbled label rather than content. */
  maxGarbledLabelLength: 6,
} as const;

/**
 * Drops leading cells that stand where a label goes when a half has more cells than it has
 * headings for (`绩效指标 ⇥ 双重目标 ⇥ name ⇥ value` left by a page break).
 */
export function dropGarbledLabels(cells: Cell[], expected: number): { kept: Cell[]; dropped: Cell[] } {
  const kept = [...cells];
  const dropped: Cell[] = [];
  while (kept.length > expected && kept[0]!.text.trim().length <= TABLE_SETTINGS.maxGarbledLabelLength && !/[\d%≥≤<>]/.test(kept[0]!.text)) {
    dropped.push(kept.shift()!);
  }
  return { kept, dropped };
}

function classify(cells: Cell[]): Classified {
  const out: Classified = { level1: [], level2: [], seq: [] };
  cells.forEach((cell) => {
    const hits = labelHits(cell.text);
    const l1 = hits.find((h) => h.entry.kind === 'level1');
    const l2 = hits.find((h) => h.entry.kind === 'level2');
    const other = hits.find((h) => h.entry.kind === 'ignore' || h.entry.kind === 'column');
    if (l2 && l2.entry.kind === 'level2') { out.level2.push({ key: l2.entry.key, hit: l2, cell }); out.seq.push({ cell, label: true }); return; }
    if (l1 && l1.entry.kind === 'level1') { out.level1.push({ key: l1.entry.key, hit: l1, cell }); out.seq.push({ cell, label: true }); return; }
    if (other) { out.seq.push({ cell, label: true }); return; }
    out.seq.push({ cell, label: false });
  });
  return out;
}

/** One printed indicator before ordinals: a horizon's name and value with its extra columns. */
export interface Draft {
  horizon: Horizon;
  name: string | null;
  value: string | null;
  nature?: string | null;
  unit?: string | null;
  weight?: string | null;
  direction?: string | null;
  note?: string | null;
  ref: string;
  /** Cells the strategy read as garbled labels and left out. */
  dropped?: Cell[];
}

/** A horizon strategy: a row's content cells → one draft per horizon printed on it. */
export type HorizonStrategy = (seq: Classified['seq'], map: ColumnMap, row: Row, defaultHorizon: Horizon) => Draft[];

export interface TableResult {
  indicators: Indicator[];
  /** Index (in the rows given) of the first row after the table. */
  end: number;
}

export interface TableOptions {
  strategy: HorizonStrategy;
  defaultHorizon: Horizon;
  project: number | null;
  firstOrdinal: number;
}

/**
 * Reads indicator rows from `rows[start]` (the header row) on. The table runs across blank
 * lines (page breaks) and repeated headers, and ends at a lone cell in the first column
 * (a title, a note) — that row is not consumed.
 */
export function readIndicatorTable(rows: Row[], start: number, map0: ColumnMap, ctx: NormalizeContext, opts: TableOptions): TableResult {
  let map = map0;
  let l1: Level1 | null = null;
  let l2: Level2 | null = null;
  let ordinal = opts.firstOrdinal;
  const indicators: Indicator[] = [];
  let i = start + 1;
  for (; i < rows.length; i++) {
    const row = rows[i]!;
    const cells = nonEmptyCells(row);
    if (cells.length === 0) continue;
    const again = headerOf(row);
    if (again) { map = again; continue; }
    const c = classify(cells);
    if (cells.length === 1 && cells[0]!.col === 0 && c.level1.length + c.level2.length === 0) break;
    for (const l of [...c.level1, ...c.level2]) {
      if (l.hit.how === 'fuzzy') ctx.add('info', 'LABEL_REPAIRED', `label "${tidy(l.cell.text)}" read as "${l.hit.label}" (misread)`, refOf(row, l.cell), opts.project);
      if (l.hit.how === 'fragment') ctx.add('info', 'LABEL_FRAGMENT_JOINED', `label fragment "${tidy(l.cell.text)}" read as "${l.hit.label}" (split by a page or a narrow cell)`, refOf(row, l.cell), opts.project);
    }
    // Two level-1 labels on one row: the second stands where a level-2 label goes
    // (`效益指标 ⇥ 满意度指标` in older forms means 满意度 is its own level 1).
    if (c.level1.length > 0) {
      l1 = c.level1[0]!.key;
      l2 = null;
      const second = c.level1[1];
      if (second?.key === '满意度指标' && c.level2.length === 0) l2 = '服务对象满意度指标';
    }
    if (c.level2.length > 0) l2 = c.level2[0]!.key;
    if (!c.seq.some((s) => !s.label)) continue;
    const level2: Level2 | null = l2 ?? (l1 === '满意度指标' ? '服务对象满意度指标' : null);
    const level1: Level1 | null = level2 ? LEVEL1_OF[level2] : l1;
    if (l1 && level1 && l1 !== level1) {
      ctx.add('info', 'LEVEL_REMAPPED', `"${level2}" printed under "${l1}" is filed under "${level1}"`, refOf(row), opts.project);
    }
    const drafts = opts.strategy(c.seq, map, row, opts.defaultHorizon);
    for (const cell of drafts.flatMap((d) => d.dropped ?? [])) {
      ctx.add('info', 'LABEL_UNKNOWN', `"${tidy(cell.text)}" stands where a label goes but is no known label; left out`, refOf(row, cell), opts.project);
    }
    const byHorizon = new Map<Horizon, Draft[]>();
    for (const d of drafts) {
      const parts = splitPacked(d.name ?? '', d.value ?? '');
      if (parts.mismatch) ctx.add('warning', 'PACKED_CELL_MISMATCH', `packed indicator cell has ${parts.parts.length} names but a different number of values`, d.ref, opts.project);
      byHorizon.set(d.horizon, [...(byHorizon.get(d.horizon) ?? []), ...parts.parts.map((p) => ({ ...d, name: p.name, value: p.value }))]);
    }
    const width = Math.max(0, ...[...byHorizon.values()].map((v) => v.length));
    for (let k = 0; k < width; k++) {
      let any = false;
      for (const [horizon, list] of byHorizon) {
        const d = list[k];
        if (!d) continue;
        const ind = draftToIndicator(d, horizon, level1, level2, ordinal);
        if (!ind) continue;
        // A 指标性质 that is no comparator (an OCR misread of ≥) leaves the comparator unknown.
        if (d.nature !== undefined && !isKnownNature(d.nature)) {
          ctx.add('warning', 'VALUE_UNPARSED', `指标性质 "${d.nature}" of "${ind.name ?? ''}" is not a comparator`, d.ref, opts.project);
        }
        indicators.push(ind);
        any = true;
      }
      if (any) ordinal++;
    }
  }
  return { indicators, end: i };
}

function draftToIndicator(d: Draft, horizon: Horizon, level1: Level1 | null, level2: Level2 | null, ordinal: number): Indicator | null {
  // A line break inside a cell leaves a space between two CJK characters: layout, not text.
  const name = d.name ? stripIndicatorPrefix(canonicalText(d.name)) || null : null;
  const value = d.value ? canonicalText(d.value) || null : null;
  if (!name && !value) return null;
  const target = d.nature !== undefined ? parseNatureValue(d.nature ?? null, value, d.unit ?? null) : parseTarget(value);
  return {
    ordinal,
    horizon,
    level1,
    level2,
    name,
    value_text: value,
    comparator: target.comparator,
    value_num: target.value_num,
    value_unit: target.value_unit,
    weight_pct: d.weight ? toNumber(d.weight.replace(/%$/, '')) : null,
    direction: parseDirection(d.direction),
    note: d.note ? canonicalText(d.note) || null : null,
    source_ref: d.ref,
  };
}
