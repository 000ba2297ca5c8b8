// Prints a form model as a TEXT DUMP (one table row per line, cells separated by TAB, blank lines
// between blocks) in one of many layouts real forms use, and returns the records the contract
// expects from it. Every way the layout varies is one named dimension (DIMENSIONS), drawn
// independently per document, so a failure can be pinned on a dimension: PROPERTY_FIX pins some,
// PROPERTY_PLAIN pins all but PROPERTY_VARY to their first, plainest value.
//
// The expected records follow CONTRACT.md, never the parser: level 1 derived from level 2, money in
// yuan, fiscal year from the title, a row with no name and no value is no indicator, a printed
// label (misread, spaced, bracketed) changes no record.
import fc from 'fast-check';
import { prng } from '../helpers.js';
import type { Expected, FormModel, IndicatorModel, Presentation, ProjectModel, ValueKind } from './model.js';
import * as V from './vocabulary.js';

// ------------------------------------------------------------------ dimensions

/** Each dimension's values; the first is the plainest, the one a shrunk reproducer falls back to. */
export const DIMENSIONS = {
  // document
  title: Object.keys(V.TITLES) as V.TitleStyle[],
  attachment: ['none', 'attachment'],
  projects: ['titleEach', 'oneTitle'],
  separator: ['blank', 'none', 'formFeed'],
  // head fields
  money: ['line', 'label', 'cell', 'block'],
  moneyUnit: ['万元', '元'],
  moneyDigits: ['plain', 'fixed2', 'thousands'],
  head: ['pairs1', 'pairs2', 'inline', 'mixed'],
  headGap: ['off', 'on'],
  headPad: ['off', 'on'],
  labelColon: ['off', 'on'],
  agencyLine: ['off', 'on'],
  extraHead: ['off', 'on'],
  goals: ['off', 'on'],
  labelProjectName: V.HEAD_PROJECT_NAME,
  labelAgency: V.HEAD_AGENCY,
  labelAgencyLine: V.AGENCY_LINE,
  labelSupervising: V.HEAD_SUPERVISING,
  labelManager: V.HEAD_MANAGER,
  labelAnnual: [...V.HEAD_ANNUAL, ...V.HEAD_ANNUAL_SOLE],
  labelPeriod: V.HEAD_PERIOD,
  // indicator table
  headerName: V.HEADER_NAME,
  headerValue: V.HEADER_VALUE,
  levels: ['carried', 'repeated', 'l2repeated', 'l1middle'],
  blockColumn: ['none', 'header', 'first', 'middle'],
  blockLabel: V.BLOCK_LABEL,
  seqColumn: ['off', 'on'],
  unitColumn: ['off', 'before', 'after'],
  explainAt: ['after', 'before'],
  spaced: ['none', 'header', 'head', 'levels'],
  spacing: ['split', 'full'],
  satisfactionUnderBenefit: ['off', 'on'],
  costAsLevel1: ['off', 'on'],
  nameMarks: ['none', 'star', 'numbered', 'hint'],
  emptyLevel2Rows: ['off', 'on'],
  reviewRows: ['off', 'on'],
  footer: ['off', 'on'],
  pageBreak: ['none', 'repeatHeader', 'bare'],
  // level names as printed
  'level1.产出指标': V.LEVEL1_PRINTED['产出指标'],
  'level1.效益指标': V.LEVEL1_PRINTED['效益指标'],
  'level1.满意度指标': V.LEVEL1_PRINTED['满意度指标'],
  'level2.数量指标': V.LEVEL2_PRINTED['数量指标'],
  'level2.时效指标': V.LEVEL2_PRINTED['时效指标'],
  'level2.生态效益指标': V.LEVEL2_PRINTED['生态效益指标'],
  'level2.服务对象满意度指标': V.LEVEL2_PRINTED['服务对象满意度指标'],
  satisfactionLabel: V.SATISFACTION_UNDER_BENEFIT,
  costLabel: V.COST_LEVEL2_PRINTED,
  // two horizons (projects with mid-term and annual targets)
  horizons: ['sideBySide', 'stacked'],
  sidePeriodValue: V.HEADER_VALUE_PERIOD,
  sideAnnualValue: V.HEADER_VALUE_ANNUAL,
  sideLevel2: ['same', 'own'],
  stackedHeader: ['each', 'once'],
  stackedLabel: ['row', 'column'],
  stackedOrder: ['periodFirst', 'annualFirst'],
  stackedPeriodLabel: V.STACKED_PERIOD_LABEL,
} as const satisfies Record<string, readonly string[]>;

export type Dimension = keyof typeof DIMENSIONS;
type ValueOf<D extends Dimension> = (typeof DIMENSIONS)[D][number];

/** Dimensions that are noise on top of a form: drawn plain three times in four. */
const MOSTLY_PLAIN = new Set<Dimension>(['pageBreak', 'spaced', 'attachment', 'headGap', 'headPad', 'emptyLevel2Rows', 'reviewRows', 'costAsLevel1', 'satisfactionUnderBenefit']);

/** What a one-character misread can hit: a head label, a header label, a level label, a title. */
export const MISREAD_TARGETS = [
  'head.projectName', 'head.agency', 'head.supervising', 'head.manager', 'head.annual', 'head.period',
  'header.level1', 'header.level2', 'header.name', 'header.value', 'header.extra', 'block', 'title',
  ...V.LEVEL1.map((l) => `level1.${l}` as const),
  ...V.LEVEL2.map((l) => `level2.${l}` as const),
] as const;
export type MisreadTarget = (typeof MISREAD_TARGETS)[number];

export interface Misread { target: MisreadTarget; pick: number }

