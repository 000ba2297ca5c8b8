// A random form *model*: what a performance-target document says, before any layout. Documents
// hold 1–4 projects; a project has its head facts and its indicators, each with the value it
// targets for the year (and for the mid-term, when the project has both horizons). Every value
// is drawn from VALUE_KINDS, which also says what the contract makes of it, so the expected
// records never come from the code under test.
//
// The model is built by fast-check from small "genes" (picks into the pools below) and resolved by
// pure functions, so shrinking a failing case removes projects and indicators and walks every
// pick towards the first, plainest entry.
import fc from 'fast-check';
import {
  ATTRIBUTE_VALUES, COMPARATOR_SUFFIXES, COMPARATOR_WORDS, LATEX_SIGNS, LEVEL2, QUALITATIVE_WORDS, SIGNS, TYPO_LESS_EQUAL,
  type Comparator, type Level2,
} from './vocabulary.js';

// ------------------------------------------------------------------ the model

/** What the contract makes of a printed value: a target, or qualitative text compared as printed. */
export type Expected =
  | { comparator: Comparator; num: number; unit: string }
  | { comparator: null; text: string };

export interface Presentation {
  /** The value cell. */
  cell: string;
  /** The 计量单位 cell beside it ('' when there is none to print). */
  unitCell: string;
  expect: Expected;
}

export interface ValueModel {
  kind: ValueKind;
  /** Printed with the unit in the value cell (no unit column). */
  inline: Presentation;
  /** Printed in a table with a 计量单位 column: the unit moved out of the value where it can be. */
  withUnitColumn: Presentation;
}

export interface IndicatorModel {
  level2: Level2;
  name: string;
  /** A name that is also a level-2 label without 指标 (`服务对象满意度` under 服务对象满意度指标). */
  labelLike: boolean;
  /** A rate (unit %): the only kind that takes a `（≥**%）` template hint in its name. */
  rate: boolean;
  annual: ValueModel | null;
  period: ValueModel | null;
}

export interface ProjectModel {
  name: string;
  agency: string;
  /** The department over the agency; its name is part of some titles. */
  department: string;
  supervising: string | null;
  manager: string | null;
  phone: string | null;
  annualBudgetYuan: number;
  periodBudgetYuan: number | null;
  attribute: string;
  /** `both`: the form gives mid-term and annual targets (side by side or stacked). */
  horizons: 'annual' | 'both';
  /** In taxonomy order, names unique within the project. */
  indicators: IndicatorModel[];
  annualGoal: string;
  periodGoal: string;
}

export interface FormModel {
  fiscalYear: number;
  region: string;
  projects: ProjectModel[];
}

// ------------------------------------------------------------------ content pools

/** Regions of no seed family, so only the layout decides which family reads a form. */
export const REGIONS: readonly string[] = ['某某县', '青山县', '白水县', '云溪区', '临江市', '东平县', '西河区', '南湖新区'];

interface Department { name: string; units: readonly string[]; projects: readonly string[] }

const DEPARTMENTS: readonly Department[] = [
  { name: '教育局', units: ['第一中学', '教育事业发展中心'], projects: ['义务教育薄弱环节改善与能力提升补助资金', '学生营养改善计划专项资金', '中小学校舍维修改造工程', '乡村教师培训经费'] },
  { name: '卫生健康委员会', units: ['疾病预防控制中心', '人民医院'], projects: ['基本公共卫生服务补助资金', '重大传染病防控经费', '乡村医生补助经费'] },
  { name: '农业农村局', units: ['农业技术推广中心', '动物疫病预防控制中心'], projects: ['高标准农田建设项目', '动物疫病强制免疫补助经费', '农产品质量安全监测经费'] },
  { name: '民政局', units: ['社会福利院', '社会救助服务中心'], projects: ['城乡最低生活保障资金', '特困人员救助供养经费', '居家养老服务补贴'] },
  { name: '医疗保障局', units: ['医疗保障事务中心'], projects: ['城乡医疗救助资金', '医保经办业务经费'] },
  { name: '住房和城乡建设局', units: ['城市建设服务中心'], projects: ['老旧小区改造配套设施', '城市道路维护经费', '农村危房改造补助'] },
  { name: '交通运输局', units: ['公路管理段'], projects: ['农村公路养护工程', '城乡客运站建设'] },
  { name: '文化和旅游局', units: ['图书馆', '文化馆'], projects: ['文化惠民演出经费', '公共图书馆免费开放补助'] },
  { name: '水利局', units: ['水利工程管理站'], projects: ['农村饮水安全巩固提升工程', '中小河流治理项目'] },
  { name: '人力资源和社会保障局', units: ['就业服务中心'], projects: ['职业技能培训补贴', '公益性岗位补贴资金'] },
  { name: '生态环境局', units: ['环境监测站'], projects: ['大气污染防治专项资金', '污水处理设施运维经费'] },
];

