// The pieces under the hostile-input CLI test, in this process: half-copied documents and the
// complete copy that supersedes them, sniffing by structure, the limits object, safe reading,
// printable names, and the staged output folder.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { LimitsError, limitsFromEnv, limitsOf, DEFAULT_LIMITS } from '../src/limits.js';
import { docIdOf } from '../src/model/ids.js';
import { extractBytes } from '../src/pipeline/extract.js';
import { ingestPaths } from '../src/pipeline/ingest.js';
import { displayName, printable } from '../src/pipeline/printable.js';
import { readInput } from '../src/pipeline/readInput.js';
import { sniffKind } from '../src/pipeline/sniff.js';
import { walkFiles } from '../src/pipeline/walk.js';
import { withStagedFolder } from '../src/store/atomicFile.js';
import { closeDb, openDb } from '../src/store/db.js';
import { failureReasonOf } from '../src/runs/reasons.js';
import { FIXED_NOW, FIXTURES, tempDir } from './helpers.js';
import * as F from './hostile/files.js';

const tmp = tempDir('govtables-units-');
afterAll(() => tmp.cleanup());

const SEED = F.seedDump('000_6f0229354a83724c.txt');
/** The seed cut at a line end about half-way: a copy interrupted between two lines, which still parses. */
const HALF = SEED.subarray(0, SEED.indexOf(0x0a, Math.floor(SEED.length / 2)) + 1);

function dirWith(name: string, files: Record<string, Buffer>): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir);
  for (const [f, b] of Object.entries(files)) writeFileSync(join(dir, f), b);
  return dir;
}

describe('a half-copied document and its complete copy', () => {
  test('complete after half: the half copy is superseded in the same transaction, its records removed, both say so', async () => {
    const db = openDb(join(tmp.dir, 'half-first.sqlite'));
    try {
      await ingestPaths(db, [dirWith('night1', { 'report.txt': HALF })], { now: FIXED_NOW });
      const halfId = docIdOf(HALF);
      const before = db.prepare('SELECT status, project_count FROM documents WHERE doc_id = ?').get(halfId) as { status: string; project_count: number };
      expect(before.status).not.toBe('failed');
      expect(before.project_count).toBeGreaterThan(0);

      const s = await ingestPaths(db, [dirWith('night2', { 'report.txt': SEED })], { now: FIXED_NOW });
      expect(s).toMatchObject({ inserted: 1, ok: 1 });
      const half = db.prepare('SELECT status, project_count, failure_reason, superseded_by, error FROM documents WHERE doc_id = ?').get(halfId);
      expect(half).toMatchObject({ status: 'failed', project_count: 0, failure_reason: 'superseded', superseded_by: docIdOf(SEED), error: expect.stringMatching(/night1\/report\.txt: a copy cut short: its \d+ bytes are the first \d+ of .*night2\/report\.txt/) });
      expect(db.prepare('SELECT count(*) FROM projects WHERE doc_id = ?').pluck().get(halfId)).toBe(0);
      expect(db.prepare('SELECT code FROM findings WHERE doc_id = ?').pluck().all(halfId)).toEqual(['DOCUMENT_SUPERSEDED']);
      expect(db.prepare(`SELECT message FROM findings WHERE doc_id = ? AND code = 'DOCUMENT_SUPERSEDES'`).pluck().all(docIdOf(SEED))).toEqual([expect.stringMatching(/supersedes .*night1\/report\.txt .*a copy cut short; its records were removed/)]);
      // Budgets are counted once: only the complete copy's projects remain.
      expect(db.prepare('SELECT count(*) FROM projects').pluck().get()).toBe(9);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      // The half copy arriving again is already stored.
      expect(await ingestPaths(db, [join(tmp.dir, 'night1')], { now: FIXED_NOW })).toMatchObject({ skipped: 1, inserted: 0 });
    } finally {
      closeDb(db);
    }
  });

  test('half after complete: the half copy is recorded as superseded, never counted', async () => {
    const db = openDb(join(tmp.dir, 'complete-first.sqlite'));
    try {
      await ingestPaths(db, [dirWith('full-first', { 'a.txt': SEED })], { now: FIXED_NOW });
      const s = await ingestPaths(db, [dirWith('half-second', { 'a.txt': HALF })], { now: FIXED_NOW });
      expect(s).toMatchObject({ inserted: 1, failed: 1 });
      const half = db.prepare('SELECT status, project_count, error FROM documents WHERE doc_id = ?').get(docIdOf(HALF)) as { error: string };
      expect(half).toMatchObject({ status: 'failed', project_count: 0 });
      expect(failureReasonOf(half.error)).toBe('superseded');
      expect(db.prepare('SELECT count(*) FROM projects').pluck().get()).toBe(9);
    } finally {
      closeDb(db);
    }
  });

  test('two documents that share their first kilobyte but differ later are both kept', async () => {
    const db = openDb(join(tmp.dir, 'same-head.sqlite'));
    try {
      const other = Buffer.from(SEED);
      // A digit changed past the first kilobyte and before the half copy ends: same head, no prefix.
      let at = HALF.length - 10;
      while (!(other[at]! >= 0x30 && other[at]! <= 0x39)) at--;
      expect(at).toBeGreaterThan(1024);
      other[at] = other[at] === 0x30 ? 0x31 : 0x30;
      await ingestPaths(db, [dirWith('same-head', { 'a.txt': HALF, 'b.txt': other })], { now: FIXED_NOW });
      expect(db.prepare(`SELECT count(*) FROM documents WHERE superseded_by IS NOT NULL OR status = 'failed'`).pluck().get()).toBe(0);
    } finally {
      closeDb(db);
    }
  });
});

