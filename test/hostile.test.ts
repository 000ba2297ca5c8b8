// Broken and hostile input, every case of the issue, through the real CLI (compiled, with its
// worker processes): each bad file ends as one failed (or skipped) document that says why, the
// good files around it are stored, the run finishes and prints its summary, and the memory of
// the whole process tree stays bounded. The files are made by code (test/hostile/files.ts).
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURES, ROOT, tempDir } from './helpers.js';
import * as F from './hostile/files.js';
import { sampleTree } from './hostile/procTree.js';

const BIN = join(ROOT, 'bin/govtables.js');
const tmp = tempDir('govtables-hostile-');
afterAll(() => tmp.cleanup());

interface Ran { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; peakMb: number; ms: number }

/** The CLI in a child process, its process tree's memory sampled while it runs. */
function cli(args: string[], env: Record<string, string> = {}, opts: { nobody?: boolean; timeoutMs?: number } = {}): Promise<Ran> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.nobody && process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}),
  });
  const sampler = sampleTree(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const kill = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 240_000);
  return new Promise((resolve) => child.on('close', (code, signal) => {
    clearTimeout(kill);
    resolve({ code, signal, stdout, stderr, peakMb: sampler.stop(), ms: Date.now() - t0 });
  }));
}

function rows<T>(db: string, sql: string, ...params: unknown[]): T[] {
  const d = new BetterSqlite3(db, { readonly: true });
  try { return d.prepare(sql).all(...params) as T[]; } finally { d.close(); }
}

type Doc = { source_path: string; status: string; error: string | null; failure_reason: string | null; project_count: number; pages: number; source_kind: string };
const byName = (db: string, dir: string) => Object.fromEntries(
  rows<Doc>(db, 'SELECT source_path, status, error, failure_reason, project_count, pages, source_kind FROM documents').map((d) => [d.source_path.slice(dir.length + 1), d]),
);

const PEAK_MB = 1536;

