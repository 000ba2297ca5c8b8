// Stores documents' records. Everything of a document is all-or-nothing, so a process killed at
// any point leaves the document either wholly present or wholly absent, and `ingest` can simply
// run again. A batch (loadResults) is one transaction whose rows go in as few statements as
// possible: one multi-row INSERT of its documents rows, then multi-row INSERTs of each child
// table's rows for all of its documents. Should anything in it fail, that transaction is rolled
// back and the batch is stored again document by document, each in its own savepoint, so the
// failure costs that one document only.
import type { CostItem, ExtractResult, Finding, Funding, Indicator, Project } from '../model/schema.js';
import { projectIdOf } from '../model/ids.js';
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from './db.js';
import type { StoredDoc } from './prefix.js';
import { DEFAULT_OCR_ENGINE } from '../extract/ocr/engine.js';

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
  /** What the document was read with (documents.read_options): a failed one is read again when these change. */
  readOptions?: ReadOptionsRecord;
}

/** The options that decide how a document is read, as recorded with it. */
export interface ReadOptionsRecord {
  ocr: string;
  /** The engine that reads scanned cells. */
  ocrEngine: string;
}

/** documents.read_options as stored: a JSON object with sorted keys, so two equal sets compare equal as text. */
export function readOptionsText(o: ReadOptionsRecord | undefined): string | null {
  return o ? JSON.stringify({ ocr: o.ocr, ocrEngine: o.ocrEngine }) : null;
}

/**
 * documents.read_options as read back, with what a value stored before an option was recorded
 * meant: `{"ocr":"auto"}` was read by the default engine, and no value at all with the defaults.
 */
export function readOptionsOf(text: string | null): ReadOptionsRecord {
  let o: { ocr?: unknown; ocrEngine?: unknown } = {};
  try {
    const parsed: unknown = text === null ? {} : JSON.parse(text);
    if (parsed && typeof parsed === 'object') o = parsed as typeof o;
  } catch {
    // Not JSON (never written so): taken as the defaults, so the document is compared as read with them.
  }
  return {
    ocr: typeof o.ocr === 'string' ? o.ocr : 'auto',
    ocrEngine: typeof o.ocrEngine === 'string' ? o.ocrEngine : DEFAULT_OCR_ENGINE,
  };
}

/** documents.partial_reasons as stored and exported: the codes, `;` between them. */
export function partialReasonsText(reasons: readonly string[] | undefined): string | null {
  return reasons && reasons.length > 0 ? reasons.join(';') : null;
}

/** The finding columns after doc_id, in the order both stores write them. */
export const FINDING_COLUMNS = ['project_id', 'severity', 'code', 'message', 'location', 'indicator_ordinal', 'field'] as const;

/** A finding's row after doc_id, in FINDING_COLUMNS' order. */
export function findingRow(docId: string, f: Finding, ordinals: ReadonlySet<number>): unknown[] {
  return [findingProjectId(docId, f, ordinals), f.severity, f.code, f.message, f.location ?? null, f.indicator ?? null, f.field ?? null];
}

const DUPLICATE_MESSAGE = `d.source_path || ' holds the same form as ' || od.source_path || ' (project ' || o.project_id || '): the same region, fiscal year, agency and project name; counted once, from the better source (projects.duplicate_of)'`;

/**
 * DUPLICATE_FORM findings between the projects of document @doc and those of other documents
 * with the same form key, on both sides: so every copy says so, whichever came first and
 * however documents were batched. One finding a project, naming one other file that holds the
 * form (the copy with the lowest project id, which is not always the first stored): a form
 * copied into n files then has n findings, not n², and a new copy adds one. A finding already there is not written twice (a re-read document finds the
 * other copy's finding about it in place). Which copy is counted is not decided here but by
 * the form_copies view, which stays right whatever is re-read or removed later. Both stores
 * run it, PostgreSQL through its dialect.
 */