const PEOPLE: readonly string[] = ['张伟', '王芳', '李强', '刘洋', '陈静', '杨帆', '赵磊', '黄敏', '周杰', '吴琳', '徐涛', '孙丽', '马超', '朱红', '胡斌', '林峰'];

/**
 * What an indicator measures. `unit` '' marks a subject that only takes qualitative values;
 * `cmp` the comparators that read naturally for it; `short` the word some forms put before the
 * number (`满意度≥95%`); `noun` the subject of a sentence value (`人均年支出<4.63万元。`).
 */
interface Subject {
  level2: Level2;
  name: string;
  unit: string;
  min: number;
  max: number;
  /** Decimal places the number may have. */
  decimals: number;
  cmp: readonly Comparator[];
  short?: string;
  noun?: string;
  qualitative?: readonly string[];
  labelLike?: boolean;
}

const RATE = { unit: '%', min: 80, max: 100, decimals: 1, cmp: ['>=', '=', '>'] as const };
const TIME = { min: 1, max: 30, decimals: 0, cmp: ['<=', '<', '='] as const };
const COUNT = { decimals: 0, cmp: ['>=', '=', '>'] as const };
const COST = { decimals: 2, cmp: ['<=', '=', '<'] as const };

export const SUBJECTS: readonly Subject[] = [
  { level2: '数量指标', name: '培训人次', unit: '人次', min: 100, max: 5000, ...COUNT },
  { level2: '数量指标', name: '发放补助户数', unit: '户', min: 50, max: 3000, ...COUNT },
  { level2: '数量指标', name: '改造小区数量', unit: '个', min: 1, max: 30, ...COUNT },
  { level2: '数量指标', name: '购置设备数量', unit: '台', min: 1, max: 50, ...COUNT },
  { level2: '数量指标', name: '开展宣传活动次数', unit: '次', min: 2, max: 20, ...COUNT },
  { level2: '数量指标', name: '新建道路长度', unit: '公里', min: 1, max: 50, ...COUNT, decimals: 1 },
  { level2: '数量指标', name: '覆盖人口', unit: '万人', min: 1, max: 90, ...COUNT, decimals: 2 },
  { level2: '数量指标', name: '印发宣传资料', unit: '份', min: 500, max: 20000, ...COUNT },
  { level2: '数量指标', name: '完成项目数', unit: '项', min: 1, max: 12, ...COUNT },
  { level2: '数量指标', name: '资助学生人数', unit: '人', min: 100, max: 5000, ...COUNT },
  { level2: '数量指标', name: '走访慰问次数', unit: '次/月', min: 1, max: 4, ...COUNT },
  { level2: '质量指标', name: '验收合格率', ...RATE, short: '合格率' },
  { level2: '质量指标', name: '资金使用合规率', ...RATE },
  { level2: '质量指标', name: '设备完好率', ...RATE },
  { level2: '质量指标', name: '培训考核合格率', ...RATE, short: '合格率' },
  { level2: '质量指标', name: '补助发放准确率', ...RATE, short: '准确率' },
  { level2: '质量指标', name: '工程质量', unit: '', min: 0, max: 0, decimals: 0, cmp: [], qualitative: ['优良', '合格', '达到国家标准'] },
  { level2: '质量指标', name: '安全事故发生次数', unit: '次', min: 0, max: 0, decimals: 0, cmp: ['=', '<='] },
  { level2: '时效指标', name: '资金拨付及时率', ...RATE, short: '及时率' },
  { level2: '时效指标', name: '问题处理时限', unit: '个工作日', ...TIME },
  { level2: '时效指标', name: '补助发放时限', unit: '天', ...TIME },
  { level2: '时效指标', name: '应急响应时间', unit: '分钟', min: 10, max: 120, decimals: 0, cmp: ['<=', '<'] },
  { level2: '时效指标', name: '项目完成时间', unit: '', min: 0, max: 0, decimals: 0, cmp: [], qualitative: ['按计划实施', '按时完成', '及时'] },
  { level2: '成本指标', name: '项目总成本', unit: '万元', min: 5, max: 900, ...COST, noun: '项目总支出' },
  { level2: '成本指标', name: '人均补助标准', unit: '元/人', min: 100, max: 3000, ...COST, decimals: 0 },
  { level2: '成本指标', name: '人均年支出', unit: '万元', min: 1, max: 9, ...COST, noun: '人均年支出' },
  { level2: '成本指标', name: '设备购置成本', unit: '万元', min: 1, max: 300, ...COST },
  { level2: '成本指标', name: '成本控制', unit: '', min: 0, max: 0, decimals: 0, cmp: [], qualitative: ['控制在预算内', '不超预算'] },
  { level2: '经济效益指标', name: '带动就业人数', unit: '人', min: 10, max: 800, ...COUNT },
  { level2: '经济效益指标', name: '带动农户增收', unit: '万元', min: 10, max: 500, ...COUNT, decimals: 1 },
  { level2: '经济效益指标', name: '经济效益', unit: '', min: 0, max: 0, decimals: 0, cmp: [], qualitative: ['逐步显现', '明显提升'], labelLike: true },
  { level2: '社会效益指标', name: '政策知晓率', ...RATE, short: '知晓率' },
  { level2: '社会效益指标', name: '受益群众人数', unit: '万人', min: 1, max: 60, ...COUNT, decimals: 1 },
  { level2: '社会效益指标', name: '群众生活条件', unit: '', min: 0, max: 0, decimals: 0, cmp: [], qualitative: ['明显改善', '有效提升'] },
  { level2: '社会效益指标', name: '社会效益', unit: '', min: 0, max: 0, decimals: 0, cmp: [], qualitative: ['明显提升', '影响程度明显'], labelLike: true },
  { level2: '生态效益指标', name: '绿化覆盖率', ...RATE, min: 30, max: 60 },
  { level2: '生态效益指标', name: '污水处理率', ...RATE, short: '处理率' },
  { level2: '生态效益指标', name: '生态环境', unit: '', min: 0, max: 0, decimals: 0, cmp: [], qualitative: ['逐步改善', '持续向好'] },
  { level2: '可持续影响指标', name: '长效管理机制', unit: '', min: 0, max: 0, decimals: 0, cmp: [], qualitative: ['持续完善', '基本建立', '长期'] },
  { level2: '可持续影响指标', name: '设施持续使用年限', unit: '年', min: 3, max: 20, ...COUNT },
  { level2: '可持续影响指标', name: '可持续影响', unit: '', min: 0, max: 0, decimals: 0, cmp: [], qualitative: ['长期', '持续发挥作用'], labelLike: true },
  { level2: '服务对象满意度指标', name: '群众满意度', ...RATE, short: '满意度' },
  { level2: '服务对象满意度指标', name: '参保人员满意率', ...RATE, short: '满意率' },
  { level2: '服务对象满意度指标', name: '受益农户满意度', ...RATE, short: '满意度' },
  { level2: '服务对象满意度指标', name: '服务对象满意度', ...RATE, short: '满意度', labelLike: true },
  { level2: '服务对象满意度指标', name: '满意度', ...RATE, short: '满意率', labelLike: true },
];

