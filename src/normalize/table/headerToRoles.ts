// Header row(s) of an indicator table → the role of every column, how each was recognised and
// the heading as printed. This is the one place a table's layout is decided: which column holds
// names, which values, whether two horizons stand side by side, and — where a heading could not
// be read at all — which column holds values by what its cells look like.
import type { Cell, Row } from '../../extract/rows.js';
import type { Horizon } from '../../model/schema.js';
import { fold, tidy } from '../../text/fold.js';
import { nonEmptyCells } from '../forms.js';
import { factsOf } from '../rowFacts.js';
import { labelBeforeBrokenBracket, labelHits, type LabelHit } from '../labels.js';
import { cellFeatures } from './content.js';
import { HORIZON_WORDS, LEVEL_ROLES, VALUE_ROLES, roleSpec, type Role, type RoleHow } from './roles.js';

export interface Column {
  /** First grid column the heading covers, and how many. */
  col: number;
  span: number;
  role: Role;
  /** The horizon of the column's cells; null where the column serves every horizon of the row. */
  horizon: Horizon | null;
  how: RoleHow;
  /** The heading as printed (over two rows joined by a space), empty for an inferred column. */
  printed: string;
  /** The schema spelling the heading was read as. */
  label: string | null;
  /** A value column of one area among several (a county, a village), not of a horizon. */
  area?: boolean;
  /**
   * Left and right edge of the heading on the page, where the page's geometry is known: a table
   * continued on the next page is drawn on a grid of its own, with other column numbers but the
   * same edges.
   */
  x?: [number, number];
}

export type TableLayout = 'single' | 'side-by-side' | 'paired-values';

export interface HeaderNote {
  code: 'LABEL_REPAIRED' | 'HEADER_ROLE_INFERRED' | 'HEADER_ROLE_MISSING' | 'VALUE_COLUMNS_UNREAD';
  message: string;
  row: Row;
  cell: Cell | null;
}

export interface TableHeader {
  columns: Column[];
  /** Rows the header takes (a sub-header or a label split over two lines makes two). */
  rowCount: number;
  layout: TableLayout;
  notes: HeaderNote[];
}

export const HEADER_SETTINGS = {
  /** Data rows looked at to infer a column no heading names. */
  sampleRows: 6,
  /** … of which this many must have a cell in the column. */
  minSamples: 2,
  /** Mean fit a column's cells need to be given a missing role. */
  minInferredFit: 0.9,
  /** Share of a header row's cells that must be headings. */
  minHeadingShare: 0.5,
} as const;

export interface Heading {
  role: Role;
  horizon: Horizon | null;
  how: RoleHow;
  label: string;
  hit: LabelHit;
  /** A value column of one area among several (a county, a village), not of a horizon. */
  area?: boolean;
}

const HEADER_KINDS = ['column', 'block'] as const;

const headings = new Map<string, Heading | null>();

/** One header cell's text → the role it names, or null. */
export function textToHeading(text: string): Heading | null {
  const seen = headings.get(text);
  if (seen !== undefined) return seen;
  const got = readHeading(text);
  if (headings.size > 20_000) headings.clear();
  headings.set(Buffer.from(text, 'utf8').toString('utf8'), got);
  return got;
}

function readHeading(text: string): Heading | null {
  const h = labelHits(text, { kinds: HEADER_KINDS, inHeader: true })[0] ?? labelBeforeBrokenBracket(text, HEADER_KINDS);
  if (!h) return null;
  const how: RoleHow = h.how === 'fragment' || h.how === 'prefix' ? 'fuzzy' : h.how;
  if (h.meaning.kind === 'block') return { role: 'block', horizon: h.meaning.horizon, how, label: h.label, hit: h };
  if (h.meaning.kind !== 'column') return null;
  return { role: h.meaning.role, horizon: h.meaning.horizon, how, label: h.label, hit: h };
}

/** Longer than any heading with its bracketed addition. */
const MAX_HEADING_TEXT = 40;

const CORE: ReadonlySet<Role> = new Set(['level1', 'level2', 'name', 'value', 'period_value', 'annual_value']);

