// The normalizer's property: a generated form, printed as a text dump in any of the layouts real
// forms use (test/generator/), either gives exactly the records the contract expects, or says it
// could not (document `partial` or `failed`, with findings or an error that say why). A document
// that ends `ok` with wrong records — a silent error — violates it.
//
// Facts are those of the dev-set scorer (score.py beside the dev set), compared as test/generator/judge.ts
// says (shared with test/pdf-generated.test.ts, which judges generated PDFs the same way).
//
// Cases come from a fixed seed, so a case number is a complete reproducer. Knobs (environment):
//   PROPERTY_CASES=300     cases to run            PROPERTY_SEED=20260101   the seed
//   PROPERTY_REPORT=1      tables of outcomes per dimension value, per value kind, per failure category
//   PROPERTY_FIX='levels=carried;money=line'   pin dimensions (print.ts DIMENSIONS, misreads=a+b, extras=a+b)
//                          and model settings: valueKind=a+b, projectHorizons=annual|both, labelLikeNames=on|off, maxProjects=N
//   PROPERTY_PLAIN=1 [PROPERTY_VARY='misreads;levels']   every dimension plain but the ones listed
//   PROPERTY_CASE=17       print case 17 whole (text, expected and read facts) and judge only it
//   PROPERTY_SHRINK=3      failure categories to shrink to a minimal reproducer (0: none), each for at
//                          most PROPERTY_SHRINK_MS=3000 (the smallest case found by then is shown)
//   PROPERTY_DUMP=DIR      write every wrong-ok case: gen-<n>.txt (for `govtables extract`), .expected.json, .diff.txt
//   PROPERTY_SUMMARY=FILE  write the counts as JSON (scripts/property/run.mjs reads it)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { ExtractResult } from '../src/model/schema.js';
import { extractBytes } from '../src/pipeline/extract.js';
import { findingsLine, judgeResult, showRead, unusualTags, type Judgement, type Outcome } from './generator/judge.js';
import { formArb, type FormModel, type ModelOptions, type ValueKind, VALUE_KINDS } from './generator/model.js';
import { layoutArb, printForm, type Layout, type Printed } from './generator/print.js';
import { FIXED_NOW } from './helpers.js';

const env = process.env;
const CASES = Number(env.PROPERTY_CASES ?? 300);
const SEED = Number(env.PROPERTY_SEED ?? 20260101);
const REPORT = env.PROPERTY_REPORT === '1';
const SHRINK = Number(env.PROPERTY_SHRINK ?? 3);
const ONE = env.PROPERTY_CASE !== undefined ? Number(env.PROPERTY_CASE) : null;
/** Lines of a reproducer's text printed: enough for a form's head and table. */
const TEXT_LINES = 60;
/** A shrink stops after this long and reports the smallest case found so far. */
const SHRINK_MS = Number(env.PROPERTY_SHRINK_MS ?? 3000);

// ------------------------------------------------------------------ the cases

interface Case { model: FormModel; layout: Layout }

function parseSettings(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (text ?? '').split(/[;,]/).map((s) => s.trim()).filter(Boolean)) {
    const at = part.indexOf('=');
    if (at < 1) throw new Error(`PROPERTY_FIX: "${part}" is not dimension=value`);
    out[part.slice(0, at)] = part.slice(at + 1);
  }
  return out;
}

