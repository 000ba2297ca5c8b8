// How the property tests judge what a reader made of a generated form (test/property.test.ts for
// text dumps, test/pdf-generated.test.ts for the committed PDFs): the expected records against the
// read ones, fact by fact, and the outcome: `exact`, `partial` (the document says it could not read
// everything) or `wrong-ok` (a silent error: `ok` with wrong records).
//
// Facts are those of the dev-set scorer (score.py beside the dev set): per project its name, agency,
// supervising agency, fiscal year, annual and period budget, manager; per indicator (horizon,
// level 1, level 2, name, comparator + number + unit, or the printed text when qualitative), names
// and text compared after NFKC without white space and punctuation.
import type { ExtractResult, Indicator, Project } from '../../src/model/schema.js';
import type { Expected, ValueKind } from './model.js';
import { DIMENSIONS, type ExpectedIndicator, type ExpectedProject } from './print.js';

// ------------------------------------------------------------------ facts

/** score.py's `norm`: NFKC, then only letters and digits. */
export const norm = (s: string | null | undefined) => (s ?? '').normalize('NFKC').replace(/[^\p{L}\p{N}]+/gu, '');
const num = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(Math.round(n * 1e4) / 1e4));
const unitOf = (u: string | null | undefined) => (u ?? '').normalize('NFKC').replace(/\s+/g, '');

const FIELDS = ['project_name', 'agency', 'supervising_agency', 'fiscal_year', 'annual_budget_yuan', 'period_budget_yuan', 'manager'] as const;
type Field = (typeof FIELDS)[number];

function fieldFact(field: Field, v: string | number | null | undefined): string {
  if (typeof v === 'number') return num(v);
  return field === 'fiscal_year' || field.endsWith('_yuan') ? num(v === null || v === undefined || v === '' ? null : Number(v)) : norm(v);
}

function valueFact(e: Expected): string {
  return e.comparator === null ? `| ${norm(e.text)}` : `${e.comparator} ${num(e.num)} ${unitOf(e.unit)}`;
}

function readValueFact(i: Indicator): string {
  return i.comparator ? `${i.comparator} ${num(i.value_num)} ${unitOf(i.value_unit)}` : `| ${norm(i.value_text)}`;
}

const headOf = (horizon: string, l1: string | null, l2: string | null, name: string) => `${horizon}|${l1 ?? ''}|${l2 ?? ''}|${name}`;

/** The facts an expected indicator may be read as (its printed name, or its name without marks). */
function expectedFacts(e: ExpectedIndicator): string[] {
  const names = [e.name, ...(e.nameAlt ? [e.nameAlt] : [])].map(norm);
  return [...new Set(names)].map((n) => `${headOf(e.horizon, e.level1, e.level2, n)} ${valueFact(e.expect)}`);
}

const readFact = (i: Indicator) => `${headOf(i.horizon, i.level1, i.level2, norm(i.name))} ${readValueFact(i)}`;

interface Pairing { matched: number; missing: ExpectedIndicator[]; extra: Indicator[] }

function pairIndicators(exp: ExpectedIndicator[], got: Indicator[]): Pairing {
  const left = got.map(readFact);
  const used = new Set<number>();
  const missing: ExpectedIndicator[] = [];
  let matched = 0;
  for (const e of exp) {
    const ok = expectedFacts(e);
    const j = left.findIndex((f, k) => !used.has(k) && ok.includes(f));
    if (j < 0) missing.push(e);
    else {
      used.add(j);
      matched++;
    }
  }
  return { matched, missing, extra: got.filter((_, k) => !used.has(k)) };
}

function fieldDiffs(e: ExpectedProject, g: Project): { field: Field; want: string; got: string }[] {
  return FIELDS.flatMap((f) => {
    const want = fieldFact(f, e[f]);
    const got = fieldFact(f, g[f]);
    return want === got ? [] : [{ field: f, want: String(e[f] ?? ''), got: String(g[f] ?? '') }];
  });
}

// ------------------------------------------------------------------ judging one case

export type Outcome = 'exact' | 'partial' | 'wrong-ok';

export interface Judgement {
  outcome: Outcome;
  /** Human-readable differences between the expected and the read facts. */
  diff: string[];
  /** What kind of fact went wrong (`project.agency`, `indicator.level2`, `indicator.missing` …). */
  categories: string[];
  /** Value kinds of expected indicators that were not read right. */
  missedKinds: ValueKind[];
}

/** What differs between an expected indicator and a read one of the same name. */
function indicatorDelta(e: ExpectedIndicator, g: Indicator): string[] {
  const parts: string[] = [];
  if (![e.name, e.nameAlt].some((n) => n !== null && norm(n) === norm(g.name))) parts.push('name');
  if (e.horizon !== g.horizon) parts.push('horizon');
  if (e.level1 !== g.level1) parts.push('level1');
  if (e.level2 !== g.level2) parts.push('level2');
  if (valueFact(e.expect) !== readValueFact(g)) parts.push(e.expect.comparator === null ? 'qualitative' : 'target');
  return parts;
}