// ------------------------------------------------------------------ value kinds

/**
 * The value table: one row per way a target is printed (CONTRACT.md's table, LABELS.md "value
 * formats"), each with what the contract makes of it. Only kinds whose reading the README's
 * "Values" rule settles: one number with at most a short phrase is a target (bare number `=`,
 * 达/达到 `>=`, 以内/内 `<=`); several numbers, a range or prose are qualitative. No dates.
 */
export const VALUE_KINDS = [
  'unicodeSign', //   ≥95%          → >= 95 %
  'asciiSign', //     >=95%, <=3天  → >= 95 %
  'altSign', //       ≧95%, ＞＝95%  → >= 95 %
  'bare', //          95%, 4次      → = 95 %
  'decimals', //      1.00项        → = 1 项
  'noUnit', //        =3            → = 3 (no unit)
  'prefixed', //      满意度≥95%     → >= 95 %
  'suffixWord', //    95%以上, 3个工作日内 → >= / <=
  'subjectSuffix', // 满意率95%以上  → >= 95 %
  'prefixWord', //    达到90%, 不低于90%, 大于等于90%
  'latex', //         $\geq 95\%$   → >= 95 %
  'typoLessEqual', // 《=2500万     → <= 2500 万
  'sentence', //      人均年支出<4.63万元。 → < 4.63 万元
  'thousands', //     ≥1,200人      → >= 1200 人
  'fullWidth', //     ≥９５％        → >= 95 %
  'word', //          及时, 程度较高  → qualitative
  'range', //         94%-98%       → qualitative
  'multi', //         >38万人；>508万人 → qualitative
  'prose', //         a sentence that mentions a number → qualitative
] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

