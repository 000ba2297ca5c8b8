// The one label matcher every reader shares, over the vocabulary (vocabulary.ts) and the table
// header labels (table/roles.ts). It tolerates the layout and OCR noise the archive is full of:
// spaces inside labels (`绩 效 指 标`), additions in brackets (`指标值（包含数字及文字描述）`,
// `指标值一包含数字及文字描述)` where OCR read the opening bracket as 一), marks (`*指标值`),
// traditional forms, misreads scored by their length and by the confusions OCR is known for
// (`指标伹` is 指标值, `坝目名称` is 项目名称), fragments a page break leaves (`可持续`), and
// funding labels cut short by a narrow cell (`财政资`).
import type { Horizon } from '../model/schema.js';
import { fold, weightedEditDistance } from '../text/fold.js';
import { substitutionCost } from './confusions.js';
import { ROLE_SPECS, type Role } from './table/roles.js';
import { LEVEL2_FRAGMENTS, VOCABULARY, type Meaning } from './vocabulary.js';

export type { FieldKey, Meaning } from './vocabulary.js';
export { LEVEL1_OF } from './vocabulary.js';

/** A table heading's meaning: the role of the column it stands over. */
export type ColumnMeaning = { kind: 'column'; role: Role; horizon: Horizon | null };
export type AnyMeaning = Meaning | ColumnMeaning;
export type LabelKind = AnyMeaning['kind'];

/** How a text was read as a label: as printed, or through which repair. */
export type LabelHow = 'exact' | 'spaced' | 'bracketed' | 'fuzzy' | 'fragment' | 'prefix';

export interface LabelHit {
  meaning: AnyMeaning;
  /** The vocabulary spelling the text was matched to. */
  label: string;
  how: LabelHow;
  /** Text in brackets after the label (`项目资金(万元)` → `万元`), for units. */
  bracket: string | null;
  /** Weighted edits of a fuzzy reading (0 otherwise). */
  cost: number;
  /** Rank of the spelling within its meaning: the vocabulary's order, earlier wins. */
  rank: number;
}

export const MATCH_SETTINGS = {
  /** Longest folded text that can be a label; longer text is content, read at one length check. */
  maxLabelLength: 24,
  /** Weighted edits allowed by folded label length: 1 for 4–7 characters, 2 from 8. */
  maxCostShort: 1,
  maxCostLong: 2,
  minLenLong: 8,
  /** A 3-character label may be one known confusion off; in a table header, one arbitrary edit. */
  maxCostThree: 0.5,
  maxCostThreeInHeader: 1,
  /** Two-character labels only through a known confusion. */
  maxCostTwo: 0.5,
  /** The second-best meaning must be this much further off for a fuzzy reading to count. */
  minMargin: 0.5,
  /** A cut-short funding label must keep at least this share of the label (or be unambiguous). */
  minPrefixShare: 0.6,
  /** … and at least this many characters; a cut header heading (`一级`) at least two. */
  minPrefixLength: 3,
  minHeaderPrefixLength: 2,
} as const;

const MARKS = /^[*＊★☆※●◆■▲△·•]+/;
const POINTS = /[(（]\d+(?:\.\d+)?(?:[-–~]\d+(?:\.\d+)?)?分?[)）]分?$/;
const OPEN = '(（《〈【[〔{';
const CLOSE = ')）》〉】]〕}';
const BRACKETED = /[(《〈【[〔{]([^()《》〈〉【】[\]〔〕{}]*)[)》〉】\]〕}]/g;

export interface LabelKey {
  key: string;
  bracket: string | null;
  /** Whether brackets (balanced or broken) were cut from the text. */
  bracketed: boolean;
  /** Whether the printed label had spaces inside it. */
  spaced: boolean;
}

/**
 * `项目资金 (万元)：` → key `项目资金`, bracket `万元`; list numbers (`1.`, `（一）`) and marks
 * (`*`, `★`) dropped; a text wholly in brackets (`（盖章）`) is its inside.
 */