describe('run nightly over 1,000 good dumps and every bad file of the issue', () => {
  const inbox = join(tmp.dir, 'inbox');
  const db = join(tmp.dir, 'hostile.sqlite');
  const out = join(tmp.dir, 'hostile-csv');
  const GOOD = 1000;
  let ran: Ran;
  let docs: Record<string, Doc>;
  /** Regular files in the inbox (what must be recorded), and paths that are not (listed as skipped). */
  let regular = 0;
  const NOT_FILES = 4;

  beforeAll(async () => {
    mkdirSync(join(inbox, 'good'), { recursive: true });
    const put = (name: string, b: Buffer) => { writeFileSync(join(inbox, name), b); regular++; };
    for (let n = 0; n < GOOD; n++) put(`good/dump-${String(n).padStart(4, '0')}.txt`, F.goodDump(n));
    put('img-random-after-png-signature.png', F.randomAfterPngSignature());
    put('img-random-after-jpeg-signature.jpg', F.randomAfterJpegSignature());
    put('img-png-header-byte-flipped.png', F.pngHeaderByteFlipped());
    put('img-png-claims-60000.png', F.pngClaiming(60000, 60000));
    put('img-jpeg-claims-60000.jpg', F.jpegClaiming(60000, 60000));
    put('img-tiff-claims-60000.tif', F.tiffHeaderClaiming(60000, 60000));
    put('img-png-real-20000.png', F.realBlackPng(20000, 20000));
    put('img-tiff-deflate-bomb.tif', F.deflateBombTiff());
    put('img-tiff-20000-pages.tif', F.tinyPagesTiff(20000));
    put('pdf-flate-bomb.pdf', F.flateBombPdf());
    put('pdf-100-blank-pages.pdf', F.blankPagesPdf(100));
    F.writeTextLines(join(inbox, 'text-200mb.txt'), 200 * 1024 * 1024);
    regular++;
    put('text-mentions-pdf-header.txt', F.dumpMentioningPdf());
    put('text-two-dumps-concatenated.txt', F.concatenatedDumps());
    F.mkfifo(join(inbox, 'path-fifo'));
    symlinkSync('path-fifo', join(inbox, 'path-link-to-fifo'));
    symlinkSync('/dev/zero', join(inbox, 'path-link-to-dev-zero'));
    F.symlinkLoop(inbox);
    regular++;
    // Not seed 004 itself: the concatenated file begins with it, and would supersede it.
    writeFileSync(Buffer.concat([Buffer.from(`${inbox}/`), F.NON_UTF8_NAME]), F.goodDump(4999));
    regular++;
    ran = await cli(['run', 'nightly', '--inbox', inbox, '--db', db, '--out', out]);
    docs = byName(db, inbox);
  }, 600_000);

  test('the run finishes, exits 1, writes its CSVs and summary; every file is recorded once; the process tree stays under 1.5 GB', () => {
    expect(ran.signal, ran.stderr).toBeNull();
    expect(ran.code, ran.stderr.slice(-3000)).toBe(1);
    expect(ran.stderr).toMatch(/nightly run 1 ok: read \d+ files in [\d.]+ s .*: \d+ stored \(\d+ ok, \d+ partial, \d+ failed\), 0 unreadable, 0 already stored, 4 not regular files/);
    const summary = JSON.parse(readFileSync(join(out, 'run_summary.json'), 'utf8'));
    process.stdout.write(`hostile nightly: ${(ran.ms / 1000).toFixed(1)} s, peak RSS of the process tree ${ran.peakMb.toFixed(0)} MB (sampled); summary: ${JSON.stringify({ files: summary.files, stored: summary.stored, failed: summary.failed, ignored: summary.ignored, peak_rss_mb: summary.peak_rss_mb, peak_rss_workers_mb: summary.peak_rss_workers_mb, workers_lost: summary.workers_lost })}\n`);
    expect(summary).toMatchObject({ status: 'ok', files: regular + NOT_FILES, stored: regular, skipped: 0, ignored: NOT_FILES, unreadable: 0 });
    expect(Object.keys(docs)).toHaveLength(regular);
    expect(rows(db, 'SELECT count(DISTINCT source_path) AS n FROM documents')).toEqual([{ n: regular }]);
    expect(ran.peakMb).toBeLessThan(PEAK_MB);
    expect(summary.peak_rss_mb + summary.peak_rss_workers_mb).toBeLessThan(PEAK_MB);
    expect(readFileSync(join(out, 'documents.csv'), 'utf8').trim().split('\n')).toHaveLength(regular + 1);
    for (let n = 0; n < GOOD; n += 97) expect(docs[`good/dump-${String(n).padStart(4, '0')}.txt`]?.status).toBe('ok');
    expect(Object.entries(docs).filter(([k, d]) => k.startsWith('good/') && d.status !== 'ok')).toEqual([]);
  });

  test('images: damaged headers are refused before the native decoder sees them', () => {
    expect(docs['img-random-after-png-signature.png']).toMatchObject({ status: 'failed', failure_reason: 'corrupt', error: expect.stringMatching(/PNG chunk at byte 8 has no valid type: damaged/) });
    expect(docs['img-random-after-jpeg-signature.jpg']).toMatchObject({ status: 'failed', error: expect.stringMatching(/JPEG .*damaged/) });
    expect(docs['img-png-header-byte-flipped.png']).toMatchObject({ status: 'failed', error: expect.stringMatching(/PNG chunk IHDR at byte 8 fails its CRC check/) });
  });

  test('sizes claimed by headers are held to the limits before anything is decoded', () => {
    const limit = (name: string, re: RegExp) => expect(docs[name], name).toMatchObject({ status: 'failed', failure_reason: 'limit', error: expect.stringMatching(re) });
    limit('img-png-claims-60000.png', /the PNG is 60000 × 60000 = 3600000000 pixels: over the limit pixelsPerImage = 30000000 pixels/);
    limit('img-jpeg-claims-60000.jpg', /the JPEG is 60000 × 60000 = 3600000000 pixels: over the limit pixelsPerImage/);
    limit('img-tiff-claims-60000.tif', /page 1 of the TIFF is 60000 × 60000 = 3600000000 pixels: over the limit pixelsPerImage/);
    limit('img-png-real-20000.png', /the PNG is 20000 × 20000 = 400000000 pixels: over the limit pixelsPerImage/);
    limit('img-tiff-deflate-bomb.tif', /strip 1 of page 1 of the TIFF inflates past the 10000 bytes its rows hold.*over the limit decodedBytesPerStream/);
    limit('img-tiff-20000-pages.tif', /the TIFF has more than 500 pages: over the limit pagesPerDocument = 500 pages/);
    limit('pdf-flate-bomb.pdf', /the PDF stream at byte \d+ inflates past 268435456 bytes: over the limit decodedBytesPerStream/);
    limit('text-200mb.txt', /the file is 209715200 bytes: over the limit inputBytes = 134217728 bytes/);
  });

  test('100 blank pages are read one at a time in bounded memory: no text, nothing leaked', () => {
    const d = docs['pdf-100-blank-pages.pdf']!;
    expect(d).toMatchObject({ status: 'failed', pages: 100, error: expect.stringMatching(/unrecognised layout/) });
    expect(d.error).not.toMatch(/memory|crashed|timed out/);
  });

  test('paths that are not files are listed as skipped with what they are; the loop ends; a non-UTF-8 name is read', () => {
    expect(ran.stderr).toMatch(/skipped \S*path-fifo {2}\(a FIFO \(named pipe\), not a regular file\)/);
    expect(ran.stderr).toMatch(/skipped \S*path-link-to-fifo {2}\(a link to a FIFO \(named pipe\), not a regular file\)/);
    expect(ran.stderr).toMatch(/skipped \S*path-link-to-dev-zero {2}\(a link to a character device, not a regular file\)/);
    // Each folder of the loop is walked once, by whichever link reached it first.
    expect(Object.keys(docs).filter((n) => n.startsWith('loop/'))).toEqual(['loop/a/inside.txt']);
    expect(ran.stderr).toMatch(/skipped \S*loop\/a\/to-b\/to-c\/to-a {2}\(a link to a folder already walked\)/);
    // GBK 绩效 is bc a8 d0 a7: the first two bytes are not UTF-8, the last two happen to be (Ч).
    expect(docs['\\xbc\\xa8Ч.txt']).toMatchObject({ status: 'ok', project_count: 1 });
    expect(ran.stderr).toContain('\\xbc\\xa8Ч.txt');
  });

  test('a dump that mentions %PDF- near its top is read as text', () => {
    expect(docs['text-mentions-pdf-header.txt']).toMatchObject({ source_kind: 'text', status: 'ok' });
  });

  test('two dumps joined by cat are one document, stored once', () => {
    // Splitting them into their two forms is the normalizer's; the file is recorded exactly once.
    expect(rows(db, `SELECT count(*) AS n FROM documents WHERE source_path LIKE '%text-two-dumps-concatenated.txt'`)).toEqual([{ n: 1 }]);
  });

  test('the next run adds nothing and reads nothing failed again', async () => {
    const before = rows<{ n: number }>(db, 'SELECT count(*) AS n FROM documents')[0]!.n;
    const again = await cli(['run', 'nightly', '--inbox', inbox, '--db', db, '--out', out]);
    expect(again.code, again.stderr.slice(-2000)).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'run_summary.json'), 'utf8'))).toMatchObject({ stored: 0, re_read: 0, skipped: before, ignored: NOT_FILES, failed: 0 });
    expect(rows<{ n: number }>(db, 'SELECT count(*) AS n FROM documents')[0]!.n).toBe(before);
  }, 300_000);
});