export type Layout = { [D in Dimension]: ValueOf<D> } & {
  /** Labels read with one character wrong, every occurrence of the label in the document. */
  misreads: Misread[];
  /** Extra columns beside the value (序号 and 计量单位 are dimensions of their own). */
  extras: V.ExtraColumn[];
  /** Minor choices (which rows carry a ★, the review rows' wording) come from this seed. */
  seed: number;
};

export interface LayoutOptions {
  /** `dimension → value`; also `misreads` / `extras` as `a+b` lists or `none`. Unknown keys or values are errors. */
  fix?: Record<string, string>;
  /** Every dimension at its first value, but those in `vary`. */
  plain?: boolean;
  vary?: readonly string[];
}

function choice(dim: Dimension, values: readonly string[]): fc.Arbitrary<string> {
  const rest = values.slice(1).map((v) => ({ arbitrary: fc.constant(v), weight: 1 }));
  const plainWeight = MOSTLY_PLAIN.has(dim) ? 3 * Math.max(1, rest.length) : 1;
  return fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(values[0]!), weight: plainWeight }, ...rest);
}

function parseList<T extends string>(what: string, text: string, allowed: readonly T[]): T[] {
  if (text === 'none' || text === '') return [];
  return text.split('+').map((t) => {
    if (!(allowed as readonly string[]).includes(t)) throw new Error(`PROPERTY_FIX ${what}: unknown "${t}" (one of ${allowed.join(', ')})`);
    return t as T;
  });
}

export function layoutArb(opts: LayoutOptions = {}): fc.Arbitrary<Layout> {
  const fix = opts.fix ?? {};
  const known = new Set<string>([...Object.keys(DIMENSIONS), 'misreads', 'extras']);
  for (const k of Object.keys(fix)) if (!known.has(k)) throw new Error(`PROPERTY_FIX: unknown dimension "${k}" (one of ${[...known].join(', ')})`);
  for (const k of opts.vary ?? []) if (!known.has(k)) throw new Error(`PROPERTY_VARY: unknown dimension "${k}"`);
  const varies = (d: string) => !opts.plain || (opts.vary ?? []).includes(d);
  const dims: Record<string, fc.Arbitrary<string>> = {};
  for (const [d, values] of Object.entries(DIMENSIONS) as [Dimension, readonly string[]][]) {
    const fixed = fix[d];
    if (fixed !== undefined && !values.includes(fixed)) throw new Error(`PROPERTY_FIX ${d}: unknown value "${fixed}" (one of ${values.join(', ')})`);
    dims[d] = fixed !== undefined ? fc.constant(fixed) : varies(d) ? choice(d, values) : fc.constant(values[0]!);
  }
  const misreads: fc.Arbitrary<Misread[]> = fix.misreads !== undefined
    ? fc.constant(parseList('misreads', fix.misreads, MISREAD_TARGETS).map((target) => ({ target, pick: 0 })))
    : varies('misreads')
      ? fc.oneof(
        { withCrossShrink: true },
        { arbitrary: fc.constant<Misread[]>([]), weight: 3 },
        { arbitrary: fc.uniqueArray(fc.record({ target: fc.constantFrom(...MISREAD_TARGETS), pick: fc.nat({ max: 15 }) }), { minLength: 1, maxLength: 3, selector: (m) => m.target }), weight: 1 },
      )
      : fc.constant<Misread[]>([]);
  const extras: fc.Arbitrary<V.ExtraColumn[]> = fix.extras !== undefined
    ? fc.constant(parseList('extras', fix.extras, V.EXTRA_COLUMNS))
    : varies('extras')
      ? fc.oneof(
        { withCrossShrink: true },
        { arbitrary: fc.constant<V.ExtraColumn[]>([]), weight: 2 },
        { arbitrary: fc.uniqueArray(fc.constantFrom(...V.EXTRA_COLUMNS), { minLength: 1, maxLength: 3 }), weight: 1 },
      )
      : fc.constant<V.ExtraColumn[]>([]);
  return fc.record({ dims: fc.record(dims), misreads, extras, seed: fc.nat() })
    .map(({ dims: d, misreads: m, extras: e, seed }) => ({ ...(d as { [D in Dimension]: ValueOf<D> }), misreads: m, extras: e, seed }));
}

// ------------------------------------------------------------------ expected records

/** What the contract expects of one indicator row and horizon. */
export interface ExpectedIndicator {
  horizon: 'annual' | 'period';
  level1: V.Level1;
  level2: V.Level2;
  /** The name as printed, marks and numbering included. */
  name: string;
  /** The name without the marks this printer added: a reader that drops a `1.` or `★` is not wrong. */
  nameAlt: string | null;
  expect: Expected;
  /** Which row of the value table printed it (not a fact; for the report). */
  kind: ValueKind;
}

export interface ExpectedProject {
  project_name: string;
  agency: string;
  supervising_agency: string | null;
  fiscal_year: number;
  annual_budget_yuan: number;
  period_budget_yuan: number | null;
  manager: string | null;
  indicators: ExpectedIndicator[];
}

export interface Printed {
  text: string;
  expected: ExpectedProject[];
  /** `dimension=value` for every dimension that shaped this text (the others did not matter). */
  tags: string[];
  /** The text's rows with what each one is: for printers of other media (html.ts); the dump is `text`. */
  rows: SheetRow[];
}

/** A column of an indicator table; side by side, the right-hand (annual) side's columns end in `@annual`. */
export type ColumnRole = Column | 'level2@annual' | 'name@annual' | 'value@annual';

/** What a cell of a head row holds. */
export type HeadCell = 'label' | 'value' | 'gap' | 'pad' | 'inline';

