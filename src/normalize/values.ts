// The one value parser: printed targets (`≥95%`, `满意率95%以上`, `《=2500万`), money
// (`18,000.00` in 元, `25万元`), cost specs (`数量：1.00,单位：项,单价：…,金额：…`) and Suining's
// split comparator / value / unit columns. Pure functions; every contract example is a test.
import type { Comparator } from '../model/schema.js';
import { nfkc } from '../text/fold.js';

export interface Target {
  comparator: Comparator | null;
  value_num: number | null;
  value_unit: string | null;
}

export const TARGET_SETTINGS = {
  /** Characters of text around the number beyond which a value is prose, not a target. */
  maxProseLength: 24,
  /** The same, when no unit follows the number. */
  maxProseWithoutUnit: 6,
} as const;

export const QUALITATIVE: Target = { comparator: null, value_num: null, value_unit: null };

/** Units seen on the forms, longest first so `万元` wins over `万` and `人次` over `人`. */
export const KNOWN_UNITS = [
  '个工作日', '工作日', '万人次', '平方米', '万元', '亿元', '千元', '人次', '户次', '万人', '分钟', '小时', '个月',
  '公里', '人天', '次', '项', '个', '种', '人', '元', '万', '%', '‰', '年', '天', '日', '笔', '家', '盒', '卷',
  '册', '份', '件', '台', '套', '场', '期', '批', '户', '所', '辆', '条', '篇', '张', '名', '本', '月', '周', '分', '类', '级', '倍', '例',
].sort((a, b) => b.length - a.length);


/** Words before the number that set the comparator, longest first. */
const WORD_COMPARATORS: [string, Comparator][] = ([
  ['大于等于', '>='], ['大于或等于', '>='], ['不少于', '>='], ['不低于', '>='], ['不小于', '>='], ['至少', '>='],
  ['达到', '>='], ['达', '>='], ['小于等于', '<='], ['小于或等于', '<='], ['不超过', '<='], ['不高于', '<='],
  ['不多于', '<='], ['不大于', '<='], ['控制在', '<='], ['大于', '>'], ['超过', '>'], ['高于', '>'], ['多于', '>'],
  ['小于', '<'], ['低于', '<'], ['少于', '<'], ['等于', '='],
] as [string, Comparator][]).sort((a, b) => b[0].length - a[0].length);

const SUFFIX_COMPARATORS: [RegExp, Comparator][] = [
  [/^(及以上|以上)/, '>='],
  [/^(及以下|以下|以内|之内|内)/, '<='],
];

/** Printed comparator spellings, including OCR and typing slips (`《=` for ≤). */
function symbolComparator(s: string): Comparator | null {
  const t = s.replace(/\s+/g, '');
  if (/^(≥|>=|＞=|≧|》=|大于等于)$/.test(t)) return '>=';
  if (/^(≤|<=|＜=|≦|《=|〈=)$/.test(t)) return '<=';
  if (/^(>|＞|》)$/.test(t)) return '>';
  if (/^(<|＜|《|〈)$/.test(t)) return '<';
  if (/^(=|＝|==)$/.test(t)) return '=';
  return null;
}

const NUMBER = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;

interface NumberToken { start: number; end: number; value: number; unit: string | null; after: string }