describe('a worker that dies ends one document, not the run', () => {
  // With the pixel limit lifted, the native decoders meet these files as they did before the
  // header checks: a 60000 × 60000 PNG aborts Skia, a 60000 × 60000 TIFF page is allocated.
  const LIFTED = { GOVTABLES_LIMITS: JSON.stringify({ pixelsPerImage: 4e9 }) };
  const dir = join(tmp.dir, 'deaths');

  beforeAll(() => {
    mkdirSync(dir);
    writeFileSync(join(dir, 'a-crash.png'), F.pngClaiming(60000, 60000));
    writeFileSync(join(dir, 'b-good.txt'), F.seedDump('002_3903fb4e2e6b4dba.txt'));
    writeFileSync(join(dir, 'c-memory.tif'), F.tiffHeaderClaiming(60000, 60000));
    copyFileSync(join(FIXTURES, 'scan', 'form-200.png'), join(dir, 'd-scan.png'));
  }, 60_000);

  test('extract: a native crash is a failed document, exit 1', async () => {
    const r = await cli(['extract', join(dir, 'a-crash.png')], LIFTED);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/a-crash\.png \(page 1\): decoder crashed \(SIG[A-Z]+\)/);
  }, 60_000);

  test('extract: a worker over its memory ceiling is stopped', async () => {
    const r = await cli(['extract', join(dir, 'c-memory.tif')], LIFTED);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/c-memory\.tif.*: exceeded the memory limit \(640 MB/);
    expect(r.peakMb).toBeLessThan(PEAK_MB);
  }, 60_000);

  test('extract: a document over its time is stopped; so is a page', async () => {
    const doc = await cli(['extract', join(dir, 'd-scan.png')], { GOVTABLES_LIMITS: JSON.stringify({ secondsPerDocument: 1 }) });
    expect(doc.code, doc.stderr).toBe(1);
    expect(doc.stderr).toMatch(/d-scan\.png: timed out after 1 s \(limit secondsPerDocument\)/);
    const page = await cli(['extract', join(FIXTURES, 'scan', 'form-200.tif')], { GOVTABLES_LIMITS: JSON.stringify({ secondsPerPage: 1 }) });
    expect(page.code, page.stderr).toBe(1);
    // OCR of a page overlaps the next page's layout: the clock that runs out is the latest page's.
    expect(page.stderr).toMatch(/form-200\.tif \(page \d\): timed out after 1 s on page \d \(limit secondsPerPage\)/);
  }, 60_000);

  test('run nightly: the pool replaces the dead worker, the batch goes on, the deaths are recorded and not retried', async () => {
    const db = join(tmp.dir, 'deaths.sqlite');
    const out = join(tmp.dir, 'deaths-csv');
    const args = ['run', 'nightly', '--inbox', dir, '--db', db, '--out', out, '--concurrency', '1'];
    const first = await cli(args, LIFTED);
    expect(first.code, first.stderr).toBe(1);
    const docs = byName(db, dir);
    expect(docs['a-crash.png']).toMatchObject({ status: 'failed', failure_reason: 'crashed', error: expect.stringMatching(/decoder crashed \(SIG[A-Z]+\)/) });
    expect(docs['c-memory.tif']).toMatchObject({ status: 'failed', failure_reason: 'memory' });
    expect(docs['b-good.txt']).toMatchObject({ status: 'ok' });
    // The scan after both deaths is read by a fresh worker.
    expect(docs['d-scan.png']).toMatchObject({ status: 'ok', project_count: 1 });
    const summary = JSON.parse(readFileSync(join(out, 'run_summary.json'), 'utf8'));
    expect(summary).toMatchObject({ files: 4, stored: 4, failed: 2, workers_lost: 2 });
    expect(first.stderr).toMatch(/failed {2}\S*a-crash\.png {2}\[crashed\]/);
    const second = await cli(args, LIFTED);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'run_summary.json'), 'utf8'))).toMatchObject({ files: 4, stored: 0, re_read: 0, skipped: 4 });
  }, 180_000);
});