/** The headings of a row if it is a table header (two core headings at least), else null. */
export function headerHeadings(row: Row): (Heading | null)[] | null {
  const f = factsOf(row);
  return f.headings !== undefined ? f.headings : (f.headings = readRowHeadings(row));
}

function readRowHeadings(row: Row): (Heading | null)[] | null {
  const cells = nonEmptyCells(row);
  // Two headings at least, and headings are short: most rows are ruled out without a look-up.
  let short = 0;
  for (const c of cells) if (c.text.length <= MAX_HEADING_TEXT) short++;
  if (short < 2 || short < cells.length * HEADER_SETTINGS.minHeadingShare) return null;
  const hs = cells.map((c) => (c.text.length <= MAX_HEADING_TEXT ? textToHeading(c.text) : null));
  const core = new Set<Role>();
  let named = 0;
  for (const h of hs) {
    if (!h) continue;
    named++;
    if (CORE.has(h.role)) core.add(VALUE_ROLES.has(h.role) ? 'value' : h.role);
  }
  const share = named / Math.max(1, cells.length);
  return core.size >= 2 && share >= HEADER_SETTINGS.minHeadingShare && (core.has('name') || core.has('level2') || core.has('value')) ? hs : null;
}

export function isHeaderRow(row: Row): boolean {
  return headerHeadings(row) !== null;
}

function xOf(c: Cell): { x?: [number, number] } {
  return c.box ? { x: [c.box[0], c.box[2]] } : {};
}

function spanOf(c: Cell): number {
  return Math.max(1, c.colSpan ?? 1);
}

/**
 * The row under a header is part of it when it only names columns: sub-headings under a
 * spanning heading (`指标值` over `中期 | 年度`), or the second line of headings split over two.
 */
function continuation(top: Row, next: Row | undefined): { cells: readonly Cell[] } | null {
  if (!next) return null;
  const cells = nonEmptyCells(next);
  if (cells.length === 0 || isHeaderRow(next) && cells.length > 2) return null;
  const topCells = nonEmptyCells(top);
  for (const c of cells) {
    const f = cellFeatures(c.text);
    if (f.level || f.hasDigit || f.length > 16) return null;
    const above = topCells[parentIndex(topCells, c)];
    const joined = above ? textToHeading(above.text + c.text) : null;
    const alone = textToHeading(c.text);
    // A block label on its own row (`长期绩效指标`) opens the rows below, it heads no column.
    if (alone?.role === 'block') return null;
    const word = HORIZON_WORDS.some(([re]) => re.test(fold(c.text)));
    // A place under a value heading (`区域目标值` over 甲镇 | 乙镇): one value column per area.
    const parent = above ? textToHeading(above.text) : null;
    const area = parent !== null && VALUE_ROLES.has(parent.role) && f.cjk && f.length <= 10;
    if (!(joined || alone || word || area)) return null;
  }
  return { cells };
}

function subHeading(above: Heading | null, text: string): Heading | null {
  const alone = textToHeading(text);
  if (alone && alone.how !== 'fuzzy') return alone;
  // `中期` / `本年度` / `上年实际` under a value heading say the column's horizon.
  if (above && (VALUE_ROLES.has(above.role) || above.role === 'unknown')) {
    const f = fold(text);
    const word = HORIZON_WORDS.find(([re]) => re.test(f));
    if (word) {
      const spec = roleSpec(word[1]);
      return { role: word[1], horizon: spec.horizon ?? null, how: 'exact', label: text, hit: above.hit };
    }
    if (!alone && VALUE_ROLES.has(above.role)) return { role: 'value', horizon: null, how: 'exact', label: text, hit: above.hit, area: true };
  }
  return alone;
}

