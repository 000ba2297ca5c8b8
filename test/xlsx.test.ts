// `export --xlsx` and `run analyst-csv --xlsx`: the workbook read back with exceljs, cell by
// cell against the CSV files of the same database.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { ingestPaths } from '../src/pipeline/ingest.js';
import { closeDb, openDb } from '../src/store/db.js';
import { EXPORT_TABLES } from '../src/store/exporter.js';
import { displayWidth } from '../src/store/xlsx.js';
import { FIXTURES, tempDir } from './helpers.js';

const tmp = tempDir('govtables-xlsx-');
const db = join(tmp.dir, 'x.sqlite');

async function quietly(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true; });
  try {
    return { code: await main(argv), stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

function csvRows(file: string): string[][] {
  return Papa.parse<string[]>(readFileSync(file, 'utf8'), { skipEmptyLines: true }).data;
}

async function workbook(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

function values(ws: ExcelJS.Worksheet, row: number, n: number): unknown[] {
  return Array.from({ length: n }, (_, k) => ws.getRow(row).getCell(k + 1).value);
}

beforeAll(async () => {
  const handle = openDb(db);
  try {
    await ingestPaths(handle, [join(FIXTURES, 'text')]);
  } finally {
    closeDb(handle);
  }
}, 60_000);
afterAll(() => tmp.cleanup());

describe('export --xlsx', () => {
  test('a sheet per table with the CSV files\' rows: numbers as numbers, dates as dates, header frozen, widths fitted, the dictionary last', async () => {
    const file = join(tmp.dir, 'all.xlsx');
    const csv = join(tmp.dir, 'csv');
    const r = await quietly(['export', '--db', db, '--out', csv, '--xlsx', file]);
    expect(r.code, r.stderr).toBe(0);
    const wb = await workbook(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual([...EXPORT_TABLES.map((t) => t.name), 'dictionary']);
    let numbers = 0;
    let dates = 0;
    for (const t of EXPORT_TABLES) {
      const ws = wb.getWorksheet(t.name)!;
      const rows = csvRows(join(csv, `${t.name}.csv`));
      expect(ws.rowCount, t.name).toBe(rows.length);
      expect(values(ws, 1, t.columns.length)).toEqual(rows[0]);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      for (let i = 1; i < rows.length; i++) {
        const got = values(ws, i + 1, t.columns.length);
        t.columns.forEach(([name, kind], k) => {
          const want = rows[i]![k]!;
          const v = got[k];
          const where = `${t.name} row ${i + 1} ${name}`;
          if (want === '') { expect(v ?? null, where).toBeNull(); return; }
          if (kind === 'int' || kind === 'num' || kind === 'money') {
            expect(typeof v, where).toBe('number');
            expect(v, where).toBe(Number(want));
            numbers++;
          } else if (kind === 'date' || kind === 'timestamp') {
            expect(v, where).toBeInstanceOf(Date);
            expect((v as Date).toISOString(), where).toBe(kind === 'date' ? `${want}T00:00:00.000Z` : want);
            dates++;
          } else {
            expect(v, where).toBe(want);
          }
        });
      }
    }
    expect(numbers).toBeGreaterThan(500);
    expect(dates).toBeGreaterThan(20);
    // Money is shown with thousands separators, dates as dates.
    const projects = wb.getWorksheet('projects')!;
    const col = (name: string) => EXPORT_TABLES.find((t) => t.name === 'projects')!.columns.findIndex(([c]) => c === name) + 1;
    expect(projects.getRow(2).getCell(col('annual_budget_yuan')).numFmt).toBe('#,##0.00');
    expect(projects.getRow(2).getCell(col('period_start')).numFmt).toBe('yyyy-mm-dd');
    // Widths follow the content: a project name is wider than its ordinal, and capped.
    const widest = Math.max(...csvRows(join(csv, 'projects.csv')).slice(1).map((row) => displayWidth(row[col('project_name') - 1]!)));
    expect(projects.getColumn(col('project_name')).width).toBe(Math.min(60, widest + 1));
    expect(projects.getColumn(col('ordinal')).width).toBeLessThan(12);
    // The dictionary: every column of every sheet, with its meaning.
    const dict = wb.getWorksheet('dictionary')!;
    const described = new Set<string>();
    for (let i = 2; i <= dict.rowCount; i++) {
      const [file2, column, meaning] = values(dict, i, 3) as string[];
      expect(meaning, `${file2}.${column}`).toMatch(/\S/);
      described.add(`${file2}.${column}`);
    }
    for (const t of EXPORT_TABLES) for (const [c] of t.columns) expect(described.has(`${t.name}.${c}`), `${t.name}.${c}`).toBe(true);
  }, 60_000);

  test('needs --out or --xlsx; --xlsx must name a .xlsx file', async () => {
    expect((await quietly(['export', '--db', db])).code).toBe(2);
    const bad = await quietly(['export', '--db', db, '--xlsx', join(tmp.dir, 'x.csv')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('a .xlsx file');
  });
});

describe('run analyst-csv --xlsx', () => {
  test('the subset as a workbook, with the findings summary and the dictionary', async () => {
    const file = join(tmp.dir, 'analyst.xlsx');
    const r = await quietly(['run', 'analyst-csv', '--db', db, '--year', '2021', '--xlsx', file]);
    expect(r.code, r.stderr).toBe(0);
    const wb = await workbook(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual([...EXPORT_TABLES.map((t) => t.name), 'findings_summary', 'dictionary']);
    const projects = wb.getWorksheet('projects')!;
    const year = EXPORT_TABLES.find((t) => t.name === 'projects')!.columns.findIndex(([c]) => c === 'fiscal_year') + 1;
    const years = new Set<unknown>();
    for (let i = 2; i <= projects.rowCount; i++) years.add(projects.getRow(i).getCell(year).value);
    expect(years).toEqual(new Set([2021]));
    const findings = wb.getWorksheet('findings')!;
    const summary = wb.getWorksheet('findings_summary')!;
    let counted = 0;
    for (let i = 2; i <= summary.rowCount; i++) {
      const n = summary.getRow(i).getCell(3).value;
      expect(typeof n).toBe('number');
      counted += n as number;
    }
    expect(counted).toBe(findings.rowCount - 1);
    const dict = wb.getWorksheet('dictionary')!;
    expect(values(dict, dict.rowCount, 2)).toEqual(['findings_summary', 'partial']);
  }, 60_000);
});
