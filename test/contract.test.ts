// The contract checks of test/contract.ts: each catches what it is for, an export of the seed
// dumps passes them all, and nothing the tests, scripts or the product run reads outside the
// repository (a fresh clone with nothing beside it must pass `npm test`).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ingestPaths } from '../src/pipeline/ingest.js';
import { closeDb, openDb } from '../src/store/db.js';
import { exportCsv } from '../src/store/exporter.js';
import { checkContract, CONTRACT_COLUMNS, parseRfc4180 } from './contract.js';
import { FIXTURES, ROOT, tempDir } from './helpers.js';

const tmp = tempDir('govtables-contract-');
const good = join(tmp.dir, 'good');

beforeAll(async () => {
  const db = openDb(join(tmp.dir, 'c.sqlite'));
  try {
    await ingestPaths(db, [join(FIXTURES, 'text')]);
    exportCsv(db, good);
  } finally {
    closeDb(db);
  }
}, 60_000);
afterAll(() => tmp.cleanup());

/** A copy of the good export with one file rewritten by `edit` (CSV text in, CSV text out). */
function broken(name: string, file: string, edit: (text: string) => string): string {
  const dir = join(tmp.dir, name);
  cpSync(good, dir, { recursive: true });
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

/** Replaces the value of `column` on the first data row of a CSV text. */
function setFirst(text: string, column: string, value: string): string {
  const problems: string[] = [];
  const rows = parseRfc4180(text, 'x', problems);
  const k = rows[0]!.indexOf(column);
  rows[1]![k] = value;
  return rows.map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(',')).join('\n') + '\n';
}

describe('contract checks', () => {
  test('an export of the seed dumps keeps the contract', () => {
    const r = checkContract(good);
    expect(r.problems).toEqual([]);
    expect(r.rows).toMatchObject({ documents: 5, projects: 23, budget_lines: 315 });
    for (const [table, cols] of Object.entries(CONTRACT_COLUMNS)) {
      const header = readFileSync(join(good, `${table}.csv`), 'utf8').split('\n')[0]!.split(',');
      expect(header.slice(0, cols.length)).toEqual(cols);
    }
  });

  test.each([
    ['a missing file', () => { const d = join(tmp.dir, 'nofile'); cpSync(good, d, { recursive: true }); writeFileSync(join(d, 'funding.csv'), ''); return d; }, /funding\.csv: columns missing/],
    ['a renamed column', () => broken('renamed', 'indicators.csv', (t) => t.replace('value_num', 'value_number')), /indicators\.csv: columns missing: value_num/],
    ['CRLF line ends', () => broken('crlf', 'documents.csv', (t) => t.replaceAll('\n', '\r\n')), /CR line end/],
    ['money with a thousands separator', () => broken('money', 'projects.csv', (t) => setFirst(t, 'annual_budget_yuan', '150,000')), /annual_budget_yuan "150,000" is not plain yuan/],
    ['money with three decimals', () => broken('money3', 'projects.csv', (t) => setFirst(t, 'annual_budget_yuan', '1.005')), /is not plain yuan/],
    ['a date that is not ISO', () => broken('date', 'projects.csv', (t) => setFirst(t, 'period_start', '2021/01/01')), /period_start "2021\/01\/01" is not YYYY-MM-DD/],
    ['a level 2 outside the nine', () => broken('level2', 'indicators.csv', (t) => setFirst(t, 'level2', '时效性')), /one of the nine level-2 names/],
    ['a comparator outside the five', () => broken('cmp', 'indicators.csv', (t) => setFirst(t, 'comparator', '≥')), /comparator "≥" is not a comparator/],
    ['a number without a comparator', () => broken('nocmp', 'indicators.csv', (t) => setFirst(setFirst(t, 'comparator', ''), 'value_num', '5')), /a number without a comparator/],
    ['a project of no document', () => broken('orphan', 'projects.csv', (t) => setFirst(t, 'doc_id', 'f'.repeat(64))), /is not in documents\.csv/],
    ['a project_id not made from its doc_id', () => broken('pid', 'projects.csv', (t) => setFirst(t, 'ordinal', '99')), /project_id is not <first 12 hex/],
    ['a status outside the three', () => broken('status', 'documents.csv', (t) => setFirst(t, 'status', 'done')), /status "done" is not ok, partial or failed/],
    ['a failed document without its error', () => broken('failed', 'documents.csv', (t) => setFirst(setFirst(t, 'status', 'failed'), 'error', '')), /failed without an error/],
    ['a finding code that is not UPPER_SNAKE', () => broken('code', 'findings.csv', (t) => setFirst(t, 'code', 'cost-mismatch')), /is not UPPER_SNAKE/],
    ['a file that is not UTF-8', () => { const d = join(tmp.dir, 'latin1'); cpSync(good, d, { recursive: true }); writeFileSync(join(d, 'funding.csv'), Buffer.from([0x70, 0xff, 0x0a])); return d; }, /funding\.csv: not UTF-8/],
  ])('catches %s', (_what, make, message) => {
    expect(checkContract(make()).problems.join('\n')).toMatch(message);
  });
});

describe('the repository stands alone', () => {
  /** Files the tests, scripts, CI and the product run. */
  function sources(): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
        const rel = join(dir, e.name);
        if (e.isDirectory()) walk(rel);
        else if (/\.(ts|mjs|js|sh|py)$/.test(e.name) || dir === '.ci') out.push(rel);
      }
    };
    for (const d of ['src', 'pipelines', 'test', 'scripts', 'bin']) walk(d);
    return out;
  }

  test('no test, script or module names a path outside the repository', () => {
    // A path that climbs out of the work tree, or the workplace's shared folder by any spelling.
    const outside = /(['"`/])\.\.\/(\.\.\/)*shared\b|['"]\.\.['"]\s*,\s*['"]shared['"]|\/work\/|\bSHARED\b/;
    const offenders = sources().filter((f) => f !== join('test', 'contract.test.ts') && outside.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(Object.values(pkg.scripts).filter((s) => /\.\.\//.test(s))).toEqual([]);
  });

  test('a copy of the work tree with nothing beside it runs the CLI', () => {
    // The tracked files, copied where no ../shared exists, with this tree's installed packages.
    const alone = join(tmp.dir, 'alone', 'govtables');
    mkdirSync(alone, { recursive: true });
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT }).toString('utf8').split('\0').filter(Boolean);
    for (const f of files) {
      if (!/^(src|pipelines|bin|test\/contract\.ts$|package\.json$|tsconfig)/.test(f)) continue;
      try { cpSync(join(ROOT, f), join(alone, f), { recursive: true }); } catch { /* a file deleted in the work tree */ }
    }
    cpSync(join(ROOT, 'dist'), join(alone, 'dist'), { recursive: true });
    cpSync(join(FIXTURES, 'text', '004_24ca01b87d61eeb2.txt'), join(alone, 'form.txt'));
    execFileSync('ln', ['-s', join(ROOT, 'node_modules'), join(alone, 'node_modules')]);
    const json = JSON.parse(execFileSync(process.execPath, [join(alone, 'bin', 'govtables.js'), 'extract', join(alone, 'form.txt'), '--json'], { cwd: alone, encoding: 'utf8' })) as { document: { status: string } };
    expect(json.document.status).toBe('ok');
  }, 60_000);
});
