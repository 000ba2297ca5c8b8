import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { docIdOf, projectIdOf } from '../src/model/ids.js';
import { ExtractResult, type Project } from '../src/model/schema.js';
import { closeDb, migrate, openDb, type Database } from '../src/store/db.js';
import { exportCsv } from '../src/store/exporter.js';
import { formatInteger, formatMoney, formatNumber } from '../src/store/format.js';
import { docExists, docStatus, loadResult, loadResults } from '../src/store/loader.js';
import { LATEST_VERSION, MIGRATIONS } from '../src/store/migrations.js';
import { checkContract } from './contract.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const TRICKY_NAME = '综合"服务",项目\n第二行';

function project(ordinal: number, over: Partial<Project> = {}): Project {
  return {
    ordinal, variant: 'mianyang', province: '四川省', region: '绵阳市', fiscal_year: 2021,
    form_title: '项目支出绩效目标申报表', agency: '绵阳市教育局', supervising_agency: '绵阳市教育局',
    project_name: `项目${ordinal}`, project_code: `51070021000000${ordinal}`, project_attribute: '经常性项目',
    project_type: null, assessment_level: null, function_code: '2050201', function_name: '学前教育',
    annual_budget_yuan: 18000, period_budget_yuan: null, period_label: '2021-2023',
    period_start: '2021-01-01', period_end: '2023-12-31', manager: '张三', manager_phone: '0816-1234567',
    overview: '概况', annual_goal: '年度目标', period_goal: null, execution_weight_pct: 10,
    source_ref: `line ${ordinal * 10}`, indicators: [], cost_items: [], funding: [],
    ...over,
  };
}

function okDocument(): ExtractResult {
  return ExtractResult.parse({
    document: {
      doc_id: docIdOf(Buffer.from('document a')), source_path: 'seeds/b.txt', source_kind: 'text',
      variant: 'mianyang', pages: 3, project_count: 2, status: 'partial', error: null,
      pipeline_version: '0.1.0', ingested_at: '2024-05-01T08:00:00.000Z',
      detection: { confidence: 0.9, evidence: ['项目支出绩效目标申报表'], forced: false },
    },
    projects: [
      project(1, {
        project_name: TRICKY_NAME,
        period_budget_yuan: 0.1 + 0.2,
        indicators: [
          {
            ordinal: 1, horizon: 'annual', level1: '产出指标', level2: '成本指标', name: '采购',
            value_text: '数量：1.00,单位：项,单价：18000.00,金额：18000.00', comparator: '=', value_num: 18000,
            value_unit: '元', weight_pct: 20, direction: null, note: null, source_ref: 'line 12',
          },
          {
            ordinal: 2, horizon: 'annual', level1: '效益指标', level2: '社会效益指标', name: '人均年支出',
            value_text: '人均年支出<4.63万元。', comparator: '<', value_num: 4.63, value_unit: '万元',
            weight_pct: null, direction: 'negative', note: null, source_ref: 'line 13',
          },
          {
            ordinal: 2, horizon: 'period', level1: '效益指标', level2: '社会效益指标', name: '人均年支出',
            value_text: '<5万元', comparator: '<', value_num: 5, value_unit: '万元',
            weight_pct: null, direction: 'negative', note: null, source_ref: 'line 13',
          },
        ],
        cost_items: [{
          ordinal: 1, item: '采购', quantity: 1, unit: '项', unit_price_yuan: 18000, amount_yuan: 18000,
          source: 'indicator', source_ref: 'line 12',
        }],
        funding: [
          { horizon: 'annual', source: '财政拨款', amount_yuan: 12000, source_ref: 'line 5' },
          { horizon: 'annual', source: '单位资金', amount_yuan: 6000, source_ref: 'line 6' },
        ],
      }),
      project(2, {
        annual_budget_yuan: 46300,
        indicators: [{
          ordinal: 1, horizon: 'annual', level1: '满意度指标', level2: '服务对象满意度指标', name: '满意度',
          value_text: '≥95%', comparator: '>=', value_num: 95, value_unit: '%', weight_pct: null,
          direction: 'positive', note: null, source_ref: 'line 31',
        }, {
          ordinal: 2, horizon: 'annual', level1: '产出指标', level2: '数量指标', name: '服务人次',
          value_text: '1200000', comparator: '>=', value_num: 1200000, value_unit: '人次', weight_pct: 15,
          direction: 'positive', note: null, source_ref: 'line 32',
        }],
      }),
    ],
    budget_lines: [{
      table_title: '一般公共预算支出表', row_ordinal: 1, code: '2101504', name: '事业单位医疗',
      column: '本年支出/基本支出/人员经费支出', amount_yuan: 1234567.89, source_ref: 'line 80',
    }],
    findings: [
      { project: 1, severity: 'warning', code: 'COST_NE_BUDGET', message: '成本合计 ≠ 预算', location: 'line 12' },
      { project: null, severity: 'info', code: 'TABLE_STITCHED', message: 'table continued on page 2', location: 'p2' },
    ],
  });
}