/** The raw picks a value is resolved from (so they shrink to the plainest value). */
export interface ValueGenes { kind: ValueKind; a: number; b: number; c: number }

const pickOf = <T>(list: readonly T[], n: number): T => list[n % list.length]!;

/** `n` with exactly `decimals` places when asked, else as short as it is. */
function numberText(n: number, fixed?: number): string {
  return fixed === undefined ? String(n) : n.toFixed(fixed);
}

/** A number within the subject's range, with at most its decimal places (so 95, 98.5). */
function numberOf(s: Subject, pick: number): number {
  const scale = 10 ** s.decimals;
  const steps = Math.max(1, Math.round((s.max - s.min) * scale) + 1);
  return Math.round((s.min * scale + (pick % steps))) / scale;
}

const TIME_UNITS = new Set(['个工作日', '天', '分钟', '小时', '个月']);
const toFullWidth = (s: string) => s.replace(/[0-9%.]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));

function target(comparator: Comparator, num: number, unit: string): Expected {
  return { comparator, num, unit };
}

function qualitative(text: string): Expected {
  return { comparator: null, text };
}

/** A value whose unit sits at its end can lose the unit to a 计量单位 column. */
function movable(kind: ValueKind, before: string, num: string, unit: string, expect: Expected): ValueModel {
  return {
    kind,
    inline: { cell: before + num + unit, unitCell: '', expect },
    withUnitColumn: { cell: before + num, unitCell: unit, expect },
  };
}

/** A value printed whole in both layouts; a unit column, when there is one, repeats its unit. */
function fixed(kind: ValueKind, cell: string, expect: Expected): ValueModel {
  const unitCell = expect.comparator === null ? '' : expect.unit;
  return { kind, inline: { cell, unitCell: '', expect }, withUnitColumn: { cell, unitCell, expect } };
}

/**
 * The value of `kind` for `s`, or null when the kind does not fit the subject (a `%` format for
 * a count, a time suffix for a rate); the caller then falls back to a plain sign.
 */