/** What one row of the dump is: what another medium needs to lay it out (merged cells, headers, paragraphs). */
export type RowInfo =
  | { kind: 'attachment' | 'title' | 'agencyLine' | 'unitLine' | 'footer' | 'review' }
  | { kind: 'head' | 'goal'; cells: HeadCell[] }
  /** A 资金情况 block: `line` 0 holds its label, 1 and 2 leave that cell empty under it. */
  | { kind: 'money'; line: number }
  /** A table's header row; `repeat` when it is the copy printed after a page break. */
  | { kind: 'header'; table: number; cols: ColumnRole[]; repeat: boolean; horizon: 'annual' | 'period' | 'both' }
  /** A stacked block's own label row (stackedLabel=row). */
  | { kind: 'blockLabel'; table: number }
  | {
    kind: 'indicator'; table: number; cols: ColumnRole[]; horizon: 'annual' | 'period' | 'both';
    /** Rows with the same key belong to one level-1 / level-2 group (one merged cell on a ruled form). */
    l1Key: string; l2Key: string;
    /** The printed value(s) of the row: one-horizon tables `value`, side by side `period` and `annual`. */
    value: Presentation | null; period: Presentation | null; annual: Presentation | null;
  };

export interface SheetRow {
  cells: string[];
  info: RowInfo;
  /** 0-based project the row belongs to. */
  project: number;
  /** A form feed goes before this row in the dump. */
  pageBreakBefore: boolean;
}

// ------------------------------------------------------------------ the sheet and the labels

type Rand = () => number;

/** Lines of the dump being written; a form feed goes before the next line written. */
class Sheet {
  readonly lines: string[] = [];
  readonly rows: SheetRow[] = [];
  /** The project being printed (recorded with each row). */
  project = 0;
  private feed = false;
  row(cells: readonly string[], info: RowInfo): void {
    this.lines.push((this.feed ? '\f' : '') + cells.join('\t'));
    this.rows.push({ cells: [...cells], info, project: this.project, pageBreakBefore: this.feed });
    this.feed = false;
  }
  blank(): void {
    if (this.lines.length && this.lines[this.lines.length - 1] !== '') this.lines.push('');
  }
  pageBreak(): void {
    this.feed = true;
  }
}

const CJK = /[\u3400-\u9fff]/;

/** `一级 指标` (the word before 指标 set apart) or `指 标 值` (every character), brackets left alone. */
function spaceOut(text: string, style: 'split' | 'full'): string {
  const split = /^([\u3400-\u9fff]{2,})(指标)$/.exec(text);
  if (style === 'split' && split) return `${split[1]} ${split[2]}`;
  let out = '';
  let depth = 0;
  for (const ch of text) {
    if (/[(（]/.test(ch)) depth++;
    if (/[)）]/.test(ch)) depth--;
    const prev = out[out.length - 1] ?? '';
    out += depth === 0 && CJK.test(ch) && CJK.test(prev) ? ` ${ch}` : ch;
  }
  return out;
}

/** The label with one character read as a like-shaped one, or the label itself when none can be. */
function misread(text: string, pick: number): string {
  const chars = [...text];
  const at = chars.map((c, i) => (V.CONFUSIONS[c] ? i : -1)).filter((i) => i >= 0);
  if (!at.length) return text;
  const i = at[pick % at.length]!;
  const options = V.CONFUSIONS[chars[i]!]!;
  chars[i] = options[Math.floor(pick / at.length) % options.length]!;
  return chars.join('');
}

type LabelClass = 'head' | 'header' | 'levels' | 'none';

/** Everything the printer decides per document: the layout, its seed, the tags it has used. */
class Printer {
  readonly sheet = new Sheet();
  readonly tags = new Set<string>();
  readonly rand: Rand;
  /** Indicator tables printed so far (a table's number in RowInfo). */
  tables = 0;
  constructor(readonly layout: Layout, readonly model: FormModel) {
    this.rand = prng(layout.seed);
  }

  /** The layout's value of `dim`, recorded as having shaped the text. */
  use<D extends Dimension>(dim: D): ValueOf<D> {
    const v = this.layout[dim];
    this.tags.add(`${dim}=${v}`);
    return v;
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rand() * list.length)]!;
  }

  /** A label as printed: spaced when its class is, misread when its target is. */
  label(target: MisreadTarget | null, cls: LabelClass, text: string): string {
    let out = text;
    const m = target && this.layout.misreads.find((x) => x.target === target);
    if (m) {
      const read = misread(out, m.pick);
      if (read !== out) this.tags.add(`misread=${target}`);
      out = read;
    }
    if (cls !== 'none' && this.layout.spaced === cls) {
      this.tags.add(`spaced=${cls}`);
      out = spaceOut(out, this.use('spacing'));
    }
    return out;
  }
}

// ------------------------------------------------------------------ money

type MoneyUnit = '万元' | '元';

/** Yuan as the form prints it in `unit`: 85.6 / 85.60 / 1,285.6 (万元) or 856000 / 856,000.00 (元). */
function moneyText(yuan: number, unit: MoneyUnit, digits: ValueOf<'moneyDigits'>): string {
  const cents = Math.round(yuan * 100);
  // In 万元 the amount has at most two decimals (the model draws whole hundreds of yuan).
  const [int, frac] = unit === '元' ? [Math.floor(cents / 100), cents % 100] : [Math.floor(cents / 1_000_000), Math.round((cents % 1_000_000) / 10_000)];
  const intText = digits === 'thousands' ? int.toLocaleString('en-US') : String(int);
  const two = String(frac).padStart(2, '0');
  if (digits === 'fixed2' || (digits === 'thousands' && unit === '元')) return `${intText}.${two}`;
  return frac === 0 ? intText : `${intText}.${two.replace(/0$/, '')}`;
}

// ------------------------------------------------------------------ titles and head

interface HeadField { label: string; value: string }