function failedDocument(): ExtractResult {
  return ExtractResult.parse({
    document: {
      doc_id: docIdOf(Buffer.from('document b')), source_path: 'seeds/a.pdf', source_kind: 'pdf',
      variant: null, pages: 1, project_count: 0, status: 'failed', error: 'no form headings (项目名称, 指标值) on any page',
      pipeline_version: '0.1.0', ingested_at: '2024-05-01T08:00:01.000Z', detection: null,
    },
    projects: [],
    budget_lines: [],
    findings: [{ project: null, severity: 'error', code: 'NO_FORM', message: 'no form found', location: null }],
  });
}

const TABLES = ['documents', 'projects', 'indicators', 'cost_items', 'funding', 'budget_lines', 'findings'] as const;

function counts(db: Database): Record<string, number> {
  return Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number]));
}

const LOADED = { documents: 2, projects: 2, indicators: 5, cost_items: 1, funding: 2, budget_lines: 1, findings: 3 };

let dir: string;
let db: Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'govtables-store-'));
  db = openDb(join(dir, 'nested', 'db.sqlite'));
});
afterEach(() => {
  closeDb(db);
  rmSync(dir, { recursive: true, force: true });
});

describe('format', () => {
  test('money: plain yuan, at most two decimals, rounded on the decimal a person reads', () => {
    expect(formatMoney(18000)).toBe('18000');
    expect(formatMoney(4.63)).toBe('4.63');
    expect(formatMoney(0.1 + 0.2)).toBe('0.3');
    expect(formatMoney(12345678.005)).toBe('12345678.01');
    expect(formatMoney(1.005)).toBe('1.01');
    expect(formatMoney(0.125)).toBe('0.13');
    expect(formatMoney(-2.5)).toBe('-2.5');
    expect(formatMoney(-0.001)).toBe('0');
    expect(formatMoney(1e21)).toBe('1000000000000000000000');
    expect(formatMoney(123456789012.34)).toBe('123456789012.34');
    expect(formatMoney(null)).toBe('');
    expect(formatMoney(undefined)).toBe('');
    expect(() => formatMoney(Number.POSITIVE_INFINITY)).toThrow(/formatMoney: Infinity/);
    expect(formatMoney(-0)).toBe('0');
  });
  test('money: any amount in fen survives the double and comes back exactly', () => {
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let k = 0; k < 20000; k++) {
      const fen = (next() % 2_000_000_000) - 1_000_000_000 + (k % 2 ? next() * 1000 : 0);
      const abs = Math.abs(fen);
      const want = `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}${abs % 100 ? `.${String(abs % 100).padStart(2, '0')}`.replace(/0$/, '') : ''}`;
      expect(formatMoney(fen / 100)).toBe(want);
      expect(formatMoney((fen / 100) * 10000 / 10000)).toBe(want);
    }
  });
  test('numbers: no exponent, up to six decimals', () => {
    expect(formatNumber(1200000)).toBe('1200000');
    expect(formatNumber(95)).toBe('95');
    expect(formatNumber(4.63)).toBe('4.63');
    expect(formatNumber(1 / 3)).toBe('0.333333');
    expect(formatNumber(0.0000015)).toBe('0.000002');
    expect(formatNumber(1e-7)).toBe('0');
    expect(formatNumber(2.5e22)).toBe('25000000000000000000000');
    expect(formatNumber(null)).toBe('');
    expect(() => formatNumber(Number.NaN)).toThrow(/NaN/);
  });
  test('integers', () => {
    expect(formatInteger(2021)).toBe('2021');
    expect(formatInteger(0)).toBe('0');
    expect(formatInteger(null)).toBe('');
    expect(() => formatInteger(2.5)).toThrow(/not an integer/);
  });
});

