// Batches: many documents in one transaction, each still all-or-nothing. A document that fails
// part-way through a batch (a constraint in a child table, a bad documents row, a finding that
// names a project the document lacks) costs that document only: the ones before and after it
// are stored whole, exactly as they would be one by one, and foreign keys hold.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { docIdOf, projectIdOf } from '../src/model/ids.js';
import { ExtractResult } from '../src/model/schema.js';
import { BatchLoader } from '../src/pipeline/batchLoader.js';
import { ingestPaths, type DocEvent } from '../src/pipeline/ingest.js';
import { closeDb, openDb, type Database } from '../src/store/db.js';
import { loadResult, loadResults } from '../src/store/loader.js';

const TABLES = ['documents', 'projects', 'indicators', 'cost_items', 'funding', 'budget_lines', 'findings'] as const;

/** Document `n`: two projects, five indicators, a cost item, two funding lines, a budget line, three findings. */
function doc(n: number): ExtractResult {
  const id = docIdOf(Buffer.from(`batch document ${n}`));
  const indicator = (ordinal: number, horizon: 'annual' | 'period', name: string) => ({
    ordinal, horizon, level1: '产出指标', level2: '数量指标', name, value_text: `≥${n}%`, comparator: '>=', value_num: n,
    value_unit: '%', weight_pct: null, direction: null, note: null, source_ref: `line ${ordinal}`,
  });
  const project = (ordinal: number, indicators: ReturnType<typeof indicator>[]) => ({
    ordinal, variant: 'generic', province: '四川省', region: '绵阳市', fiscal_year: 2021, form_title: '绩效目标表',
    agency: `单位${n}`, supervising_agency: null, project_name: `项目${n}-${ordinal}`, project_code: null,
    project_attribute: null, project_type: null, assessment_level: null, function_code: null, function_name: null,
    annual_budget_yuan: 1000 * n + ordinal, period_budget_yuan: null, period_label: null, period_start: null, period_end: null,
    manager: null, manager_phone: null, overview: null, annual_goal: `目标${n}`, period_goal: null, execution_weight_pct: null,
    source_ref: `line ${ordinal * 10}`, indicators,
    cost_items: ordinal === 1 ? [{ ordinal: 1, item: '采购', quantity: 1, unit: '项', unit_price_yuan: 10, amount_yuan: 10, source: 'indicator', source_ref: null }] : [],
    funding: ordinal === 1 ? [
      { horizon: 'annual', source: '财政拨款', amount_yuan: 600, source_ref: null },
      { horizon: 'annual', source: '单位资金', amount_yuan: 400, source_ref: null },
    ] : [],
  });
  return ExtractResult.parse({
    document: {
      doc_id: id, source_path: `batch/d${String(n).padStart(3, '0')}.txt`, source_kind: 'text', variant: 'generic', pages: 1,
      project_count: 2, status: 'partial', error: null, pipeline_version: '0.1.0', ingested_at: '2024-05-01T08:00:00.000Z', detection: null,
    },
    projects: [
      project(1, [indicator(1, 'annual', '甲'), indicator(2, 'annual', '乙'), indicator(2, 'period', '乙')]),
      project(2, [indicator(1, 'annual', '丙'), indicator(2, 'annual', '丁')]),
    ],
    budget_lines: [{ table_title: '支出表', row_ordinal: 1, code: '2050201', name: '学前教育', column: '合计', amount_yuan: n, source_ref: null }],
    findings: [
      { project: 1, severity: 'warning', code: 'COST_NE_BUDGET', message: `m${n}`, location: null },
      { project: null, severity: 'info', code: 'TABLE_STITCHED', message: 'stitched', location: 'p2' },
      { project: 2, severity: 'warning', code: 'ROW_MISALIGNED', message: 'moved', location: 'line 3' },
    ],
  });
}

const PER_DOC = { documents: 1, projects: 2, indicators: 5, cost_items: 1, funding: 2, budget_lines: 1, findings: 3 };