function titleLines(pr: Printer, p: ProjectModel): string[] {
  const lines = V.TITLES[pr.use('title')];
  return lines.map((l) => {
    const text = l.replace('{Y}', String(pr.model.fiscalYear)).replace('{R}', pr.model.region).replace('{D}', p.department.slice(pr.model.region.length));
    // Never the year: the fiscal year is read from the title, and a misread there changes a fact.
    return text.replace(/[^\d年（()）]+/g, (words) => pr.label('title', 'none', words));
  });
}

function moneyUnit(pr: Printer): MoneyUnit {
  return pr.use('moneyUnit');
}

/** The unit as a `（万元）` after a label, when the layout puts it there. */
function bracket(pr: Printer): string {
  return pr.layout.money === 'label' || pr.layout.money === 'block' ? pr.pick(V.UNIT_BRACKETS)(moneyUnit(pr)) : '';
}

function amount(pr: Printer, yuan: number): string {
  const unit = moneyUnit(pr);
  const text = moneyText(yuan, unit, pr.use('moneyDigits'));
  return pr.layout.money === 'cell' ? text + unit : text;
}

function headLabel(pr: Printer, target: MisreadTarget | null, text: string): string {
  return pr.label(target, 'head', text);
}

function annualLabel(pr: Printer, p: ProjectModel): string {
  const chosen = pr.layout.labelAnnual;
  // 资金总额 / 项目总额 read as this year's only when no mid-term amount stands beside them.
  const sole = (V.HEAD_ANNUAL_SOLE as readonly string[]).includes(chosen);
  const label = sole && p.periodBudgetYuan !== null ? V.HEAD_ANNUAL[0]! : chosen;
  pr.tags.add(`labelAnnual=${label}`);
  return headLabel(pr, 'head.annual', label);
}

function headFields(pr: Printer, p: ProjectModel, agencyInLine: boolean): { first: HeadField; rest: HeadField[] } {
  const first = { label: headLabel(pr, 'head.projectName', pr.use('labelProjectName')), value: p.name };
  const people: HeadField[] = [];
  if (p.supervising !== null) people.push({ label: headLabel(pr, 'head.supervising', pr.use('labelSupervising')), value: p.supervising });
  if (!agencyInLine) people.push({ label: headLabel(pr, 'head.agency', pr.use('labelAgency')), value: p.agency });
  if (pr.rand() < 0.5) people.reverse();
  const rest = [...people];
  if (p.manager !== null) {
    rest.push({ label: headLabel(pr, 'head.manager', pr.use('labelManager')), value: p.manager });
    if (p.phone !== null) rest.push({ label: headLabel(pr, null, V.HEAD_PHONE[0]!), value: p.phone });
  }
  if (pr.use('extraHead') === 'on') {
    rest.push({ label: headLabel(pr, null, V.HEAD_ATTRIBUTE[0]!), value: p.attribute });
    const y = pr.model.fiscalYear;
    rest.push({ label: headLabel(pr, null, pr.pick(V.HEAD_TERM)), value: p.horizons === 'both' ? `${y}-${y + 2}` : `${y}年1月-${y}年12月` });
  }
  if (pr.use('money') !== 'block') {
    const money: HeadField[] = [{ label: annualLabel(pr, p) + bracket(pr), value: amount(pr, p.annualBudgetYuan) }];
    if (p.periodBudgetYuan !== null) money.push({ label: headLabel(pr, 'head.period', pr.use('labelPeriod')) + bracket(pr), value: amount(pr, p.periodBudgetYuan) });
    if (pr.rand() < 0.5) rest.push(...money);
    else rest.splice(people.length, 0, ...money);
  }
  return { first, rest };
}

const colon = (pr: Printer) => (pr.rand() < 0.7 ? '：' : ':');

/** Head fields as label/value pairs (one or two a row) or inline `标签：值` cells. */
function printHead(pr: Printer, fields: HeadField[], width: number): void {
  const style = pr.use('head');
  const gap = pr.use('headGap') === 'on';
  const pad = pr.use('headPad') === 'on';
  const withColon = pr.use('labelColon') === 'on';
  const sep = colon(pr);
  for (let i = 0; i < fields.length;) {
    const rowStyle = style === 'mixed' ? pr.pick(['pairs1', 'pairs2', 'inline'] as const) : style;
    const n = rowStyle === 'pairs1' ? 1 : rowStyle === 'pairs2' ? 2 : pr.rand() < 0.5 ? 1 : 2;
    const cells: string[] = [];
    const roles: HeadCell[] = [];
    for (const f of fields.slice(i, i + n)) {
      if (rowStyle === 'inline') {
        cells.push(`${f.label}${sep}${f.value}`);
        roles.push('inline');
      } else {
        cells.push(withColon ? f.label + sep : f.label, ...(gap ? [''] : []), f.value);
        roles.push('label', ...(gap ? ['gap' as const] : []), 'value');
      }
    }
    while (pad && cells.length < width) {
      cells.push('');
      roles.push('pad');
    }
    pr.sheet.row(cells, { kind: 'head', cells: roles });
    i += n;
  }
}

/** A 资金情况（万元） block: the amounts under their own labels, with the 财政拨款 line under each. */
function printMoneyBlock(pr: Printer, p: ProjectModel): void {
  const cols: { label: string; yuan: number }[] = [{ label: annualLabel(pr, p), yuan: p.annualBudgetYuan }];
  if (p.periodBudgetYuan !== null) {
    const period = { label: headLabel(pr, 'head.period', pr.use('labelPeriod')), yuan: p.periodBudgetYuan };
    if (pr.rand() < 0.5) cols.unshift(period);
    else cols.push(period);
  }
  const sep = colon(pr);
  pr.sheet.row([pr.label(null, 'head', pr.pick(V.MONEY_BLOCK)) + bracket(pr), ...cols.flatMap((c) => [c.label + sep, amount(pr, c.yuan)])], { kind: 'money', line: 0 });
  pr.sheet.row(['', ...cols.flatMap((c) => [V.FUNDING_FISCAL, amount(pr, c.yuan)])], { kind: 'money', line: 1 });
  pr.sheet.row(['', ...cols.flatMap(() => [V.FUNDING_OTHER, ''])], { kind: 'money', line: 2 });
}