/** Reads the header at `rows[at]` (with the row under it when that continues it). */
export function headerToRoles(rows: Row[], at: number): TableHeader | null {
  const top = rows[at]!;
  const headings = headerHeadings(top);
  if (!headings) return null;
  const notes: HeaderNote[] = [];
  const topCells = nonEmptyCells(top);
  let columns: Column[] = topCells.map((c, i) => {
    const h = headings[i];
    return { col: c.col, span: spanOf(c), role: h?.role ?? 'unknown', horizon: h?.horizon ?? null, how: h?.how ?? 'exact', printed: tidy(c.text), label: h?.label ?? null, ...xOf(c) };
  });
  let rowCount = 1;
  const nextAt = nextContentRow(rows, at + 1);
  const cont = continuation(top, nextAt < 0 ? undefined : rows[nextAt]);
  if (cont) {
    rowCount = nextAt - at + 1;
    columns = mergeSubHeadings(columns, topCells, headings, cont.cells);
  }
  const above = at > 0 ? rows[at - 1] : undefined;
  if (above && isHeadingsOnly(above)) columns = mergeSuperHeadings(columns, above);
  for (const c of columns) {
    if (c.how === 'fuzzy') {
      const cell = [...topCells, ...(cont?.cells ?? [])].find((x) => x.col === c.col) ?? null;
      notes.push({ code: 'LABEL_REPAIRED', message: `heading "${c.printed}" read as "${c.label}" (misread or cut)`, row: top, cell });
    }
  }
  const dataStart = at + rowCount;
  const layout = assignHorizons(columns, notes, top);
  inferMissing(columns, rows, dataStart, notes, top);
  columns.sort((a, b) => a.col - b.col);
  return { columns, rowCount, layout, notes };
}

/**
 * A row of headings only that is no header by itself: the top row of a two-row header whose
 * lower row holds the core headings (`序号 | 一级指标 | 实施期绩效指标 | 年度绩效指标` over
 * `二级指标 | 指标内容 | 实施期指标值 | …`), or that top row repeated on a later page.
 */
export function isHeadingsOnly(row: Row): boolean {
  const cells = nonEmptyCells(row);
  return cells.length > 0 && !isHeaderRow(row) && cells.every((c) => textToHeading(c.text) !== null);
}

/**
 * The top row of a two-row header: its headings over columns the lower row leaves unnamed (a
 * 序号 or 一级指标 cell spanning both rows) become columns; a block label spanning a half says
 * that half's horizon, for values headed plain 指标值.
 */
function mergeSuperHeadings(columns: Column[], top: Row): Column[] {
  const out = [...columns];
  const overlaps = (a: { col: number; span: number; x?: [number, number] }, b: { col: number; span: number; x?: [number, number] }) =>
    a.x && b.x ? Math.min(a.x[1], b.x[1]) - Math.max(a.x[0], b.x[0]) > 1 : a.col < b.col + b.span && b.col < a.col + a.span;
  for (const c of nonEmptyCells(top)) {
    const h = textToHeading(c.text)!;
    const span = { col: c.col, span: spanOf(c), ...xOf(c) };
    const under = out.filter((x) => overlaps(x, span));
    if (h.role === 'block') {
      const horizon = h.horizon;
      if (horizon) for (const x of under) if (x.role === 'value') { x.role = horizon === 'period' ? 'period_value' : 'annual_value'; x.horizon = horizon; }
      continue;
    }
    if (under.length === 0) out.push({ ...span, role: h.role, horizon: h.horizon, how: h.how, printed: tidy(c.text), label: h.label });
  }
  return out.sort((a, b) => a.col - b.col);
}

function nextContentRow(rows: Row[], from: number): number {
  for (let k = from; k < rows.length && k < from + 2; k++) if (nonEmptyCells(rows[k]!).length > 0) return k;
  return -1;
}

/**
 * The heading above a sub-heading: the one whose span covers it, or — in a dump, where spans are
 * lost and a spanning heading leaves empty cells to its right — the nearest one to its left.
 */
function parentIndex(topCells: readonly Cell[], c: Cell): number {
  const covering = topCells.findIndex((t) => t.col <= c.col && c.col < t.col + spanOf(t));
  if (covering >= 0) return covering;
  let left = -1;
  topCells.forEach((t, i) => { if (t.col < c.col) left = i; });
  return left;
}