export function labelKey(text: string): LabelKey {
  const trimmed = text.trim();
  const spaced = /\S[\s\u3000]+\S/.test(trimmed);
  // Scored templates print the points in the label: `产出指标（40-50）分`, `效益指标(30分)`.
  let f = fold(trimmed).replace(/[:;,.、。]+$/, '').replace(MARKS, '').replace(POINTS, '');
  let bracket: string | null = null;
  let bracketed = false;
  // OCR mixes bracket shapes (`指标值《包含数字及文字描述)`): any opener with any closer.
  const unbracketed = f.replace(BRACKETED, (_m, inner: string) => {
    bracket ??= inner;
    bracketed = true;
    return '';
  });
  if (unbracketed === '' && bracket !== null) f = bracket;
  else f = unbracketed;
  // An addition cut off by a page or a narrow cell (`产出指标（50`) leaves its opening bracket.
  const cut = /^(.{2,}?)[(《〈【[〔{][^)》〉】\]〕}]*$/.exec(f);
  if (cut) {
    bracket ??= f.slice(cut[1]!.length + 1);
    bracketed = true;
    f = cut[1]!;
  }
  // A list number OCR read as a stroke (`1.一般公共…` → `|一般公共…`) goes with the numbers.
  f = f.replace(/^(?:\d+[.、]|(?:[|!]\.?|[lI]\.)(?=[\u3400-\u9fff])|[(]?[一二三四五六七八九十]+[)、.])/, '').replace(/^其中:?/, (m) => (f.length > m.length ? '' : m));
  return { key: f.replace(/[:]+$/, '').replace(MARKS, ''), bracket, bracketed, spaced };
}

interface IndexEntry { label: string; folded: string; meaning: AnyMeaning; rank: number }

function buildIndex(): IndexEntry[] {
  const out: IndexEntry[] = [];
  const ranks = new Map<string, number>();
  const add = (label: string, meaning: AnyMeaning) => {
    const id = JSON.stringify(meaning);
    const rank = ranks.get(id) ?? 0;
    ranks.set(id, rank + 1);
    out.push({ label, folded: labelKey(label).key, meaning, rank });
  };
  for (const [label, meaning] of VOCABULARY) add(label, meaning);
  for (const spec of ROLE_SPECS) for (const label of spec.labels) add(label, { kind: 'column', role: spec.role, horizon: spec.horizon ?? null });
  return out;
}

const INDEX = buildIndex();
const EXACT = new Map<string, IndexEntry[]>();
for (const e of INDEX) EXACT.set(e.folded, [...(EXACT.get(e.folded) ?? []), e]);
/** Spellings by length: a fuzzy reading is looked for among labels within two characters of it. */
const BY_LENGTH = new Map<number, IndexEntry[]>();
for (const e of INDEX) BY_LENGTH.set(e.folded.length, [...(BY_LENGTH.get(e.folded.length) ?? []), e]);
const CHARS = new Map(INDEX.map((e) => [e, new Set(e.folded)]));

/** The largest weighted edit count a fuzzy reading of a label this long may take. */
function maxCost(len: number, inHeader: boolean): number {
  const s = MATCH_SETTINGS;
  if (len <= 2) return s.maxCostTwo;
  if (len === 3) return inHeader ? s.maxCostThreeInHeader : s.maxCostThree;
  return len >= s.minLenLong ? s.maxCostLong : s.maxCostShort;
}

interface Computed { exact: LabelHit[]; fuzzy: LabelHit[]; fragment: LabelHit[]; prefix: IndexEntry[] }

const cache = new Map<string, Computed>();
const CACHE_LIMIT = 20_000;

const hit = (e: IndexEntry, how: LabelHow, bracket: string | null, cost = 0): LabelHit => ({ meaning: e.meaning, label: e.label, how, bracket, cost, rank: e.rank });

function compute(k: LabelKey): Computed {
  const { key, bracket } = k;
  const out: Computed = { exact: [], fuzzy: [], fragment: [], prefix: [] };
  const exactHow: LabelHow = k.bracketed ? 'bracketed' : k.spaced ? 'spaced' : 'exact';
  for (const e of EXACT.get(key) ?? []) out.exact.push(hit(e, exactHow, bracket));
  const frag = LEVEL2_FRAGMENTS[key];
  if (frag) {
    const e = INDEX.find((x) => x.meaning.kind === 'level2' && x.meaning.key === frag)!;
    out.fragment.push(hit(e, 'fragment', bracket));
  }
  if (out.exact.length === 0 && key.length >= 2) {
    // Every meaning's closest spelling, each within what its own length allows (the header
    // allowance, the widest, is stored; narrower contexts filter again).
    const best = new Map<string, LabelHit>();
    const near: IndexEntry[] = [];
    for (let len = key.length - 2; len <= key.length + 2; len++) near.push(...(BY_LENGTH.get(len) ?? []));
    for (const e of near) {
      const limit = maxCost(e.folded.length, true);
      // Each edit changes at most one character: fewer shared characters than that rules it out.
      const chars = CHARS.get(e)!;
      let shared = 0;
      for (const ch of key) if (chars.has(ch)) shared++;
      if (shared < e.folded.length - Math.ceil(limit)) continue;
      const d = weightedEditDistance(key, e.folded, substitutionCost, limit);
      if (d > limit) continue;
      const id = JSON.stringify(e.meaning);
      const prev = best.get(id);
      if (!prev || d < prev.cost || (d === prev.cost && e.rank < prev.rank)) best.set(id, hit(e, 'fuzzy', bracket, d));
    }
    out.fuzzy = [...best.values()].sort((a, b) => a.cost - b.cost || INDEX.findIndex((x) => x.label === a.label) - INDEX.findIndex((x) => x.label === b.label));
  }
  out.prefix = INDEX.filter((e) => e.folded.length > key.length && e.folded.startsWith(key));
  return out;
}

