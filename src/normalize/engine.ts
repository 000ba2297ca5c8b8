// The normalizer every family runs: rows → forms → (head, indicator table, cost detail) →
// projects. Families differ only in the data of family.ts; the label dictionary and the value
// parser are shared, so a fix to either serves every family and every source kind.
import type { Row } from '../extract/rows.js';
import { refOf } from '../extract/rows.js';
import type { CostItem, Horizon, Indicator, Project } from '../model/schema.js';
import { canonicalText, fold } from '../text/fold.js';
import type { ParsedBudget } from './budgetTables.js';
import { NormalizeContext } from './context.js';
import { costItemsFromIndicators, readCostDetail } from './costs.js';
import type { Family } from './family.js';
import { GENERIC } from './variants/index.js';
import { agencyName, readHead, splitNamePhone, tickedOption, type FormHead } from './fields.js';
import { nonEmptyCells, splitAtRepeatedNames, splitAtRows, splitForms, type Form } from './forms.js';
import { factsOf, type FirstField } from './rowFacts.js';
import { isRepair, MATCH_SETTINGS, matchLabel, splitInlineLabel, type FieldKey } from './labels.js';
import { mergeSplitRows } from './splitRows.js';
import { isHeaderRow } from './table/headerToRoles.js';
import { readIndicatorTable, type TableReport } from './table/readTable.js';
import { explicitMoneyUnit, moneyUnitOf, parseDateRange, parseMoney, toNumber, yearOf, type MoneyUnit } from './values.js';

/** Totals printed on a form that the validator checks the details against. */
export interface ProjectChecks {
  fundingTotals: { horizon: Horizon; yuan: number; ref: string }[];
  costDetailTotal: { yuan: number; ref: string } | null;
  /** A budget label the form prints (with or without an amount after it). */
  budgetLabel: { label: string; ref: string } | null;
  /** Amounts under labels no vocabulary line knows, that say they are money. */
  unknownMoney?: { label: string; text: string; ref: string }[];
}

export interface Normalized {
  projects: Project[];
  checks: ProjectChecks[];
  budget: ParsedBudget;
  /** How each indicator table was read (project = the project's ordinal). */
  tables: TableReport[];
}

interface FormDraft {
  form: Form;
  index: number;
  head: FormHead;
  indicators: Indicator[];
  costItems: Omit<CostItem, 'ordinal'>[];
  costDetailTotal: ProjectChecks['costDetailTotal'];
  unit: MoneyUnit;
  tables: TableReport[];
}

function readForm(form: Form, index: number, family: Family, ctx: NormalizeContext): FormDraft {
  const rows = form.rows;
  const headerAt = rows.findIndex(isHeaderRow);
  const costAt = rows.findIndex((r, k) => (headerAt < 0 || k < headerAt) && nonEmptyCells(r).some((c) => matchLabel(c.text)?.meaning.kind === 'cost-block'));
  let headRows = headerAt < 0 ? rows : rows.slice(0, headerAt);
  let detail: ReturnType<typeof readCostDetail> | null = null;
  if (costAt >= 0) {
    // The detail's amounts are in the unit the head above it declares.
    const unitAbove = readHead(rows.slice(0, costAt), new NormalizeContext(ctx.file, ctx.unit), index).unit ?? family.unit;
    detail = readCostDetail(rows, costAt + 1, unitAbove, ctx, index);
    headRows = [...rows.slice(0, costAt), ...rows.slice(detail.end, headerAt < 0 ? undefined : headerAt)];
  }
  const above = form.inherited?.length ? readHead(form.inherited, new NormalizeContext(ctx.file, ctx.unit), index) : null;
  const head = readHead(headRows, ctx, index, above?.unit ?? null);
  for (const [k, v] of above?.fields ?? []) if (!head.fields.get(k)?.text) head.fields.set(k, v);
  const unit = head.unit ?? family.unit;
  const indicators: Indicator[] = [];
  const tables: TableReport[] = [];
  let at = headerAt;
  while (at >= 0 && at < rows.length) {
    const table = readIndicatorTable(rows, at, ctx, {
      defaultHorizon: family.defaultHorizon,
      project: index,
      firstOrdinal: (indicators[indicators.length - 1]?.ordinal ?? 0) + 1,
      isTitle: titleOf(family),
    });
    const end = table ? Math.max(table.end, at + 1) : at + 1;
    if (table) {
      indicators.push(...table.indicators);
      tables.push(table.report);
    }
    const next = rows.slice(end).findIndex(isHeaderRow);
    at = next < 0 ? -1 : end + next;
  }
  const costItems = [...costItemsFromIndicators(indicators), ...(detail?.items ?? [])];
  return { form, index, head, indicators, costItems, costDetailTotal: detail?.total ?? null, unit, tables };
}