function caseArb(): fc.Arbitrary<Case> {
  const fix = parseSettings(env.PROPERTY_FIX);
  // These settings shape the model, not the layout.
  const model: ModelOptions = {};
  if (fix.valueKind !== undefined) {
    const kinds = fix.valueKind.split('+');
    for (const k of kinds) if (!(VALUE_KINDS as readonly string[]).includes(k)) throw new Error(`PROPERTY_FIX valueKind: unknown "${k}" (one of ${VALUE_KINDS.join(', ')})`);
    model.kinds = kinds as ValueKind[];
    delete fix.valueKind;
  }
  if (fix.projectHorizons !== undefined) {
    if (fix.projectHorizons !== 'annual' && fix.projectHorizons !== 'both') throw new Error('PROPERTY_FIX projectHorizons: annual or both');
    model.horizons = fix.projectHorizons;
    delete fix.projectHorizons;
  }
  if (fix.labelLikeNames !== undefined) {
    if (fix.labelLikeNames !== 'on' && fix.labelLikeNames !== 'off') throw new Error('PROPERTY_FIX labelLikeNames: on or off');
    model.labelLikeNames = fix.labelLikeNames === 'on';
    delete fix.labelLikeNames;
  }
  if (fix.maxProjects !== undefined) {
    model.maxProjects = Number(fix.maxProjects);
    delete fix.maxProjects;
  }
  const vary = (env.PROPERTY_VARY ?? '').split(/[;,]/).map((s) => s.trim()).filter(Boolean);
  const plain = env.PROPERTY_PLAIN === '1';
  // Names like a level-2 label are a variation of their own: off in a plain run unless asked for.
  if (plain && model.labelLikeNames === undefined && !vary.includes('labelLikeNames')) model.labelLikeNames = false;
  const layoutVary = vary.filter((v) => v !== 'labelLikeNames');
  return fc.record({ model: formArb(model), layout: layoutArb({ fix, plain, vary: layoutVary }) });
}

// ------------------------------------------------------------------ judging one case

interface Judged extends Judgement {
  printed: Printed;
  result: ExtractResult;
}

async function judge(c: Case, n: number): Promise<Judged> {
  const printed = printForm(c.model, c.layout);
  const result = await extractBytes(Buffer.from(printed.text), `gen-${n}.txt`, { now: FIXED_NOW });
  return { printed, result, ...judgeResult(printed.expected, result) };
}

// ------------------------------------------------------------------ reporting

/** The settings that decide which case a case number is. */
function replayEnv(): string {
  const keep = ['PROPERTY_FIX', 'PROPERTY_PLAIN', 'PROPERTY_VARY'].filter((k) => env[k]).map((k) => `${k}='${env[k]}'`);
  return [`PROPERTY_SEED=${SEED}`, ...keep].join(' ');
}

function reproducer(title: string, j: Judged, n: number | null, lines = TEXT_LINES): string {
  const text = j.printed.text.split('\n');
  const shown = text.slice(0, lines).map((l, i) => `  ${String(i + 1).padStart(3)} | ${l.replace(/\t/g, ' ⇥ ').replace(/\f/g, '␌')}`);
  const doc = j.result.document;
  return [
    `── ${title}`,
    n === null ? '' : `   replay: ${replayEnv()} PROPERTY_CASE=${n} npx vitest run test/property.test.ts`,
    `   layout: ${unusualTags(j.printed.tags).join(' ') || '(plain)'}`,
    `   document: status ${doc.status}, variant ${doc.variant ?? '-'}${doc.error ? `, error ${doc.error}` : ''}; findings: ${findingsLine(j.result)}`,
    `   text (${text.length - 1} lines${text.length - 1 > lines ? `, first ${lines}` : ''}; ⇥ = TAB, ␌ = form feed):`,
    ...shown,
    '   facts that differ:',
    ...j.diff.slice(0, 25).map((d) => `   - ${d}`),
    j.diff.length > 25 ? `   … and ${j.diff.length - 25} more` : '',
  ].filter((l) => l !== '').join('\n');
}

interface Counts { cases: number; exact: number; partial: number; wrongOk: number }
const emptyCounts = (): Counts => ({ cases: 0, exact: 0, partial: 0, wrongOk: 0 });
function count(c: Counts, o: Outcome): void {
  c.cases++;
  if (o === 'exact') c.exact++;
  else if (o === 'partial') c.partial++;
  else c.wrongOk++;
}
const pct = (k: number, n: number) => (n ? `${((100 * k) / n).toFixed(1)}%` : '-');

function table(head: string[], rows: (string | number)[][]): string {
  const all = [head, ...rows.map((r) => r.map(String))];
  const width = head.map((_, c) => Math.max(...all.map((r) => [...(r[c] ?? '')].length)));
  return all.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(width[c]!) : cell.padStart(width[c]!))).join('  ')).join('\n');
}

