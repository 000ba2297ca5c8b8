// The command line end to end: ingest the fixtures into a temp database, ingest again (nothing
// added), export, read the CSVs back, and hold the export to the contract (test/contract.ts).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { openDb } from '../src/store/db.js';
import { checkContract } from './contract.js';
import { ROOT, FIXTURES, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const db = join(tmp.dir, 'g.sqlite');
const out = join(tmp.dir, 'csv');

async function cli(...argv: string[]): Promise<{ code: number; stderr: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => { chunks.push(String(c)); return true; });
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    return { code: await main(argv), stderr: chunks.join('') };
  } finally {
    spy.mockRestore();
    log.mockRestore();
  }
}

function csv(name: string): Record<string, string>[] {
  const text = readFileSync(join(out, `${name}.csv`), 'utf8');
  return Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
}

function counts(): Record<string, number> {
  const d = openDb(db);
  try {
    return Object.fromEntries(['documents', 'projects', 'indicators', 'cost_items', 'funding', 'budget_lines', 'findings']
      .map((t) => [t, (d.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));
  } finally { d.close(); }
}

describe('govtables CLI', () => {
  it('ingests the fixtures, and a second ingest adds nothing', async () => {
    const first = await cli('ingest', join(FIXTURES, 'text'), '--db', db);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/5 files in .*: 5 stored \(5 ok, 0 partial, 0 failed\), 0 already stored/);
    const before = counts();
    expect(before).toMatchObject({ documents: 5, projects: 23, budget_lines: 315 });
    const again = await cli('ingest', join(FIXTURES, 'text'), '--db', db);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/0 stored .* 5 already stored/);
    expect(counts()).toEqual(before);
  }, 60_000);

  it('recognises a renamed copy by its content', async () => {
    const dir = join(tmp.dir, 'renamed');
    mkdirSync(dir);
    copyFileSync(join(FIXTURES, 'text', '002_3903fb4e2e6b4dba.txt'), join(dir, 'suining-copy.txt'));
    const r = await cli('ingest', dir, '--db', db);
    expect(r.stderr).toMatch(/skipped .*suining-copy.txt\s+\(already stored\)/);
    expect(counts().documents).toBe(5);
  }, 60_000);

  it('exports CSVs with the contract columns and values', async () => {
    expect((await cli('export', '--db', db, '--out', out)).code).toBe(0);
    const projects = csv('projects');
    expect(projects).toHaveLength(23);
    const archive = projects.find((p) => p.project_name === '医保基金档案管理经费')!;
    expect(archive).toMatchObject({ variant: 'mianyang', province: '四川省', region: '绵阳市', fiscal_year: '2021', annual_budget_yuan: '150000', function_code: '2080109', period_start: '2021-01-01', period_end: '2021-12-31' });
    const luan = projects.find((p) => p.project_name === '弥补离休干部医疗统筹经费缺口')!;
    expect(luan).toMatchObject({ annual_budget_yuan: '8585000', period_budget_yuan: '28585000', period_label: '2021-2023' });
    const inds = csv('indicators').filter((i) => i.project_id === luan.project_id && i.name === '人均药费统筹实际支出');
    expect(inds.map((i) => [i.horizon, i.comparator, i.value_num, i.value_unit])).toEqual([['annual', '<', '4.63', '万元'], ['period', '<', '4.63', '万元']]);
    const lines = csv('budget_lines').filter((b) => b.code === '2101504' && b.column === '总计');
    expect(lines.map((b) => b.amount_yuan)).toContain('640000');
    expect(csv('findings').map((f) => f.code)).toContain('COST_TEXT_AMOUNT_MISMATCH');
    expect(checkContract(out).problems).toEqual([]);
  }, 60_000);

  it('writes a BOM for Excel on request', async () => {
    const bomOut = join(tmp.dir, 'bom');
    await cli('export', '--db', db, '--out', bomOut, '--bom');
    expect([...readFileSync(join(bomOut, 'documents.csv')).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  }, 60_000);

  it('rejects bad usage with exit 2 and says why', async () => {
    expect((await cli('ingest')).code).toBe(2);
    expect((await cli('ingest', 'x', '--concurrency', 'zero')).stderr).toMatch(/--concurrency must be a whole number/);
    expect((await cli('export', '--db', db)).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('extract', 'a', '--bogus')).code).toBe(2);
    // The queue's commands: a Redis URL, and for a worker a store every machine reaches.
    expect((await cli('enqueue', 'a')).code).toBe(2);
    expect((await cli('status', '--queue', 'http://x')).code).toBe(2);
    expect((await cli('worker', '--queue', 'redis://127.0.0.1:1', '--db', db)).code).toBe(2);
    expect((await cli('worker', '--queue', 'redis://127.0.0.1:1', '--db', 'postgres://x/y', '--concurrency', '0')).code).toBe(2);
    const engine = await cli('extract', join(FIXTURES, 'scan', 'form-200.png'), '--ocr-engine', 'paddle');
    expect(engine.code).toBe(2);
    expect(engine.stderr).toMatch(/--ocr-engine must be ppocr or tesseract, not "paddle"/);
  }, 60_000);

  it('extract --ocr-engine reads a scan with the engine named, in its worker process', () => {
    const bin = join(ROOT, 'bin', 'govtables.js');
    for (const engine of ['tesseract', 'ppocr']) {
      const json = JSON.parse(execFileSync(process.execPath, [bin, 'extract', join(FIXTURES, 'scan', 'form-200.png'), '--json', '--ocr-engine', engine], { encoding: 'utf8' }));
      expect(json.document.status, engine).toBe('ok');
      expect(json.document.ocr_engine).toBe(engine);
      expect(json.projects[0].project_name, engine).toBe('网络维护费及基本医疗磁卡成本费');
    }
  }, 120_000);

  it('runs as the installed bin with --help on every command', () => {
    const bin = join(ROOT, 'bin', 'govtables.js');
    for (const cmd of [[], ['ingest'], ['export'], ['extract'], ['enqueue'], ['worker'], ['status']]) {
      const help = execFileSync(process.execPath, [bin, ...cmd, '--help'], { encoding: 'utf8' });
      expect(help).toMatch(/Usage: govtables/);
    }
  }, 60_000);

  it('extract --json prints the records of one file', () => {
    const bin = join(ROOT, 'bin', 'govtables.js');
    const json = JSON.parse(execFileSync(process.execPath, [bin, 'extract', join(FIXTURES, 'text', '004_24ca01b87d61eeb2.txt'), '--json'], { encoding: 'utf8' }));
    expect(Object.keys(json)).toEqual(['document', 'projects', 'budget_lines', 'findings']);
    expect(json.projects[0].assessment_level).toBe('一般项目');
    expect(json.projects[0].cost_items).toHaveLength(6);
  }, 60_000);
});

describe('bad input', () => {
  const bad = join(tmp.dir, 'bad');
  const bdb = join(tmp.dir, 'bad.sqlite');

  it('loads the good files, fails each bad one with its reason, exits 1', async () => {
    mkdirSync(bad);
    const seed = readFileSync(join(FIXTURES, 'text', '004_24ca01b87d61eeb2.txt'));
    writeFileSync(join(bad, 'a-empty.txt'), '');
    writeFileSync(join(bad, 'b-garbage.bin'), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 131 + 7) % 256)));
    // Cut inside a character: detectably truncated. Cut at a line end: a form with no indicators.
    writeFileSync(join(bad, 'c-truncated.txt'), seed.subarray(0, seed.indexOf(Buffer.from('项目负责人')) + 2));
    writeFileSync(join(bad, 'c-truncated-at-line.txt'), seed.subarray(0, seed.indexOf(Buffer.from('项目负责人'))));
    writeFileSync(join(bad, 'd-letter.txt'), '关于召开年度工作会议的通知\n各科室：\n定于下周一召开会议，请准时参加。\n');
    writeFileSync(join(bad, 'e-gb18030.txt'), (await import('./gb18030.js')).encodeGb18030(seed.toString('utf8').replace('打击欺诈骗取医保', '打击欺诈骗取医保（二）')));
    copyFileSync(join(FIXTURES, 'text', '000_6f0229354a83724c.txt'), join(bad, 'f-good.txt'));
    const r = await cli('ingest', bad, '--db', bdb);
    expect(r.code).toBe(1);
    const d = openDb(bdb);
    try {
      const docs = d.prepare('SELECT source_path, status, error, project_count FROM documents ORDER BY source_path').all() as { source_path: string; status: string; error: string | null; project_count: number }[];
      const by = Object.fromEntries(docs.map((x) => [x.source_path.split('/').pop(), x]));
      expect(by['a-empty.txt']).toMatchObject({ status: 'failed', error: expect.stringMatching(/a-empty.txt: the file is empty/) });
      expect(by['b-garbage.bin']).toMatchObject({ status: 'failed', error: expect.stringMatching(/binary data/) });
      expect(by['c-truncated.txt']).toMatchObject({ status: 'failed', error: expect.stringMatching(/c-truncated.txt: the file ends in the middle of a character at line 10: it was cut short/) });
      expect(by['c-truncated-at-line.txt']).toMatchObject({ status: 'partial', project_count: 1 });
      const noInd = d.prepare("SELECT f.code FROM findings f JOIN documents d USING (doc_id) WHERE d.source_path LIKE '%c-truncated-at-line.txt'").all();
      expect(noInd).toEqual([{ code: 'NO_INDICATORS' }]);
      expect(by['d-letter.txt']).toMatchObject({ status: 'failed', error: expect.stringMatching(/unrecognised layout.*best guesses/) });
      expect(by['e-gb18030.txt']).toMatchObject({ status: 'ok', project_count: 1 });
      expect(by['f-good.txt']).toMatchObject({ status: 'ok', project_count: 9 });
      // Nothing half-written: failed documents have no records.
      const orphans = d.prepare("SELECT count(*) AS n FROM projects p JOIN documents d USING (doc_id) WHERE d.status = 'failed'").get() as { n: number };
      expect(orphans.n).toBe(0);
      expect(d.pragma('foreign_key_check')).toEqual([]);
    } finally { d.close(); }
    expect(readdirSync(bad)).toHaveLength(7);
  }, 60_000);
});
