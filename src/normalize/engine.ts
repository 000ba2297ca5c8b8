// The normalizer every family runs: rows → forms → (head, indicator table, cost detail) →
// projects. Families differ only in the data of family.ts; the label dictionary and the value
// parser are shared, so a fix to either serves every family and every source kind.
import type { Row } from '../extract/rows.js';
import type { CostItem, Horizon, Indicator, Project } from '../model/schema.js';
import { canonicalText, fold } from '../text/fold.js';
import type { ParsedBudget } from './budgetTables.js';
import { NormalizeContext } from './context.js';
import { costItemsFromIndicators, readCostDetail } from './costs.js';
import type { Family } from './family.js';
import { readHead, tickedOption, type FormHead } from './fields.js';
import { nonEmptyCells, splitAtRows, splitForms, type Form } from './forms.js';
import { headerOf, readIndicatorTable } from './indicatorTable.js';
import { matchLabel } from './labels.js';
import { sideBySide } from './sideBySide.js';
import { mergeSplitRows } from './splitRows.js';
import { singleHorizon } from './singleHorizon.js';
import { parseDateRange, parseMoney, toNumber, yearOf, type MoneyUnit } from './values.js';

/** Totals printed on a form that the validator checks the details against. */
export interface ProjectChecks {
  fundingTotals: { horizon: Horizon; yuan: number; ref: string }[];
  costDetailTotal: { yuan: number; ref: string } | null;
}

export interface Normalized {
  projects: Project[];
  checks: ProjectChecks[];
  budget: ParsedBudget;
}

interface FormDraft {
  form: Form;
  index: number;
  head: FormHead;
  indicators: Indicator[];
  costItems: Omit<CostItem, 'ordinal'>[];
  costDetailTotal: ProjectChecks['costDetailTotal'];
  unit: MoneyUnit;
}

function readForm(form: Form, index: number, family: Family, ctx: NormalizeContext): FormDraft {
  const rows = form.rows;
  const headerAt = rows.findIndex((r) => headerOf(r) !== null);
  const costAt = rows.findIndex((r, k) => (headerAt < 0 || k < headerAt) && r.cells.some((c) => matchLabel(c.text)?.entry.kind === 'cost-block'));
  let headRows = headerAt < 0 ? rows : rows.slice(0, headerAt);
  let detail: ReturnType<typeof readCostDetail> | null = null;
  if (costAt >= 0) {
    // The detail's amounts are in the unit the head above it declares.
    const unitAbove = readHead(rows.slice(0, costAt), new NormalizeContext(ctx.file, ctx.unit), index).unit ?? family.unit;
    detail = readCostDetail(rows, costAt + 1, unitAbove, ctx, index);
    headRows = [...rows.slice(0, costAt), ...rows.slice(detail.end, headerAt < 0 ? undefined : headerAt)];
  }
  const head = readHead(headRows, ctx, index);
  const unit = head.unit ?? family.unit;
  const indicators: Indicator[] = [];
  let at = headerAt;
  while (at >= 0 && at < rows.length) {
    const map = headerOf(rows[at]!)!;
    const table = readIndicatorTable(rows, at, map, ctx, {
      strategy: map.sideBySide ? sideBySide : singleHorizon,
      defaultHorizon: family.defaultHorizon,
      project: index,
      firstOrdinal: (indicators[indicators.length - 1]?.ordinal ?? 0) + 1,
    });
    indicators.push(...table.indicators);
    const next = rows.slice(table.end).findIndex((r) => headerOf(r) !== null);
    at = next < 0 ? -1 : table.end + next;
  }
  const costItems = [...costItemsFromIndicators(indicators), ...(detail?.items ?? [])];
  return { form, index, head, indicators, costItems, costDetailTotal: detail?.total ?? null, unit };
}

function nameOf(d: FormDraft): string | null {
  return d.head.fields.get('project_name')?.text ?? null;
}

/**
 * Forms that belong to one project: a 基本信息表 and the 申报表 after it, or a table continued
 * on a new page under a repeated title, carry the same project name (or none at all).
 */
function groupForms(drafts: FormDraft[], ctx: NormalizeContext): FormDraft[][] {
  const groups: FormDraft[][] = [];
  for (const d of drafts) {
    const last = groups[groups.length - 1];
    const prev = last?.[last.length - 1];
    const name = nameOf(d);
    const prevName = last ? last.map(nameOf).find((n) => n !== null) ?? null : null;
    const sameProject = last && (name === null || (prevName !== null && fold(name) === fold(prevName)));
    if (last && sameProject) {
      if (prev && prev.form.title === d.form.title) {
        ctx.add('info', 'TABLE_STITCHED', `form "${d.form.title}" of "${prevName ?? '?'}" continues on a later page under a repeated title; joined`, d.form.titleRef, d.index);
      }
      last.push(d);
    } else {
      groups.push([d]);
    }
  }
  return groups.filter((g) => g.some((d) => nameOf(d) !== null || d.indicators.length > 0));
}

function mergeHeads(group: FormDraft[]): FormHead {
  const head: FormHead = { fields: new Map(), goals: { annual: null, period: null, periodLabel: null }, funding: [], fundingTotal: [], unit: null };
  for (const d of group) {
    for (const [k, v] of d.head.fields) if (!head.fields.get(k)?.text) head.fields.set(k, v);
    head.goals.annual ??= d.head.goals.annual;
    head.goals.period ??= d.head.goals.period;
    head.goals.periodLabel ??= d.head.goals.periodLabel;
    head.funding.push(...d.head.funding);
    head.fundingTotal.push(...d.head.fundingTotal);
    head.unit ??= d.head.unit;
  }
  return head;
}

