// The PostgreSQL store against the SQLite store on the same folder: the export and the
// analyst-csv subset are byte for byte the same files, the ingest time aside, and a second
// ingest stores nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { FIXTURES, ROOT, tempDir } from './helpers.js';
import { describeWithServers, freshDatabase, query } from './servers.js';

const BIN = join(ROOT, 'bin', 'govtables.js');

function cli(args: string[], cwd: string): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, GOVTABLES_DB: '' }, timeout: 240_000 });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

/** A CSV with its ingest times masked (the one value two ingests cannot share); every other byte stays. */
function withoutClock(text: string): string {
  return text.replace(/(^|,)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z(?=,|\r?$)/gm, '$1<time>');
}

describeWithServers('PostgreSQL store', (servers) => {
  const tmp = tempDir('govtables-pg-');
  let db: { url: string; drop: () => Promise<void> };
  const folder = join(tmp.dir, 'forms');

  beforeAll(async () => {
    db = await freshDatabase(servers.pg, 'export');
    mkdirSync(folder);
    cpSync(join(FIXTURES, 'text'), join(folder, 'text'), { recursive: true });
    cpSync(join(FIXTURES, 'variations'), join(folder, 'variations'), { recursive: true });
    // A failed document, so errors and reasons travel too.
    writeFileSync(join(folder, 'not-a-form.txt'), '会议纪要\n今天讨论了天气。\n');
  });
  afterAll(async () => {
    await db?.drop();
    tmp.cleanup();
  });

  test('export and analyst-csv equal the SQLite ones, byte for byte but for ingested_at', async () => {
    const sqlite = join(tmp.dir, 'store.sqlite');
    for (const target of [sqlite, db.url]) {
      const r = cli(['ingest', 'forms', '--db', target, '--quiet'], tmp.dir);
      expect(r.status, r.stderr).toBe(1); // two documents are not forms
      expect(r.stderr).toMatch(/19 files .*: 19 stored \(17 ok, 0 partial, 2 failed\)/);
    }
    for (const [name, target] of [['sqlite', sqlite], ['pg', db.url]] as const) {
      expect(cli(['export', '--db', target, '--out', join(tmp.dir, `export-${name}`)], tmp.dir).status).toBe(0);
      expect(cli(['run', 'analyst-csv', '--db', target, '--out', join(tmp.dir, `analyst-${name}`), '--year', '2023'], tmp.dir).status).toBe(0);
    }
    for (const kind of ['export', 'analyst']) {
      const files = readdirSync(join(tmp.dir, `${kind}-sqlite`)).filter((f) => f.endsWith('.csv')).sort();
      expect(readdirSync(join(tmp.dir, `${kind}-pg`)).filter((f) => f.endsWith('.csv')).sort()).toEqual(files);
      expect(files.length).toBeGreaterThanOrEqual(7);
      for (const f of files) {
        const a = readFileSync(join(tmp.dir, `${kind}-sqlite`, f), 'utf8');
        const b = readFileSync(join(tmp.dir, `${kind}-pg`, f), 'utf8');
        expect(withoutClock(b), `${kind}/${f}`).toBe(withoutClock(a));
      }
    }
    const indicators = readFileSync(join(tmp.dir, 'export-pg', 'indicators.csv'), 'utf8').split('\n').length;
    expect(indicators).toBeGreaterThan(300);
    const [docs] = await query<{ n: number; failed: number }>(db.url, "SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'failed')::int AS failed FROM documents");
    expect(docs).toEqual({ n: 19, failed: 2 });
  }, 600_000);

  test('a second ingest stores nothing and changes nothing', async () => {
    const before = await query<{ n: number }>(db.url, 'SELECT (SELECT count(*) FROM indicators) + (SELECT count(*) FROM findings) AS n');
    const r = cli(['ingest', 'forms', '--db', db.url, '--quiet'], tmp.dir);
    expect(r.stderr).toMatch(/19 files .*: 0 stored .*19 already stored/);
    expect(await query(db.url, 'SELECT (SELECT count(*) FROM indicators) + (SELECT count(*) FROM findings) AS n')).toEqual(before);
    // The schema's version is the one the SQLite store migrates to.
    const versions = await query<{ v: number }>(db.url, 'SELECT max(version)::int AS v FROM schema_migrations');
    const sqliteVersions = execFileSync('node', ['-e', `const D=require('better-sqlite3');console.log(new D(process.argv[1]).prepare('SELECT max(version) v FROM schema_migrations').get().v)`, join(tmp.dir, 'store.sqlite')], { cwd: ROOT, encoding: 'utf8' }).trim();
    expect(String(versions[0]!.v)).toBe(sqliteVersions);
  }, 120_000);
});