function nameOf(d: FormDraft): string | null {
  return d.head.fields.get('project_name')?.text ?? d.form.heading ?? null;
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
    // The same form printed again (a file run into its own copy) repeats its budget or its
    // indicators; a form continued under a repeated title goes on with new ones.
    const repeated = sameProject && prev?.form.title === d.form.title && repeats(last!, d);
    if (repeated) {
      ctx.add('FORM_REPEATED', `form "${d.form.title}" of "${prevName ?? '?'}" is printed again with its own budget or the same indicators; read as another project`, d.form.titleRef, d.index);
    }
    if (last && sameProject && !repeated) {
      if (prev && prev.form.title === d.form.title) {
        ctx.add('TABLE_STITCHED', `form "${d.form.title}" of "${prevName ?? '?'}" continues on a later page under a repeated title; joined`, d.form.titleRef, d.index);
      }
      last.push(d);
    } else {
      groups.push([d]);
    }
  }
  return groups.filter((g) => g.some((d) => nameOf(d) !== null || d.indicators.length > 0));
}

function repeats(group: FormDraft[], d: FormDraft): boolean {
  const budget = (x: FormDraft) => Boolean(x.head.fields.get('annual_budget')?.text || x.head.fields.get('period_budget')?.text);
  if (budget(d) && group.some(budget)) return true;
  const seen = new Set(group.flatMap((x) => x.indicators).map((i) => `${i.horizon}|${i.name}|${i.value_text}`));
  return d.indicators.length > 0 && d.indicators.every((i) => seen.has(`${i.horizon}|${i.name}|${i.value_text}`));
}

function mergeHeads(group: FormDraft[]): FormHead {
  const head: FormHead = { fields: new Map(), goals: { annual: null, period: null, periodLabel: null }, funding: [], fundingTotal: [], unit: null, unknownMoney: [] };
  for (const d of group) {
    for (const [k, v] of d.head.fields) if (!head.fields.get(k)?.text) head.fields.set(k, v);
    head.goals.annual ??= d.head.goals.annual;
    head.goals.period ??= d.head.goals.period;
    head.goals.periodLabel ??= d.head.goals.periodLabel;
    head.funding.push(...d.head.funding);
    head.fundingTotal.push(...d.head.fundingTotal);
    head.unit ??= d.head.unit;
    head.unknownMoney.push(...d.head.unknownMoney);
  }
  return head;
}

/**
 * A head amount in yuan. Its unit is the cell's own (`25万元`), else its label's (`项目资金（万元）`),
 * else the form's `单位：` line or an earlier label's, else the family's; a cell that says another
 * unit than its label or line is a finding, and so is an amount no unit is printed for anywhere
 * when the family does not fix one.
 */
function money(head: FormHead, key: 'annual_budget' | 'period_budget', family: Family, ctx: NormalizeContext, project: number): number | null {
  const f = head.fields.get(key);
  if (!f?.text) return null;
  const printed = f.unit ?? head.unit;
  const own = explicitMoneyUnit(f.text);
  if (own && printed && own !== printed) {
    ctx.add('UNIT_CONFLICT', `${f.label} "${f.text}" is printed in ${own} under a heading in ${printed}; read as ${own}`, f.ref, project);
  }
  if (!own && !printed && family.variant === 'generic') {
    ctx.add('UNIT_ASSUMED', `${f.label} "${f.text}" has no unit anywhere on the form; read as ${family.unit}`, f.ref, project);
  }
  const m = parseMoney(f.text, printed ?? family.unit);
  if ('unreadable' in m) {
    ctx.add('VALUE_UNPARSED', `${f.label} "${m.unreadable}" is not an amount`, f.ref, project);
    return null;
  }
  return 'yuan' in m ? m.yuan : null;
}

/** What the document prints once for all its forms: the year of its titles, a `单位：` line above them. */
interface DocWide { year: number | null; unit: MoneyUnit | null }