/** The readings of a text, by its raw form: forms repeat their labels on every page. */
const byText = new Map<string, { k: LabelKey; c: Computed } | null>();

function computed(text: string): { k: LabelKey; c: Computed } | null {
  const seen = byText.get(text);
  if (seen !== undefined) return seen;
  const got = computeFor(text);
  if (byText.size > CACHE_LIMIT) byText.clear();
  // Keys are flat copies: cell texts are slices of a whole decoded file, and a cache keyed by
  // them would keep every document it ever saw alive.
  byText.set(flat(text), got);
  return got;
}

function flat(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

function computeFor(text: string): { k: LabelKey; c: Computed } | null {
  if (text.length > MATCH_SETTINGS.maxLabelLength * 2) return null;
  const k = labelKey(text);
  if (k.key.length === 0 || k.key.length > MATCH_SETTINGS.maxLabelLength) return null;
  const id = `${k.key}|${k.bracket ?? ''}|${k.bracketed ? 1 : 0}${k.spaced ? 1 : 0}`;
  let c = cache.get(id);
  if (!c) {
    if (cache.size > CACHE_LIMIT) cache.clear();
    c = compute(k);
    cache.set(flat(id), c);
  }
  return { k: { ...k, key: flat(k.key), bracket: k.bracket === null ? null : flat(k.bracket) }, c };
}

export interface MatchOptions {
  /** Kinds of meaning wanted (all when absent). */
  kinds?: readonly LabelKind[];
  /** A table header row: short headings may take one arbitrary misread, cut headings count. */
  inHeader?: boolean;
}

/**
 * Every reading of a text as a label of the wanted kinds, best first: exact spellings, then
 * fragments, then a fuzzy reading that no other meaning comes close to, then a cut-short label.
 */
export function labelHits(text: string, opts: MatchOptions = {}): LabelHit[] {
  return hitsOf(text, opts.kinds, opts.inHeader ?? false);
}

function hitsOf(text: string, kinds: readonly LabelKind[] | undefined, inHeader: boolean): LabelHit[] {
  // Prose is longer than any label, even with layout spaces: one length check.
  if (text.length > MATCH_SETTINGS.maxLabelLength * 2) return NO_HITS;
  // Every reader asks of every cell: the answer per text and kind of question is kept.
  const answers = answersFor(kinds, inHeader);
  const seen = answers.get(text);
  if (seen) return seen;
  const got = readHits(text, { kinds, inHeader });
  if (answers.size > CACHE_LIMIT) answers.clear();
  answers.set(flat(text), got);
  return got;
}

const ANSWERS = new Map<string, Map<string, LabelHit[]>>();
const ASKED = new WeakMap<readonly LabelKind[], Map<string, LabelHit[]>[]>();
/** The answers to a question of every kind, outside a header and in one. */
const ANY_KIND: [Map<string, LabelHit[]>, Map<string, LabelHit[]>] = [new Map(), new Map()];
const NO_HITS: LabelHit[] = [];

/** The answers kept for one kind of question (its kinds, in a header or not). */
function answersFor(kinds: readonly LabelKind[] | undefined, inHeader: boolean): Map<string, LabelHit[]> {
  const h = inHeader ? 1 : 0;
  if (!kinds) return ANY_KIND[h];
  const byArray = ASKED.get(kinds);
  if (byArray?.[h]) return byArray[h]!;
  // Callers that build their kinds array anew still share one set of answers per kinds.
  const ask = `${kinds.join(',')}|${h}`;
  let answers = ANSWERS.get(ask);
  if (!answers) ANSWERS.set(ask, (answers = new Map()));
  const list = byArray ?? [];
  list[h] = answers;
  ASKED.set(kinds, list);
  return answers;
}

function readHits(text: string, opts: MatchOptions): LabelHit[] {
  const got = computed(text);
  if (!got) return [];
  const { k, c } = got;
  const wanted = (m: AnyMeaning) => !opts.kinds || opts.kinds.includes(m.kind);
  const exact = c.exact.filter((h) => wanted(h.meaning));
  if (exact.length) return exact;
  // A label of another kind as printed is that label, not a misread of a wanted one.
  if (c.exact.length) return [];
  const fragment = c.fragment.filter((h) => wanted(h.meaning));
  if (fragment.length) return fragment;
  const inHeader = opts.inHeader ?? false;
  // A label cut short is read as cut (`财政资` → 财政资金) before any misreading of it.
  const cut = prefixHits(k, c, wanted, inHeader);
  if (cut.length) return cut;
  const fuzzy = c.fuzzy.filter((h) => wanted(h.meaning) && h.cost <= maxCost(labelKey(h.label).key.length, inHeader));
  const best = fuzzy[0];
  if (best) {
    const second = fuzzy[1];
    // Several meanings equally close (`可目名称`: 项目名称 or 科目名称): the vocabulary lists the
    // labels every form prints before the rarer ones, so the first is the likelier reading —
    // but only outside a header, where a wrong column role would misread every row.
    const clear = !second || second.cost - best.cost >= MATCH_SETTINGS.minMargin || (!inHeader && second.cost === best.cost);
    if (clear) return [best];
  }
  return [];
}

function prefixHits(k: LabelKey, c: Computed, wanted: (m: AnyMeaning) => boolean, inHeader: boolean): LabelHit[] {
  const s = MATCH_SETTINGS;
  const starts = c.prefix.filter((e) => wanted(e.meaning));
  // A heading cut by a narrow column (`一级`) when every heading it can begin means one role.
  const columns = starts.filter((e) => e.meaning.kind === 'column');
  if (inHeader && k.key.length >= s.minHeaderPrefixLength && columns.length > 0) {
    const roles = new Set(columns.map((e) => (e.meaning as ColumnMeaning).role));
    if (roles.size === 1) return [hit(columns[0]!, 'prefix', k.bracket)];
  }
  // A funding label cut short by a narrow cell: taken when enough of it is left, or when only
  // one funding label starts that way (`财政专` can only be 财政专户管理资金).
  if (k.key.length < s.minPrefixLength) return [];
  const funding = starts.filter((e) => e.meaning.kind === 'funding');
  const meanings = new Set(funding.map((e) => JSON.stringify(e.meaning)));
  const best = funding.find((e) => k.key.length / e.folded.length >= s.minPrefixShare) ?? (meanings.size === 1 ? funding[0] : undefined);
  return best ? [hit(best, 'prefix', k.bracket)] : [];
}

export function matchLabel(text: string, kinds?: readonly LabelKind[], inHeader = false): LabelHit | null {
  return hitsOf(text, kinds, inHeader)[0] ?? null;
}

/** `填报单位(盖章)：绵阳市…` → the label hit and the printed value after the colon. */
export function splitInlineLabel(text: string, kinds: readonly LabelKind[]): { hit: LabelHit; value: string } | null {
  const m = /^([^:：]{1,24})[:：]\s*(.*)$/s.exec(text.trim());
  if (!m) return null;
  const h = matchLabel(m[1]!, kinds);
  return h ? { hit: h, value: m[2]!.trim() } : null;
}

/**
 * The last characters of the folded spellings of labels of these kinds: a text whose folded
 * form ends in none of them (nor in the bracket or 分 of points that labelKey cuts) can end
 * with no such label as printed.
 */
export function labelEndings(kinds: readonly LabelKind[]): ReadonlySet<string> {
  const out = new Set<string>([')', '分']);
  for (const e of INDEX) if (kinds.includes(e.meaning.kind) && e.folded.length > 0) out.add(e.folded[e.folded.length - 1]!);
  return out;
}

/** A reading that changed the printed text (as opposed to folding spaces or brackets away). */
export function isRepair(h: LabelHit): boolean {
  return h.how === 'fuzzy' || h.how === 'prefix';
}

/**
 * A heading whose addition lost its opening bracket (`指标值一包含数字及文字描述)`): the longest
 * label it starts with, when what follows reads as a bracketed remark.
 */
export function labelBeforeBrokenBracket(text: string, kinds: readonly LabelKind[]): LabelHit | null {
  const f = fold(text).replace(MARKS, '');
  const closes = CLOSE.includes(f[f.length - 1] ?? '');
  for (let at = Math.min(f.length - 1, MATCH_SETTINGS.maxLabelLength); at >= 2; at--) {
    const rest = f.slice(at);
    const remark = (OPEN.includes(rest[0]!) || /^[一—\-－~]/.test(rest)) && (closes || OPEN.includes(rest[0]!));
    if (!remark) continue;
    const h = labelHits(f.slice(0, at), { kinds }).find((x) => x.how === 'exact');
    if (h) return { ...h, how: 'bracketed', bracket: rest.slice(1).replace(new RegExp(`[${CLOSE.replace(/[\]\\]/g, '\\$&')}]$`), '') };
  }
  return null;
}