// Two statements, one per side, each starting from an index (the document's own projects by
// doc_id, the others by form_key): never a scan of all projects.
// (`x.code || ''` keeps SQLite on the findings_project index rather than findings_code.)
const duplicateFindingsSql = (side: 'p' | 'o') => `
INSERT INTO findings (doc_id, project_id, severity, code, message, location, indicator_ordinal, field)
SELECT p.doc_id, p.project_id, 'warning', 'DUPLICATE_FORM', ${DUPLICATE_MESSAGE}, p.source_ref, NULL, 'duplicate_of'
  FROM projects p JOIN documents d ON d.doc_id = p.doc_id
  JOIN projects o ON o.project_id = (SELECT min(o2.project_id) FROM projects o2 WHERE o2.form_key = p.form_key AND o2.doc_id <> p.doc_id)
  JOIN documents od ON od.doc_id = o.doc_id
 WHERE ${side === 'p' ? 'p.doc_id = @doc' : 'p.doc_id <> @doc AND p.form_key IN (SELECT n.form_key FROM projects n WHERE n.doc_id = @doc AND n.form_key IS NOT NULL)'}
   AND p.form_key IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM findings x WHERE x.project_id = p.project_id AND x.code || '' = 'DUPLICATE_FORM')`;

export const DUPLICATE_FINDINGS_SQL: readonly string[] = [duplicateFindingsSql('p'), duplicateFindingsSql('o')];

// Field lists checked against the schema types, so a renamed field fails to compile here.
export const PROJECT_FIELDS = [
  'variant', 'province', 'region', 'fiscal_year', 'form_title', 'agency', 'supervising_agency',
  'project_name', 'project_code', 'project_attribute', 'project_type', 'assessment_level',
  'function_code', 'function_name', 'annual_budget_yuan', 'period_budget_yuan', 'period_label',
  'period_start', 'period_end', 'manager', 'manager_phone', 'overview', 'annual_goal',
  'period_goal', 'execution_weight_pct', 'source_ref', 'form_key',
] as const satisfies readonly (keyof Project)[];

export const INDICATOR_FIELDS = [
  'ordinal', 'horizon', 'level1', 'level2', 'name', 'value_text', 'comparator', 'value_num',
  'value_unit', 'weight_pct', 'direction', 'note', 'source_ref', 'value_ref',
] as const satisfies readonly (keyof Indicator)[];

export const COST_ITEM_FIELDS = [
  'ordinal', 'item', 'quantity', 'unit', 'unit_price_yuan', 'amount_yuan', 'source', 'source_ref',
] as const satisfies readonly (keyof CostItem)[];

export const FUNDING_FIELDS = ['horizon', 'source', 'amount_yuan', 'source_ref'] as const satisfies readonly (keyof Funding)[];

/** The documents columns SQLite writes (run_id and failure_reason come from the run's trigger, runs/ledger.ts). */
export const DOCUMENT_COLUMNS = [
  'doc_id', 'source_path', 'source_kind', 'variant', 'pages', 'project_count', 'status', 'error',
  'pipeline_version', 'ingested_at', 'detection_json', 'byte_size', 'head_sha256', 'block_hashes',
  'partial_reasons', 'read_options',
] as const;

/** A document's child tables and their columns, parents first: the order rows are inserted in. */
export const CHILD_COLUMNS = {
  projects: ['project_id', 'doc_id', 'ordinal', ...PROJECT_FIELDS],
  indicators: ['project_id', ...INDICATOR_FIELDS],
  cost_items: ['project_id', ...COST_ITEM_FIELDS],
  funding: ['project_id', 'ordinal', ...FUNDING_FIELDS],
  budget_lines: ['doc_id', 'table_title', 'row_ordinal', 'code', 'name', 'column', 'amount_yuan', 'source_ref'],
  findings: ['doc_id', ...FINDING_COLUMNS],
} as const satisfies Record<string, readonly string[]>;

export type ChildTable = keyof typeof CHILD_COLUMNS;
const CHILD_TABLES = Object.keys(CHILD_COLUMNS) as ChildTable[];