function buildProject(group: FormDraft[], ordinal: number, family: Family, doc: DocWide, ctx: NormalizeContext): { project: Project; checks: ProjectChecks } {
  const head = mergeHeads(group);
  head.unit ??= doc.unit;
  const text = (k: Parameters<FormHead['fields']['get']>[0]) => { const t = head.fields.get(k)?.text; return t ? canonicalText(t) : null; };
  const agency = (k: 'agency' | 'supervising_agency') => { const t = text(k); return t ? agencyName(t) : null; };
  const person = splitNamePhone(head.fields.get('manager')?.text ?? '');
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
    fiscal_year: group.map((d) => d.form.year).find((y) => y !== null) ?? doc.year,
    form_title: titles.join(' + '),
    agency: agency('agency'),
    supervising_agency: agency('supervising_agency'),
    project_name: text('project_name') ?? headingName(group, ctx),
    project_code: text('project_code'),
    project_attribute: text('project_attribute'),
    project_type: text('project_type'),
    assessment_level: tickedOption(head.fields.get('assessment_level')?.text ?? null),
    function_code: text('function_code'),
    function_name: text('function_name'),
    annual_budget_yuan: money(head, 'annual_budget', family, ctx, group[0]!.index),
    period_budget_yuan: money(head, 'period_budget', family, ctx, group[0]!.index),
    period_label: rangeText ? canonicalText(rangeText) : null,
    period_start: range.start,
    period_end: range.end,
    manager: person.name ? canonicalText(person.name) : null,
    manager_phone: text('manager_phone') ?? person.phone,
    overview: text('overview'),
    annual_goal: head.goals.annual ? canonicalText(head.goals.annual) : null,
    period_goal: head.goals.period ? canonicalText(head.goals.period) : null,
    execution_weight_pct: weight ? toNumber(weight.replace(/%$/, '')) : null,
    source_ref: group[0]!.form.titleRef,
    indicators,
    cost_items: group.flatMap((d) => d.costItems).map((c, k) => ({ ...c, ordinal: k + 1 })),
    funding: head.funding.map(({ ref: _ref, ...f }) => f),
  };
  const budgetField = head.fields.get('annual_budget') ?? head.fields.get('period_budget');
  const checks: ProjectChecks = {
    fundingTotals: head.fundingTotal,
    costDetailTotal: group.map((d) => d.costDetailTotal).find((t) => t !== null) ?? null,
    budgetLabel: budgetField ? { label: budgetField.label, ref: budgetField.ref } : null,
    unknownMoney: head.unknownMoney,
  };
  return { project, checks };
}

/**
 * A form printed before the first title the family knows (under a title of its own it does not
 * read as one) is still a form: a project-name row with a table header after it.
 */
function formsBeforeTitles(split: { preamble: Row[]; forms: Form[] }): { preamble: Row[]; forms: Form[] } {
  const first = split.preamble.findIndex(opensProject);
  if (first < 0 || !split.preamble.slice(first).some(isHeaderRow)) return split;
  const inner = splitAtRows(split.preamble, opensProject, isHeaderRow, printsDepartment);
  return { preamble: inner.preamble, forms: [...inner.forms, ...split.forms] };
}

/** A form with no 项目名称 under a numbered heading of a notice is named by the heading. */
function headingName(group: FormDraft[], ctx: NormalizeContext): string | null {
  const d = group.find((x) => x.form.heading);
  if (!d) return null;
  const name = canonicalText(d.form.heading!.replace(/(?:项目)?(?:支出)?绩效目标(?:申报|批复|审批)?表?$/, (m) => (m.startsWith('项目') ? '项目' : '')));
  ctx.add('PROJECT_NAME_FROM_HEADING', `no 项目名称 on the form: named "${name}" from the heading it stands under`, d.form.titleRef, d.index);
  return name || null;
}

function unitLineOf(rows: Row[]): MoneyUnit | null {
  for (const row of rows) {
    const cells = nonEmptyCells(row);
    if (cells.length !== 1) continue;
    const inline = splitInlineLabel(cells[0]!.text, FIELD_KIND);
    if (inline?.hit.meaning.kind === 'field' && inline.hit.meaning.key === 'money_unit') return moneyUnitOf(inline.value);
  }
  return null;
}

/**
 * A family's own titles, and any title of a performance-target form: a document of the family's
 * layout printed under another heading still has one form a title.
 */
function titleOf(family: Family): (text: string) => boolean {
  return family === GENERIC ? family.isTitle : (t) => family.isTitle(t) || GENERIC.isTitle(t);
}

const DEPARTMENT_FIELDS: ReadonlySet<string> = new Set(['agency', 'supervising_agency', 'money_unit']);
const FIELD_KIND = ['field'] as const;

/** A head row that names the department or the money unit, for every project below it. */
/** The head field a row opens with (`项目名称 ⇥ …`, `项目名称：…`), asked of every row by the splitters. */
function firstField(row: Row): FirstField | null {
  const f = factsOf(row);
  return f.firstField !== undefined ? f.firstField : (f.firstField = readFirstField(row));
}