function printGoals(pr: Printer, p: ProjectModel): void {
  if (pr.use('goals') === 'off') return;
  const annual = [pr.label(null, 'head', pr.pick(V.GOAL_ANNUAL)), p.annualGoal];
  const goal = (cells: string[]) => pr.sheet.row(cells, { kind: 'goal', cells: cells.map((_, i) => (i % 2 === 0 ? 'label' : 'value')) });
  if (p.horizons === 'annual') {
    goal(annual);
    return;
  }
  const period = [pr.label(null, 'head', pr.pick(V.GOAL_PERIOD)), p.periodGoal];
  if (pr.rand() < 0.5) goal([...period, ...annual]);
  else [period, annual].forEach((r) => goal(r));
}

// ------------------------------------------------------------------ indicator rows

/** One table row: an indicator, or a level-2 label printed with nothing under it. */
interface Item {
  ind: IndicatorModel | null;
  level2: V.Level2;
  /** The level-1 text before misreads and spacing: rows with the same one form one merged group. */
  l1Key: string;
  l1: string;
  l2: string;
  /** The right-hand side's level-2 text (side by side, each side with its own wording). */
  l2Right: string;
}

function level1Text(pr: Printer, level2: V.Level2): { key: string; text: string } {
  if (level2 === '成本指标' && pr.layout.costAsLevel1 === 'on') {
    pr.tags.add('costAsLevel1=on');
    return { key: V.COST_LEVEL1_PRINTED, text: pr.label(null, 'levels', V.COST_LEVEL1_PRINTED) };
  }
  let canon = V.LEVEL1_OF[level2];
  if (level2 === '服务对象满意度指标' && pr.layout.satisfactionUnderBenefit === 'on') {
    pr.tags.add('satisfactionUnderBenefit=on');
    canon = '效益指标';
  }
  const key = spelled(pr, `level1.${canon}`, V.LEVEL1_PRINTED[canon]);
  return { key, text: pr.label(`level1.${canon}`, 'levels', key) };
}

/** The layout's spelling of a level name, when it has a dimension for it; the contract's name otherwise. */
function spelled(pr: Printer, dim: string, variants: readonly string[]): string {
  if (dim in DIMENSIONS) return pr.use(dim as Dimension);
  return variants[0]!;
}

function level2Text(pr: Printer, level2: V.Level2, own: boolean): string {
  let text: string;
  if (level2 === '成本指标' && pr.layout.costAsLevel1 === 'on') text = pr.use('costLabel');
  else if (level2 === '服务对象满意度指标' && pr.layout.satisfactionUnderBenefit === 'on') text = pr.use('satisfactionLabel');
  else text = spelled(pr, `level2.${level2}`, V.LEVEL2_PRINTED[level2]);
  if (own) {
    // The other side of a side-by-side table may word the same level 2 differently.
    const others = V.LEVEL2_PRINTED[level2].filter((t) => t !== text);
    if (others.length) text = pr.pick(others);
  }
  return pr.label(`level2.${level2}`, 'levels', text);
}

function itemsOf(pr: Printer, inds: IndicatorModel[], sideBySide: boolean): Item[] {
  const list: { ind: IndicatorModel | null; level2: V.Level2 }[] = inds.map((ind) => ({ ind, level2: ind.level2 }));
  if (pr.use('emptyLevel2Rows') === 'on') {
    // A level-2 label the form prints with no indicator under it: not an indicator.
    const used = new Set(inds.map((i) => i.level2));
    const free = V.LEVEL2.filter((l) => !used.has(l) && l !== '成本指标' && l !== '服务对象满意度指标');
    if (free.length) {
      const empty = pr.pick(free);
      const at = list.findIndex((x) => V.LEVEL2.indexOf(x.level2) > V.LEVEL2.indexOf(empty));
      list.splice(at < 0 ? list.length : at, 0, { ind: null, level2: empty });
    }
  }
  const own = sideBySide && pr.use('sideLevel2') === 'own';
  // The right side's own wording is one per level 2 and table, as a form prints it.
  const right = new Map<V.Level2, string>();
  const rightText = (l: V.Level2) => right.get(l) ?? right.set(l, level2Text(pr, l, true)).get(l)!;
  return list.map(({ ind, level2 }) => {
    const l1 = level1Text(pr, level2);
    return { ind, level2, l1Key: l1.key, l1: l1.text, l2: level2Text(pr, level2, false), l2Right: own ? rightText(level2) : '' };
  });
}

/** Which rows print their level-1 / level-2 text: carried down (first row of the group), repeated, or level 1 centred. */
function levelShown(pr: Printer, items: Item[]): { l1: boolean; l2: boolean }[] {
  const mode = pr.use('levels');
  const shown = items.map(() => ({ l1: false, l2: false }));
  const groups = (key: (it: Item) => string) => {
    const out: number[][] = [];
    items.forEach((it, i) => {
      const last = out[out.length - 1];
      if (last && key(items[last[0]!]!) === key(it)) last.push(i);
      else out.push([i]);
    });
    return out;
  };
  for (const g of groups((it) => it.l1Key)) {
    if (mode === 'repeated') g.forEach((i) => (shown[i]!.l1 = true));
    else shown[mode === 'l1middle' ? g[Math.floor((g.length - 1) / 2)]! : g[0]!]!.l1 = true;
  }
  for (const g of groups((it) => `${it.l1Key}/${it.level2}`)) {
    if (mode === 'repeated' || mode === 'l2repeated') g.forEach((i) => (shown[i]!.l2 = true));
    else shown[g[0]!]!.l2 = true;
  }
  return shown;
}