function money(head: FormHead, key: 'annual_budget' | 'period_budget', unit: MoneyUnit, ctx: NormalizeContext, project: number): number | null {
  const f = head.fields.get(key);
  if (!f?.text) return null;
  const m = parseMoney(f.text, unit);
  if ('unreadable' in m) {
    ctx.add('warning', 'VALUE_UNPARSED', `${f.label} "${m.unreadable}" is not an amount`, f.ref, project);
    return null;
  }
  return 'yuan' in m ? m.yuan : null;
}

function buildProject(group: FormDraft[], ordinal: number, family: Family, docYear: number | null, ctx: NormalizeContext): { project: Project; checks: ProjectChecks } {
  const head = mergeHeads(group);
  const unit = head.unit ?? family.unit;
  const text = (k: Parameters<FormHead['fields']['get']>[0]) => { const t = head.fields.get(k)?.text; return t ? canonicalText(t) : null; };
  const rangeText = text('period_range') ?? head.goals.periodLabel;
  const range = parseDateRange(rangeText);
  const indicators: Indicator[] = [];
  for (const d of group) {
    const base = indicators.length ? indicators[indicators.length - 1]!.ordinal : 0;
    for (const ind of d.indicators) indicators.push({ ...ind, ordinal: ind.ordinal + base });
  }
  const weight = text('execution_weight');
  const titles = [...new Set(group.map((d) => d.form.title))];
  const project: Project = {
    ordinal,
    variant: family.variant,
    province: family.province,
    region: family.region,
    fiscal_year: group.map((d) => d.form.year).find((y) => y !== null) ?? docYear,
    form_title: titles.join(' + '),
    agency: text('agency'),
    supervising_agency: text('supervising_agency'),
    project_name: text('project_name'),
    project_code: text('project_code'),
    project_attribute: text('project_attribute'),
    project_type: text('project_type'),
    assessment_level: tickedOption(head.fields.get('assessment_level')?.text ?? null),
    function_code: text('function_code'),
    function_name: text('function_name'),
    annual_budget_yuan: money(head, 'annual_budget', unit, ctx, group[0]!.index),
    period_budget_yuan: money(head, 'period_budget', unit, ctx, group[0]!.index),
    period_label: rangeText ? canonicalText(rangeText) : null,
    period_start: range.start,
    period_end: range.end,
    manager: text('manager'),
    manager_phone: text('manager_phone'),
    overview: text('overview'),
    annual_goal: head.goals.annual ? canonicalText(head.goals.annual) : null,
    period_goal: head.goals.period ? canonicalText(head.goals.period) : null,
    execution_weight_pct: weight ? toNumber(weight.replace(/%$/, '')) : null,
    source_ref: group[0]!.form.titleRef,
    indicators,
    cost_items: group.flatMap((d) => d.costItems).map((c, k) => ({ ...c, ordinal: k + 1 })),
    funding: head.funding.map(({ ref: _ref, ...f }) => f),
  };
  const checks: ProjectChecks = {
    fundingTotals: head.fundingTotal,
    costDetailTotal: group.map((d) => d.costDetailTotal).find((t) => t !== null) ?? null,
  };
  return { project, checks };
}

function opensProject(row: Row): boolean {
  const first = nonEmptyCells(row)[0];
  if (!first) return false;
  const hit = matchLabel(first.text.split(/[:：]/)[0]!, ['field']);
  return hit?.entry.kind === 'field' && hit.entry.key === 'project_name';
}

/** Runs a family's normalizer over a document's rows. */
export function normalizeRows(rows: Row[], family: Family, ctx: NormalizeContext): Normalized {
  rows = mergeSplitRows(rows);
  let split = splitForms(rows, family.isTitle);
  if (split.forms.length === 0) split = splitAtRows(rows, opensProject);
  const { preamble, forms } = split;
  // A form whose title carries no year takes the document's: the first year any title prints,
  // else the first in the text before the forms.
  const docYear = forms.map((f) => f.year).find((y) => y !== null)
    ?? preamble.map((r) => r.cells.map((c) => c.text).join(' ')).map(yearOf).find((y) => y !== null) ?? null;
  const budget: ParsedBudget = family.readPreamble ? family.readPreamble(preamble, ctx) : { lines: [], rows: [] };
  const drafts = forms.map((f, k) => readForm(f, k + 1, family, ctx));
  const groups = groupForms(drafts, ctx);
  const projects: Project[] = [];
  const checks: ProjectChecks[] = [];
  const formToProject = new Map<number, number>();
  groups.forEach((g, k) => {
    const built = buildProject(g, k + 1, family, docYear, ctx);
    projects.push(built.project);
    checks.push(built.checks);
    for (const d of g) formToProject.set(d.index, k + 1);
  });
  // Findings were raised against forms; re-address them to the projects the forms became.
  for (const f of ctx.findings) if (f.project !== null) f.project = formToProject.get(f.project) ?? null;
  for (const p of projects) {
    if (p.indicators.length === 0) ctx.add('warning', 'NO_INDICATORS', `project "${p.project_name ?? '?'}" has no indicator table that could be read`, p.source_ref, p.ordinal);
    if (!p.project_name) ctx.add('warning', 'NO_PROJECT_NAME', 'a form without a readable 项目名称', p.source_ref, p.ordinal);
  }
  return { projects, checks, budget };
}
