// One row per form: the same form stored from a dump and from a PDF is marked on both sides,
// and the analyst dataset, the report and its totals count it once, from the better source.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formKeyOf } from '../src/model/formKey.js';
import { ExtractResult } from '../src/model/schema.js';
import { extractFile } from '../src/pipeline/extract.js';
import { ingestPaths } from '../src/pipeline/ingest.js';
import { reportData, reportText } from '../src/runs/report.js';
import { exportSubset, findingsByCode } from '../src/runs/subset.js';
import { closeDb, openDb, type Database } from '../src/store/db.js';
import { exportCsv } from '../src/store/exporter.js';
import { loadResult } from '../src/store/loader.js';
import { FIXED_NOW, FIXTURES } from './helpers.js';
import { checkContract } from './contract.js';

const TEXT = join(FIXTURES, 'text', '001_5e2b26b8bb821a85.txt');
const PDF = join(FIXTURES, 'pdf', '001_5e2b26b8bb821a85.chromium.pdf');

function csv(file: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;
}

let dir: string;
let db: Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'govtables-forms-'));
  db = openDb(join(dir, 'db.sqlite'));
});
afterEach(() => {
  closeDb(db);
  rmSync(dir, { recursive: true, force: true });
});

describe('the form key', () => {
  it('is the same for prints that differ in spacing, width and punctuation, and absent without a name', () => {
    const a = { province: '安徽省', region: '六安市', fiscal_year: 2021, agency: '六安市医疗保险管理中心', project_name: '医保专项业务经费' };
    expect(formKeyOf({ ...a, project_name: ' 医保专项 业务经费。' })).toBe(formKeyOf(a));
    expect(formKeyOf({ ...a, agency: '六安市医疗保险管理中心（本级）' })).not.toBe(formKeyOf(a));
    expect(formKeyOf({ ...a, fiscal_year: 2022 })).not.toBe(formKeyOf(a));
    expect(formKeyOf({ ...a, project_name: null })).toBeNull();
  });
});

describe('a form stored from a dump and from a PDF', () => {
  it('is marked on both sides and counted once in the dataset, the report and the totals', async () => {
    const s = await ingestPaths(db, [TEXT, PDF], { now: FIXED_NOW, concurrency: 1 });
    expect(s.inserted).toBe(2);
    const out = join(dir, 'all');
    exportCsv(db, out);
    const docs = csv(join(out, 'documents.csv'));
    const projects = csv(join(out, 'projects.csv'));
    expect(projects).toHaveLength(6);
    const pathOf = (docId: string) => docs.find((d) => d.doc_id === docId)!.source_path;
    // Every form is in both files with one key; one copy of each pair names the other, counted there.
    const byKey = new Map<string, Record<string, string>[]>();
    for (const p of projects) byKey.set(p.form_key!, [...(byKey.get(p.form_key!) ?? []), p]);
    expect(byKey.size).toBe(3);
    for (const [key, pair] of byKey) {
      expect(key).not.toBe('');
      expect(pair).toHaveLength(2);
      const copies = pair.filter((p) => p.duplicate_of !== '');
      expect(copies, key).toHaveLength(1);
      const kept = pair.find((p) => p.duplicate_of === '')!;
      expect(copies[0]!.duplicate_of).toBe(kept.project_id);
    }
    // DUPLICATE_FORM on each of the six projects, naming both files.
    const findings = csv(join(out, 'findings.csv')).filter((f) => f.code === 'DUPLICATE_FORM');
    expect(findings).toHaveLength(6);
    for (const f of findings) {
      const other = docs.find((d) => d.doc_id !== f.doc_id)!.source_path;
      expect(f.message).toContain(pathOf(f.doc_id!));
      expect(f.message).toContain(other);
      expect(f.project_id).not.toBe('');
      expect(f.field).toBe('duplicate_of');
    }
    expect(checkContract(out).problems).toEqual([]);

    // The analyst dataset: each form once, budgets summed once.
    const analyst = join(dir, 'analyst');
    exportSubset(db, analyst, {});
    const once = csv(join(analyst, 'projects.csv'));
    expect(once).toHaveLength(3);
    expect(new Set(once.map((p) => p.form_key)).size).toBe(3);
    const text = await extractFile(TEXT, { now: FIXED_NOW });
    const sum = (xs: readonly (number | null)[]) => xs.reduce<number>((a, x) => a + (x ?? 0), 0);
    expect(sum(once.map((p) => (p.annual_budget_yuan === '' ? null : Number(p.annual_budget_yuan))))).toBe(sum(text.projects.map((p) => p.annual_budget_yuan)));
    expect(checkContract(analyst).problems).toEqual([]);
    const onceDocs = csv(join(analyst, 'documents.csv'));
    expect(onceDocs).toHaveLength(2);
    expect(onceDocs.reduce((a, d) => a + Number(d.project_count), 0)).toBe(3);

    const r = await reportData(db, 'db.sqlite');
    expect(r.projects).toBe(6);
    expect(r.copies).toBe(3);
    expect(r.totals).toMatchObject({ projects: 6, forms: 3 });
    expect(reportText(r)).toContain('6 projects (3 forms, each counted once)');
    expect(findingsByCode(db).find((c) => c.code === 'DUPLICATE_FORM')?.findings).toBe(6);
  }, 120_000);
});