/** A document's rows in column order: its documents row and its child rows by table. */
export interface DocumentRows {
  doc: unknown[];
  children: Record<ChildTable, unknown[][]>;
}

/** Values in column order; undefined becomes NULL because SQLite has no undefined. */
function pick<T extends object>(row: T, fields: readonly (keyof T)[]): unknown[] {
  return fields.map((f) => row[f] ?? null);
}

/** The rows of one document; throws (a finding naming a project the document lacks) before anything is written. */
export function documentRows(result: ExtractResult, extras: StoreExtras | undefined): DocumentRows {
  const d = result.document;
  const doc = [
    d.doc_id, d.source_path, d.source_kind, d.variant ?? null, d.pages, d.project_count,
    d.status, d.error ?? null, d.pipeline_version, d.ingested_at,
    d.detection ? JSON.stringify(d.detection) : null, extras?.byteSize ?? null, extras?.headSha ?? null, extras?.blockHashes ?? null,
    partialReasonsText(d.partial_reasons), readOptionsText(extras?.readOptions),
  ];
  const children: Record<ChildTable, unknown[][]> = { projects: [], indicators: [], cost_items: [], funding: [], budget_lines: [], findings: [] };
  const ordinals = new Set<number>();
  for (const p of result.projects) {
    const projectId = projectIdOf(d.doc_id, p.ordinal);
    ordinals.add(p.ordinal);
    children.projects.push([projectId, d.doc_id, p.ordinal, ...pick(p, PROJECT_FIELDS)]);
    for (const i of p.indicators) children.indicators.push([projectId, ...pick(i, INDICATOR_FIELDS)]);
    for (const c of p.cost_items) children.cost_items.push([projectId, ...pick(c, COST_ITEM_FIELDS)]);
    p.funding.forEach((f, k) => children.funding.push([projectId, k + 1, ...pick(f, FUNDING_FIELDS)]));
  }
  for (const b of result.budget_lines) {
    children.budget_lines.push([d.doc_id, b.table_title, b.row_ordinal, b.code ?? null, b.name ?? null, b.column, b.amount_yuan, b.source_ref ?? null]);
  }
  for (const f of result.findings) {
    children.findings.push([d.doc_id, ...findingRow(d.doc_id, f, ordinals)]);
  }
  return { doc, children };
}

/** Parameters per INSERT at most: past a few hundred, a longer statement saves nothing more. */
const PARAMS_PER_INSERT = 1000;

type BetterStatement = BetterSqlite3.Statement;

/**
 * Multi-row INSERTs into one table. Rows go in chunks of powers of two (64, 32, … 1 rows a
 * statement), so a table needs a handful of prepared statements whatever the row counts, and
 * rows keep their order (INTEGER PRIMARY KEYs are given in the order the rows were made).
 */
class MultiInsert {
  private readonly bySize = new Map<number, BetterStatement>();
  private readonly maxRows: number;
  private readonly tuple: string;
  private readonly head: string;

