// `govtables report` and `govtables run analyst-csv` over a database the nightly pipeline filled
// from the seed dumps and one empty file, driven through the CLI entry point in-process.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { reportData, reportText } from '../src/runs/report.js';
import { exportedFiles } from '../src/runs/dictionary.js';
import { closeDb, openDb } from '../src/store/db.js';
import { checkContract } from './contract.js';
import { FIXTURES, tempDir } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const tmp = tempDir('govtables-report-');
const db = join(tmp.dir, 'report.sqlite');

async function quietly(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true; });
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** The most severe severity the findings list of a text report shows. */
function worstSeverityShown(text: string): string {
  return ['error', 'warning', 'info'].find((sev) => new RegExp(`^ +\\d+ {2}${sev} `, 'm').test(text)) ?? 'none';
}

function csv(file: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;
}

beforeAll(async () => {
  const inbox = join(tmp.dir, 'inbox');
  mkdirSync(inbox);
  for (const f of readdirSync(join(FIXTURES, 'text'))) copyFileSync(join(FIXTURES, 'text', f), join(inbox, f));
  writeFileSync(join(inbox, 'empty.txt'), '');
  const r = await quietly(['run', 'nightly', '--inbox', inbox, '--db', db, '--out', join(tmp.dir, 'csv')]);
  expect(r.code, r.stderr).toBe(1);
}, 60_000);

afterAll(() => tmp.cleanup());

describe('report', () => {
  test('plain text: documents by status and variant, new projects, top findings with locations, failures with reasons', async () => {
    const r = await quietly(['report', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const text = r.stdout;
    expect(text).toMatch(/^Run 1 \(nightly\) ok, started /m);
    expect(text).toContain('Documents: 6 (ok 5, failed 1)');
    expect(text).toMatch(/By variant: .*mianyang 1/);
    expect(text).toContain('New projects: 23 (first 20)');
    expect(text).toContain('网络维护费及基本医疗磁卡成本费');
    // The worst finding comes first, with its file, its location and its project's.
    const handle0 = openDb(db);
    const top = (await reportData(handle0, db)).topFindings[0]!;
    closeDb(handle0);
    expect(top.severity).toBe(worstSeverityShown(text));
    expect(text).toContain(`${top.severity.padEnd(7)} ${top.code}  ${top.source_path} @ ${top.location}; project at ${top.source_ref}\n          ${top.message}`);
    expect(text).toMatch(/\[empty\] \S+empty\.txt: the file is empty/);
    const handle = openDb(db);
    try {
      // The latest run is the default.
      expect(reportText(await reportData(handle, db, 1))).toBe(text);
    } finally {
      closeDb(handle);
    }
    expect((await quietly(['report', '--db', db, '--run', '9'])).code).toBe(2);
  });

  test('HTML: one self-contained page whose inline SVG charts carry the counts', async () => {
    const html = join(tmp.dir, 'report.html');
    const r = await quietly(['report', '--db', db, '--html', html]);
    expect(r.code, r.stderr).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).not.toMatch(/<script|<link|\bsrc=|\bhref=|url\(/i);
    expect(page).toContain('<svg id="chart-findings"');
    expect(page).toContain('<svg id="chart-variants"');

    const handle = openDb(db);
    const data = await reportData(handle, db);
    closeDb(handle);
    const byCode = new Map<string, number>();
    for (const f of data.findingsByCode) byCode.set(f.code, (byCode.get(f.code) ?? 0) + f.n);
    expect([...byCode.values()].reduce((a, n) => a + n, 0)).toBe(data.totals.findings);

    if (!existsSync(CHROMIUM)) {
      process.stdout.write(`skipping the Chromium DOM check: ${CHROMIUM} is not installed\n`);
      return;
    }
    const dump = spawnSync(CHROMIUM, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${mkdtempSync(join(tmp.dir, 'chromium-'))}`,
      '--dump-dom', `file://${html}`,
    ], { encoding: 'utf8', timeout: 60_000 });
    const dom = dump.stdout;
    expect(dom, dump.stderr.slice(-2000)).toContain('<svg id="chart-findings"');
    for (const [code, n] of byCode) expect(dom).toContain(`data-key="${code}" data-count="${n}"`);
    for (const v of data.documentsByVariant) expect(dom).toContain(`data-key="${v.key}" data-count="${v.n}"`);
    expect(dom).toMatch(/<div class="card" id="count-ok"><b>5<\/b>ok<\/div>/);
  }, 90_000);
});

describe('analyst-csv', () => {
  test('a year: the contract files restricted to its projects, with a data dictionary and findings summary', async () => {
    const out = join(tmp.dir, 'analyst-2021');
    const r = await quietly(['run', 'analyst-csv', '--db', db, '--out', out, '--year', '2021']);
    expect(r.code, r.stderr).toBe(0);
    const projects = csv(join(out, 'projects.csv'));
    expect(new Set(projects.map((p) => p.fiscal_year))).toEqual(new Set(['2021']));
    expect(new Set(projects.map((p) => p.variant))).toEqual(new Set(['mianyang', 'luan', 'hongshan']));
    const ids = new Set(projects.map((p) => p.project_id));
    const docs = new Set(projects.map((p) => p.doc_id));
    expect(new Set(csv(join(out, 'documents.csv')).map((d) => d.doc_id))).toEqual(docs);
    for (const t of ['indicators', 'cost_items', 'funding']) for (const row of csv(join(out, `${t}.csv`))) expect(ids.has(row.project_id!)).toBe(true);
    const findings = csv(join(out, 'findings.csv'));
    for (const f of findings) expect(f.project_id ? ids.has(f.project_id) : docs.has(f.doc_id!)).toBe(true);
    expect(csv(join(out, 'budget_lines.csv'))).toEqual([]);

    const summary = csv(join(out, 'findings_summary.csv'));
    expect(summary.reduce((a, s) => a + Number(s.findings), 0)).toBe(findings.length);
    for (const s of summary) expect(Number(s.findings)).toBe(findings.filter((f) => f.code === s.code && f.severity === s.severity).length);

    expect(checkContract(out).problems).toEqual([]);

    // The dictionary describes every column of every file written, under that file's heading.
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    expect(readme).not.toContain('(not described)');
    for (const f of readdirSync(out).filter((n) => n.endsWith('.csv'))) {
      const section = readme.split(`## ${f}\n`)[1]?.split('\n## ')[0];
      expect(section, f).toBeDefined();
      const header = readFileSync(join(out, f), 'utf8').split('\n')[0]!.split(',');
      for (const c of header) expect(section, `${f} ${c}`).toMatch(new RegExp(`^\\| \`${c}\` \\| [^|]+ \\|`, 'm'));
    }
    expect(exportedFiles().map((f) => f.file).sort()).toEqual(readdirSync(out).filter((n) => n.endsWith('.csv')).sort());
  });

  test('a province and a variant narrow the projects; a bad variant is a usage error', async () => {
    const out = join(tmp.dir, 'analyst-sichuan');
    expect((await quietly(['run', 'analyst-csv', '--db', db, '--out', out, '--region', '四川省'])).code).toBe(0);
    expect(new Set(csv(join(out, 'projects.csv')).map((p) => p.variant))).toEqual(new Set(['mianyang', 'suining']));
    expect((await quietly(['run', 'analyst-csv', '--db', db, '--out', out, '--variant', 'qinyang'])).code).toBe(0);
    expect(csv(join(out, 'budget_lines.csv')).length).toBeGreaterThan(0);
    const bad = await quietly(['run', 'analyst-csv', '--db', db, '--out', out, '--variant', 'atlantis']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--variant must be one of');
  });
});