function readFirstField(row: Row): FirstField | null {
  const first = firstText(row);
  if (first === null) return null;
  // A label is short, also with its value after a colon (`项目名称：…` may run on).
  const a = first.indexOf(':');
  const b = first.indexOf('：');
  const colon = a < 0 ? b : b < 0 ? a : Math.min(a, b);
  if (colon < 0 ? first.length > MATCH_SETTINGS.maxLabelLength * 2 : colon > MATCH_SETTINGS.maxLabelLength * 2) return null;
  const hit = matchLabel(colon < 0 ? first : first.slice(0, colon), FIELD_KIND);
  return hit?.meaning.kind === 'field' ? { key: hit.meaning.key, repaired: isRepair(hit) } : null;
}

function firstText(row: Row): string | null {
  for (const c of row.cells) if (c.text !== '' && /\S/.test(c.text)) return c.text;
  return null;
}

function printsDepartment(row: Row): boolean {
  const f = firstField(row);
  return f !== null && DEPARTMENT_FIELDS.has(f.key) && !f.repaired;
}

function opensProject(row: Row): boolean {
  return firstField(row)?.key === 'project_name';
}

/** Runs a family's normalizer over a document's rows. */
export function normalizeRows(rows: Row[], family: Family, ctx: NormalizeContext): Normalized {
  rows = mergeSplitRows(rows);
  let split = splitForms(rows, titleOf(family));
  if (split.forms.length === 0) split = splitAtRows(rows, opensProject, isHeaderRow, printsDepartment);
  else split = formsBeforeTitles(split);
  const preamble = split.preamble;
  // An indicator table no form took: its indicators are nowhere in the records.
  const stray = preamble.find(isHeaderRow);
  if (stray) ctx.add('TABLE_UNREAD', 'an indicator table stands before the first form the layout could be read for; its indicators are not in the records', refOf(stray));
  // The department and unit printed above every form are each form's, unless it prints its own.
  const above = preamble.filter(printsDepartment);
  // Several projects under one title: each project-name row after a table opens a form.
  const forms = split.forms
    .map((f) => (above.length ? { ...f, inherited: [...above, ...(f.inherited ?? [])] } : f))
    .flatMap((f) => splitAtRepeatedNames(f, opensProject, isHeaderRow, printsDepartment));
  // A form whose title carries no year takes the document's: the first year any title prints,
  // else the first in the text before the forms.
  const docYear = forms.map((f) => f.year).find((y) => y !== null)
    ?? preamble.map((r) => r.cells.map((c) => c.text).join(' ')).map(yearOf).find((y) => y !== null) ?? null;
  const budget: ParsedBudget = family.readPreamble ? family.readPreamble(preamble, ctx) : { lines: [], rows: [] };
  // A `金额单位：元` line above all the forms is theirs unless a form says otherwise.
  const docUnit = unitLineOf(preamble);
  if (docUnit) ctx.unit = docUnit;
  const drafts = forms.map((f, k) => readForm(f, k + 1, family, ctx));
  const groups = groupForms(drafts, ctx);
  // A unit printed on some forms only, the same wherever printed, is the document's.
  const printedUnits = new Set(drafts.map((d) => d.head.unit).filter((u) => u !== null));
  const unitOfDoc = docUnit ?? (printedUnits.size === 1 ? [...printedUnits][0]! : null);
  const tables: TableReport[] = [];
  const projects: Project[] = [];
  const checks: ProjectChecks[] = [];
  const formToProject = new Map<number, number>();
  groups.forEach((g, k) => {
    const built = buildProject(g, k + 1, family, { year: docYear, unit: unitOfDoc }, ctx);
    projects.push(built.project);
    checks.push(built.checks);
    for (const d of g) {
      formToProject.set(d.index, k + 1);
      tables.push(...d.tables.map((t) => ({ ...t, project: k + 1 })));
    }
  });
  // Findings were raised against forms; re-address them to the projects the forms became.
  for (const f of ctx.findings) if (f.project !== null) f.project = formToProject.get(f.project) ?? null;
  for (const p of projects) {
    if (p.indicators.length === 0) {
      const read = tables.filter((t) => t.project === p.ordinal);
      const why = read.length === 0
        ? 'no row of its form reads as an indicator table header (一级指标 / 二级指标 / 三级指标 / 指标值 …)'
        : `its table's header was read (${read[0]!.location}) but none of its ${read.reduce((n, t) => n + t.rows, 0)} rows gave an indicator`;
      ctx.add('NO_INDICATORS', `project "${p.project_name ?? '?'}" has no indicators: ${why}`, p.source_ref, p.ordinal);
    }
    if (!p.project_name) ctx.add('NO_PROJECT_NAME', 'a form without a readable 项目名称', p.source_ref, p.ordinal);
  }
  return { projects, checks, budget, tables };
}
