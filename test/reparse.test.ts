// Re-reading: a failed document is read again when the options that failed it change (ingest and
// nightly), `ingest --reparse` and `govtables reparse` replace a document's records from its
// recorded path, and each run records what it read again. The real CLI in child processes.
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { PIPELINE_VERSION } from '../src/version.js';
import { FIXTURES, ROOT, tempDir } from './helpers.js';

const BIN = join(ROOT, 'bin/govtables.js');
const tmp = tempDir('govtables-reparse-');
afterAll(() => tmp.cleanup());

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT, timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function query<T>(db: string, sql: string, ...params: unknown[]): T[] {
  const c = new BetterSqlite3(db, { readonly: true });
  try {
    return c.prepare(sql).all(...params) as T[];
  } finally {
    c.close();
  }
}

function folderWith(name: string, files: Record<string, string>): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  for (const [to, from] of Object.entries(files)) copyFileSync(from, join(dir, to));
  return dir;
}

const SCAN = join(FIXTURES, 'scan', 'form-300.pdf');
const SEEDS = ['000_6f0229354a83724c.txt', '001_5e2b26b8bb821a85.txt', '002_3903fb4e2e6b4dba.txt'].map((f) => join(FIXTURES, 'text', f));

describe('a document that failed is read again when the options that failed it change', () => {
  test('ingest: --ocr never fails a scan; --ocr auto reads it instead of skipping it', () => {
    const dir = folderWith('ingest', { 'scan.pdf': SCAN });
    const db = join(tmp.dir, 'ingest.sqlite');
    const never = cli(['ingest', dir, '--db', db, '--ocr', 'never']);
    expect(never.code, never.stderr).toBe(1);
    expect(query<{ status: string; read_options: string }>(db, 'SELECT status, read_options FROM documents')).toEqual([{ status: 'failed', read_options: '{"ocr":"never","ocrEngine":"ppocr"}' }]);
    // The same options again: nothing changed, so it stays failed without a second read.
    const again = cli(['ingest', dir, '--db', db, '--ocr', 'never']);
    expect(again.stderr).toMatch(/\(already stored\)/);
    const auto = cli(['ingest', dir, '--db', db]);
    expect(auto.code, auto.stderr).toBe(0);
    expect(auto.stderr).not.toMatch(/\(already stored\)/);
    expect(auto.stderr).toMatch(/1 re-read/);
    const docs = query<{ status: string; read_options: string; project_count: number }>(db, 'SELECT status, read_options, project_count FROM documents');
    expect(docs).toHaveLength(1);
    expect(docs[0]!.status).not.toBe('failed');
    expect(docs[0]!.read_options).toBe('{"ocr":"auto","ocrEngine":"ppocr"}');
    expect(docs[0]!.project_count).toBe(1);
    expect(query(db, 'SELECT project_id FROM projects')).toHaveLength(1);
    // Read and stored: the next ingest skips it.
    expect(cli(["ingest", dir, "--db", db]).stderr).toMatch(/\(already stored\)/);
  }, 600_000);

  test('ingest: another --ocr-engine reads a failed document again; a value stored without the engine means the default one', () => {
    const dir = folderWith('engine', { 'scan.pdf': SCAN });
    const db = join(tmp.dir, 'engine.sqlite');
    const first = cli(['ingest', dir, '--db', db, '--ocr', 'never', '--ocr-engine', 'tesseract']);
    expect(first.code, first.stderr).toBe(1);
    expect(query(db, 'SELECT status, read_options FROM documents')).toEqual([{ status: 'failed', read_options: '{"ocr":"never","ocrEngine":"tesseract"}' }]);
    expect(cli(['ingest', dir, '--db', db, '--ocr', 'never', '--ocr-engine', 'tesseract']).stderr).toMatch(/\(already stored\)/);
    // The default engine now: not what failed it, so it is read again (and fails again, by --ocr never).
    const other = cli(['ingest', dir, '--db', db, '--ocr', 'never']);
    expect(other.stderr).not.toMatch(/\(already stored\)/);
    expect(other.stderr).toMatch(/1 re-read/);
    expect(query(db, 'SELECT status, read_options FROM documents')).toEqual([{ status: 'failed', read_options: '{"ocr":"never","ocrEngine":"ppocr"}' }]);
    // As a database written before the engine was recorded holds it: read by the default engine.
    const c = new BetterSqlite3(db);
    c.prepare(`UPDATE documents SET read_options = '{"ocr":"never"}'`).run();
    c.close();
    expect(cli(['ingest', dir, '--db', db, '--ocr', 'never', '--ocr-engine', 'ppocr']).stderr).toMatch(/\(already stored\)/);
    const tess = cli(['ingest', dir, '--db', db, '--ocr', 'never', '--ocr-engine', 'tesseract']);
    expect(tess.stderr).toMatch(/1 re-read/);
    expect(query(db, 'SELECT read_options FROM documents')).toEqual([{ read_options: '{"ocr":"never","ocrEngine":"tesseract"}' }]);
  }, 300_000);

  test('nightly: the run reads it again and records it, with what it was before', () => {
    const inbox = folderWith('inbox', { 'scan.pdf': SCAN });
    const db = join(tmp.dir, 'nightly.sqlite');
    const out = join(tmp.dir, 'nightly-csv');
    expect(cli(['run', 'nightly', '--inbox', inbox, '--out', out, '--db', db, '--ocr', 'never']).code).toBe(1);
    const second = cli(['run', 'nightly', '--inbox', inbox, '--out', out, '--db', db]);
    expect(second.code, second.stderr).toBe(0);
    const rereads = query<Record<string, unknown>>(db, 'SELECT run_id, source_path, previous_status, previous_version, status FROM run_rereads');
    expect(rereads).toHaveLength(1);
    expect(rereads[0]).toMatchObject({ run_id: 2, previous_status: 'failed', previous_version: PIPELINE_VERSION, source_path: join(inbox, 'scan.pdf') });
    expect(rereads[0]!.status).not.toBe('failed');
    expect(query(db, 'SELECT run_id, re_read FROM runs ORDER BY run_id')).toEqual([{ run_id: 1, re_read: 0 }, { run_id: 2, re_read: 1 }]);
  }, 600_000);
});