function valueOfKind(s: Subject, g: ValueGenes): ValueModel | null {
  const quantitative = s.unit !== '';
  const cmp = s.cmp.length ? pickOf(s.cmp, g.b) : '=';
  const n = numberOf(s, g.a);
  const sign = (style: keyof typeof SIGNS, c: Comparator) => pickOf(SIGNS[style][c], g.c);
  const isRate = s.unit === '%';
  switch (g.kind) {
    case 'unicodeSign':
    case 'asciiSign':
    case 'altSign': {
      if (!quantitative) return null;
      const style = g.kind === 'unicodeSign' ? 'unicode' : g.kind === 'asciiSign' ? 'ascii' : 'alt';
      return movable(g.kind, sign(style, cmp), numberText(n), s.unit, target(cmp, n, s.unit));
    }
    case 'bare':
      return quantitative ? movable('bare', '', numberText(n), s.unit, target('=', n, s.unit)) : null;
    case 'decimals':
      return quantitative && s.decimals === 0 ? movable('decimals', '', numberText(n, 2), s.unit, target('=', n, s.unit)) : null;
    case 'noUnit': {
      // `=3`: no unit printed, so none expected — unless a 计量单位 column gives it.
      if (!quantitative || isRate) return null;
      const cell = `=${numberText(n)}`;
      return {
        kind: 'noUnit',
        inline: { cell, unitCell: '', expect: target('=', n, '') },
        withUnitColumn: { cell, unitCell: s.unit, expect: target('=', n, s.unit) },
      };
    }
    case 'prefixed':
      return s.short ? movable('prefixed', s.short + sign('unicode', cmp), numberText(n), s.unit, target(cmp, n, s.unit)) : null;
    case 'suffixWord': {
      if (!quantitative) return null;
      if (TIME_UNITS.has(s.unit) && g.b % 2 === 0) return fixed('suffixWord', `${numberText(n)}${s.unit}内`, target('<=', n, s.unit));
      // An upper bound for what should stay low (times, costs, incidents), a floor otherwise.
      const c: '>=' | '<=' = s.cmp.includes('<=') && !s.cmp.includes('>=') ? '<=' : '>=';
      return fixed('suffixWord', `${numberText(n)}${s.unit}${pickOf(COMPARATOR_SUFFIXES[c], g.c)}`, target(c, n, s.unit));
    }
    case 'subjectSuffix':
      return isRate && s.short ? fixed('subjectSuffix', `${s.short}${numberText(n)}%以上`, target('>=', n, '%')) : null;
    case 'prefixWord': {
      if (!quantitative || cmp === '=') return null;
      return movable('prefixWord', pickOf(COMPARATOR_WORDS[cmp], g.c), numberText(n), s.unit, target(cmp, n, s.unit));
    }
    case 'latex': {
      const tex = LATEX_SIGNS[cmp];
      return isRate && tex ? fixed('latex', `$${tex} ${numberText(n)}\\%$`, target(cmp, n, '%')) : null;
    }
    case 'typoLessEqual':
      return s.unit === '万元' ? fixed('typoLessEqual', `${TYPO_LESS_EQUAL}${numberText(n)}万`, target('<=', n, '万')) : null;
    case 'sentence': {
      if (!s.noun) return null;
      return fixed('sentence', `${s.noun}${sign('unicode', cmp)}${numberText(n)}${s.unit}。`, target(cmp, n, s.unit));
    }
    case 'thousands': {
      if (!quantitative || s.decimals > 0 || s.max < 1000) return null;
      const big = 1000 + (g.a % 90000);
      return movable('thousands', sign('unicode', cmp), big.toLocaleString('en-US'), s.unit, target(cmp, big, s.unit));
    }
    case 'fullWidth':
      return isRate ? movable('fullWidth', sign('unicode', cmp), toFullWidth(numberText(n)), toFullWidth('%'), target(cmp, n, '%')) : null;
    case 'word': {
      const text = s.qualitative ? pickOf(s.qualitative, g.a) : pickOf(QUALITATIVE_WORDS, g.a);
      return fixed('word', text, qualitative(text));
    }
    case 'range': {
      if (!isRate) return null;
      const lo = Math.min(90, 60 + (g.a % 30));
      const text = `${lo}%-${lo + 1 + (g.b % 8)}%`;
      return fixed('range', text, qualitative(text));
    }
    case 'multi': {
      if (!quantitative || s.decimals > 0) return null;
      const sep = pickOf(['；', '; ', '，'], g.c);
      const text = `${sign('unicode', cmp)}${n}${s.unit}${sep}${sign('unicode', cmp)}${n + 1 + (g.b % 50)}${s.unit}`;
      return fixed('multi', text, qualitative(text));
    }
    case 'prose': {
      const text = `通过项目实施，预计惠及辖区内${100 + (g.a % 900)}余户困难群众，${s.name}相关工作得到群众广泛认可并持续改善`;
      return fixed('prose', text, qualitative(text));
    }
  }
}

