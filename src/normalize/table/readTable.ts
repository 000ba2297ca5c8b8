// An indicator table, start to end: header → column roles, then row by row placement → levels
// and drafts → packed cells split → indicators. The table runs across blank lines (page breaks)
// and repeated headers, and ends at a review or signature row, at the next part of the form
// (a head label, a title), or at a lone cell where the levels are printed that is no level.
import type { Cell, Row } from '../../extract/rows.js';
import { refOf } from '../../extract/rows.js';
import type { Horizon, Indicator } from '../../model/schema.js';
import { tidy } from '../../text/fold.js';
import type { NormalizeContext } from '../context.js';
import { nonEmptyCells } from '../forms.js';
import { labelHits } from '../labels.js';
import { splitPacked } from '../packed.js';
import { isKnownNature } from '../values.js';
import { ALIGN_SETTINGS, placementColumns, rowToPlacement, type Placement } from './alignRow.js';
import { cellFeatures, rowFeatures, type CellFeatures } from './content.js';
import { draftToIndicator } from './draftToIndicator.js';
import { headerToRoles, isHeaderRow, isHeadingsOnly, type Column, type TableHeader, type TableLayout } from './headerToRoles.js';
import { LEVEL_ROLES, VALUE_ROLES } from './roles.js';
import { newLevelState, rowToDrafts, type Draft, type RowDrafts } from './rowToDrafts.js';

/** What was read from one table, kept on the output for whoever asks why a table came out so. */
export interface TableReport {
  project: number | null;
  location: string;
  layout: TableLayout;
  columns: { col: number; role: string; horizon: Horizon | null; how: string; printed: string }[];
  /** Rows with content in the table (level-only rows included). */
  rows: number;
  /** Rows placed by content because they did not fit the headings. */
  misaligned: number;
  /** Rows with content that gave no indicator and printed no level. */
  unread: number;
  indicators: number;
  /** Indicators with an empty value. */
  emptyValues: number;
}

export interface TableOptions {
  defaultHorizon: Horizon;
  project: number | null;
  firstOrdinal: number;
  isTitle: (text: string) => boolean;
}

export interface TableRead {
  indicators: Indicator[];
  /** Index (in the rows given) of the first row after the table. */
  end: number;
  report: TableReport;
}


/** The same headings again (a header repeated on a new page): the table goes on. */
function signature(h: TableHeader): string {
  return h.columns.map((c) => `${c.role}/${c.horizon ?? ''}`).join(',');
}

const FORM_PART_KINDS = ['field', 'goal', 'funding', 'funding-total', 'cost-block'] as const;

/** Where a table's rows begin: its first heading's column, and the first level column's. */
function leftEdge(header: TableHeader): { firstHeading: number; labelEdge: number } {
  const firstHeading = header.columns[0]?.col ?? 0;
  const firstLevel = header.columns.find((c) => LEVEL_ROLES.has(c.role))?.col ?? firstHeading;
  return { firstHeading, labelEdge: Math.max(firstHeading, firstLevel) };
}

function endsTable(cells: readonly Cell[], feats: readonly CellFeatures[], edge: ReturnType<typeof leftEdge>, isTitle: (t: string) => boolean): boolean {
  if (feats.some((f) => f.review)) return true;
  const first = cells[0]!;
  if (first.col <= edge.labelEdge) {
    const colon = first.text.search(/[:：]/);
    const label = colon < 0 ? first.text : first.text.slice(0, colon);
    if (labelHits(label, { kinds: FORM_PART_KINDS }).some((h) => h.how !== 'fuzzy' && h.how !== 'prefix')) return true;
  }
  if (cells.length !== 1) return false;
  if (isTitle(first.text.trim())) return true;
  if (first.col <= edge.firstHeading) {
    const f = feats[0]!;
    return !f.level && !f.block;
  }
  return false;
}

/** A block label on its own row just above the header (`长期绩效指标`) names the table's horizon. */
function blockAbove(rows: Row[], at: number): Horizon | null {
  for (let k = at - 1; k >= 0 && k >= at - 3; k--) {
    const cells = nonEmptyCells(rows[k]!);
    if (cells.length === 0) continue;
    if (cells.length > 2) return null;
    const f = rowFeatures(rows[k]!)[0]!;
    if (f.block) return f.block.horizon;
  }
  return null;
}

/**
 * A block label printed in the header row itself, left of the headings (`长期绩效指标 ⇥ 一级指标
 * ⇥ …`, a stacked block's label in a merged cell that starts at its header): the horizon of a
 * one-value table whose value heading names none.
 */