describe('migrations', () => {
  test('versions run 1, 2, 3 … and a second open applies nothing', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    const file = join(dir, 'again.sqlite');
    const first = openDb(file);
    const rows = first.prepare('SELECT version, name, applied_at FROM schema_migrations').all();
    expect(rows).toHaveLength(LATEST_VERSION);
    expect(migrate(first, file)).toEqual([]);
    closeDb(first);
    const second = openDb(file);
    expect(second.prepare('SELECT version, name, applied_at FROM schema_migrations').all()).toEqual(rows);
    expect(second.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(second.pragma('foreign_keys', { simple: true })).toBe(1);
    closeDb(second);
  });

  test('a later migration is applied once, on top of the recorded ones', () => {
    const file = join(dir, 'later.sqlite');
    closeDb(openDb(file));
    const next = [...MIGRATIONS, { version: LATEST_VERSION + 1, name: 'notes', up: 'CREATE TABLE notes (x TEXT)' }];
    const db2 = openDb(file, next);
    expect(db2.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(LATEST_VERSION + 1);
    expect(migrate(db2, file, next)).toEqual([]);
    closeDb(db2);
  });

  test('a failing migration leaves neither its tables nor its version behind', () => {
    const file = join(dir, 'broken.sqlite');
    const broken = [...MIGRATIONS, { version: LATEST_VERSION + 1, name: 'broken', up: 'CREATE TABLE half (x); SELECT nope FROM missing;' }];
    expect(() => openDb(file, broken)).toThrow(/missing/);
    const db2 = openDb(file);
    expect(db2.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(LATEST_VERSION);
    expect(db2.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    closeDb(db2);
  });

  test('a file that is not a database is refused with its name', () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'x'.repeat(4096));
    expect(() => openDb(file)).toThrow(`${file}: file is not a database`);
  });

  test('a database from a newer govtables is refused with both versions and the file named', () => {
    const file = join(dir, 'newer.sqlite');
    const db2 = openDb(file);
    db2.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(LATEST_VERSION + 1, 'future', '2030-01-01');
    closeDb(db2);
    expect(() => openDb(file)).toThrow(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: database schema version ${LATEST_VERSION + 1} is newer than this govtables knows \\(${LATEST_VERSION}\\)`),
    );
  });
});

describe('loader', () => {
  test('stores every record of a document, failed documents too', () => {
    const ok = okDocument();
    const failed = failedDocument();
    expect(loadResult(db, ok)).toBe('inserted');
    expect(loadResult(db, failed)).toBe('inserted');
    expect(counts(db)).toEqual(LOADED);

    const docId = ok.document.doc_id;
    const doc = db.prepare('SELECT * FROM documents WHERE doc_id = ?').get(docId) as Record<string, unknown>;
    expect(doc).toMatchObject({ source_kind: 'text', variant: 'mianyang', pages: 3, project_count: 2, status: 'partial' });
    expect(JSON.parse(doc.detection_json as string)).toEqual(ok.document.detection);
    expect(docStatus(db, failed.document.doc_id)).toBe('failed');
    expect(docStatus(db, 'f'.repeat(64))).toBeNull();
    expect(docExists(db, docId)).toBe(true);
    expect(docExists(db, 'f'.repeat(64))).toBe(false);

    const p1 = db.prepare('SELECT * FROM projects WHERE project_id = ?').get(projectIdOf(docId, 1)) as Record<string, unknown>;
    expect(p1).toMatchObject({ doc_id: docId, ordinal: 1, variant: 'mianyang', fiscal_year: 2021, project_name: TRICKY_NAME, annual_budget_yuan: 18000, source_ref: 'line 10' });
    expect(db.prepare('SELECT value_num, comparator FROM indicators WHERE project_id = ? AND ordinal = 2 AND horizon = ?')
      .get(projectIdOf(docId, 1), 'annual')).toEqual({ value_num: 4.63, comparator: '<' });
    expect(db.prepare('SELECT ordinal, source, amount_yuan FROM funding ORDER BY ordinal').all()).toEqual([
      { ordinal: 1, source: '财政拨款', amount_yuan: 12000 },
      { ordinal: 2, source: '单位资金', amount_yuan: 6000 },
    ]);
    expect(db.prepare('SELECT "column", code FROM budget_lines').get()).toEqual({ column: '本年支出/基本支出/人员经费支出', code: '2101504' });
    expect(db.prepare('SELECT code, project_id FROM findings WHERE doc_id = ? ORDER BY finding_id').all(docId)).toEqual([
      { code: 'COST_NE_BUDGET', project_id: projectIdOf(docId, 1) },
      { code: 'TABLE_STITCHED', project_id: null },
    ]);
  });

  test('a document already stored is skipped and nothing changes', () => {
    loadResult(db, okDocument());
    loadResult(db, failedDocument());
    const before = db.prepare('SELECT * FROM documents ORDER BY doc_id').all();
    const changed = okDocument();
    changed.document.status = 'ok';
    changed.projects[0]!.project_name = 'changed';
    expect(loadResult(db, changed)).toBe('skipped');
    expect(loadResult(db, failedDocument())).toBe('skipped');
    expect(counts(db)).toEqual(LOADED);
    expect(db.prepare('SELECT * FROM documents ORDER BY doc_id').all()).toEqual(before);
    expect(db.prepare('SELECT project_name FROM projects WHERE ordinal = 1').pluck().get()).toBe(TRICKY_NAME);
  });

  test('replace swaps the old records for the new ones', () => {
    loadResult(db, okDocument());
    const again = okDocument();
    again.document.project_count = 1;
    again.document.status = 'ok';
    again.projects = [again.projects[1]!];
    again.findings = [again.findings[1]!];
    expect(loadResult(db, again, { replace: true })).toBe('replaced');
    expect(counts(db)).toEqual({ documents: 1, projects: 1, indicators: 2, cost_items: 0, funding: 0, budget_lines: 1, findings: 1 });
    expect(docStatus(db, again.document.doc_id)).toBe('ok');
    expect(loadResult(db, failedDocument(), { replace: true })).toBe('inserted');
  });

  test('a failure part-way rolls the whole document back and names the file', () => {
    loadResult(db, failedDocument());
    const before = counts(db);

    const duplicate = okDocument();
    duplicate.projects[1]!.indicators.push({ ...duplicate.projects[1]!.indicators[0]! });
    expect(() => loadResult(db, duplicate)).toThrow(/^seeds\/b\.txt: could not store document [0-9a-f]{12}: UNIQUE constraint failed: indicators/);
    expect(docExists(db, duplicate.document.doc_id)).toBe(false);
    expect(counts(db)).toEqual(before);

    const notNull = okDocument();
    (notNull.projects[1] as { variant: unknown }).variant = null;
    expect(() => loadResult(db, notNull)).toThrow(/NOT NULL constraint failed: projects\.variant/);
    expect(counts(db)).toEqual(before);

    const orphanFinding = okDocument();
    orphanFinding.findings.push({ project: 7, severity: 'warning', code: 'X', message: 'm', location: null });
    expect(() => loadResult(db, orphanFinding)).toThrow(/finding X refers to project 7/);
    expect(counts(db)).toEqual(before);

    // A failed load must not poison the cached statements or leave a transaction open.
    expect(loadResult(db, okDocument())).toBe('inserted');
    expect(counts(db)).toEqual(LOADED);
  });

  test('replace that fails keeps the old document', () => {
    loadResult(db, okDocument());
    const bad = okDocument();
    bad.projects[1]!.indicators.push({ ...bad.projects[1]!.indicators[0]! });
    expect(() => loadResult(db, bad, { replace: true })).toThrow(/UNIQUE/);
    expect(counts(db)).toEqual({ ...LOADED, documents: 1, findings: 2 });
  });

  test('a batch commits once, yet a failing document is rolled back alone', () => {
    const bad = okDocument();
    bad.document.doc_id = docIdOf(Buffer.from('document c'));
    bad.document.source_path = 'seeds/c.txt';
    bad.projects[1]!.indicators.push({ ...bad.projects[1]!.indicators[0]! });
    const outcomes = loadResults(db, [okDocument(), bad, failedDocument()]);
    expect([outcomes[0], outcomes[2]]).toEqual(['inserted', 'inserted']);
    expect(outcomes[1]).toBeInstanceOf(Error);
    expect((outcomes[1] as Error).message).toMatch(/^seeds\/c\.txt: could not store document [0-9a-f]{12}: UNIQUE constraint failed/);
    expect(docExists(db, bad.document.doc_id)).toBe(false);
    expect(counts(db)).toEqual(LOADED);
    expect(db.inTransaction).toBe(false);
    expect(loadResults(db, [okDocument(), failedDocument()])).toEqual(['skipped', 'skipped']);
    expect(loadResults(db, [failedDocument()], { replace: true })).toEqual(['replaced']);
    expect(counts(db)).toEqual(LOADED);
  });

  test('a process killed in the middle of a document leaves none of it', () => {
    const file = join(dir, 'killed.sqlite');
    const fixture = join(dir, 'ok.json');
    writeFileSync(fixture, JSON.stringify(okDocument()));
    const child = join(dir, 'child.ts');
    // The trigger fires inside loadResult's transaction, once the document's projects and its
    // first indicators were written.
    writeFileSync(child, `
      import { readFileSync } from 'node:fs';
      import { openDb } from ${JSON.stringify(join(REPO, 'src/store/db.ts'))};
      import { loadResult } from ${JSON.stringify(join(REPO, 'src/store/loader.ts'))};
      const db = openDb(${JSON.stringify(file)});
      const failed = JSON.parse(${JSON.stringify(JSON.stringify(failedDocument()))});
      loadResult(db, failed);
      const result = JSON.parse(readFileSync(${JSON.stringify(fixture)}, 'utf8'));
      db.function('die', () => { process.kill(process.pid, 'SIGKILL'); return 0; });
      db.exec("CREATE TEMP TRIGGER die_mid_document AFTER INSERT ON main.indicators WHEN (SELECT count(*) FROM main.indicators) >= 4 BEGIN SELECT die(); END");
      loadResult(db, result);
      console.log('not killed');
    `);
    const run = spawnSync(process.execPath, [join(REPO, 'node_modules/vite-node/vite-node.mjs'), '--root', REPO, child], {
      encoding: 'utf8', cwd: REPO, timeout: 60_000,
    });
    expect(run.signal, run.stderr).toBe('SIGKILL');
    expect(run.stdout).not.toContain('not killed');
    const after = openDb(file);
    try {
      expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(counts(after)).toEqual({ documents: 1, projects: 0, indicators: 0, cost_items: 0, funding: 0, budget_lines: 0, findings: 1 });
      expect(docStatus(after, failedDocument().document.doc_id)).toBe('failed');
    } finally {
      closeDb(after);
    }
  }, 60_000);
});

describe('exporter', () => {
  const COLUMNS: Record<string, string> = {
    documents: 'doc_id source_path source_kind variant pages project_count status error pipeline_version ingested_at partial_reasons',
    projects: 'project_id doc_id ordinal variant province region fiscal_year form_title agency supervising_agency project_name project_code project_attribute project_type assessment_level function_code function_name annual_budget_yuan period_budget_yuan period_label period_start period_end manager manager_phone overview annual_goal period_goal execution_weight_pct source_ref form_key duplicate_of',
    indicators: 'project_id ordinal horizon level1 level2 name value_text comparator value_num value_unit weight_pct direction note source_ref value_ref',
    cost_items: 'project_id ordinal item quantity unit unit_price_yuan amount_yuan source source_ref',
    funding: 'project_id horizon source amount_yuan',
    budget_lines: 'doc_id table_title row_ordinal code name column amount_yuan source_ref',
    findings: 'doc_id project_id severity code message location indicator_ordinal field',
  };

  function readCsv(file: string): Record<string, string>[] {
    const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    return parsed.data;
  }

  test('writes the contract columns in order, formatted values and RFC 4180 quoting', () => {
    loadResult(db, okDocument());
    loadResult(db, failedDocument());
    const out = join(dir, 'csv');
    expect(exportCsv(db, out)).toEqual(LOADED);
    expect(readdirSync(out).sort()).toEqual(TABLES.map((t) => `${t}.csv`).sort());

    for (const t of TABLES) {
      const text = readFileSync(join(out, `${t}.csv`), 'utf8');
      expect(text.split('\n')[0], t).toBe(COLUMNS[t]!.split(' ').join(','));
      expect(text.endsWith('\n')).toBe(true);
      expect(text).not.toContain('\r');
    }
    const docs = readCsv(join(out, 'documents.csv'));
    expect(docs.map((d) => d.source_path)).toEqual(['seeds/a.pdf', 'seeds/b.txt']);
    expect(docs[0]).toMatchObject({ variant: '', pages: '1', project_count: '0', status: 'failed' });

    const projects = readCsv(join(out, 'projects.csv'));
    expect(projects.map((p) => p.ordinal)).toEqual(['1', '2']);
    expect(projects[0]).toMatchObject({
      project_name: TRICKY_NAME, fiscal_year: '2021', annual_budget_yuan: '18000', period_budget_yuan: '0.3',
      project_type: '', execution_weight_pct: '10', source_ref: 'line 10',
    });
    expect(readFileSync(join(out, 'projects.csv'), 'utf8')).toContain('"综合""服务"",项目\n第二行"');

    const indicators = readCsv(join(out, 'indicators.csv'));
    expect(indicators.map((i) => `${i.project_id}/${i.ordinal}/${i.horizon}`)).toEqual([
      '1-annual', '2-annual', '2-period', '1-annual', '2-annual',
    ].map((k, n) => `${projectIdOf(okDocument().document.doc_id, n < 3 ? 1 : 2)}/${k.replace('-', '/')}`));
    expect(indicators[0]).toMatchObject({ value_num: '18000', weight_pct: '20', comparator: '=' });
    expect(indicators[1]).toMatchObject({ value_num: '4.63', weight_pct: '', direction: 'negative' });
    expect(indicators[4]).toMatchObject({ value_num: '1200000', value_unit: '人次' });

    expect(readCsv(join(out, 'cost_items.csv'))[0]).toMatchObject({ quantity: '1', unit_price_yuan: '18000', amount_yuan: '18000' });
    expect(readCsv(join(out, 'funding.csv')).map((f) => `${f.source}:${f.amount_yuan}`)).toEqual(['财政拨款:12000', '单位资金:6000']);
    expect(readCsv(join(out, 'budget_lines.csv'))[0]).toMatchObject({ amount_yuan: '1234567.89', column: '本年支出/基本支出/人员经费支出' });
    const findings = readCsv(join(out, 'findings.csv'));
    expect(findings.map((f) => f.code)).toEqual(['NO_FORM', 'COST_NE_BUDGET', 'TABLE_STITCHED']);
    expect(findings[2]!.project_id).toBe('');

    expect(checkContract(out).problems).toEqual([]);
  });

  test('--bom starts every file with EF BB BF; without it none does', () => {
    loadResult(db, okDocument());
    const plain = join(dir, 'plain');
    const bom = join(dir, 'bom');
    exportCsv(db, plain);
    exportCsv(db, bom, { bom: true });
    for (const t of TABLES) {
      expect([...readFileSync(join(bom, `${t}.csv`)).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(readFileSync(join(plain, `${t}.csv`))[0]).not.toBe(0xef);
    }
    expect(checkContract(bom).problems).toEqual([]);
  });

  test('an empty database exports header-only files; a re-export overwrites', () => {
    const out = join(dir, 'empty');
    expect(exportCsv(db, out)).toEqual(Object.fromEntries(TABLES.map((t) => [t, 0])));
    expect(readFileSync(join(out, 'funding.csv'), 'utf8')).toBe('project_id,horizon,source,amount_yuan\n');
    loadResult(db, okDocument());
    expect(exportCsv(db, out).funding).toBe(2);
    expect(readCsv(join(out, 'funding.csv'))).toHaveLength(2);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('more rows than one chunk come out complete and in order', () => {
    const many = okDocument();
    many.projects = Array.from({ length: 60 }, (_, k) => project(k + 1, {
      indicators: Array.from({ length: 100 }, (_, i) => ({
        ordinal: i + 1, horizon: 'annual' as const, level1: null, level2: null, name: `指标${i + 1}`, value_text: null,
        comparator: null, value_num: null, value_unit: null, weight_pct: null, direction: null, note: null, source_ref: null,
      })),
    }));
    many.document.project_count = 60;
    many.findings = [];
    loadResult(db, many);
    const out = join(dir, 'many');
    expect(exportCsv(db, out).indicators).toBe(6000);
    const rows = readCsv(join(out, 'indicators.csv'));
    expect(rows).toHaveLength(6000);
    expect(rows[5000]).toMatchObject({ project_id: projectIdOf(many.document.doc_id, 51), ordinal: '1' });
    expect(rows.map((r) => r.project_id?.split('-')[1])).toEqual(Array.from({ length: 6000 }, (_, n) => String(Math.floor(n / 100) + 1)));
  });
});
