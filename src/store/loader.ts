// Stores one document's records. Everything of a document goes in one transaction, so a
// process killed at any point leaves the document either wholly present or wholly absent,
// and `ingest` can simply run again.
import type { CostItem, ExtractResult, Finding, Funding, Indicator, Project } from '../model/schema.js';
import { projectIdOf } from '../model/ids.js';
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from './db.js';
import type { StoredDoc } from './prefix.js';

export type LoadOutcome = 'inserted' | 'skipped' | 'replaced';

export interface LoadOptions {
  /** Delete an already stored document with the same doc_id and store this one instead. */
  replace?: boolean;
}

/** What the loader is told about a document's bytes besides its records. */
export interface StoreExtras {
  byteSize?: number;
  /** sha256 of the first kilobyte (prefix.ts). */
  headSha?: string;
  /** Hashes of the whole 4 KiB blocks (prefix.ts). */
  blockHashes?: Buffer;
  /** Stored documents this one supersedes (their bytes begin this one's): cleared in its transaction. */
  supersedes?: readonly StoredDoc[];
}

// Field lists checked against the schema types, so a renamed field fails to compile here.
export const PROJECT_FIELDS = [
  'variant', 'province', 'region', 'fiscal_year', 'form_title', 'agency', 'supervising_agency',
  'project_name', 'project_code', 'project_attribute', 'project_type', 'assessment_level',
  'function_code', 'function_name', 'annual_budget_yuan', 'period_budget_yuan', 'period_label',
  'period_start', 'period_end', 'manager', 'manager_phone', 'overview', 'annual_goal',
  'period_goal', 'execution_weight_pct', 'source_ref',
] as const satisfies readonly (keyof Project)[];

export const INDICATOR_FIELDS = [
  'ordinal', 'horizon', 'level1', 'level2', 'name', 'value_text', 'comparator', 'value_num',
  'value_unit', 'weight_pct', 'direction', 'note', 'source_ref',
] as const satisfies readonly (keyof Indicator)[];

export const COST_ITEM_FIELDS = [
  'ordinal', 'item', 'quantity', 'unit', 'unit_price_yuan', 'amount_yuan', 'source', 'source_ref',
] as const satisfies readonly (keyof CostItem)[];

export const FUNDING_FIELDS = ['horizon', 'source', 'amount_yuan', 'source_ref'] as const satisfies readonly (keyof Funding)[];

interface Prepared {
  exists: BetterStatement;
  status: BetterStatement;
  deleteDoc: BetterStatement;
  document: BetterStatement;
  project: BetterStatement;
  indicator: BetterStatement;
  costItem: BetterStatement;
  funding: BetterStatement;
  budgetLine: BetterStatement;
  finding: BetterStatement;
  clearProjects: BetterStatement;
  clearLines: BetterStatement;
  clearFindings: BetterStatement;
  markSuperseded: BetterStatement;
}
interface Statements extends Prepared {
  load: (result: ExtractResult, replace: boolean, extras: StoreExtras | undefined) => LoadOutcome;
  loadMany: (results: readonly ExtractResult[], replace: boolean, extras: readonly (StoreExtras | undefined)[]) => (LoadOutcome | Error)[];
}
type BetterStatement = BetterSqlite3.Statement;

// Preparing costs more than running these inserts; a Database keeps its statements for life.
const cache = new WeakMap<Database, Statements>();

function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}