function mergeSubHeadings(columns: Column[], topCells: readonly Cell[], headings: (Heading | null)[], lower: readonly Cell[]): Column[] {
  const out = [...columns];
  for (const c of lower) {
    const k = parentIndex(topCells, c);
    const above = k >= 0 ? headings[k] ?? null : null;
    const joinedText = k >= 0 ? topCells[k]!.text + c.text : c.text;
    const joined = k >= 0 ? textToHeading(joinedText) : null;
    const printed = k >= 0 ? `${tidy(topCells[k]!.text)} ${tidy(c.text)}` : tidy(c.text);
    if (joined && topCells[k]!.col === c.col && spanOf(topCells[k]!) === spanOf(c)) {
      // A heading split over two lines (`一级` / `指标`).
      out[k] = { ...out[k]!, role: joined.role, horizon: joined.horizon, how: joined.how === 'exact' ? 'spaced' : joined.how, printed, label: joined.label };
      continue;
    }
    const sub = subHeading(above, c.text);
    if (!sub) continue;
    const col: Column = { col: c.col, span: spanOf(c), role: sub.role, horizon: sub.horizon, how: sub.how, printed, label: sub.label, ...xOf(c), ...(sub.area ? { area: true } : {}) };
    // The sub-heading replaces its parent over the columns it covers; a parent that spans more
    // keeps the rest.
    const parent = k >= 0 ? out[k]! : null;
    if (parent && parent.col === c.col && parent.span <= col.span) out[k] = col;
    else {
      if (parent && parent.col === c.col) {
        const x: [number, number] | undefined = parent.x && col.x ? [col.x[1], parent.x[1]] : undefined;
        out[k] = { ...parent, col: c.col + col.span, span: parent.span - col.span, ...(x ? { x } : {}) };
      }
      out.push(col);
    }
  }
  return out.sort((a, b) => a.col - b.col);
}

/**
 * Which horizon each column serves. One value column: the table's. Two: mid-term left and
 * annual right unless their headings say otherwise; names and level 2 between them belong to
 * the right half (the 批复表 layout), or, with none between, are shared (`中期指标值 | 年度指标值`).
 */
function assignHorizons(columns: Column[], notes: HeaderNote[], row: Row): TableLayout {
  const values = columns.filter((c) => VALUE_ROLES.has(c.role)).sort((a, b) => a.col - b.col);
  if (values.some((c) => c.area) && values.length > 1) {
    // One value column per area: there is no one target to read, and none is made up.
    for (const extra of values.slice(1)) extra.role = 'unknown';
    notes.push({ code: 'VALUE_COLUMNS_UNREAD', message: `${values.length} value columns, one per area (${values.map((v) => v.label).join('、')}); only "${values[0]!.label}" is read`, row, cell: null });
    values[0]!.horizon = null;
    return 'single';
  }
  if (values.length > 2) {
    // Values per county or village (区域目标值): no horizon pair; the first is read, the rest
    // are named so the loss is visible.
    for (const extra of values.slice(2)) {
      notes.push({ code: 'VALUE_COLUMNS_UNREAD', message: `value column "${extra.printed}" is one of ${values.length}; only the first two are read`, row, cell: null });
      extra.role = 'unknown';
    }
    values.length = 2;
  }
  if (values.length < 2) {
    const v = values[0];
    if (v) v.horizon = roleSpec(v.role).horizon ?? null;
    return 'single';
  }
  const [a, b] = values as [Column, Column];
  let ha: Horizon = a.role === 'annual_value' ? 'annual' : 'period';
  let hb: Horizon = b.role === 'period_value' ? 'period' : 'annual';
  if (ha === hb) { ha = 'period'; hb = 'annual'; }
  a.horizon = ha;
  b.horizon = hb;
  const between = columns.filter((c) => c.col > a.col && c.col < b.col && (c.role === 'name' || c.role === 'level2'));
  if (between.length === 0) return 'paired-values';
  for (const c of columns) {
    if (c === a || c === b || LEVEL_ROLES.has(c.role) && c.role !== 'level2' || c.role === 'seq') continue;
    if (c.col < a.col) c.horizon = ha;
    else if (c.col < b.col) c.horizon = hb;
  }
  return 'side-by-side';
}