export function resolveValue(s: Subject, g: ValueGenes): ValueModel {
  return (
    valueOfKind(s, g) ??
    valueOfKind(s, { ...g, kind: s.unit === '' ? 'word' : 'unicodeSign' })!
  );
}

// ------------------------------------------------------------------ genes → model

interface IndicatorGenes { subject: number; annual: ValueGenes; period: ValueGenes; presence: 'both' | 'annualOnly' | 'periodOnly' }

interface ProjectGenes {
  department: number;
  project: number;
  agencyIsUnit: boolean;
  unit: number;
  supervising: boolean;
  manager: number | null;
  phone: number | null;
  annualCents: number;
  periodFactor: number | null;
  attribute: number;
  horizons: 'annual' | 'both';
  indicators: IndicatorGenes[];
}

export interface ModelOptions {
  /** Restrict values to these kinds (PROPERTY_FIX=valueKind=…); a kind that does not fit a subject falls back. */
  kinds?: readonly ValueKind[];
  /** Pin whether documents may name indicators like a level-2 label (`服务对象满意度`); else one in four does. */
  labelLikeNames?: boolean;
  /** Draw only annual-horizon projects (`annual`) or only two-horizon ones (`both`). */
  horizons?: 'annual' | 'both';
  maxProjects?: number;
}

function valueGenesArb(kinds: readonly ValueKind[]): fc.Arbitrary<ValueGenes> {
  return fc.record({ kind: fc.constantFrom(...kinds), a: fc.nat({ max: 100000 }), b: fc.nat({ max: 1000 }), c: fc.nat({ max: 1000 }) });
}

function indicatorGenesArb(kinds: readonly ValueKind[]): fc.Arbitrary<IndicatorGenes> {
  return fc.record({
    subject: fc.nat({ max: SUBJECTS.length - 1 }),
    annual: valueGenesArb(kinds),
    period: valueGenesArb(kinds),
    presence: fc.oneof(
      { withCrossShrink: true },
      { arbitrary: fc.constant('both' as const), weight: 6 },
      { arbitrary: fc.constant('annualOnly' as const), weight: 1 },
      { arbitrary: fc.constant('periodOnly' as const), weight: 1 },
    ),
  });
}

function projectGenesArb(opts: ModelOptions): fc.Arbitrary<ProjectGenes> {
  const kinds = opts.kinds ?? VALUE_KINDS;
  return fc.record({
    department: fc.nat({ max: DEPARTMENTS.length - 1 }),
    project: fc.nat({ max: 20 }),
    agencyIsUnit: fc.boolean(),
    unit: fc.nat({ max: 5 }),
    supervising: fc.boolean(),
    manager: fc.option(fc.nat({ max: PEOPLE.length - 1 }), { freq: 3 }),
    phone: fc.option(fc.nat({ max: 9_999_999 }), { freq: 2 }),
    // Yuan in whole hundreds, so an amount in 万元 has at most two decimals (5,000 yuan – 50 million).
    annualCents: fc.integer({ min: 50, max: 500_000 }),
    periodFactor: fc.option(fc.integer({ min: 2, max: 5 }), { freq: 2 }),
    attribute: fc.nat({ max: ATTRIBUTE_VALUES.length - 1 }),
    horizons: opts.horizons
      ? fc.constant(opts.horizons)
      : fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant('annual' as const), weight: 3 }, { arbitrary: fc.constant('both' as const), weight: 2 }),
    indicators: fc.array(indicatorGenesArb(kinds), { minLength: 1, maxLength: 12 }),
  });
}