/** Numbers that are not parts of dates (`2021年`, `12月`, `31日`, `2020-2021年度`). */
function numberTokens(text: string): NumberToken[] {
  const out: NumberToken[] = [];
  const re = new RegExp(NUMBER, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const raw = m[0];
    const start = m.index;
    const end = start + raw.length;
    const after = text.slice(end);
    const before = text.slice(0, start);
    if (/^\d{4}$/.test(raw) && /^(19|20)/.test(raw) && /^(\s*年|全年|年度|\s*[-–~至]\s*\d{4})/.test(after)) continue;
    if (/^\s*[-–~至]\s*\d{4}\s*年/.test(after) && /^(19|20)\d{2}$/.test(raw)) continue;
    if (/^(月|日|号|时\d|季度)/.test(after) && !/个$/.test(before)) continue;
    if (/^\s*[-–~]\s*\d+\s*月/.test(after)) continue; // `5-7月`: a month range
    if (/[-–~]\s*$/.test(before) && /\d\s*[-–~]\s*$/.test(before) && /^\s*月/.test(after)) continue;
    if (/^[:：.、]\s*\D/.test(after) && /(^|\s)$/.test(before) && /^\d$/.test(raw)) continue; // `1: ≥1次` list markers
    out.push({ start, end, value: Number(raw.replace(/,/g, '')), unit: unitAt(after), after });
  }
  return out;
}

const STOP_WORDS = ['及以上', '及以下', '以上', '以下', '以内', '之内', '左右', '之间', '内'];
const MAX_UNIT_LENGTH = 4;

/**
 * The unit printed right after a number: a symbol (`%`), or a short run of CJK characters that
 * ends where the value ends or a comparator word starts (`批次`, `个工作日` before `内`). A run
 * that goes on into prose (`余人的医疗…`) is no unit.
 */
function unitAt(after: string): string | null {
  const a = after.replace(/^\s+/, '');
  if (/^[%‰]/.test(a)) return a[0]!;
  let run = '';
  while (run.length < MAX_UNIT_LENGTH && /[\u3400-\u9fff]/.test(a[run.length] ?? '')) {
    if (STOP_WORDS.some((w) => a.startsWith(w, run.length))) break;
    run += a[run.length];
  }
  const rest = a.slice(run.length);
  const ends = rest === '' || STOP_WORDS.some((w) => rest.startsWith(w)) || !/^[\u3400-\u9fff]/.test(rest);
  if (run && ends) {
    // `元/人`: a rate keeps its denominator, which ends where a comparator word starts (`次/月以上`).
    const per = denominator(rest);
    return per ? run + per : run;
  }
  const known = KNOWN_UNITS.find((u) => a.startsWith(u));
  if (known) return known;
  // A rate with no unit before the stroke (`≤28.40/株`), and units in Latin letters (`10kV`, `2.5km`).
  if (!run) return denominator(a) ?? LATIN_UNIT.exec(a)?.[1] ?? null;
  return null;
}

/** Latin letters right after a number, up to where letters end (`kV`, `km`, `Mbps`, `t/h`). */
const LATIN_UNIT = /^([A-Za-zΩμ]{1,6}(?:\/[A-Za-z\u3400-\u9fff]{1,2})?)(?![A-Za-z])/;

/**
 * The denominator of a rate: `/人`, `/人*月` (per person and month), cut where a comparator word
 * starts (`/月以上`).
 */
function denominator(rest: string): string | null {
  const m = /^\/[\u3400-\u9fff]{1,2}(?:[*·•×][\u3400-\u9fff]{1,2})?/.exec(rest);
  if (!m) return null;
  let per = m[0];
  for (let k = 2; k < per.length; k++) if (STOP_WORDS.some((w) => rest.startsWith(w, k))) { per = per.slice(0, k); break; }
  return per.replace(/[*·•×]$/, '');
}

function comparatorBefore(before: string): Comparator | null {
  const sym = /(≥|>=|＞=|≧|》=|≤|<=|＜=|≦|《=|〈=|>|＞|》|<|＜|《|〈|=|＝)\s*$/.exec(before);
  if (sym) return symbolComparator(sym[1]!);
  const t = before.replace(/\s+$/, '');
  for (const [w, c] of WORD_COMPARATORS) if (t.endsWith(w)) return c;
  return null;
}

function comparatorAfter(after: string): Comparator | null {
  for (const [re, c] of SUFFIX_COMPARATORS) if (re.test(after)) return c;
  return null;
}

/**
 * A printed indicator value → comparator, number, unit. A value with one number (dates aside)
 * is quantitative; none, or several (`>38万人; >508万人`, `94%-98%`), is qualitative.
 */