/**
 * The row a page break goes before, or -1. A repeated header makes any row safe; a bare break goes
 * only before a row that prints its level-2 label: in a dump, a row after a page break with its
 * level cells empty could as well be the rest of a row the break cut in two.
 */
function breakRow(pr: Printer, shown: { l2: boolean }[]): number {
  const mode = pr.use('pageBreak');
  const n = shown.length;
  if (mode === 'none' || n < 4) return -1;
  const mid = Math.floor(n / 2);
  if (mode === 'repeatHeader') return mid;
  const starts = shown.map((s, i) => (i > 0 && s.l2 ? i : -1)).filter((i) => i > 0);
  if (!starts.length) return -1;
  return starts.reduce((best, i) => (Math.abs(i - mid) < Math.abs(best - mid) ? i : best));
}

/** The name as printed and, when marks were added, the bare name. */
function nameOf(pr: Printer, ind: IndicatorModel, ordinal: number): { name: string; alt: string | null } {
  if (ind.labelLike) pr.tags.add('labelLikeName=yes');
  const marks = pr.use('nameMarks');
  if (marks === 'star' && ordinal % 2 === 1) return { name: `★${ind.name}`, alt: ind.name };
  if (marks === 'numbered') {
    const style = pr.layout.seed % 3;
    return { name: style === 0 ? `${ordinal}.${ind.name}` : style === 1 ? `${ordinal}、${ind.name}` : `（${ordinal}）${ind.name}`, alt: ind.name };
  }
  if (marks === 'hint' && ind.rate) return { name: `${ind.name}（≥**%）`, alt: ind.name };
  return { name: ind.name, alt: null };
}

/** Collects the expected indicators while the rows are printed. */
class Expectations {
  readonly list: ExpectedIndicator[] = [];
  add(horizon: 'annual' | 'period', ind: IndicatorModel, name: { name: string; alt: string | null }, p: Presentation, kind: ValueKind): void {
    this.list.push({ horizon, level1: V.LEVEL1_OF[ind.level2], level2: ind.level2, name: name.name, nameAlt: name.alt, expect: p.expect, kind });
  }
}

// ------------------------------------------------------------------ one-horizon tables

type Column = 'block' | 'seq' | 'level1' | 'level2' | 'name' | 'value' | 'unit' | V.ExtraColumn;

function columnsOf(pr: Printer, block: boolean): Column[] {
  const cols: Column[] = [];
  if (block) cols.push('block');
  if (pr.use('seqColumn') === 'on') cols.push('seq');
  cols.push('level1', 'level2', 'name');
  const extras = pr.layout.extras;
  if (extras.length) pr.tags.add(`extras=${[...extras].sort().join('+')}`);
  const explainBefore = extras.includes('explain') && pr.use('explainAt') === 'before';
  if (explainBefore) cols.push('explain');
  const unit = pr.use('unitColumn');
  if (unit === 'before') cols.push('unit');
  cols.push('value');
  if (unit === 'after') cols.push('unit');
  cols.push(...extras.filter((e) => e !== 'remark' && !(e === 'explain' && explainBefore)));
  if (extras.includes('remark')) cols.push('remark');
  return cols;
}

interface TableSpec {
  horizon: 'annual' | 'period';
  items: Item[];
  /** The block column's label and where it stands, when the table has one. */
  block: { text: string; at: 'header' | 'first' | 'middle' } | null;
  valueHeader: string;
}

function headerRow(pr: Printer, cols: Column[], spec: TableSpec): string[] {
  const h = (target: MisreadTarget, text: string) => pr.label(target, 'header', text);
  return cols.map((c) => {
    switch (c) {
      case 'block': return spec.block?.at === 'header' ? spec.block.text : '';
      case 'seq': return h('header.extra', V.HEADER_EXTRA.seq[0]);
      case 'level1': return h('header.level1', V.HEADER_LEVEL1[0]!);
      case 'level2': return h('header.level2', V.HEADER_LEVEL2[0]!);
      case 'name': return h('header.name', pr.use('headerName'));
      case 'value': return h('header.value', spec.valueHeader);
      default: return h('header.extra', V.HEADER_EXTRA[c][pr.layout.seed % V.HEADER_EXTRA[c].length]!);
    }
  });
}

const CRITERIA = ['完成目标值得满分，未完成按比例扣分', '每降低1个百分点扣0.5分', '按时完成得满分，逾期不得分'];

function extraCell(c: V.ExtraColumn, ind: IndicatorModel, p: Presentation, k: number): string {
  switch (c) {
    case 'remark': return k % 4 === 3 ? '无' : '';
    case 'score': return String(5 + ((k * 3) % 16));
    case 'weight': return String(5 + ((k * 5) % 20));
    case 'explain': return `反映${ind.name}情况`;
    case 'criteria': return CRITERIA[k % CRITERIA.length]!;
    case 'valueType': return p.expect.comparator === null ? '定性' : '定量';
    case 'standard': return '计划标准';
  }
}