describe('re-reading what the database holds', () => {
  test('ingest --reparse replaces each document in place', () => {
    const dir = folderWith('again', { 'a.txt': SEEDS[1]! });
    const db = join(tmp.dir, 'again.sqlite');
    expect(cli(['ingest', dir, '--db', db]).code).toBe(0);
    const before = query<{ n: number }>(db, 'SELECT count(*) AS n FROM indicators')[0]!.n;
    const r = cli(['ingest', dir, '--db', db, '--reparse']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 re-read/);
    expect(query<{ n: number }>(db, 'SELECT count(*) AS n FROM indicators')[0]!.n).toBe(before);
    expect(query(db, 'SELECT doc_id FROM documents')).toHaveLength(1);
  }, 300_000);

  test('reparse --outdated: from the recorded paths, a gone file unreadable, a changed one left alone, all recorded', () => {
    const dir = folderWith('archive', { 'a.txt': SEEDS[0]!, 'b.txt': SEEDS[1]!, 'c.txt': SEEDS[2]! });
    const db = join(tmp.dir, 'archive.sqlite');
    expect(cli(['ingest', dir, '--db', db]).code).toBe(0);
    const projects = query<{ n: number }>(db, 'SELECT count(*) AS n FROM projects')[0]!.n;
    // As if stored by an older release; then one file removed, one changed.
    const w = new BetterSqlite3(db);
    w.prepare(`UPDATE documents SET pipeline_version = 'govtables 0.0.1'`).run();
    w.close();
    rmSync(join(dir, 'b.txt'));
    appendFileSync(join(dir, 'c.txt'), '\n');
    const r = cli(['reparse', '--outdated', '--db', db]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/reparse: 3 documents to read again from 3 recorded paths/);
    expect(r.stderr).toMatch(/b\.txt/);
    expect(r.stderr).toMatch(/c\.txt: its bytes are not the document stored from this path/);
    const versions = query<{ source_path: string; pipeline_version: string }>(db, 'SELECT source_path, pipeline_version FROM documents ORDER BY source_path');
    expect(versions).toEqual([
      { source_path: join(dir, 'a.txt'), pipeline_version: PIPELINE_VERSION },
      { source_path: join(dir, 'b.txt'), pipeline_version: 'govtables 0.0.1' },
      { source_path: join(dir, 'c.txt'), pipeline_version: 'govtables 0.0.1' },
    ]);
    expect(query<{ n: number }>(db, 'SELECT count(*) AS n FROM projects')[0]!.n).toBe(projects);
    const run = query<{ run_id: number; pipeline: string; re_read: number; unreadable: number }>(db, `SELECT run_id, pipeline, re_read, unreadable FROM runs`);
    expect(run).toEqual([{ run_id: 1, pipeline: 'reparse', re_read: 1, unreadable: 1 }]);
    expect(query(db, 'SELECT source_path, previous_status, previous_version, status FROM run_rereads')).toEqual([
      { source_path: join(dir, 'a.txt'), previous_status: 'ok', previous_version: 'govtables 0.0.1', status: 'ok' },
    ]);
    // a is this release's now; b (gone) and c (changed) are still outdated.
    const again = cli(['reparse', '--outdated', '--db', db]);
    expect(again.stderr).toMatch(/reparse: 2 documents to read again from 2 recorded paths/);
    expect(cli(['reparse', '--help']).stdout).toMatch(/--outdated/);
  }, 300_000);
});