describe('sniffing by structure', () => {
  test('a dump that mentions %PDF- near its top is text; a PDF behind junk is a PDF; a cut PDF is still a PDF', async () => {
    expect(sniffKind(F.dumpMentioningPdf())).toBe('text');
    const r = await extractBytes(F.dumpMentioningPdf(), 'mention.txt', { now: FIXED_NOW });
    expect(r.document).toMatchObject({ source_kind: 'text', status: 'ok', variant: 'suining' });
    const pdf = readFileSync(join(FIXTURES, 'pdf-unit', 'span.libreoffice.pdf'));
    expect(sniffKind(Buffer.concat([Buffer.from('junk from a mail gateway\r\n'), pdf]))).toBe('pdf');
    const cut = pdf.subarray(0, pdf.length >> 1);
    expect(sniffKind(cut)).toBe('pdf');
    expect((await extractBytes(cut, 'cut.pdf')).document.error).toMatch(/cut\.pdf: is truncated/);
    expect(sniffKind(F.randomAfterPngSignature())).toBe('scan');
  });
});

describe('limits', () => {
  test('defaults in one place; an unknown name or a bad value is refused', () => {
    expect(DEFAULT_LIMITS).toMatchObject({ inputBytes: 128 * 1024 * 1024, pixelsPerImage: 30_000_000, pagesPerDocument: 500, workerMemoryMb: 640 });
    expect(limitsOf({ pagesPerDocument: 3 }).pagesPerDocument).toBe(3);
    expect(() => limitsOf({ pixelsPerImag: 3 } as never)).toThrow(LimitsError);
    expect(() => limitsOf({ secondsPerPage: -1 })).toThrow(/secondsPerPage/);
    expect(() => limitsFromEnv({ GOVTABLES_LIMITS: '{nope' })).toThrow(/not JSON/);
    expect(limitsFromEnv({ GOVTABLES_LIMITS: '{"lineChars": 10}' }).lineChars).toBe(10);
  });

  test('a line too long, a row with too many cells, a dump too large: failed, naming the limit and the value', async () => {
    const long = await extractBytes(Buffer.from(`项目名称\t${'长'.repeat(200)}\n`), 'long.txt', { limits: limitsOf({ lineChars: 100 }) });
    expect(long.document.error).toBe('long.txt (line 1): line 1 is 205 characters long: over the limit lineChars = 100 characters');
    const wide = await extractBytes(Buffer.from(`${'x\t'.repeat(50)}\n`), 'wide.txt', { limits: limitsOf({ cellsPerRow: 20 }) });
    expect(wide.document.error).toMatch(/wide\.txt \(line 1\): line 1 has 51 cells: over the limit cellsPerRow = 20 cells/);
    const big = await extractBytes(SEED, 'big.txt', { limits: limitsOf({ textBytes: 1000 }) });
    expect(big.document.error).toMatch(/big\.txt: the text dump is \d+ bytes: over the limit textBytes = 1000 bytes/);
    expect(failureReasonOf(big.document.error)).toBe('limit');
  });
});

describe('reading inputs', () => {
  test('a FIFO and a device are skipped without blocking; a file over the size limit is hashed, not read', async () => {
    const fifo = join(tmp.dir, 'pipe');
    F.mkfifo(fifo);
    expect(await readInput(fifo)).toEqual({ kind: 'skipped', reason: 'a FIFO (named pipe), not a regular file' });
    expect(await readInput('/dev/zero')).toEqual({ kind: 'skipped', reason: 'a character device, not a regular file' });
    const f = join(tmp.dir, 'big.txt');
    writeFileSync(f, SEED);
    const r = await readInput(f, limitsOf({ inputBytes: 100 }));
    expect(r).toMatchObject({ kind: 'too-large', docId: docIdOf(SEED), size: SEED.length });
    expect((await readInput(join(tmp.dir, 'none'))).kind).toBe('error');
  });

  test('names are bytes: a non-UTF-8 name is listed, opened and shown with its bytes escaped', async () => {
    const dir = join(tmp.dir, 'names');
    mkdirSync(dir);
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), Buffer.from([0x66, 0xff, 0x2e, 0x74, 0x78, 0x74])]), SEED);
    const items = [];
    for await (const w of walkFiles([dir])) items.push(w);
    expect(items.map((w) => w.path)).toEqual([`${dir}/f\\xff.txt`]);
    const r = await readInput(items[0]!.fsPath!);
    expect(r.kind).toBe('bytes');
    expect(displayName(Buffer.from('绩效.txt'))).toBe('绩效.txt');
    expect(printable('a\nb\u001b[31mc\u202e')).toBe('a\\nb\\x1b[31mc\\u202e');
  });
});

describe('the staged output folder', () => {
  test('a failure while writing leaves the old files, all of them, and no staging folder', () => {
    const out = join(tmp.dir, 'out');
    const keep = (name: string) => name.endsWith('.csv');
    withStagedFolder(out, keep, (dir) => { writeFileSync(join(dir, 'a.csv'), 'old a'); writeFileSync(join(dir, 'b.csv'), 'old b'); });
    expect(() => withStagedFolder(out, keep, (dir) => {
      writeFileSync(join(dir, 'a.csv'), 'new a');
      throw new Error('disk full');
    })).toThrow('disk full');
    expect(readdirSync(out).map((n) => readFileSync(join(out, n), 'utf8'))).toEqual(['old a', 'old b']);
    expect(readdirSync(tmp.dir).filter((n) => n.includes('.out.'))).toEqual([]);
  });
});