describe('which copy is counted', () => {
  async function copyAs(kind: 'text' | 'pdf' | 'scan', id: string, extraFindings: number, ingested: string): Promise<ExtractResult> {
    const r = await extractFile(TEXT, { now: () => new Date(ingested) });
    const doc = { ...r.document, doc_id: id.repeat(64).slice(0, 64), source_kind: kind, source_path: `${kind}-${id}` };
    const findings = [...r.findings, ...Array.from({ length: extraFindings }, () => ({ project: 1, severity: 'warning' as const, code: 'OCR_LOW_CONFIDENCE', message: 'x', location: null }))];
    return ExtractResult.parse({ ...r, document: doc, findings });
  }

  const kept = () => db.prepare(`SELECT p.project_id, c.duplicate_of FROM projects p LEFT JOIN form_copies c ON c.project_id = p.project_id WHERE p.ordinal = 1 ORDER BY p.project_id`).all() as { project_id: string; duplicate_of: string | null }[];

  it('a text layer over a scan, whichever came first', async () => {
    loadResult(db, await copyAs('scan', 'a', 0, '2024-01-01T00:00:00Z'));
    loadResult(db, await copyAs('pdf', 'b', 0, '2024-02-01T00:00:00Z'));
    expect(kept()).toEqual([{ project_id: 'aaaaaaaaaaaa-1', duplicate_of: 'bbbbbbbbbbbb-1' }, { project_id: 'bbbbbbbbbbbb-1', duplicate_of: null }]);
  });

  it('a form in many files: one DUPLICATE_FORM a copy, naming another file that holds it, not one for every pair', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) loadResult(db, await copyAs('text', id, 0, '2024-01-01T00:00:00Z'));
    const rows = db.prepare(`SELECT project_id, message FROM findings WHERE code = 'DUPLICATE_FORM' ORDER BY project_id`).all() as { project_id: string; message: string }[];
    const projects = (db.prepare('SELECT count(*) AS n FROM projects').get() as { n: number }).n;
    expect(rows).toHaveLength(projects);
    expect(new Set(rows.map((r) => r.project_id)).size).toBe(projects);
    for (const r of rows) {
      const own = r.project_id[0]!;
      expect(r.message).toMatch(new RegExp(`^text-${own} holds the same form as text-[a-e] `));
      expect(r.message).not.toContain(`as text-${own} `);
    }
    // Read again, a copy keeps its one finding.
    loadResult(db, await copyAs('text', 'c', 0, '2024-01-01T00:00:00Z'), { replace: true });
    expect((db.prepare(`SELECT count(*) AS n FROM findings WHERE code = 'DUPLICATE_FORM'`).get() as { n: number }).n).toBe(projects);
  });

  it('then fewer findings, then the one stored first', async () => {
    loadResult(db, await copyAs('scan', 'a', 2, '2024-01-01T00:00:00Z'));
    loadResult(db, await copyAs('scan', 'b', 1, '2024-02-01T00:00:00Z'));
    loadResult(db, await copyAs('scan', 'c', 1, '2024-03-01T00:00:00Z'));
    expect(kept().map((k) => k.duplicate_of)).toEqual(['bbbbbbbbbbbb-1', null, 'bbbbbbbbbbbb-1']);
  });
});