/** A one-value-column table: its header (unless `withHeader` is false) and its rows. */
function printTable(pr: Printer, spec: TableSpec, exp: Expectations, withHeader: boolean): void {
  const cols = columnsOf(pr, spec.block !== null);
  const header = headerRow(pr, cols, spec);
  const table = pr.tables++;
  const headerInfo = (repeat: boolean): RowInfo => ({ kind: 'header', table, cols, repeat, horizon: spec.horizon });
  if (withHeader) pr.sheet.row(header, headerInfo(false));
  const shown = levelShown(pr, spec.items);
  const blockRow = spec.block?.at === 'middle' ? Math.floor((spec.items.length - 1) / 2) : 0;
  const unitColumn = cols.includes('unit');
  const breakAt = breakRow(pr, shown);
  let ordinal = 0;
  spec.items.forEach((it, i) => {
    if (i === breakAt) {
      pr.sheet.pageBreak();
      if (pr.layout.pageBreak === 'repeatHeader') pr.sheet.row(header, headerInfo(true));
    }
    const ind = it.ind;
    const value = ind ? (spec.horizon === 'annual' ? ind.annual : ind.period) : null;
    const pres = value ? (unitColumn ? value.withUnitColumn : value.inline) : null;
    const name = ind && pres ? nameOf(pr, ind, ++ordinal) : null;
    if (ind && pres && name && value) exp.add(spec.horizon, ind, name, pres, value.kind);
    pr.sheet.row(cols.map((c) => {
      switch (c) {
        case 'block': return spec.block && spec.block.at !== 'header' && i === blockRow ? spec.block.text : '';
        case 'seq': return name ? String(ordinal) : '';
        case 'level1': return shown[i]!.l1 ? it.l1 : '';
        case 'level2': return shown[i]!.l2 ? it.l2 : '';
        case 'name': return name?.name ?? '';
        case 'value': return pres?.cell ?? '';
        case 'unit': return pres?.unitCell ?? '';
        default: return ind && pres ? extraCell(c, ind, pres, ordinal) : '';
      }
    }), { kind: 'indicator', table, cols, horizon: spec.horizon, l1Key: it.l1Key, l2Key: `${it.l1Key}/${it.level2}`, value: pres, period: null, annual: null });
  });
}

/** The value header of a one-horizon block: the layout's, unless it names the other horizon. */
function valueHeader(pr: Printer, horizon: 'annual' | 'period'): string {
  const chosen = pr.use('headerValue');
  if (!V.HEADER_VALUE_ANNUAL_ONLY.has(chosen) || horizon === 'annual') return chosen;
  return V.HEADER_VALUE_PERIOD[0]!;
}

function printAnnualTable(pr: Printer, p: ProjectModel, exp: Expectations): void {
  const at = pr.use('blockColumn');
  const block = at === 'none' ? null : { text: pr.label('block', 'header', pr.use('blockLabel')), at };
  const items = itemsOf(pr, p.indicators.filter((i) => i.annual), false);
  printTable(pr, { horizon: 'annual', items, block, valueHeader: valueHeader(pr, 'annual') }, exp, true);
}

/** 长期绩效指标 and 年度绩效指标 as two blocks one under the other, labelled on a row or in a left column. */
function printStacked(pr: Printer, p: ProjectModel, exp: Expectations): void {
  const order: ('period' | 'annual')[] = pr.use('stackedOrder') === 'periodFirst' ? ['period', 'annual'] : ['annual', 'period'];
  const labelAt = pr.use('stackedLabel');
  const once = pr.use('stackedHeader') === 'once';
  let first = true;
  for (const horizon of order) {
    const inds = p.indicators.filter((i) => (horizon === 'annual' ? i.annual : i.period));
    if (!inds.length) continue;
    const text = pr.label('block', 'header', horizon === 'annual' ? V.STACKED_ANNUAL_LABEL[0]! : pr.use('stackedPeriodLabel'));
    if (labelAt === 'row') pr.sheet.row([text], { kind: 'blockLabel', table: pr.tables });
    // A label in the left column stands on its block's first row: on a later row it would read as the block above's.
    const block = labelAt === 'column' ? { text, at: 'first' as const } : null;
    printTable(pr, { horizon, items: itemsOf(pr, inds, false), block, valueHeader: valueHeader(pr, horizon) }, exp, first || !once);
    first = false;
  }
}

// ------------------------------------------------------------------ side by side

/** 中长期 (left) and 本年度 (right) targets in one row: a period and an annual row per indicator. */
function printSideBySide(pr: Printer, p: ProjectModel, exp: Expectations): void {
  const at = pr.use('blockColumn');
  // Only the neutral 绩效指标: a 年度绩效指标 beside mid-term columns would contradict them.
  const block = at === 'none' ? null : pr.label('block', 'header', V.BLOCK_LABEL[0]!);
  const seq = pr.use('seqColumn') === 'on';
  const h = (target: MisreadTarget, text: string) => pr.label(target, 'header', text);
  const name = pr.use('headerName');
  const header = [
    ...(block !== null ? [at === 'header' ? block : ''] : []),
    ...(seq ? [h('header.extra', V.HEADER_EXTRA.seq[0])] : []),
    h('header.level1', V.HEADER_LEVEL1[0]!),
    h('header.level2', V.HEADER_LEVEL2[0]!), h('header.name', name), h('header.value', pr.use('sidePeriodValue')),
    h('header.level2', V.HEADER_LEVEL2[0]!), h('header.name', name), h('header.value', pr.use('sideAnnualValue')),
  ];
  const table = pr.tables++;
  const cols: ColumnRole[] = [
    ...(block !== null ? ['block' as const] : []), ...(seq ? ['seq' as const] : []),
    'level1', 'level2', 'name', 'value', 'level2@annual', 'name@annual', 'value@annual',
  ];
  const headerInfo = (repeat: boolean): RowInfo => ({ kind: 'header', table, cols, repeat, horizon: 'both' });
  pr.sheet.row(header, headerInfo(false));
  const items = itemsOf(pr, p.indicators, true);
  const shown = levelShown(pr, items);
  const blockRow = at === 'middle' ? Math.floor((items.length - 1) / 2) : 0;
  const breakAt = breakRow(pr, shown);
  let ordinal = 0;
  items.forEach((it, i) => {
    if (i === breakAt) {
      pr.sheet.pageBreak();
      if (pr.layout.pageBreak === 'repeatHeader') pr.sheet.row(header, headerInfo(true));
    }
    const n = it.ind ? nameOf(pr, it.ind, ++ordinal) : null;
    const printed: Record<'annual' | 'period', Presentation | null> = { annual: null, period: null };
    const side = (horizon: 'annual' | 'period', l2: string): string[] => {
      const value = it.ind ? (horizon === 'annual' ? it.ind.annual : it.ind.period) : null;
      if (it.ind && value && n) exp.add(horizon, it.ind, n, value.inline, value.kind);
      if (value) printed[horizon] = value.inline;
      return [shown[i]!.l2 ? l2 : '', value && n ? n.name : '', value ? value.inline.cell : ''];
    };
    pr.sheet.row([
      ...(block !== null ? [at !== 'header' && i === blockRow ? block : ''] : []),
      ...(seq ? [it.ind ? String(ordinal) : ''] : []),
      shown[i]!.l1 ? it.l1 : '',
      ...side('period', it.l2),
      ...side('annual', it.l2Right || it.l2),
    ], { kind: 'indicator', table, cols, horizon: 'both', l1Key: it.l1Key, l2Key: `${it.l1Key}/${it.level2}`, value: null, ...printed });
  });
}