/** Rows of every table that belong to the document `id`. */
function rowsOf(db: Database, id: string): Record<string, number> {
  const prefix = `${id.slice(0, 12)}-%`;
  const one = (sql: string, p: string) => db.prepare(sql).pluck().get(p) as number;
  return {
    documents: one('SELECT count(*) FROM documents WHERE doc_id = ?', id),
    projects: one('SELECT count(*) FROM projects WHERE doc_id = ?', id),
    indicators: one('SELECT count(*) FROM indicators WHERE project_id LIKE ?', prefix),
    cost_items: one('SELECT count(*) FROM cost_items WHERE project_id LIKE ?', prefix),
    funding: one('SELECT count(*) FROM funding WHERE project_id LIKE ?', prefix),
    budget_lines: one('SELECT count(*) FROM budget_lines WHERE doc_id = ?', id),
    findings: one('SELECT count(*) FROM findings WHERE doc_id = ?', id),
  };
}

/** Every row of every table, in storage order (rowid and integer keys included). */
function dump(db: Database): Record<string, unknown[]> {
  return Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT rowid AS r, * FROM ${t} ORDER BY rowid`).all()]));
}

function sound(db: Database): void {
  expect(db.pragma('foreign_key_check')).toEqual([]);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.inTransaction).toBe(false);
}

/** Three ways a document fails: a duplicate key in a child table, a row the documents table refuses, a finding about no project. */
function broken(n: number, how: 'child' | 'document' | 'finding'): ExtractResult {
  const r = doc(n);
  if (how === 'child') r.projects[1]!.indicators.push({ ...r.projects[1]!.indicators[0]! });
  if (how === 'document') (r.document as { status: string }).status = 'half-done';
  if (how === 'finding') r.findings.push({ project: 9, severity: 'warning', code: 'X', message: 'm', location: null });
  return r;
}

let dir: string;
let db: Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'govtables-batch-'));
  db = openDb(join(dir, 'db.sqlite'));
});
afterEach(() => {
  closeDb(db);
  rmSync(dir, { recursive: true, force: true });
});

describe('a batch of documents', () => {
  const N = 40;
  const BAD = { 7: 'child', 19: 'document', 33: 'finding' } as const;
  const batch = () => Array.from({ length: N }, (_, n) => (n in BAD ? broken(n, BAD[n as keyof typeof BAD]) : doc(n)));

  test('a failure mid-batch leaves the documents before and after it whole and the failing one absent', () => {
    const outcomes = loadResults(db, batch());
    outcomes.forEach((o, n) => {
      if (n in BAD) {
        expect(o, `document ${n}`).toBeInstanceOf(Error);
        expect((o as Error).message).toMatch(new RegExp(`^batch/d${String(n).padStart(3, '0')}\\.txt: could not store document [0-9a-f]{12}: `));
      } else {
        expect(o, `document ${n}`).toBe('inserted');
      }
    });
    expect((outcomes[7] as Error).message).toMatch(/UNIQUE constraint failed: indicators/);
    expect((outcomes[19] as Error).message).toMatch(/CHECK constraint failed/);
    expect((outcomes[33] as Error).message).toMatch(/finding X refers to project 9/);
    for (let n = 0; n < N; n++) {
      const want = n in BAD ? Object.fromEntries(TABLES.map((t) => [t, 0])) : PER_DOC;
      expect(rowsOf(db, doc(n).document.doc_id), `document ${n}`).toEqual(want);
    }
    sound(db);

    // Re-ingest changes nothing: the stored ones are skipped, the broken ones fail again.
    const before = dump(db);
    const again = loadResults(db, batch());
    again.forEach((o, n) => (n in BAD ? expect(o).toBeInstanceOf(Error) : expect(o).toBe('skipped')));
    expect(dump(db)).toEqual(before);
    // Mended, they are stored, and nothing else moves.
    expect(loadResults(db, Object.keys(BAD).map((n) => doc(Number(n))))).toEqual(['inserted', 'inserted', 'inserted']);
    for (let n = 0; n < N; n++) expect(rowsOf(db, doc(n).document.doc_id)).toEqual(PER_DOC);
    sound(db);
  });

  test('a batch stores exactly what storing its documents one by one stores', () => {
    const alone = openDb(join(dir, 'alone.sqlite'));
    try {
      const docs = batch();
      for (const r of docs) {
        try { loadResult(alone, r); } catch { /* the broken ones, as in the batch */ }
      }
      loadResults(db, docs);
      expect(dump(db)).toEqual(dump(alone));
      // A clean batch (the fast path, no failure) too.
      const clean = Array.from({ length: 10 }, (_, k) => doc(100 + k));
      for (const r of clean) loadResult(alone, r);
      expect(loadResults(db, clean)).toEqual(clean.map(() => 'inserted'));
      expect(dump(db)).toEqual(dump(alone));
    } finally {
      closeDb(alone);
    }
  });

  test('the same document twice in one batch is stored once', () => {
    expect(loadResults(db, [doc(1), doc(2), doc(1)])).toEqual(['inserted', 'inserted', 'skipped']);
    expect(rowsOf(db, doc(1).document.doc_id)).toEqual(PER_DOC);
    expect(loadResults(db, [doc(1), broken(3, 'child'), doc(1), doc(4)]).map((o) => (o instanceof Error ? 'error' : o))).toEqual(['skipped', 'error', 'skipped', 'inserted']);
    expect(rowsOf(db, doc(1).document.doc_id)).toEqual(PER_DOC);
    sound(db);
  });

  test('through the batch loader: the failing document rejects, the others resolve once committed', async () => {
    const loader = new BatchLoader(db, 16, 60_000);
    const settled = Promise.allSettled(batch().map((r) => loader.add(r)));
    loader.flush();
    const outcomes = await settled;
    outcomes.forEach((o, n) => expect(o.status, `document ${n}`).toBe(n in BAD ? 'rejected' : 'fulfilled'));
    expect(db.prepare('SELECT count(*) FROM documents').pluck().get()).toBe(N - 3);
    sound(db);
  });
});

describe('ingest with a document that cannot be stored', () => {
  test('the files before and after it are stored, it is reported, and the next ingest stores it', async () => {
    const seeds = join(__dirname, '..', 'fixtures', 'text');
    const inbox = join(dir, 'inbox');
    mkdirSync(inbox);
    const names = readdirSync(seeds).filter((f) => f.endsWith('.txt')).sort();
    for (let i = 0; i < 12; i++) {
      writeFileSync(join(inbox, `f${String(i).padStart(2, '0')}.txt`), Buffer.concat([readFileSync(join(seeds, names[i % names.length]!)), Buffer.from(`\n\n${i}\n`)]));
    }
    const victim = join(inbox, 'f05.txt');
    const events: DocEvent[] = [];
    const summary = await ingestPaths(db, [inbox], {
      concurrency: 3,
      onDocument: (ev) => events.push(ev),
      // A defect that makes one document unstorable: two indicators with one key.
      beforeLoad: (r) => {
        if (r.document.source_path !== victim) return;
        const p = r.projects.find((x) => x.indicators.length > 0)!;
        p.indicators.push({ ...p.indicators[0]! });
      },
    });
    expect(summary.files).toBe(12);
    expect(summary.inserted).toBe(11);
    const bad = events.filter((e) => e.outcome === 'unreadable');
    expect(bad.map((e) => e.path)).toEqual([victim]);
    expect(bad[0]!.error).toMatch(/f05\.txt: could not store document [0-9a-f]{12}: UNIQUE constraint failed: indicators/);
    const stored = db.prepare('SELECT source_path FROM documents ORDER BY source_path').pluck().all() as string[];
    expect(stored).toEqual(events.filter((e) => e.outcome === 'inserted').map((e) => e.path).sort());
    expect(stored).not.toContain(victim);
    expect(stored).toHaveLength(11);
    const victimId = docIdOf(readFileSync(victim));
    expect(db.prepare('SELECT count(*) FROM projects WHERE project_id LIKE ?').pluck().get(`${victimId.slice(0, 12)}-%`)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM findings WHERE doc_id = ?').pluck().get(victimId)).toBe(0);
    sound(db);

    const again = await ingestPaths(db, [inbox], { concurrency: 3 });
    expect({ inserted: again.inserted, skipped: again.skipped }).toEqual({ inserted: 1, skipped: 11 });
    expect(db.prepare('SELECT count(*) FROM projects WHERE doc_id = ?').pluck().get(victimId)).toBeGreaterThan(0);
    expect(db.prepare('SELECT count(*) FROM projects WHERE project_id = ?').pluck().get(projectIdOf(victimId, 1))).toBe(1);
    sound(db);
  }, 60_000);
});