interface Tally {
  all: Counts;
  exactOk: number;
  byTag: Map<string, Counts>;
  byCategory: Map<string, { wrongOk: number; partial: number; first: number }>;
  byKind: Map<ValueKind, { facts: number; wrongOk: number; partial: number }>;
}

function tally(results: Judged[]): Tally {
  const t: Tally = { all: emptyCounts(), exactOk: 0, byTag: new Map(), byCategory: new Map(), byKind: new Map() };
  results.forEach((j, n) => {
    count(t.all, j.outcome);
    if (j.outcome === 'exact' && j.result.document.status === 'ok') t.exactOk++;
    for (const tag of j.printed.tags) {
      if (!t.byTag.has(tag)) t.byTag.set(tag, emptyCounts());
      count(t.byTag.get(tag)!, j.outcome);
    }
    for (const c of j.categories) {
      const e = t.byCategory.get(c) ?? { wrongOk: 0, partial: 0, first: -1 };
      if (j.outcome === 'wrong-ok') {
        e.wrongOk++;
        if (e.first < 0) e.first = n;
      } else e.partial++;
      t.byCategory.set(c, e);
    }
    for (const p of j.printed.expected) for (const i of p.indicators) {
      const e = t.byKind.get(i.kind) ?? { facts: 0, wrongOk: 0, partial: 0 };
      e.facts++;
      t.byKind.set(i.kind, e);
    }
    for (const k of j.missedKinds) {
      const e = t.byKind.get(k)!;
      if (j.outcome === 'wrong-ok') e.wrongOk++;
      else e.partial++;
    }
  });
  return t;
}

function summaryLine(t: Tally): string {
  const a = t.all;
  return `property: ${a.cases} cases (seed ${SEED}): exact ${a.exact} (${pct(a.exact, a.cases)}; ${t.exactOk} ok, ${a.exact - t.exactOk} partial), `
    + `partial ${a.partial} (${pct(a.partial, a.cases)}), wrong-ok ${a.wrongOk} (${pct(a.wrongOk, a.cases)})`;
}

function categoryTable(t: Tally): string {
  const rows = [...t.byCategory].sort((a, b) => b[1].wrongOk - a[1].wrongOk || b[1].partial - a[1].partial)
    .map(([c, e]) => [c, e.wrongOk, e.partial, e.first >= 0 ? e.first : '-']);
  return table(['failure category (cases)', 'wrong-ok', 'partial', 'first wrong-ok case'], rows);
}

function tagTable(t: Tally): string {
  const base = t.all.wrongOk / Math.max(1, t.all.cases);
  const rows = [...t.byTag].filter(([, c]) => c.cases >= 5)
    .sort((a, b) => b[1].wrongOk / b[1].cases - a[1].wrongOk / a[1].cases || a[0].localeCompare(b[0]))
    .map(([tag, c]) => [tag, c.cases, pct(c.exact, c.cases), pct(c.partial, c.cases), pct(c.wrongOk, c.cases), base ? (c.wrongOk / c.cases / base).toFixed(2) : '-']);
  return table(['dimension=value', 'cases', 'exact', 'partial', 'wrong-ok', 'wrong-ok ×overall'], rows);
}

function kindTable(t: Tally): string {
  const rows = VALUE_KINDS.filter((k) => t.byKind.has(k)).map((k) => {
    const e = t.byKind.get(k)!;
    return [k, e.facts, e.wrongOk, pct(e.wrongOk, e.facts), e.partial];
  });
  return table(['value kind', 'indicator facts', 'not read right in wrong-ok docs', 'share', 'in partial docs'], rows);
}

// ------------------------------------------------------------------ shrinking

/** The smallest case fast-check finds, starting from case `n`, that is still wrong-ok with `category`. */
async function shrink(arb: fc.Arbitrary<Case>, n: number, category: string): Promise<{ j: Judged; steps: number } | null> {
  const still = async (c: Case) => {
    const j = await judge(c, n);
    return !(j.outcome === 'wrong-ok' && j.categories.includes(category));
  };
  const out = await fc.check(fc.asyncProperty(arb, still), { seed: SEED, path: String(n), numRuns: CASES, interruptAfterTimeLimit: SHRINK_MS });
  if (!out.failed || !out.counterexample) return null;
  return { j: await judge(out.counterexample[0], n), steps: out.numShrinks };
}