export const showExpected = (e: ExpectedIndicator) => `${e.horizon} ${e.level1}/${e.level2} "${e.name}" ${e.expect.comparator === null ? `text "${e.expect.text}"` : `${e.expect.comparator} ${e.expect.num} ${e.expect.unit || '(no unit)'}`} [${e.kind}]`;
export const showRead = (g: Indicator) => `${g.horizon} ${g.level1 ?? '-'}/${g.level2 ?? '-'} "${g.name ?? ''}" ${g.comparator ? `${g.comparator} ${g.value_num} ${g.value_unit || '(no unit)'}` : `text "${g.value_text ?? ''}"`}`;

export function compare(expected: ExpectedProject[], got: Project[]): Omit<Judgement, 'outcome'> {
  const diff: string[] = [];
  const categories = new Set<string>();
  const missedKinds: ValueKind[] = [];
  // Pair read projects with expected ones by shared facts, as score.py does.
  const cand = expected.flatMap((e, i) => got.map((g, j) => ({ i, j, overlap: FIELDS.length - fieldDiffs(e, g).length + pairIndicators(e.indicators, g.indicators).matched })));
  cand.sort((a, b) => b.overlap - a.overlap || a.i - b.i || a.j - b.j);
  const pairs = new Map<number, number>();
  const taken = new Set<number>();
  for (const c of cand) {
    if (c.overlap > 0 && !pairs.has(c.i) && !taken.has(c.j)) {
      pairs.set(c.i, c.j);
      taken.add(c.j);
    }
  }
  expected.forEach((e, i) => {
    const j = pairs.get(i);
    if (j === undefined) {
      diff.push(`project ${i + 1} "${e.project_name}": not read`);
      categories.add('project.missing');
      missedKinds.push(...e.indicators.map((x) => x.kind));
      return;
    }
    const g = got[j]!;
    const at = `project ${i + 1} "${e.project_name}" (read as ${j + 1})`;
    for (const d of fieldDiffs(e, g)) {
      diff.push(`${at} ${d.field}: expected "${d.want}", read "${d.got}"`);
      categories.add(`project.${d.field}${d.got === '' ? '.missing' : d.want === '' ? '.extra' : ''}`);
    }
    const { missing, extra } = pairIndicators(e.indicators, g.indicators);
    const spare = [...extra];
    for (const m of missing) {
      missedKinds.push(m.kind);
      const names = new Set([norm(m.name), norm(m.nameAlt)]);
      // The read row this one became: the same name, else the same horizon and level 2 (a name lost or misplaced).
      let k = spare.findIndex((x) => names.has(norm(x.name)));
      if (k < 0) k = spare.findIndex((x) => x.horizon === m.horizon && x.level2 === m.level2);
      if (k >= 0) {
        const g2 = spare.splice(k, 1)[0]!;
        const delta = indicatorDelta(m, g2);
        diff.push(`${at} indicator ${delta.join('+')} differs: expected ${showExpected(m)}; read ${showRead(g2)}`);
        categories.add(`indicator.${delta.join('+')}`);
      } else {
        diff.push(`${at} indicator missing: ${showExpected(m)}`);
        categories.add('indicator.missing');
      }
    }
    for (const x of spare) {
      diff.push(`${at} indicator extra: ${showRead(x)}`);
      categories.add('indicator.extra');
    }
  });
  got.forEach((g, j) => {
    if (!taken.has(j)) {
      diff.push(`read project ${j + 1} "${g.project_name ?? ''}" matches no expected project`);
      categories.add('project.extra');
    }
  });
  return { diff, categories: [...categories].sort(), missedKinds };
}

/** The outcome of a read: its records against the expected ones. */
export function judgeResult(expected: ExpectedProject[], result: ExtractResult): Judgement {
  const cmp = compare(expected, result.projects);
  const doc = result.document;
  // `partial` / `failed` is an honest answer only when the document says why.
  const explained = (doc.status === 'partial' && result.findings.some((f) => f.severity !== 'info')) || (doc.status === 'failed' && !!doc.error);
  const outcome: Outcome = cmp.diff.length === 0 ? 'exact' : explained ? 'partial' : 'wrong-ok';
  return { outcome, ...cmp };
}

// ------------------------------------------------------------------ reporting

/** The `dimension=value` tags that differ from the plain form: what a reproducer has to vary. */
export function unusualTags(tags: string[]): string[] {
  return tags.filter((t) => {
    const [d, v] = [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)];
    if (d === 'projectCount') return v !== '1';
    const values = (DIMENSIONS as Record<string, readonly string[]>)[d];
    return !values || values[0] !== v;
  });
}

export function findingsLine(r: ExtractResult): string {
  const counts = new Map<string, number>();
  for (const f of r.findings) counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
  return [...counts].map(([c, k]) => (k > 1 ? `${c}×${k}` : c)).join(', ') || 'none';
}