describe('exit codes and summaries scripts can trust', () => {
  const db = join(tmp.dir, 'exits.sqlite');

  test('a path that does not exist, given alone, is usage error 2', async () => {
    const r = await cli(['ingest', join(tmp.dir, 'no-such-folder'), '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-folder: no such file or folder/);
    expect(existsSync(db)).toBe(false);
  }, 60_000);

  test('a FIFO given alone is usage error 2, at once', async () => {
    const fifo = join(tmp.dir, 'alone.fifo');
    F.mkfifo(fifo);
    const r = await cli(['ingest', fifo, '--db', db], {}, { timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/alone\.fifo is a FIFO \(named pipe\), not a file or folder/);
  }, 60_000);

  test('an empty folder: summary printed, exit 0', async () => {
    const empty = join(tmp.dir, 'empty');
    mkdirSync(empty);
    const r = await cli(['ingest', empty, '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^0 files in [\d.]+ s: 0 stored \(0 ok, 0 partial, 0 failed\), 0 already stored\n$/);
  }, 60_000);

  test('everything already stored but one path that cannot be read: summary printed, exit 1', async () => {
    const dir = join(tmp.dir, 'stored');
    mkdirSync(dir);
    writeFileSync(join(dir, 'one.txt'), F.seedDump());
    expect((await cli(['ingest', dir, '--db', db])).code).toBe(0);
    const r = await cli(['ingest', dir, join(tmp.dir, 'missing.txt'), '--db', db]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/failed {2}\S*missing\.txt {2}\(\S*missing\.txt: cannot read it \(ENOENT\)\)/);
    expect(r.stderr).toMatch(/2 files in [\d.]+ s: 0 stored \(0 ok, 0 partial, 1 failed\), 1 already stored/);
  }, 60_000);

  test('run nightly on an empty inbox prints its summary line', async () => {
    const inbox = join(tmp.dir, 'empty-inbox');
    mkdirSync(inbox);
    const r = await cli(['run', 'nightly', '--inbox', inbox, '--db', join(tmp.dir, 'empty-run.sqlite'), '--out', join(tmp.dir, 'empty-run-csv')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/nightly run 1 ok: read 0 files in [\d.]+ s .*0 stored \(0 ok, 0 partial, 0 failed\), 0 unreadable, 0 already stored/);
  }, 60_000);

  test('control characters in a name are escaped in every line a person reads', async () => {
    const dir = join(tmp.dir, 'ctrl');
    mkdirSync(dir);
    writeFileSync(join(dir, 'evil\u001b[2J\nname.txt'), '');
    const r = await cli(['ingest', dir, '--db', join(tmp.dir, 'ctrl.sqlite')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('evil\\x1b[2J\\nname.txt');
    expect(r.stderr).not.toContain('\u001b');
    const report = await cli(['report', '--db', join(tmp.dir, 'ctrl.sqlite')]);
    expect(report.stdout).toContain('evil\\x1b[2J\\nname.txt');
    expect(report.stdout).not.toContain('\u001b');
  }, 60_000);
});

describe('databases and output folders', () => {
  const db = join(tmp.dir, 'store.sqlite');
  const out = join(tmp.dir, 'store-csv');

  beforeAll(async () => {
    const dir = join(tmp.dir, 'store-in');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.txt'), F.seedDump());
    expect((await cli(['ingest', dir, '--db', db])).code).toBe(0);
  }, 60_000);

  test('another application’s SQLite file is refused untouched (no tables added, no WAL)', async () => {
    const foreign = join(tmp.dir, 'crm.sqlite');
    const d = new BetterSqlite3(foreign);
    d.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('a');`);
    d.close();
    const bytes = readFileSync(foreign);
    for (const args of [['ingest', join(tmp.dir, 'store-in'), '--db', foreign], ['export', '--db', foreign, '--out', join(tmp.dir, 'crm-csv')], ['report', '--db', foreign]]) {
      const r = await cli(args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/crm\.sqlite: not a govtables database \(it has tables customers and no schema_migrations\)/);
    }
    expect(readFileSync(foreign).equals(bytes)).toBe(true);
    expect(readdirSync(tmp.dir).filter((n) => n.startsWith('crm.sqlite'))).toEqual(['crm.sqlite']);
  }, 60_000);

  test('export and report work on a read-only database and change nothing', async () => {
    const roDir = join(tmp.dir, 'ro');
    mkdirSync(roDir);
    const ro = join(roDir, 'ro.sqlite');
    copyFileSync(db, ro);
    chmodSync(ro, 0o444);
    chmodSync(roDir, 0o555);
    chmodSync(tmp.dir, 0o777);
    const bytes = readFileSync(ro);
    const csv = join(tmp.dir, 'ro-csv');
    const exp = await cli(['export', '--db', ro, '--out', csv], {}, { nobody: true });
    expect(exp.code, exp.stderr).toBe(0);
    expect(readFileSync(join(csv, 'projects.csv'), 'utf8').split('\n').length).toBeGreaterThan(1);
    const rep = await cli(['report', '--db', ro], {}, { nobody: true });
    expect(rep.code, rep.stderr).toBe(0);
    expect(readFileSync(ro).equals(bytes)).toBe(true);
    expect(readdirSync(roDir)).toEqual(['ro.sqlite']);
    chmodSync(roDir, 0o755);
  }, 60_000);

  test('--bom files defuse formula-like text cells; numbers stay numbers; plain files are as stored', async () => {
    const d = new BetterSqlite3(db);
    d.prepare(`UPDATE projects SET project_name = '=HYPERLINK("http://x","y")', agency = '@SUM(A1)', manager = '+1', overview = '-2+3', manager_phone = '\t7' WHERE ordinal = 1`).run();
    d.prepare(`UPDATE projects SET annual_budget_yuan = -5000 WHERE ordinal = 1`).run();
    d.close();
    const bom = join(tmp.dir, 'bom-csv');
    expect((await cli(['export', '--db', db, '--out', bom, '--bom'])).code).toBe(0);
    const text = readFileSync(join(bom, 'projects.csv'), 'utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(text).toContain(",'@SUM(A1),");
    expect(text).toContain(",'+1,");
    expect(text).toContain(",'-2+3,");
    expect(text).toContain(",'\t7,");
    expect(text).toContain(',-5000,');
    expect(text).not.toMatch(/,'-5000/);
    expect((await cli(['export', '--db', db, '--out', out])).code).toBe(0);
    expect(readFileSync(join(out, 'projects.csv'), 'utf8')).toContain('"=HYPERLINK(""http://x"",""y"")"');
    const analyst = join(tmp.dir, 'analyst');
    expect((await cli(['run', 'analyst-csv', '--db', db, '--out', analyst])).code).toBe(0);
    expect(readFileSync(join(analyst, 'projects.csv'), 'utf8')).toContain(",'@SUM(A1),");
    expect(readFileSync(join(analyst, 'README.md'), 'utf8')).toMatch(/prefixed with `'`/);
  }, 60_000);

  test('a .tmp symbolic link planted in the output folder is never written through', async () => {
    expect((await cli(['export', '--db', db, '--out', out])).code).toBe(0);
    const outside = join(tmp.dir, 'outside.txt');
    writeFileSync(outside, 'untouched');
    for (const n of ['projects.csv.tmp', 'run_summary.json.tmp', 'README.md.tmp']) symlinkSync(outside, join(out, n));
    const r = await cli(['export', '--db', db, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(outside, 'utf8')).toBe('untouched');
    expect(readdirSync(out).sort()).toEqual(['budget_lines.csv', 'cost_items.csv', 'documents.csv', 'findings.csv', 'funding.csv', 'indicators.csv', 'projects.csv']);
    expect(readdirSync(tmp.dir).filter((n) => n.includes('staging') || n.includes('.old-'))).toEqual([]);
  }, 60_000);

  test('an output folder holding files govtables did not write is refused before anything is written', async () => {
    const mine = join(tmp.dir, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'thesis.docx'), 'mine');
    const r = await cli(['export', '--db', db, '--out', mine]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mine holds files govtables did not write \(thesis\.docx\)/);
    expect(readdirSync(mine)).toEqual(['thesis.docx']);
  }, 60_000);
});
