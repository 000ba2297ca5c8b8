// The property test's judgement for text-layer PDFs with real table geometry: every committed
// fixtures/pdf-generated/gen-NNN.pdf (a generated form printed as ruled HTML tables with rowspan /
// colspan by LibreOffice, scripts/fixtures/make-generated-pdfs.mjs) is read by extractFile and
// judged against its gen-NNN.expected.json exactly as test/property.test.ts judges a dump
// (test/generator/judge.ts): `exact`, `partial` (the document says why) or `wrong-ok` (a document
// that ends `ok` with wrong records), which must not happen.
//
// Each case's report line gives its layout (the text layout's unusual dimensions, the HTML ones, the
// pages its tables crossed) and, for a case not exact, the facts that differ and whether the same
// form as a text dump (the .expected.json's `dump`) reads exact: a dump that does points at the PDF
// reading, one that does not at the normalizer. GENERATED_PDF=gen-007 judges one case and prints
// its expected and read records whole.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { ExtractResult } from '../src/model/schema.js';
import { extractBytes, extractFile } from '../src/pipeline/extract.js';
import { findingsLine, judgeResult, showRead, unusualTags, type Judgement } from './generator/judge.js';
import type { ExpectedProject } from './generator/print.js';
import { FIXED_NOW, FIXTURES } from './helpers.js';

const DIR = join(FIXTURES, 'pdf-generated');
const ONE = process.env.GENERATED_PDF;

interface Fixture {
  id: string;
  seed: number;
  layout: {
    text: string[];
    html: string[];
    pages: number;
    forms: { project: number; pages: number[]; tableCrossesPage: boolean; headerOnNewPage: string | null; pageBreakAsked: boolean }[];
  };
  expected: ExpectedProject[];
  dump: string;
}

interface Case {
  fx: Fixture;
  result: ExtractResult;
  judged: Judgement;
  dumpOutcome: Judgement['outcome'];
}

const fixtures: Fixture[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.expected.json') && (!ONE || f.startsWith(`${ONE}.`)))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Fixture);

/** Text dimensions that decide a PDF's table structure: shown even at their plainest value. */
const STRUCTURE = /^(horizons|stackedLabel|stackedHeader|levels|pageBreak|blockColumn|seqColumn|unitColumn)=/;

/** What shaped a case: the text layout's dimensions off their plainest value (and the structural ones), the HTML's, the page breaks. */
function layoutLine(fx: Fixture): string {
  const breaks = fx.layout.forms.filter((f) => f.tableCrossesPage).map((f) => `project ${f.project} table on pp. ${f.pages.join('-')} (header ${f.headerOnNewPage})`);
  const unusual = new Set(unusualTags(fx.layout.text));
  return [
    ...fx.layout.text.filter((t) => unusual.has(t) || STRUCTURE.test(t)),
    ...fx.layout.html.map((t) => t.replace(/^html\./, '')),
    `pages=${fx.layout.pages}`,
    ...breaks,
  ].join(' ');
}

function report(c: Case): string {
  const doc = c.result.document;
  const head = `${c.fx.id}: ${c.judged.outcome} (document ${doc.status}, variant ${doc.variant ?? '-'}${doc.error ? `, error ${doc.error}` : ''}; findings ${findingsLine(c.result)}; the dump reads ${c.dumpOutcome})`;
  if (c.judged.outcome === 'exact') return head;
  return [head, `   layout: ${layoutLine(c.fx)}`, ...c.judged.diff.slice(0, 30).map((d) => `   - ${d}`), c.judged.diff.length > 30 ? `   … and ${c.judged.diff.length - 30} more` : '']
    .filter(Boolean).join('\n');
}

test(`generated PDFs: no wrong records in an ok document (${fixtures.length} files)`, async () => {
  expect(fixtures.length, `no fixtures in ${DIR}: run scripts/fixtures/make-generated-pdfs.mjs`).toBeGreaterThan(0);
  const cases: Case[] = [];
  for (const fx of fixtures) {
    const result = await extractFile(join(DIR, `${fx.id}.pdf`), { now: FIXED_NOW });
    expect(result.document.source_kind, fx.id).toBe('pdf');
    const fromDump = await extractBytes(Buffer.from(fx.dump), `${fx.id}.txt`, { now: FIXED_NOW });
    cases.push({ fx, result, judged: judgeResult(fx.expected, result), dumpOutcome: judgeResult(fx.expected, fromDump).outcome });
  }
  const n = cases.length;
  const count = (o: Judgement['outcome']) => cases.filter((c) => c.judged.outcome === o).length;
  const pct = (k: number) => `${((100 * k) / n).toFixed(1)}%`;
  const [exact, partial, wrongOk] = [count('exact'), count('partial'), count('wrong-ok')];
  const summary = `generated PDFs: ${n} files: exact ${exact} (${pct(exact)}), partial ${partial} (${pct(partial)}), wrong-ok ${wrongOk} (${pct(wrongOk)})`;
  const lines = [summary, ...cases.map(report)];
  if (ONE && cases[0]) {
    lines.push('   expected:', JSON.stringify(cases[0].fx.expected, null, 1),
      '   read:', JSON.stringify(cases[0].result.projects.map((p) => ({ ...p, indicators: p.indicators.map(showRead) })), null, 1));
  }
  console.log(lines.join('\n'));
  expect(wrongOk, `${summary} — see the cases above`).toBe(0);
}, 120_000);