function statementsOf(db: Database): Statements {
  const hit = cache.get(db);
  if (hit) return hit;
  const s: Prepared = {
    exists: db.prepare('SELECT 1 FROM documents WHERE doc_id = ?').pluck(),
    status: db.prepare('SELECT status FROM documents WHERE doc_id = ?').pluck(),
    deleteDoc: db.prepare('DELETE FROM documents WHERE doc_id = ?'),
    document: db.prepare(insertSql('documents', [
      'doc_id', 'source_path', 'source_kind', 'variant', 'pages', 'project_count', 'status', 'error',
      'pipeline_version', 'ingested_at', 'detection_json', 'byte_size', 'head_sha256', 'block_hashes',
    ])),
    project: db.prepare(insertSql('projects', ['project_id', 'doc_id', 'ordinal', ...PROJECT_FIELDS])),
    indicator: db.prepare(insertSql('indicators', ['project_id', ...INDICATOR_FIELDS])),
    costItem: db.prepare(insertSql('cost_items', ['project_id', ...COST_ITEM_FIELDS])),
    funding: db.prepare(insertSql('funding', ['project_id', 'ordinal', ...FUNDING_FIELDS])),
    budgetLine: db.prepare(insertSql('budget_lines', [
      'doc_id', 'table_title', 'row_ordinal', 'code', 'name', 'column', 'amount_yuan', 'source_ref',
    ])),
    finding: db.prepare(insertSql('findings', ['doc_id', 'project_id', 'severity', 'code', 'message', 'location'])),
    clearProjects: db.prepare('DELETE FROM projects WHERE doc_id = ?'),
    clearLines: db.prepare('DELETE FROM budget_lines WHERE doc_id = ?'),
    clearFindings: db.prepare('DELETE FROM findings WHERE doc_id = ?'),
    markSuperseded: db.prepare(
      `UPDATE documents SET status = 'failed', project_count = 0, error = ?, failure_reason = 'superseded', superseded_by = ?
        WHERE doc_id = ? AND superseded_by IS NULL`,
    ),
  };
  // IMMEDIATE: take the write lock before the existence check, so two ingesting processes
  // cannot both decide to insert, and a WAL reader never has to upgrade to a writer mid-way.
  const txn = db.transaction((result: ExtractResult, replace: boolean, extras: StoreExtras | undefined) => writeDocument(s, result, replace, extras));
  // Inside the outer transaction each document's own transaction becomes a SAVEPOINT, so one
  // document failing rolls back only that document, and the batch pays for one commit.
  const many = db.transaction((results: readonly ExtractResult[], replace: boolean, extras: readonly (StoreExtras | undefined)[]) =>
    results.map((r, i) => {
      try {
        return txn(r, replace, extras[i]);
      } catch (err) {
        return storeError(r, err);
      }
    }));
  const statements: Statements = {
    ...s,
    load: (result, replace, extras) => txn.immediate(result, replace, extras),
    loadMany: (results, replace, extras) => many.immediate(results, replace, extras),
  };
  cache.set(db, statements);
  return statements;
}

/** Values in column order; undefined becomes NULL because SQLite has no undefined. */
function pick<T extends object>(row: T, fields: readonly (keyof T)[]): unknown[] {
  return fields.map((f) => row[f] ?? null);
}

function writeDocument(s: Prepared, result: ExtractResult, replace: boolean, extras: StoreExtras | undefined): LoadOutcome {
  const doc = result.document;
  let outcome: LoadOutcome = 'inserted';
  if (s.exists.get(doc.doc_id) !== undefined) {
    if (!replace) return 'skipped';
    s.deleteDoc.run(doc.doc_id);
    outcome = 'replaced';
  }
  s.document.run(
    doc.doc_id, doc.source_path, doc.source_kind, doc.variant ?? null, doc.pages, doc.project_count,
    doc.status, doc.error ?? null, doc.pipeline_version, doc.ingested_at,
    doc.detection ? JSON.stringify(doc.detection) : null, extras?.byteSize ?? null, extras?.headSha ?? null, extras?.blockHashes ?? null,
  );
  for (const old of extras?.supersedes ?? []) supersede(s, old, doc.doc_id, doc.source_path);
  const ordinals = new Set<number>();
  for (const p of result.projects) {
    const projectId = projectIdOf(doc.doc_id, p.ordinal);
    ordinals.add(p.ordinal);
    s.project.run(projectId, doc.doc_id, p.ordinal, ...pick(p, PROJECT_FIELDS));
    for (const i of p.indicators) s.indicator.run(projectId, ...pick(i, INDICATOR_FIELDS));
    for (const c of p.cost_items) s.costItem.run(projectId, ...pick(c, COST_ITEM_FIELDS));
    p.funding.forEach((f, k) => s.funding.run(projectId, k + 1, ...pick(f, FUNDING_FIELDS)));
  }
  for (const b of result.budget_lines) {
    s.budgetLine.run(doc.doc_id, b.table_title, b.row_ordinal, b.code ?? null, b.name ?? null, b.column, b.amount_yuan, b.source_ref ?? null);
  }
  for (const f of result.findings) {
    s.finding.run(doc.doc_id, findingProjectId(doc.doc_id, f, ordinals), f.severity, f.code, f.message, f.location ?? null);
  }
  return outcome;
}