function blockInHeader(header: TableHeader): Horizon | null {
  if (header.layout !== 'single') return null;
  const value = header.columns.find((c) => VALUE_ROLES.has(c.role));
  if (value?.horizon) return null;
  return header.columns.find((c) => c.role === 'block' && c.horizon)?.horizon ?? null;
}

export function readIndicatorTable(rows: Row[], start: number, ctx: NormalizeContext, opts: TableOptions): TableRead | null {
  const header = headerToRoles(rows, start);
  if (!header) return null;
  const project = opts.project;
  for (const n of header.notes) ctx.add(n.code, n.message, refOf(n.row, n.cell ?? undefined), project);
  const columns = placementColumns(header);
  const state = newLevelState(blockAbove(rows, start) ?? blockInHeader(header));
  const sig = signature(header);
  const edge = leftEdge(header);
  const report: TableReport = {
    project,
    location: refOf(rows[start]!),
    layout: header.layout,
    columns: header.columns.map((c) => ({ col: c.col, role: c.role, horizon: c.horizon, how: c.how, printed: c.printed })),
    rows: 0, misaligned: 0, unread: 0, indicators: 0, emptyValues: 0,
  };
  const indicators: Indicator[] = [];
  let ordinal = opts.firstOrdinal;
  let firstMisaligned: string | null = null;
  const unsure: string[] = [];
  // The drafts of the last row that gave indicators, to join a cell continued on the next line to.
  let last: { drafts: Draft[]; ordinal: number; count: number } | null = null;
  const continued: string[] = [];
  let i = start + header.rowCount;
  for (; i < rows.length; i++) {
    const row = rows[i]!;
    const cells = nonEmptyCells(row);
    if (cells.length === 0) continue;
    if (isHeaderRow(row)) {
      const again = headerToRoles(rows, i);
      if (again && signature(again) === sig) { i += again.rowCount - 1; continue; }
      break;
    }
    // Rows of block labels only (`年度绩效指标` across the table, or over each half of it) head
    // the rows below; a lone one names their horizon.
    const feats = rowFeatures(row);
    if (feats.every((f) => f.block)) {
      if (feats.length === 1 && feats[0]!.block!.horizon) state.blockHorizon = feats[0]!.block!.horizon;
      continue;
    }
    // The top row of a two-row header repeated on a new page: the header goes on below it.
    const next = nextHeaderWithin(rows, i + 1, 2);
    if (next && isHeadingsOnly(row)) continue;
    if (endsTable(cells, feats, edge, opts.isTitle)) break;
    const placed = cells.length === 1 && feats[0]!.level ? levelRowPlacement(cells[0]!, feats[0]!.level.kind, columns) : rowToPlacement(row, header, columns, cells, feats);
    report.rows++;
    if (placed.misaligned) { report.misaligned++; firstMisaligned ??= refOf(row); }
    for (const cell of placed.dropped) {
      const f = cellFeatures(cell.text);
      if (f.length <= 8 && !f.hasDigit) ctx.add('LABEL_UNKNOWN', `"${tidy(cell.text)}" stands where a label goes but is no known label; left out`, refOf(row, cell), project);
      else ctx.add('CELL_UNPLACED', `"${tidy(cell.text)}" fits no column of the table; left out`, refOf(row, cell), project);
    }
    const read = rowToDrafts(placed, row, state, opts.defaultHorizon);
    for (const n of read.notes) ctx.add(n.code, n.message, refOf(row, n.cell), project);
    for (const d of read.drafts) {
      if (d.printedLevel1) ctx.add('LEVEL_REMAPPED', `"${d.level2}" printed under "${d.printedLevel1}" is filed under "${d.level1}"`, refOf(row), project);
    }
    const joined: Draft[] | null = last ? joinContinuation(last.drafts, read, cells) : null;
    if (joined && last) {
      // The row is the rest of a name or value the row above began (a cell's text run onto a
      // line of its own): the indicators of the row above are made again with it.
      indicators.splice(indicators.length - last.count, last.count);
      const again = draftsToIndicators(joined, last.ordinal, null, project);
      indicators.push(...again.indicators);
      ordinal = again.nextOrdinal;
      last = { drafts: joined, ordinal: last.ordinal, count: again.indicators.length };
      continued.push(refOf(row));
      continue;
    }
    const made = draftsToIndicators(read.drafts, ordinal, ctx, project);
    last = made.indicators.length > 0 ? { drafts: read.drafts, ordinal, count: made.indicators.length } : read.printedLevel ? null : last;
    if (placed.misaligned && placed.margin < ALIGN_SETTINGS.sureGain && made.indicators.length > 0) unsure.push(refOf(row));
    indicators.push(...made.indicators);
    ordinal = made.nextOrdinal;
    if (made.indicators.length === 0 && !read.printedLevel && read.drafts.length > 0) report.unread++;
  }
  if (continued.length > 0) {
    ctx.add('CELL_CONTINUED', `${continued.length} row(s) of the table hold one name or value cell alone, read as the rest of the row above's (a cell run onto a line of its own); to be checked`, continued[0]!, project);
  }
  if (unsure.length > 0) {
    ctx.add('ROW_PLACEMENT_UNSURE', `${unsure.length} row(s) of the table fit their headings neither as printed nor clearly by content; read by content, to be checked`, unsure[0]!, project);
  }
  if (report.misaligned > 0) {
    ctx.add('ROW_MISALIGNED', `${report.misaligned} of ${report.rows} rows of the table did not fit its headings (shifted by a page break or a lost cell) and were placed by content`, firstMisaligned, project);
  }
  report.indicators = indicators.length;
  report.emptyValues = indicators.filter((x) => x.value_text === null).length;
  return { indicators, end: i, report };
}