const targets = new Map<string, Target>();

export function parseTarget(printed: string | null | undefined): Target {
  if (!printed) return QUALITATIVE;
  // Targets repeat (`≥95%`, `100%`, a side-by-side form prints each twice): read each text once.
  const seen = targets.get(printed);
  if (seen) return seen;
  // Shared between callers: frozen, so none can change another's reading.
  const got = Object.freeze(readTarget(printed));
  if (targets.size > 20_000) targets.clear();
  targets.set(Buffer.from(printed, 'utf8').toString('utf8'), got);
  return got;
}

function readTarget(printed: string): Target {
  const text = nfkc(printed).trim();
  const spec = parseCostSpec(text);
  if (spec) return { comparator: '=', value_num: spec.amount, value_unit: '元' };
  const tokens = numberTokens(text);
  if (tokens.length !== 1) return QUALITATIVE;
  const tok = tokens[0]!;
  // A bare number with a trailing range or ratio (`94%-98%`, `1:2`) is not one target.
  if (/^\s*%?\s*[-–~:：]\s*\d/.test(tok.after)) return QUALITATIVE;
  const unitLen = tok.unit ? tok.after.replace(/^\s+/, '').indexOf(tok.unit) + tok.unit.length + (tok.after.length - tok.after.replace(/^\s+/, '').length) : 0;
  const rest = tok.after.slice(unitLen).replace(/^\s+/, '');
  const before = text.slice(0, tok.start);
  const explicit = comparatorBefore(before);
  // Prose that merely mentions a number (`对…400余人的医疗补助费用进行审核`) is not a target.
  const prose = (before.length + rest.length) - (explicit ? 2 : 0);
  if (prose > TARGET_SETTINGS.maxProseLength || (tok.unit === null && prose > TARGET_SETTINGS.maxProseWithoutUnit)) return QUALITATIVE;
  const comparator = explicit ?? comparatorAfter(rest) ?? '=';
  return { comparator, value_num: tok.value, value_unit: tok.unit };
}

const NATURE: [RegExp, Comparator | null | 'quantitative'][] = [
  [/^(≥|>=|≧|大于等于|大于或等于|不低于|不少于|不小于)$/, '>='],
  [/^(≤|<=|≦|小于等于|小于或等于|不高于|不超过|不大于)$/, '<='],
  [/^(>|大于|高于|超过)$/, '>'],
  [/^(<|小于|低于)$/, '<'],
  [/^(=|等于)$/, '='],
  [/^(定性|定性指标)$/, null],
  // 定量 says only that the value is a number: its comparator is the value's own.
  [/^(定量|定量指标)$/, 'quantitative'],
];

/**
 * Suining's columns: 指标性质 (`≥`, `等于`, `定性`), 指标值, 度量单位. The nature sets the
 * comparator; the value cell may still carry its own unit (`2次`) or be a date.
 */
export function parseNatureValue(nature: string | null, value: string | null, unit: string | null): Target {
  const n = nfkc(nature ?? '').replace(/\s+/g, '');
  const known = NATURE.find(([re]) => re.test(n));
  if (known && known[1] === null) return QUALITATIVE;
  const comparator = known ? (known[1] === 'quantitative' ? null : known[1]) : symbolComparator(n);
  const v = parseTarget(value);
  const printedUnit = unit ? nfkc(unit).trim() : '';
  const u = printedUnit !== '' ? printedUnit : v.value_unit;
  if (v.value_num === null) return { comparator: comparator ?? null, value_num: null, value_unit: null };
  return { comparator: comparator ?? v.comparator, value_num: v.value_num, value_unit: u };
}

/** Whether a printed 指标性质 is one the parser knows (a comparator, 等于, 定性 …); empty counts as known. */
export function isKnownNature(nature: string | null): boolean {
  const n = nfkc(nature ?? '').replace(/\s+/g, '');
  return n === '' || NATURE.some(([re]) => re.test(n)) || symbolComparator(n) !== null;
}