/** The short copy `old` loses its records and becomes a failed row naming its complete copy. */
function supersede(s: Prepared, old: StoredDoc, byId: string, byPath: string): void {
  const t = supersedeTexts(old, byId, byPath);
  if (s.markSuperseded.run(t.error, byId, old.docId).changes === 0) return;
  s.clearProjects.run(old.docId);
  s.clearLines.run(old.docId);
  s.clearFindings.run(old.docId);
  s.finding.run(old.docId, null, 'warning', 'DOCUMENT_SUPERSEDED', t.finding, null);
}

/** What a superseded short copy's row says: its error, and its DOCUMENT_SUPERSEDED finding's message. */
export function supersedeTexts(old: StoredDoc, byId: string, byPath: string): { error: string; finding: string } {
  return {
    error: `${old.path}: a copy cut short: its ${old.byteSize} bytes are the first ${old.byteSize} of ${byPath} (document ${byId.slice(0, 12)}); superseded by it, its records were removed`,
    finding: `superseded by ${byPath} (document ${byId.slice(0, 12)})`,
  };
}

export function findingProjectId(docId: string, f: Finding, ordinals: ReadonlySet<number>): string | null {
  if (f.project === null || f.project === undefined) return null;
  if (!ordinals.has(f.project)) {
    throw new Error(`finding ${f.code} refers to project ${f.project}, which the document does not have`);
  }
  return projectIdOf(docId, f.project);
}

/**
 * Stores `result` in one transaction. A doc_id already present is left alone ('skipped')
 * unless `replace`, which swaps the old records for the new ones in that same transaction.
 */
export function loadResult(db: Database, result: ExtractResult, opts: LoadOptions = {}, extras?: StoreExtras): LoadOutcome {
  const s = statementsOf(db);
  try {
    return s.load(result, opts.replace === true, extras);
  } catch (err) {
    throw storeError(result, err);
  }
}

/**
 * Stores several documents with one commit. Each document is still all-or-nothing: one that
 * fails is rolled back alone and reported in its slot, and a crash before the commit loses
 * whole documents only, which the next ingest stores again.
 */
export function loadResults(db: Database, results: readonly ExtractResult[], opts: LoadOptions = {}, extras: readonly (StoreExtras | undefined)[] = []): (LoadOutcome | Error)[] {
  return statementsOf(db).loadMany(results, opts.replace === true, extras);
}

export function storeError(result: ExtractResult, err: unknown): Error {
  const doc = result.document;
  const why = err instanceof Error ? err.message : String(err);
  return new Error(`${doc.source_path}: could not store document ${doc.doc_id.slice(0, 12)}: ${why}`, { cause: err });
}

export function docExists(db: Database, docId: string): boolean {
  return statementsOf(db).exists.get(docId) !== undefined;
}

export function docStatus(db: Database, docId: string): string | null {
  const status = statementsOf(db).status.get(docId);
  return typeof status === 'string' ? status : null;
}
