// Operating govtables: Ctrl-C on a batch of scans, --include/--exclude, files of no supported
// type, progress totals, --wait, and run summaries named by database and run. The real CLI in
// child processes.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { summaryFileFor } from '../src/runs/summaryFile.js';
import { FIXTURES, ROOT, startCli as start, tempDir, until } from './helpers.js';

const BIN = join(ROOT, 'bin/govtables.js');
const tmp = tempDir('govtables-ops-');
afterAll(() => tmp.cleanup());

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT, timeout: 120_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Processes whose environment holds `tag`: the CLI's worker processes inherit it. */
function processesTagged(tag: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').includes(tag)) found.push(Number(name));
    } catch { /* gone, or not ours to read */ }
  }
  return found;
}

function logEvents(file: string): { outcome?: string; event?: string; status?: string }[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.endsWith('}')).map((l) => JSON.parse(l) as { outcome?: string });
}

describe('Ctrl-C', () => {
  test('run archive on the 14 fixture scans stops within the documents in hand: the rest never started, nothing stored as failed, no worker left', async () => {
    const from = join(tmp.dir, 'scans');
    mkdirSync(from);
    for (const f of readdirSync(join(FIXTURES, 'scan'))) copyFileSync(join(FIXTURES, 'scan', f), join(from, f));
    const db = join(tmp.dir, 'scans.sqlite');
    const log = join(tmp.dir, 'scans.jsonl');
    const tag = `GOVTABLES_TEST_TAG=ctrl-c-${process.pid}-${Date.now()}`;
    const [k, v] = tag.split('=') as [string, string];
    const run = start(['run', 'archive', '--from', from, '--db', db, '--log-json', log, '--concurrency', '2'], { [k]: v });
    // The first document finished: two more are in hand, eleven wait.
    await until(() => logEvents(log).some((e) => e.outcome !== undefined) || run.child.exitCode !== null, 240_000);
    const before = logEvents(log).filter((e) => e.outcome !== undefined).length;
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toMatch(/SIGINT, stopping: no new files; the documents in hand get 2 s to finish/);

    const events = logEvents(log).filter((e) => e.outcome !== undefined);
    // At most the documents in hand (two workers, at most four engine slots) came after the signal.
    expect(events.length - before).toBeLessThanOrEqual(4);
    const d = new BetterSqlite3(db, { readonly: true });
    const docs = d.prepare('SELECT status, error FROM documents').all() as { status: string; error: string | null }[];
    const runRow = d.prepare('SELECT status FROM runs').get() as { status: string };
    d.close();
    expect(runRow.status).toBe('interrupted');
    // Far from the whole batch: the files never started were dropped.
    expect(docs.length).toBeLessThanOrEqual(before + 4);
    expect(docs.length).toBeLessThan(14);
    // A document stopped in a worker is rolled back, never recorded as crashed or failed.
    expect(docs.filter((x) => x.status === 'failed' && !/expected\.json/.test(x.error ?? ''))).toEqual([]);
    const rolledBack = events.filter((e) => e.outcome === 'interrupted').length;
    expect(docs.length + rolledBack).toBe(events.filter((e) => e.outcome === 'inserted' || e.outcome === 'interrupted').length);
    expect(stopped.stderr).toMatch(rolledBack ? new RegExp(`${rolledBack} in hand rolled back`) : /archive run 1 interrupted/);
    // The pool and its workers are gone with the command.
    expect(processesTagged(tag)).toEqual([]);
    const summary = JSON.parse(readFileSync(summaryFileFor(db, 1), 'utf8')) as { status: string; rolled_back: number };
    expect(summary).toMatchObject({ status: 'interrupted', rolled_back: rolledBack });
  }, 300_000);
});

