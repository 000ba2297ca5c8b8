// The contract's CSV files for a subset of projects (a year, a region, a form family). The
// subset is laid over the connection as TEMP views named like the tables: unqualified names
// resolve to the temp schema first, so exportCsv reads the views unchanged and every file keeps
// its one formatting, ordering and atomic write. Child tables, documents and findings follow
// the selected projects, so references between the files stay whole.
import Papa from 'papaparse';
import { findingSpec } from '../model/findings.js';
import { writeFileAtomic } from '../store/atomicFile.js';
import type { Database } from '../store/db.js';
import { EXPORT_TABLES, exportCsv, type ExportOptions } from '../store/exporter.js';
import type { SqlReader } from '../store/sql.js';
import { formatInteger } from '../store/format.js';

export interface ProjectFilter {
  fiscalYear?: number;
  /** Matches the project's region or its province as printed (绵阳市, 四川省). */
  region?: string;
  variant?: string;
}

const VIEWED = ['documents', 'projects', 'indicators', 'cost_items', 'funding', 'budget_lines', 'findings'] as const;

function quote(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

export function projectWhere(f: ProjectFilter): string | null {
  const terms: string[] = [];
  if (f.fiscalYear !== undefined) terms.push(`fiscal_year = ${formatInteger(f.fiscalYear)}`);
  if (f.region !== undefined) terms.push(`(region = ${quote(f.region)} OR province = ${quote(f.region)})`);
  if (f.variant !== undefined) terms.push(`variant = ${quote(f.variant)}`);
  return terms.length ? terms.join(' AND ') : null;
}

/**
 * The TEMP views of the subset, over the tables of schema `base` (`main` in SQLite; in
 * PostgreSQL the store's schema, and `pg_temp` is where TEMP views live); null for no filter
 * when every form may be listed. With `onePerForm`, a project whose form another document holds
 * from a better source (form_copies) is left out, so a total over projects.csv counts each form
 * once; documents.csv's project_count then counts the projects the files hold.
 */
export function subsetViewsSql(f: ProjectFilter, base = 'main', temp = 'temp', onePerForm = false): string | null {
  const where = projectWhere(f);
  if (where === null && !onePerForm) return null;
  const picked = [where, onePerForm ? `project_id NOT IN (SELECT project_id FROM ${base}.form_copies)` : null].filter(Boolean).join(' AND ');
  const documentColumns = EXPORT_TABLES.find((t) => t.name === 'documents')!.columns.map(([c]) => c === 'project_count'
    ? `(SELECT count(*) FROM ${temp}.projects p WHERE p.doc_id = d.doc_id) AS project_count`
    : `d."${c}"`);
  // Without a filter every document stays, the failed ones (which hold no project) included.
  const documentsWhere = where === null ? '' : ` WHERE d.doc_id IN (SELECT doc_id FROM ${base}.projects WHERE ${where})`;
  return `
CREATE TEMP VIEW projects AS SELECT * FROM ${base}.projects WHERE ${picked};
CREATE TEMP VIEW documents AS SELECT ${documentColumns.join(', ')} FROM ${base}.documents d${documentsWhere};
CREATE TEMP VIEW indicators AS SELECT * FROM ${base}.indicators WHERE project_id IN (SELECT project_id FROM ${temp}.projects);
CREATE TEMP VIEW cost_items AS SELECT * FROM ${base}.cost_items WHERE project_id IN (SELECT project_id FROM ${temp}.projects);
CREATE TEMP VIEW funding AS SELECT * FROM ${base}.funding WHERE project_id IN (SELECT project_id FROM ${temp}.projects);
CREATE TEMP VIEW budget_lines AS SELECT * FROM ${base}.budget_lines WHERE doc_id IN (SELECT doc_id FROM ${temp}.documents);
CREATE TEMP VIEW findings AS SELECT * FROM ${base}.findings
  WHERE project_id IN (SELECT project_id FROM ${temp}.projects)
     OR (project_id IS NULL AND doc_id IN (SELECT doc_id FROM ${temp}.documents));
`;
}

/** Lays the subset (one row per form, by default) over `db` (this connection only); returns a function that lifts it. */
export function applySubset(db: Database, f: ProjectFilter, onePerForm = true): () => void {
  const sql = subsetViewsSql(f, 'main', 'temp', onePerForm);
  if (sql === null) return () => undefined;
  db.exec(sql);
  return () => db.exec(VIEWED.map((t) => `DROP VIEW IF EXISTS temp.${t};`).join('\n'));
}

/** Lays the subset over a reader's snapshot (Store.read); it is lifted when the snapshot ends. */
export async function applySubsetTo(reader: SqlReader, f: ProjectFilter, onePerForm = true): Promise<void> {
  const sql = subsetViewsSql(f, reader.baseSchema, reader.baseSchema === 'main' ? 'temp' : 'pg_temp', onePerForm);
  if (sql !== null) await reader.exec(sql);
}

export function exportSubset(db: Database, outDir: string, f: ProjectFilter, opts: ExportOptions = {}): Record<string, number> {
  const lift = applySubset(db, f);
  try {
    return exportCsv(db, outDir, opts);
  } finally {
    lift();
  }
}

export interface FindingCount {
  code: string;
  severity: string;
  findings: number;
  documents: number;
  projects: number;
}

const FINDINGS_BY_CODE_SQL = `SELECT code, severity, count(*) AS findings, count(DISTINCT doc_id) AS documents, count(DISTINCT project_id) AS projects
       FROM findings GROUP BY code, severity
      ORDER BY findings DESC, CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, code`;

/** Findings counted by code and severity, most frequent first (reads the subset when laid). */
export function findingsByCode(db: Database): FindingCount[] {
  return db.prepare(FINDINGS_BY_CODE_SQL).all() as FindingCount[];
}

/** findingsByCode through a reader. */
export function findingsByCodeFrom(reader: SqlReader): Promise<FindingCount[]> {
  return reader.all<FindingCount>(FINDINGS_BY_CODE_SQL);
}

export const FINDINGS_SUMMARY_COLUMNS = ['code', 'severity', 'findings', 'documents', 'projects', 'meaning', 'partial'] as const;

/** A summary row's values in FINDINGS_SUMMARY_COLUMNS' order: the counts, then the code's meaning and whether it makes a document partial, from the registry. */
export function findingSummaryValues(r: FindingCount): (string | number)[] {
  const spec = findingSpec(r.code);
  const cells: Record<(typeof FINDINGS_SUMMARY_COLUMNS)[number], string | number> = {
    code: r.code, severity: r.severity, findings: r.findings, documents: r.documents, projects: r.projects,
    meaning: spec?.meaning ?? '', partial: spec ? (spec.partial ? 'yes' : 'no') : '',
  };
  return FINDINGS_SUMMARY_COLUMNS.map((c) => cells[c]);
}

const summaryCells = (r: FindingCount): string[] => findingSummaryValues(r).map(String);

/** Writes findings counted by code (of the subset laid over `db`, if any) to `file`. */
export function writeFindingsSummary(db: Database, file: string, bom = false): FindingCount[] {
  return writeFindingCounts(findingsByCode(db), file, bom);
}

/** Writes findings counted by code to `file`. */
export function writeFindingCounts(rows: FindingCount[], file: string, bom = false): FindingCount[] {
  const body = Papa.unparse(
    [[...FINDINGS_SUMMARY_COLUMNS], ...rows.map(summaryCells)],
    { newline: '\n', header: false },
  );
  writeFileAtomic(file, `${bom ? '\uFEFF' : ''}${body}\n`);
  return rows;
}