// ------------------------------------------------------------------ the test

const timeout = 120_000 + CASES * 60 + SHRINK * SHRINK_MS * 2;

test(`generated forms: no wrong records in an ok document (${ONE === null ? `${CASES} cases` : `case ${ONE}`}, seed ${SEED})`, async () => {
  const arb = caseArb();
  const cases = fc.sample(arb, { seed: SEED, numRuns: ONE === null ? CASES : ONE + 1 });

  if (ONE !== null) {
    const j = await judge(cases[ONE]!, ONE);
    console.log([
      reproducer(`case ${ONE}: ${j.outcome}`, j, ONE, Number.MAX_SAFE_INTEGER),
      '   expected:', JSON.stringify(j.printed.expected, null, 1),
      '   read:', JSON.stringify(j.result.projects.map((p) => ({ ...p, indicators: p.indicators.map(showRead) })), null, 1),
    ].join('\n'));
    expect(j.outcome, 'a document that ends ok with wrong records').not.toBe('wrong-ok');
    return;
  }

  const results: Judged[] = [];
  for (const [n, c] of cases.entries()) results.push(await judge(c, n));
  const t = tally(results);
  const out: string[] = [summaryLine(t)];
  if (REPORT) out.push('', tagTable(t), '', kindTable(t));
  if (t.byCategory.size) out.push('', categoryTable(t));

  if (env.PROPERTY_DUMP) {
    mkdirSync(env.PROPERTY_DUMP, { recursive: true });
    results.forEach((j, n) => {
      if (j.outcome !== 'wrong-ok') return;
      writeFileSync(join(env.PROPERTY_DUMP!, `gen-${n}.txt`), j.printed.text);
      writeFileSync(join(env.PROPERTY_DUMP!, `gen-${n}.expected.json`), JSON.stringify(j.printed.expected, null, 1));
      writeFileSync(join(env.PROPERTY_DUMP!, `gen-${n}.diff.txt`), [`categories: ${j.categories.join(' ')}`, `layout: ${unusualTags(j.printed.tags).join(' ')}`, ...j.diff].join('\n') + '\n');
    });
  }

  // One minimal reproducer for each of the most frequent silent-error categories.
  const top = [...t.byCategory].filter(([, e]) => e.wrongOk > 0).sort((a, b) => b[1].wrongOk - a[1].wrongOk);
  const reproducers: { category: string; case: number; text: string }[] = [];
  const shown = new Set<string>();
  const started = new Set<number>();
  for (const [category, e] of top) {
    if (reproducers.length >= SHRINK) break;
    // A category an earlier reproducer already shows, or first seen in a case already shrunk (most
    // likely the same cause), needs no reproducer of its own.
    if (shown.has(category) || started.has(e.first)) continue;
    started.add(e.first);
    const small = await shrink(arb, e.first, category);
    const j = small?.j ?? results[e.first]!;
    j.categories.forEach((c) => shown.add(c));
    const how = small ? `shrunk from case ${e.first} in ${small.steps} steps` : `case ${e.first}, not shrunk`;
    const text = reproducer(`wrong-ok, ${category} (${e.wrongOk} cases): ${how}`, j, small ? null : e.first);
    reproducers.push({ category, case: e.first, text });
    out.push('', text);
  }
  if (!reproducers.length) {
    const firstWrong = results.findIndex((j) => j.outcome === 'wrong-ok');
    if (firstWrong >= 0) out.push('', reproducer(`wrong-ok: case ${firstWrong}`, results[firstWrong]!, firstWrong));
  }
  console.log(out.join('\n'));

  if (env.PROPERTY_SUMMARY) {
    writeFileSync(env.PROPERTY_SUMMARY, JSON.stringify({
      seed: SEED, ...t.all, exactOk: t.exactOk,
      categories: Object.fromEntries(t.byCategory),
      tags: Object.fromEntries(t.byTag),
      kinds: Object.fromEntries(t.byKind),
      reproducers,
    }, null, 1));
  }
  expect(t.all.wrongOk, `${summaryLine(t)} — see the reproducers above`).toBe(0);
}, timeout);