  constructor(private readonly db: Database, table: string, private readonly columns: readonly string[], private readonly tail = '') {
    this.tuple = `(${columns.map(() => '?').join(', ')})`;
    this.head = `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
    let m = 1;
    while (m * 2 * columns.length <= PARAMS_PER_INSERT && m < 64) m *= 2;
    this.maxRows = m;
  }

  private statement(rows: number): BetterStatement {
    let s = this.bySize.get(rows);
    if (!s) {
      s = this.db.prepare(`${this.head}${Array.from({ length: rows }, () => this.tuple).join(', ')}${this.tail}`);
      this.bySize.set(rows, s);
    }
    return s;
  }

  /** Inserts `rows`; with a RETURNING tail, returns what the statements returned. */
  run(rows: readonly (readonly unknown[])[]): unknown[] {
    const returned: unknown[] = [];
    let at = 0;
    while (at < rows.length) {
      let size = this.maxRows;
      while (size > rows.length - at) size >>= 1;
      const values: unknown[] = new Array(size * this.columns.length);
      let k = 0;
      for (let r = at; r < at + size; r++) {
        const row = rows[r]!;
        if (row.length !== this.columns.length) throw new Error(`a row of ${row.length} values for ${this.columns.length} columns`);
        for (let c = 0; c < row.length; c++) values[k++] = row[c];
      }
      const s = this.statement(size);
      if (s.reader) returned.push(...s.all(values));
      else s.run(values);
      at += size;
    }
    return returned;
  }
}

interface Prepared {
  exists: BetterStatement;
  status: BetterStatement;
  deleteDoc: BetterStatement;
  document: MultiInsert;
  /** Documents rows that are new; returns the doc_ids inserted. */
  newDocuments: MultiInsert;
  children: Record<ChildTable, MultiInsert>;
  clearProjects: BetterStatement;
  clearLines: BetterStatement;
  clearFindings: BetterStatement;
  markSuperseded: BetterStatement;
  duplicates: BetterStatement[];
}
type Batch = (results: readonly ExtractResult[], replace: boolean, extras: readonly (StoreExtras | undefined)[]) => (LoadOutcome | Error)[];
interface Statements extends Prepared {
  load: (result: ExtractResult, replace: boolean, extras: StoreExtras | undefined) => LoadOutcome;
  loadMany: Batch;
}

// Preparing costs more than running these inserts; a Database keeps its statements for life.
const cache = new WeakMap<Database, Statements>();

function statementsOf(db: Database): Statements {
  const hit = cache.get(db);
  if (hit) return hit;
  const s: Prepared = {
    exists: db.prepare('SELECT 1 FROM documents WHERE doc_id = ?').pluck(),
    status: db.prepare('SELECT status FROM documents WHERE doc_id = ?').pluck(),
    deleteDoc: db.prepare('DELETE FROM documents WHERE doc_id = ?'),
    document: new MultiInsert(db, 'documents', DOCUMENT_COLUMNS),
    newDocuments: new MultiInsert(db, 'documents', DOCUMENT_COLUMNS, ' ON CONFLICT (doc_id) DO NOTHING RETURNING doc_id'),
    children: Object.fromEntries(CHILD_TABLES.map((t) => [t, new MultiInsert(db, t, CHILD_COLUMNS[t])])) as Record<ChildTable, MultiInsert>,
    clearProjects: db.prepare('DELETE FROM projects WHERE doc_id = ?'),
    clearLines: db.prepare('DELETE FROM budget_lines WHERE doc_id = ?'),
    clearFindings: db.prepare('DELETE FROM findings WHERE doc_id = ?'),
    duplicates: DUPLICATE_FINDINGS_SQL.map((sql) => db.prepare(sql)),
    markSuperseded: db.prepare(
      `UPDATE documents SET status = 'failed', project_count = 0, error = ?, failure_reason = 'superseded', superseded_by = ?
        WHERE doc_id = ? AND superseded_by IS NULL`,
    ),
  };
  // IMMEDIATE: take the write lock before the existence check, so two ingesting processes
  // cannot both decide to insert, and a WAL reader never has to upgrade to a writer mid-way.
  const txn = db.transaction((result: ExtractResult, replace: boolean, extras: StoreExtras | undefined) =>
    writeDocument(s, result, documentRows(result, extras), replace, extras));
  // Inside the outer transaction each document's own transaction becomes a SAVEPOINT, so one
  // document failing rolls back only that document.
  const oneByOne = db.transaction((results: readonly ExtractResult[], replace: boolean, extras: readonly (StoreExtras | undefined)[]) =>
    results.map((r, i) => {
      try {
        return txn(r, replace, extras[i]);
      } catch (err) {
        return storeError(r, err);
      }
    }));
  const together = db.transaction((docs: readonly BatchDoc[]) => writeBatch(s, docs));
  const statements: Statements = {
    ...s,
    load: (result, replace, extras) => txn.immediate(result, replace, extras),
    loadMany: (results, replace, extras) => {
      if (replace) return oneByOne.immediate(results, replace, extras);
      const out: (LoadOutcome | Error)[] = new Array(results.length);
      const docs: BatchDoc[] = [];
      results.forEach((result, at) => {
        try {
          docs.push({ at, result, rows: documentRows(result, extras[at]), extras: extras[at] });
        } catch (err) {
          out[at] = storeError(result, err);
        }
      });
      let outcomes: LoadOutcome[];
      try {
        outcomes = together.immediate(docs);
      } catch (err) {
        // Another process holding the lock past the busy timeout fails the batch, not a document.
        if (isBusy(err)) throw err;
        const again = oneByOne.immediate(docs.map((d) => d.result), false, docs.map((d) => d.extras));
        docs.forEach((d, k) => { out[d.at] = again[k]!; });
        return out;
      }
      docs.forEach((d, k) => { out[d.at] = outcomes[k]!; });
      return out;
    },
  };
  cache.set(db, statements);
  return statements;
}

interface BatchDoc {
  at: number;
  result: ExtractResult;
  rows: DocumentRows;
  extras: StoreExtras | undefined;
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

/**
 * The batch in the current transaction, no savepoints: its new documents rows in one go, then
 * each child table's rows of those documents. A document that supersedes others (rare) is
 * written on its own after them, as it also changes the documents it supersedes.
 */
function writeBatch(s: Prepared, docs: readonly BatchDoc[]): LoadOutcome[] {
  const plain = new Set(docs.filter((d) => (d.extras?.supersedes?.length ?? 0) === 0));
  const inserted = new Set(s.newDocuments.run([...plain].map((d) => d.rows.doc)).map((r) => (r as { doc_id: string }).doc_id));
  // The same bytes twice in one batch: the first is stored, the second skipped.
  const fresh = new Set<BatchDoc>();
  for (const d of plain) {
    const id = d.result.document.doc_id;
    if (inserted.delete(id)) fresh.add(d);
  }
  for (const t of CHILD_TABLES) s.children[t].run([...fresh].flatMap((d) => d.rows.children[t]));
  // After every document of the batch is in: two copies in one batch find each other once.
  for (const d of fresh) markDuplicates(s, d.result);
  return docs.map((d) => {
    if (fresh.has(d)) return 'inserted';
    if (plain.has(d)) return 'skipped';
    return writeDocument(s, d.result, d.rows, false, d.extras);
  });
}

function writeDocument(s: Prepared, result: ExtractResult, rows: DocumentRows, replace: boolean, extras: StoreExtras | undefined): LoadOutcome {
  const doc = result.document;
  let outcome: LoadOutcome = 'inserted';
  if (s.exists.get(doc.doc_id) !== undefined) {
    if (!replace) return 'skipped';
    s.deleteDoc.run(doc.doc_id);
    outcome = 'replaced';
  }
  s.document.run([rows.doc]);
  for (const old of extras?.supersedes ?? []) supersede(s, old, doc.doc_id, doc.source_path);
  for (const t of CHILD_TABLES) s.children[t].run(rows.children[t]);
  markDuplicates(s, result);
  return outcome;
}

function markDuplicates(s: Prepared, result: ExtractResult): void {
  if (result.projects.some((p) => p.form_key)) for (const st of s.duplicates) st.run({ doc: result.document.doc_id });
}

/** The short copy `old` loses its records and becomes a failed row naming its complete copy. */
function supersede(s: Prepared, old: StoredDoc, byId: string, byPath: string): void {
  const t = supersedeTexts(old, byId, byPath);
  if (s.markSuperseded.run(t.error, byId, old.docId).changes === 0) return;
  s.clearProjects.run(old.docId);
  s.clearLines.run(old.docId);
  s.clearFindings.run(old.docId);
  s.children.findings.run([[old.docId, null, 'warning', 'DOCUMENT_SUPERSEDED', t.finding, null, null, null]]);
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