// ------------------------------------------------------------------ after the table

function printReview(pr: Printer): void {
  if (pr.use('reviewRows') === 'off') return;
  const first = pr.layout.seed % V.REVIEW_ROWS.length;
  pr.sheet.row(V.REVIEW_ROWS[first]!, { kind: 'review' });
  if (pr.rand() < 0.5) pr.sheet.row(V.REVIEW_ROWS[(first + 1) % V.REVIEW_ROWS.length]!, { kind: 'review' });
}

const FILLERS = ['郑洁', '钱程', '冯雪'];

function printFooter(pr: Printer, p: ProjectModel): void {
  if (pr.use('footer') === 'off') return;
  pr.sheet.blank();
  // 填报人 is not the contract's manager (项目负责人 / 项目经办人); printed only where the head names
  // the manager, so a reader that took it would overwrite a printed fact.
  if (p.manager !== null) pr.sheet.row([`填报人：${pr.pick(FILLERS)}　联系电话：0835-6612345`], { kind: 'footer' });
  // Forms are filled in the year before their fiscal year: a trap for a year read off the page.
  pr.sheet.row([`填报日期：${pr.model.fiscalYear - 1}年${1 + (pr.layout.seed % 12)}月${1 + (pr.layout.seed % 28)}日`], { kind: 'footer' });
}

// ------------------------------------------------------------------ the document

function tableWidth(pr: Printer, p: ProjectModel): number {
  return p.horizons === 'both' && pr.layout.horizons === 'sideBySide' ? 7 : 4 + pr.layout.extras.length;
}

function printProject(pr: Printer, p: ProjectModel, k: number): ExpectedProject {
  const L = pr.layout;
  pr.sheet.project = k;
  const multi = pr.model.projects.length > 1;
  const oneTitle = multi && pr.use('projects') === 'oneTitle';
  if (k > 0) {
    const sep = pr.use('separator');
    if (sep === 'formFeed') pr.sheet.pageBreak();
    if (sep !== 'none') pr.sheet.blank();
  }
  // Under one title a 填报单位 line could be read as the previous project's: only with a title each.
  const agencyInLine = !oneTitle && pr.use('agencyLine') === 'on';
  if (k === 0 || !oneTitle) {
    if (k === 0 && pr.use('attachment') === 'attachment') pr.sheet.row(['附件2'], { kind: 'attachment' });
    titleLines(pr, p).forEach((l) => pr.sheet.row([l], { kind: 'title' }));
    pr.sheet.blank();
    if (agencyInLine) pr.sheet.row([pr.label('head.agency', 'head', pr.use('labelAgencyLine')) + p.agency], { kind: 'agencyLine' });
    if (L.money === 'line') pr.sheet.row([pr.pick(V.UNIT_LINE)(moneyUnit(pr))], { kind: 'unitLine' });
    if (agencyInLine || L.money === 'line') pr.sheet.blank();
  }
  const { first, rest } = headFields(pr, p, agencyInLine);
  const width = tableWidth(pr, p);
  printHead(pr, [first, ...rest], width);
  if (L.money === 'block') printMoneyBlock(pr, p);
  printGoals(pr, p);
  const exp = new Expectations();
  if (p.horizons === 'annual') printAnnualTable(pr, p, exp);
  else if (pr.use('horizons') === 'sideBySide') printSideBySide(pr, p, exp);
  else printStacked(pr, p, exp);
  printReview(pr);
  printFooter(pr, p);
  return {
    project_name: p.name,
    agency: p.agency,
    supervising_agency: p.supervising,
    fiscal_year: pr.model.fiscalYear,
    annual_budget_yuan: p.annualBudgetYuan,
    period_budget_yuan: p.periodBudgetYuan,
    manager: p.manager,
    indicators: exp.list,
  };
}

export function printForm(model: FormModel, layout: Layout): Printed {
  const pr = new Printer(layout, model);
  pr.tags.add(`projectCount=${model.projects.length}`);
  const expected = model.projects.map((p, k) => printProject(pr, p, k));
  return { text: pr.sheet.lines.join('\n') + '\n', expected, tags: [...pr.tags].sort(), rows: pr.sheet.rows };
}
