// Looking inside: `govtables rows`, `extract --format json|jsonl`, `-` for stdin, `report --json`
// and `govtables runs`, through the installed bin.
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { ExtractedDocument } from '../src/extract/rows.js';
import type { ExtractResult } from '../src/model/schema.js';
import { FIXTURES, ROOT, tempDir } from './helpers.js';

const BIN = join(ROOT, 'bin/govtables.js');
const tmp = tempDir('govtables-inspect-');
afterAll(() => tmp.cleanup());
const DUMP = join(FIXTURES, 'text', readdirSync(join(FIXTURES, 'text')).sort()[0]!);
const PDF = join(FIXTURES, 'pdf', readdirSync(join(FIXTURES, 'pdf')).sort()[0]!);

function cli(args: string[], input?: Buffer) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, timeout: 120_000, maxBuffer: 64 * 1024 * 1024, ...(input ? { input } : {}) });
  return { code: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

/** `cli` without blocking the test's thread, for reads that take OCR's time. */
function cliAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, timeout: 180_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

describe('govtables rows', () => {
  test('a text dump: each row by its line, each cell by its column, as text and as JSON; - reads stdin', () => {
    const text = cli(['rows', DUMP]);
    expect(text.code, text.stderr).toBe(0);
    const json = cli(['rows', DUMP, '--json']);
    const doc = JSON.parse(json.stdout) as ExtractedDocument;
    expect(doc.kind).toBe('text');
    expect(text.stdout.split('\n')[0]).toBe(`${DUMP}: text, 1 page, ${doc.rows.length} rows`);
    // The dump's lines, TAB-separated, are the rows and cells.
    const lines = readFileSync(DUMP, 'utf8').split('\n');
    const row = doc.rows.find((r) => r.cells.length >= 3)!;
    expect(row.cells.map((c) => c.text)).toEqual(lines[row.line! - 1]!.split('\t').map((c) => c.trim()).filter((c, k, all) => c !== '' || k < all.length));
    expect(text.stdout).toContain(`line ${row.line} row ${doc.rows.indexOf(row) + 1}\n${row.cells.map((c) => `  c${c.col + 1}  ${JSON.stringify(c.text)}`).join('\n')}\n`);
    const piped = cli(['rows', '-', '--json'], readFileSync(DUMP));
    expect(piped.code, piped.stderr).toBe(0);
    expect(JSON.parse(piped.stdout)).toEqual(doc);
    expect(cli(['rows', '-'], readFileSync(DUMP)).stdout.split('\n')[0]).toBe(`stdin: text, 1 page, ${doc.rows.length} rows`);
  }, 60_000);

  test('--ocr-engine: a scan\'s cells read by the engine named, which the output says', async () => {
    const SCAN = join(FIXTURES, 'scan', 'form-200.png');
    for (const engine of ['tesseract', 'ppocr']) {
      const doc = JSON.parse((await cliAsync(['rows', SCAN, '--json', '--ocr-engine', engine])).stdout) as ExtractedDocument;
      expect(doc.ocrEngine).toBe(engine);
      expect(doc.rows.flatMap((r) => r.cells).map((c) => c.text), engine).toContain('网络维护费及基本医疗磁卡成本费');
      if (engine === 'tesseract') expect((await cliAsync(['rows', SCAN, '--ocr-engine', engine])).stdout.split('\n')[0]).toBe(`${SCAN}: scan read by tesseract, 1 page, ${doc.rows.length} rows`);
    }
    const bad = await cliAsync(['rows', SCAN, '--ocr-engine', 'paddle']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--ocr-engine must be ppocr or tesseract, not "paddle"/);
    expect((await cliAsync(['rows', '--help'])).stdout).toMatch(/--ocr-engine NAME +the engine that reads scanned cells: ppocr or tesseract \(default ppocr\)/);
  }, 240_000);

  test('a PDF page: rows and cells with their boxes; --pages keeps those pages', () => {
    const all = JSON.parse(cli(['rows', PDF, '--json']).stdout) as ExtractedDocument;
    const r = cli(['rows', PDF, '--json', '--pages', '2']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ExtractedDocument;
    expect(doc.kind).toBe('pdf');
    expect(doc.pages).toBe(all.pages);
    expect(doc.rows).toEqual(all.rows.filter((row) => row.page === 2));
    const cells = doc.rows.flatMap((row) => row.cells);
    expect(cells.length).toBeGreaterThan(10);
    for (const c of cells) {
      expect(c.box).toHaveLength(4);
      expect(c.box![2]).toBeGreaterThan(c.box![0]);
    }
    const text = cli(['rows', PDF, '--pages', '2']).stdout;
    const first = doc.rows.find((row) => row.cells.length > 0)!;
    const b = (x: readonly number[]) => `[${x.map((v) => Math.round(v)).join(',')}]`;
    expect(text).toContain(`  c${first.cells[0]!.col + 1} ${b(first.cells[0]!.box!)}  ${JSON.stringify(first.cells[0]!.text)}`);
    expect(text).not.toContain('— page 1 —');
    expect(cli(['rows', PDF, '--pages', '3-1']).code).toBe(2);
  }, 120_000);
});

describe('extract --format', () => {
  test('jsonl: one record a line, by table, children keyed to their project; the same as json; - reads stdin', () => {
    const json = cli(['extract', DUMP, '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout) as ExtractResult;
    expect(JSON.parse(cli(['extract', DUMP, '--json']).stdout)).toMatchObject({ document: { doc_id: r.document.doc_id } });
    const jsonl = cli(['extract', '-', '--format', 'jsonl'], readFileSync(DUMP));
    expect(jsonl.code, jsonl.stderr).toBe(0);
    const lines = jsonl.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { table: string; project_id?: string; doc_id?: string; [k: string]: unknown });
    const count = (t: string) => lines.filter((l) => l.table === t).length;
    expect(lines[0]).toMatchObject({ table: 'documents', doc_id: r.document.doc_id, source_path: 'stdin', status: r.document.status });
    expect(count('projects')).toBe(r.projects.length);
    expect(count('indicators')).toBe(r.projects.reduce((a, p) => a + p.indicators.length, 0));
    expect(count('cost_items')).toBe(r.projects.reduce((a, p) => a + p.cost_items.length, 0));
    expect(count('funding')).toBe(r.projects.reduce((a, p) => a + p.funding.length, 0));
    expect(count('budget_lines')).toBe(r.budget_lines.length);
    expect(count('findings')).toBe(r.findings.length);
    const ids = new Set(lines.filter((l) => l.table === 'projects').map((l) => l.project_id));
    expect(ids.size).toBe(r.projects.length);
    for (const l of lines.filter((x) => x.table === 'indicators' || x.table === 'funding')) expect(ids.has(l.project_id)).toBe(true);
    const first = r.projects[0]!.indicators[0]!;
    expect(lines.find((l) => l.table === 'indicators')).toEqual({ table: 'indicators', project_id: `${r.document.doc_id.slice(0, 12)}-1`, ...first });
    expect(cli(['extract', DUMP, '--format', 'xml']).code).toBe(2);
  }, 60_000);
});

describe('report --json and govtables runs', () => {
  test('the runs with their counts, newest first; the report as JSON', () => {
    const db = join(tmp.dir, 'runs.sqlite');
    const inbox = join(tmp.dir, 'inbox');
    mkdirSync(inbox);
    copyFileSync(DUMP, join(inbox, 'a.txt'));
    expect(cli(['run', 'nightly', '--inbox', inbox, '--db', db, '--out', join(tmp.dir, 'csv')]).code).toBe(0);
    copyFileSync(join(FIXTURES, 'text', readdirSync(join(FIXTURES, 'text')).sort()[1]!), join(inbox, 'b.txt'));
    mkdirSync(join(inbox, 'empty'));
    copyFileSync('/dev/null', join(inbox, 'empty', 'c.txt'));
    expect(cli(['run', 'nightly', '--inbox', inbox, '--db', db, '--out', join(tmp.dir, 'csv')]).code).toBe(1);
    const runs = cli(['runs', '--db', db, '--json']);
    expect(runs.code, runs.stderr).toBe(0);
    const list = JSON.parse(runs.stdout) as { run_id: number; pipeline: string; status: string; files: number; ok: number; failed: number; skipped: number; findings: number }[];
    expect(list.map((r) => [r.run_id, r.pipeline, r.status, r.files, r.ok, r.failed, r.skipped])).toEqual([
      [2, 'nightly', 'ok', 3, 1, 1, 1],
      [1, 'nightly', 'ok', 1, 1, 0, 0],
    ]);
    const text = cli(['runs', '--db', db]).stdout.split('\n');
    expect(text[0]).toMatch(/^run_id +pipeline +status +started_at +ended_at +files +ok +partial +failed +unreadable +skipped +findings$/);
    expect(text[1]).toMatch(/^ {5}2 {2}nightly +ok +/);
    expect(text[1]!.indexOf('nightly')).toBe(text[0]!.indexOf('pipeline'));
    const report = cli(['report', '--db', db, '--json']);
    expect(report.code, report.stderr).toBe(0);
    const data = JSON.parse(report.stdout) as { run: { run_id: number }; documentsByStatus: { key: string; n: number }[]; failures: { reason: string }[]; findingGroups: { n: number }[]; totals: { documents: number; findings: number } };
    expect(data.run.run_id).toBe(2);
    expect(data.documentsByStatus).toEqual([{ key: 'ok', n: 1 }, { key: 'failed', n: 1 }]);
    expect(data.failures.map((f) => f.reason)).toEqual(['empty']);
    expect(data.totals.documents).toBe(3);
    expect(data.findingGroups.reduce((a, g) => a + g.n, 0)).toBe(list[0]!.findings);
  }, 120_000);

  test('--help on each', () => {
    for (const [cmd, needle] of [['rows', '--pages LIST'], ['runs', '--limit N'], ['extract', '--format F'], ['report', '--json']] as const) {
      const r = cli([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(needle);
    }
    expect(cli(['--help']).stdout).toMatch(/\n {2}rows FILE .*\n.*\n.*\n {2}runs +the runs a database holds/);
  }, 120_000);
});
