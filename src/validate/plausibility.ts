// The check before `ok`: records that look wrong — names that are numbers or targets, values that
// are labels, a value column left mostly empty, rows that gave nothing, levels missing where the
// table has a level column, a budget label with no amount — each say why in a finding and make
// the document `partial`. A silently wrong record is worse than a missing one.
import type { Project } from '../model/schema.js';
import type { NormalizeContext } from '../normalize/context.js';
import type { Normalized, ProjectChecks } from '../normalize/engine.js';
import { labelEndings, labelHits } from '../normalize/labels.js';
import { fold } from '../text/fold.js';
import { cellFeatures } from '../normalize/table/content.js';
import type { TableReport } from '../normalize/table/readTable.js';

export const PLAUSIBILITY_SETTINGS = {
  /** A table's values are "mostly empty" above this share, from this many indicators on. */
  maxEmptyValueShare: 0.5,
  minIndicatorsForEmptyCheck: 3,
} as const;

const HEADING_KINDS = ['column', 'level1', 'level2', 'field', 'block'] as const;

/** A name that is a number, a row number, a comparator or a target reads like a shifted column. */
function implausibleName(name: string): boolean {
  const f = cellFeatures(name);
  return f.number || f.seq || f.comparatorOnly || f.targetLike || f.unitOnly;
}

/** A value that is a label (`数量指标`, `指标值`) was read from a label column. */
function implausibleValue(value: string): boolean {
  return labelHits(value, { kinds: HEADING_KINDS }).some((h) => h.how === 'exact' || h.how === 'spaced');
}

const RUN_ON_KINDS = ['field', 'goal'] as const;
const RUN_ON_FIELDS = ['project_name', 'agency', 'supervising_agency', 'manager'] as const;
/** The shortest label taken for a run-on: two-character ones (`单位`, `金额`) end ordinary names. */
const MIN_RUN_ON_LABEL = 4;
const RUN_ON_ENDINGS = labelEndings(RUN_ON_KINDS);

/**
 * The head label a field's text ends with, after text of its own (`网络维护费年度目标`): the cell
 * below ran into it, where the rule between them was lost (a seal over it, a faint scan).
 */
function runOnLabel(text: string): string | null {
  const t = text.replace(/\s+/g, '');
  // Most texts end in no label's last character: nothing to look up.
  const end = fold(t).replace(/[:;,.、。]+$/, '');
  if (!RUN_ON_ENDINGS.has(end[end.length - 1] ?? '')) return null;
  for (let len = MIN_RUN_ON_LABEL; len <= Math.min(12, t.length - 2); len++) {
    const tail = t.slice(t.length - len);
    const hit = labelHits(tail, { kinds: RUN_ON_KINDS }).find((h) => h.how === 'exact');
    if (hit) return tail;
  }
  return null;
}

function first<T>(xs: T[]): T | undefined {
  return xs[0];
}

/** The city or county an agency's name opens with (`遂宁市医疗保障局` → 遂宁市), placeholders aside. */
const AGENCY_PLACE = /^([\u4e00-\u9fff]{2,3}?(?:市|县))(?=[\u4e00-\u9fff])/;

/**
 * An agency of another city than the region the layout was read for: two cities' files run
 * together, or a family's layout printed elsewhere, and the region (perhaps more) is wrong.
 */
function foreignAgency(p: Project): { field: 'agency' | 'supervising_agency'; place: string } | null {
  if (p.region === null) return null;
  const home = `${p.province ?? ''}${p.region}`;
  for (const field of ['agency', 'supervising_agency'] as const) {
    const m = AGENCY_PLACE.exec((p[field] ?? '').normalize('NFKC').replace(/\s+/g, ''));
    if (m && !m[1]!.includes('某') && !home.includes(m[1]!) && !m[1]!.startsWith('市') && !m[1]!.startsWith('县')) return { field, place: m[1]! };
  }
  return null;
}

export function checkProjectPlausible(p: Project, checks: ProjectChecks, tables: TableReport[], ctx: NormalizeContext): void {
  const foreign = foreignAgency(p);
  if (foreign) {
    ctx.add('REGION_CONFLICT', `${foreign.field} "${p[foreign.field]}" names ${foreign.place}, but the form was read as ${p.region}'s layout: its region is probably wrong`, p.source_ref, p.ordinal);
  }
  for (const field of RUN_ON_FIELDS) {
    const label = p[field] ? runOnLabel(p[field]!) : null;
    if (label) ctx.add('FIELD_RUN_ON', `${field} "${p[field]}" ends with the label "${label}": the cell below it was probably read into it`, p.source_ref, p.ordinal);
  }
  const names = p.indicators.filter((i) => i.name !== null && implausibleName(i.name));
  if (names.length > 0) {
    const x = first(names)!;
    ctx.add('IMPLAUSIBLE_NAME', `${names.length} indicator name(s) read like values, not names (first: "${x.name}")`, x.source_ref, p.ordinal);
  }
  const values = p.indicators.filter((i) => i.value_text !== null && implausibleValue(i.value_text));
  if (values.length > 0) {
    const x = first(values)!;
    ctx.add('IMPLAUSIBLE_VALUE', `${values.length} indicator value(s) are labels, not values (first: "${x.value_text}" of "${x.name ?? ''}")`, x.source_ref, p.ordinal);
  }
  const s = PLAUSIBILITY_SETTINGS;
  for (const t of tables) {
    if (t.indicators >= s.minIndicatorsForEmptyCheck && t.emptyValues / t.indicators > s.maxEmptyValueShare) {
      ctx.add('VALUE_COLUMN_EMPTY', `${t.emptyValues} of ${t.indicators} indicators of the table have no value`, t.location, p.ordinal);
    }
    if (t.unread > 0) {
      ctx.add('ROWS_UNREAD', `${t.unread} of ${t.rows} rows of the table hold text but gave no indicator`, t.location, p.ordinal);
    }
  }
  if (tables.some((t) => t.columns.some((c) => c.role === 'level2'))) {
    const missing = p.indicators.filter((i) => i.level2 === null);
    if (missing.length > 0) {
      const x = first(missing)!;
      ctx.add('LEVEL_MISSING', `${missing.length} indicator(s) have no level 2 though the table has a level-2 column (first: "${x.name ?? x.value_text ?? ''}")`, x.source_ref, p.ordinal);
    }
  }
  if (checks.budgetLabel && p.annual_budget_yuan === null && p.period_budget_yuan === null) {
    ctx.add('NO_BUDGET', `the form prints "${checks.budgetLabel.label}" but no amount could be read for it`, checks.budgetLabel.ref, p.ordinal);
  }
  const money = checks.unknownMoney?.[0];
  if (money && p.annual_budget_yuan === null && p.period_budget_yuan === null) {
    ctx.add('MONEY_LABEL_UNKNOWN', `"${money.label}" ${money.text} reads as an amount, but "${money.label}" is no known budget label: no budget was read`, money.ref, p.ordinal);
  }
}

export function checkPlausible(n: Normalized, ctx: NormalizeContext): void {
  n.projects.forEach((p, k) => checkProjectPlausible(p, n.checks[k]!, n.tables.filter((t) => t.project === p.ordinal), ctx));
}