/**
 * A row of one cell, a name or a value and nothing else (no level, no other column), after a row
 * that gave indicators: the drafts of the row above with the cell's text joined to the same
 * field of the same horizon; null when the row is not such a remainder.
 */
function joinContinuation(above: Draft[], read: RowDrafts, cells: readonly Cell[]): Draft[] | null {
  if (cells.length !== 1 || read.printedLevel || read.drafts.length !== 1) return null;
  const d = read.drafts[0]!;
  const field = d.name && !d.value ? 'name' : d.value && !d.name ? 'value' : null;
  if (!field || d.nature || d.unit || d.weight || d.direction || d.note) return null;
  const k = above.findIndex((x) => x.horizon === d.horizon);
  if (k < 0) return null;
  const target = above[k]!;
  if (field === 'value' && !target.name) return null;
  const out = [...above];
  out[k] = { ...target, [field]: target[field] ? `${target[field]} ${d[field]}` : d[field], ...(field === 'value' && !target.valueRef ? { valueRef: d.valueRef } : {}) };
  return out;
}

/** Drafts of one row → indicators: packed cells split, one ordinal per position across horizons. */
function draftsToIndicators(drafts: Draft[], first: number, ctx: NormalizeContext | null, project: number | null): { indicators: Indicator[]; nextOrdinal: number } {
  const byHorizon = new Map<Horizon, Draft[]>();
  for (const d of drafts) {
    const parts = splitPacked(d.name ?? '', d.value ?? '');
    if (parts.mismatch) ctx?.add('PACKED_CELL_MISMATCH', `packed indicator cell has ${parts.parts.length} names but a different number of values`, d.ref, project);
    let list = byHorizon.get(d.horizon);
    if (!list) byHorizon.set(d.horizon, (list = []));
    for (const p of parts.parts) list.push({ ...d, name: p.name || null, value: p.value || null });
  }
  const out: Indicator[] = [];
  let ordinal = first;
  let width = 0;
  for (const list of byHorizon.values()) width = Math.max(width, list.length);
  for (let k = 0; k < width; k++) {
    let any = false;
    for (const [horizon, list] of byHorizon) {
      const d = list[k];
      if (!d) continue;
      const { indicator, problems } = draftToIndicator(d, horizon, ordinal);
      for (const p of problems) ctx?.add(p.code, p.message, d.valueRef ?? d.ref, project);
      if (!indicator) continue;
      // A 指标性质 that is no comparator (an OCR misread of ≥) leaves the comparator unknown.
      if (d.nature !== undefined && !isKnownNature(d.nature)) {
        ctx?.add('VALUE_UNPARSED', `指标性质 "${d.nature}" of "${indicator.name ?? ''}" is not a comparator`, d.ref, project);
      }
      out.push(indicator);
      any = true;
    }
    if (any) ordinal++;
  }
  return { indicators: out, nextOrdinal: ordinal };
}

/**
 * A lone level label (a merged cell drawn across the table on a page) is read where its kind
 * of level goes, wherever the page's geometry put it.
 */
function levelRowPlacement(cell: Row['cells'][number], kind: 'level1' | 'level2', columns: Column[]): Placement {
  const at = columns.findIndex((c) => c.role === kind);
  const k = at >= 0 ? at : columns.findIndex((c) => LEVEL_ROLES.has(c.role));
  return { cells: columns.map((_, i) => (i === Math.max(0, k) ? [cell] : [])), columns, dropped: [], misaligned: false, margin: 0 };
}

function nextHeaderWithin(rows: Row[], from: number, count: number): boolean {
  for (let k = from; k < rows.length && k < from + count; k++) if (isHeaderRow(rows[k]!)) return true;
  return false;
}