export interface CostSpec { quantity: number | null; unit: string | null; unit_price: number | null; amount: number | null }

/** `数量：1.00,单位：项,单价：18000.00,金额：18000.00` (Mianyang's cost indicators), in 元. */
export function parseCostSpec(text: string): CostSpec | null {
  const t = nfkc(text);
  if (!/金额\s*:/.test(t) || !/(数量|单价)\s*:/.test(t)) return null;
  const field = (name: string) => new RegExp(`${name}\\s*:\\s*([^,，;；]*)`).exec(t)?.[1]?.trim() ?? null;
  const num = (s: string | null) => (s === null || s === '' ? null : toNumber(s));
  return { quantity: num(field('数量')), unit: field('单位') || null, unit_price: num(field('单价')), amount: num(field('金额')) };
}

/** A plain number as printed (`18,000.00`, `1 200`, `５.5`); null when it is not one. */
export function toNumber(text: string): number | null {
  const t = nfkc(text).replace(/[,\s]/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

export type MoneyUnit = '元' | '万元';

export const YUAN_PER: Record<MoneyUnit, number> = { 元: 1, 万元: 10_000 };

/** Rounds to fen so 4.63 × 10000 is 46300, not 46300.000000000004. */
export function roundYuan(n: number): number {
  return Math.round(n * 100) / 100;
}

export type MoneyParse = { yuan: number } | { empty: true } | { unreadable: string };

/**
 * Money as printed → yuan. An explicit unit in the text (`25万元`, `15000元`) wins over the
 * form's unit; a unit with no number (`万元`) is an empty amount, not an error.
 */
/** Money text compared in one form: half-width, no spaces, 萬/億 as 万/亿. */
function moneyText(printed: string): string {
  return nfkc(printed).replace(/\s+/g, '').replace(/萬/g, '万').replace(/億/g, '亿');
}

export function parseMoney(printed: string | null | undefined, formUnit: MoneyUnit): MoneyParse {
  if (printed === null || printed === undefined) return { empty: true };
  const t = moneyText(printed);
  if (t === '' || /^(万元|元|万|-|—|\/|无)$/.test(t)) return { empty: true };
  const m = /^(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)(万元|万|元|亿元)?[。.]?$/.exec(t);
  if (!m) return { unreadable: printed };
  const n = Number(m[1]!.replace(/,/g, ''));
  const unit = m[2];
  const factor = unit === '万元' || unit === '万' ? 10_000 : unit === '亿元' ? 100_000_000 : unit === '元' ? 1 : YUAN_PER[formUnit];
  return { yuan: roundYuan(n * factor) };
}

/** `单位：元`, `资金单位: 万元`, `(万元)` → the money unit, or null when the text names none. */
export function moneyUnitOf(text: string | null | undefined): MoneyUnit | null {
  if (!text) return null;
  const t = moneyText(text);
  if (/万元/.test(t)) return '万元';
  if (/(^|[:(])元($|[)])/.test(t) || t === '元') return '元';
  return null;
}

/** `2021-01-01至2021-12-31`, `2021-2023`, `2021年1月-2021年12月` → ISO start and end dates. */
export function parseDateRange(printed: string | null | undefined): { start: string | null; end: string | null } {
  if (!printed) return { start: null, end: null };
  const t = nfkc(printed);
  const sides = rangeSides(t.replace(/\s+/g, ''));
  if (sides) {
    const a = dateParts(sides[0], null);
    const b = a ? dateParts(sides[1], a.y) : null;
    if (a && b) {
      const start = iso(a.y, a.m ?? '1', a.d ?? '1');
      const endMonth = b.m ?? '12';
      const end = iso(b.y, endMonth, b.d ?? String(lastDay(Number(b.y), Number(endMonth))));
      if (start && end && start <= end) return { start, end };
    }
  }
  const full = [...t.matchAll(/((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*(?:[-./月]\s*(\d{1,2})\s*日?)?/g)];
  if (full.length >= 2) {
    const [a, b] = [full[0]!, full[full.length - 1]!];
    return {
      start: iso(a[1]!, a[2]!, a[3] ?? '1'),
      end: b[3] ? iso(b[1]!, b[2]!, b[3]) : iso(b[1]!, b[2]!, String(lastDay(Number(b[1]), Number(b[2])))),
    };
  }
  const years = /((?:19|20)\d{2})\s*[-–~至]\s*((?:19|20)\d{2})/.exec(t);
  if (years) return { start: `${years[1]}-01-01`, end: `${years[2]}-12-31` };
  return { start: null, end: null };
}

/**
 * The two dates of a range: split at 至 / 到 / ~ / a dash run, or at a `-` that a year follows
 * (`2023.01-2023.12`) or that follows 年 / 月 / 日 (`2023年1月1日-12月31日`); `-` inside a date
 * (`2023-01-01`) is not a split.
 */
function rangeSides(t: string): [string, string] | null {
  const word = t.split(/至|到|~|—+|–|--+/);
  if (word.length === 2) return [word[0]!, word[1]!];
  if (word.length > 2) return null;
  for (let k = t.indexOf('-'); k > 0; k = t.indexOf('-', k + 1)) {
    const right = t.slice(k + 1);
    if (/^(?:19|20)\d{2}(?:[年./-]|$)/.test(right) || /[年月日]$/.test(t.slice(0, k))) return [t.slice(0, k), right];
  }
  return null;
}

/** `2023年1月1日`, `2023.01`, `2023-01-01`, `12月31日` (the year inherited), `2023年度`. */
function dateParts(s: string, year: string | null): { y: string; m: string | null; d: string | null } | null {
  const m = /^(?:((?:19|20)\d{2})(?:年度?|[./-])?)?(?:(\d{1,2})(?:月份?|[./-])?(?:(\d{1,2})日?)?)?(?:底|末|止)?$/.exec(s);
  if (!m || (!m[1] && !m[2])) return null;
  const y = m[1] ?? year;
  if (!y) return null;
  return { y, m: m[2] ?? null, d: m[3] ?? null };
}

function iso(y: string, m: string, d: string): string | null {
  const mm = Number(m);
  const dd = Number(d);
  if (mm < 1 || mm > 12 || dd < 1 || dd > lastDay(Number(y), mm)) return null;
  return `${y}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}

function lastDay(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** `(2021年)`, `2022年市级预算…`, `（ 2020 年度）` → the fiscal year. */
export function yearOf(text: string | null | undefined): number | null {
  if (!text) return null;
  const t = nfkc(text).replace(/[〇零一二三四五六七八九]{4}(?=\s*年)/g, (y) => [...y].map((c) => '〇一二三四五六七八九'.indexOf(c === '零' ? '〇' : c)).join(''));
  // A mid-term form's `2023-2025年`: the budget year is the first.
  const m = /((?:19|20)\d{2})\s*(?:[-–~至]\s*(?:19|20)\d{2}\s*)?年/.exec(t);
  return m ? Number(m[1]) : null;
}

/** 正向 / 反向 → positive / negative. */
export function parseDirection(text: string | null | undefined): 'positive' | 'negative' | null {
  if (!text) return null;
  if (/正向|正/.test(text)) return 'positive';
  if (/反向|逆向|负向|反/.test(text)) return 'negative';
  return null;
}

/** The money unit an amount prints with itself (`25万元` → 万元, `18000元` → 元), or null. */
export function explicitMoneyUnit(printed: string): MoneyUnit | null {
  const t = moneyText(printed);
  const m = /(万元|万|亿元|元)[。.]?$/.exec(t);
  if (!m || !/\d/.test(t)) return null;
  return m[1] === '元' ? '元' : m[1] === '亿元' ? null : '万元';
}