describe('run summaries', () => {
  test('are named by database and run: two databases in one folder keep their own', () => {
    expect(summaryFileFor('data/a.sqlite', 3)).toBe('data/a.sqlite.run-3.json');
    expect(summaryFileFor('data/b.sqlite', 3)).toBe('data/b.sqlite.run-3.json');
    expect(summaryFileFor('postgres://u:secret@db.example:5433/budgets', 7)).toBe('postgres-db.example-5433-budgets.run-7.json');
    const from = join(tmp.dir, 'two-dbs-inbox');
    mkdirSync(from);
    writeFileSync(join(from, 'a.txt'), readFileSync(join(FIXTURES, 'text', readdirSync(join(FIXTURES, 'text')).sort()[0]!)));
    const folder = join(tmp.dir, 'two-dbs');
    mkdirSync(folder);
    for (const name of ['one.sqlite', 'two.sqlite']) {
      const r = cli(['run', 'archive', '--from', from, '--db', join(folder, name)]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`summary: ${join(folder, `${name}.run-1.json`)}`);
    }
    for (const name of ['one.sqlite', 'two.sqlite']) {
      expect(JSON.parse(readFileSync(join(folder, `${name}.run-1.json`), 'utf8'))).toMatchObject({ run_id: 1, database: join(folder, name), stored: 1 });
    }
    expect(existsSync(join(folder, 'run-1.json'))).toBe(false);
  }, 120_000);
});

describe('--wait', () => {
  test('says what it waits for: the database, and the run, process and host holding its lock', () => {
    const db = join(tmp.dir, 'held.sqlite');
    const inbox = join(tmp.dir, 'held-inbox');
    mkdirSync(inbox);
    // A live holder: this test's own process.
    expect(cli(['run', 'archive', '--from', inbox, '--db', db]).code).toBe(0);
    const d = new BetterSqlite3(db);
    const me = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
    const procStart = me.slice(me.lastIndexOf(')') + 2).split(' ')[19]!;
    const runId = Number(d.prepare(`INSERT INTO runs (pipeline, started_at, status, args_json, pid, host) VALUES ('nightly', '2026-01-01T00:00:00.000Z', 'running', '{}', ?, ?)`).run(process.pid, hostname()).lastInsertRowid);
    d.prepare(`INSERT INTO locks (name, run_id, pid, host, proc_start, started_at) VALUES ('ingest-run', ?, ?, ?, ?, '2026-01-01T00:00:00.000Z')`).run(runId, process.pid, hostname(), procStart);
    d.close();
    const r = cli(['run', 'archive', '--from', inbox, '--db', db, '--wait', '1']);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain(`archive: waiting up to 1 s for ${db}: run ${runId} (pid ${process.pid} on ${hostname()}, started 2026-01-01T00:00:00.000Z) holds its lock\n`);
    expect(r.stderr).toContain(`${db} is locked by run ${runId}`);
  }, 60_000);
});