/** A required role no heading names is looked for in the first data rows' contents. */
function inferMissing(columns: Column[], rows: Row[], from: number, notes: HeaderNote[], row: Row): void {
  const sample: Row[] = [];
  for (let k = from; k < rows.length && sample.length < HEADER_SETTINGS.sampleRows; k++) {
    const r = rows[k]!;
    if (nonEmptyCells(r).length === 0) continue;
    if (isHeaderRow(r)) break;
    sample.push(r);
  }
  const has = (role: Role) => columns.some((c) => c.role === role || (role === 'value' && VALUE_ROLES.has(c.role)));
  for (const role of ['value', 'name'] as const) {
    if (has(role)) continue;
    const spec = roleSpec(role);
    const candidates = candidateColumns(columns, sample);
    let best: { col: number; span: number; fit: number; printed: string; x?: [number, number] } | null = null;
    for (const cand of candidates) {
      const fits = sample.flatMap((r) => nonEmptyCells(r).filter((c) => c.col >= cand.col && c.col < cand.col + cand.span)).map((c) => spec.fit(cellFeatures(c.text)));
      if (fits.length < HEADER_SETTINGS.minSamples) continue;
      const fit = fits.reduce((s, x) => s + x, 0) / fits.length;
      if (fit >= HEADER_SETTINGS.minInferredFit && (!best || fit > best.fit)) best = { ...cand, fit };
    }
    if (!best) {
      notes.push({ code: 'HEADER_ROLE_MISSING', message: `no column of the table reads as ${role === 'value' ? 'values' : 'indicator names'}`, row, cell: null });
      continue;
    }
    const existing = columns.find((c) => c.col === best!.col);
    const printed = existing?.printed ?? '';
    if (existing) Object.assign(existing, { role, how: 'inferred', label: null });
    else columns.push({ col: best.col, span: best.span, role, horizon: null, how: 'inferred', printed, label: null, ...(best.x ? { x: best.x } : {}) });
    notes.push({ code: 'HEADER_ROLE_INFERRED', message: `column ${best.col + 1}${printed ? ` headed "${printed}"` : ''} read as ${role === 'value' ? 'the value column' : 'the indicator names'} from what its cells hold`, row, cell: null });
  }
  // A heading no role names that still says it holds targets (`2024年目标值` beside a
  // `2023年目标值` read as the values), over cells that read as targets: a column of targets the
  // records leave out, which is said.
  if (!has('value')) return;
  const valueSpec = roleSpec('value');
  for (const c of columns) {
    // A heading read as a role and set aside (one area's values of several) is said already.
    if (c.role !== 'unknown' || c.label !== null || !TARGET_HEADING.test(fold(c.printed))) continue;
    const fits = sample.flatMap((r) => nonEmptyCells(r).filter((x) => x.col >= c.col && x.col < c.col + c.span)).map((x) => valueSpec.fit(cellFeatures(x.text)));
    if (fits.length < HEADER_SETTINGS.minSamples || fits.reduce((a, b) => a + b, 0) / fits.length < HEADER_SETTINGS.minInferredFit) continue;
    notes.push({ code: 'VALUE_COLUMNS_UNREAD', message: `column ${c.col + 1} headed "${c.printed}" holds targets but is no value column the table's layout has; it is not read`, row, cell: null });
  }
}

/** Words of a heading over targets: 目标值, 指标值, 计划值, 预期值. */
const TARGET_HEADING = /目标|指标值|计划值|预期值|标准值/;

/** Columns that could hold a missing role: unread headings, and data columns with no heading. */
function candidateColumns(columns: Column[], sample: Row[]): { col: number; span: number; printed: string; x?: [number, number] }[] {
  const out: { col: number; span: number; printed: string; x?: [number, number] }[] = columns.filter((c) => c.role === 'unknown' || c.role === 'standard' || c.role === 'note').map((c) => ({ col: c.col, span: c.span, printed: c.printed, ...(c.x ? { x: c.x } : {}) }));
  const covered = (col: number) => columns.some((c) => col >= c.col && col < c.col + c.span);
  const first = Math.min(...columns.map((c) => c.col));
  for (const r of sample) {
    for (const c of nonEmptyCells(r)) {
      if (c.col > first && !covered(c.col) && !out.some((o) => o.col === c.col)) out.push({ col: c.col, span: 1, printed: '', ...xOf(c) });
    }
  }
  return out;
}