const ORDER = new Map<Level2, number>(LEVEL2.map((l, i) => [l, i]));

/** The subject, or, where the document names no indicator like a level-2 label, the first plain one of its level 2. */
function subjectOf(pick: number, labelLike: boolean): Subject {
  const s = SUBJECTS[pick]!;
  return s.labelLike && !labelLike ? SUBJECTS.find((x) => x.level2 === s.level2 && !x.labelLike)! : s;
}

function resolveIndicators(genes: IndicatorGenes[], horizons: 'annual' | 'both', labelLike: boolean): IndicatorModel[] {
  const seen = new Set<string>();
  const out: IndicatorModel[] = [];
  for (const g of genes) {
    const s = subjectOf(g.subject, labelLike);
    if (seen.has(s.name)) continue; // one indicator per name: a fact list with duplicates says less
    seen.add(s.name);
    const presence = horizons === 'annual' ? 'annualOnly' : g.presence;
    out.push({
      level2: s.level2,
      name: s.name,
      labelLike: s.labelLike === true,
      rate: s.unit === '%',
      annual: presence === 'periodOnly' ? null : resolveValue(s, g.annual),
      period: presence === 'annualOnly' ? null : resolveValue(s, g.period),
    });
  }
  // Forms print indicators grouped by level 2 in the taxonomy's order; the sort is stable.
  return out.sort((x, y) => ORDER.get(x.level2)! - ORDER.get(y.level2)!);
}

function resolveProject(g: ProjectGenes, region: string, taken: Set<string>, labelLike: boolean): ProjectModel {
  const dept = DEPARTMENTS[g.department]!;
  // A document never holds one project name twice: take the next free one.
  const all = DEPARTMENTS.flatMap((d) => d.projects);
  let name = pickOf(dept.projects, g.project);
  for (let k = 0; taken.has(name); k++) name = all[(all.indexOf(name) + 1 + k) % all.length]!;
  taken.add(name);
  const department = region + dept.name;
  const annualBudgetYuan = g.annualCents * 100;
  const manager = g.manager === null ? null : PEOPLE[g.manager]!;
  return {
    name,
    department,
    agency: g.agencyIsUnit ? region + pickOf(dept.units, g.unit) : department,
    supervising: g.supervising ? department : null,
    manager,
    phone: manager !== null && g.phone !== null ? `0${816 + (g.phone % 80)}-${String(2000000 + g.phone).slice(0, 7)}` : null,
    annualBudgetYuan,
    periodBudgetYuan: g.periodFactor === null ? null : annualBudgetYuan * g.periodFactor,
    attribute: ATTRIBUTE_VALUES[g.attribute]!,
    horizons: g.horizons,
    indicators: resolveIndicators(g.indicators, g.horizons, labelLike),
    annualGoal: `完成${name}年度各项任务，资金按进度拨付到位，服务对象满意度达到90%以上。`,
    periodGoal: `通过三年实施，${name}覆盖面持续扩大，长效管理机制基本建立。`,
  };
}

export function formArb(opts: ModelOptions = {}): fc.Arbitrary<FormModel> {
  return fc
    .record({
      fiscalYear: fc.integer({ min: 2019, max: 2026 }),
      region: fc.nat({ max: REGIONS.length - 1 }),
      projects: fc.array(projectGenesArb(opts), { minLength: 1, maxLength: opts.maxProjects ?? 4 }),
      // Names like 服务对象满意度 are one variation among many: in one document in four, not in most.
      labelLike: opts.labelLikeNames !== undefined
        ? fc.constant(opts.labelLikeNames)
        : fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }),
    })
    .map(({ fiscalYear, region, projects, labelLike }) => {
      const r = REGIONS[region]!;
      const taken = new Set<string>();
      return { fiscalYear, region: r, projects: projects.map((p) => resolveProject(p, r, taken, labelLike)) };
    });
}