describe('--include / --exclude, files of no supported type, progress totals', () => {
  const inbox = join(tmp.dir, 'mixed');
  const dumps = readdirSync(join(FIXTURES, 'text')).sort().map((f) => join(FIXTURES, 'text', f));
  const setUp = () => {
    if (existsSync(inbox)) return;
    mkdirSync(join(inbox, 'drafts'), { recursive: true });
    mkdirSync(join(inbox, '2021'));
    dumps.forEach((f, k) => copyFileSync(f, join(inbox, k < 2 ? `form-${k}.txt` : k === 2 ? 'drafts/old.txt' : `2021/form-${k}.txt`)));
    // The scan metadata that sat beside the scans, and other files of no type govtables reads.
    copyFileSync(join(FIXTURES, 'scan', 'expected.json'), join(inbox, 'expected.json'));
    writeFileSync(join(inbox, 'forms.zip'), Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(60)]));
    writeFileSync(join(inbox, 'meta.xml'), '<?xml version="1.0" encoding="UTF-8"?><forms/>');
  };

  test('globs match names (or paths with a /), ** spans folders, an excluded folder is not walked', async () => {
    const { globToRegExp, pathFilter, readsFile, walksFolder } = await import('../src/pipeline/pathFilter.js');
    expect(globToRegExp('*.pdf').test('a.pdf')).toBe(true);
    expect(globToRegExp('*.pdf').test('a/b.pdf')).toBe(false);
    expect(globToRegExp('**/*.pdf').test('a/b/c.pdf')).toBe(true);
    expect(globToRegExp('**/*.pdf').test('c.pdf')).toBe(true);
    expect(globToRegExp('2021/**').test('2021/x/y.txt')).toBe(true);
    expect(globToRegExp('*.{pdf,png}').test('a.png')).toBe(true);
    expect(globToRegExp('form-[0-9].txt').test('form-7.txt')).toBe(true);
    expect(globToRegExp('form-?.txt').test('form-10.txt')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    const f = pathFilter(['*.txt'], ['drafts', '2021/old-*'])!;
    expect(readsFile(f, '2021/form.txt')).toBe(true);
    expect(readsFile(f, '2021/old-1.txt')).toBe(false);
    expect(readsFile(f, 'x.json')).toBe(false);
    expect(walksFolder(f, 'drafts')).toBe(false);
    expect(walksFolder(f, '2021')).toBe(true);
    expect(f.excluded).toBe(2);
    expect(() => pathFilter(['*.{pdf'])).toThrow(/without its \}/);
  });

  test('ingest: files of no supported type are listed as skipped with what they are, never stored; --include/--exclude choose the files; [n/N] aligned', () => {
    setUp();
    const db = join(tmp.dir, 'mixed.sqlite');
    const r = cli(['ingest', inbox, '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(r.stderr).toContain(`skipped ${join(inbox, 'expected.json')}  (a JSON file, not a form; govtables reads text dumps, PDFs, PNG, JPEG and TIFF scans)`);
    expect(r.stderr).toContain(`skipped ${join(inbox, 'forms.zip')}  (a ZIP archive (or an Office file: .docx, .xlsx, .pptx), not a form;`);
    expect(r.stderr).toContain(`skipped ${join(inbox, 'meta.xml')}  (an XML file, not a form;`);
    expect(lines.at(-1)).toMatch(/^8 files in [\d.]+ s: 5 stored \(5 ok, 0 partial, 0 failed\), 0 already stored, 3 of no type read \(skipped\)$/);
    // Every document line carries [n/8] once the walk has counted, the count padded to the total's width.
    const tagged = lines.slice(0, -1);
    expect(tagged).toHaveLength(8);
    tagged.forEach((l, k) => expect(l.startsWith(`[${k + 1}/8] `), l).toBe(true));
    const d = new BetterSqlite3(db, { readonly: true });
    const stored = d.prepare('SELECT source_path FROM documents ORDER BY source_path').pluck().all() as string[];
    d.close();
    expect(stored.every((p) => p.endsWith('.txt'))).toBe(true);
    expect(stored).toHaveLength(5);

    const only = cli(['ingest', inbox, '--db', join(tmp.dir, 'only.sqlite'), '--include', '*.txt', '--exclude', 'drafts']);
    expect(only.code, only.stderr).toBe(0);
    expect(only.stderr).not.toContain('drafts');
    expect(only.stderr).not.toContain('expected.json');
    expect(only.stderr.trimEnd().split('\n').at(-1)).toMatch(/^4 files in [\d.]+ s: 4 stored .*, 3 left out by --include\/--exclude$/);
    const tree = cli(['ingest', inbox, '--db', join(tmp.dir, 'tree.sqlite'), '--include', '2021/**']);
    expect(tree.stderr.trimEnd().split('\n').at(-1)).toMatch(/^2 files in .*: 2 stored /);
    expect(cli(['ingest', inbox, '--db', join(tmp.dir, 'bad.sqlite'), '--include', '[a']).code).toBe(2);
  }, 120_000);

  test('run nightly takes the same options and says the same', () => {
    setUp();
    const r = cli(['run', 'nightly', '--inbox', inbox, '--db', join(tmp.dir, 'nightly-mixed.sqlite'), '--out', join(tmp.dir, 'nightly-mixed-csv'), '--exclude', '2021', '--exclude', '*.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\[\d\/5\] skipped \S+forms\.zip {2}\(a ZIP archive/);
    expect(r.stderr).not.toMatch(/expected\.json|form-3/);
    expect(r.stderr).toMatch(/nightly run 1 ok: read 5 files .*: 3 stored .*, 2 of no type read \(skipped\), 1 left out by --include\/--exclude/);
    const summary = JSON.parse(readFileSync(join(tmp.dir, 'nightly-mixed-csv', 'run_summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ files: 5, stored: 3, unsupported: 2, excluded: 1 });
  }, 120_000);
});
