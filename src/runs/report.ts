// The morning report: what a run (by default the latest) stored, what it found and what failed,
// read from the database so it is the same whether the run ended cleanly or was closed later.
import { printable } from '../pipeline/printable.js';
import type { Database } from '../store/db.js';
import { formatMoney } from '../store/format.js';
import { sqliteReader, type SqlReader } from '../store/sql.js';
import { findingSpec } from '../model/findings.js';
import type { RunRow } from './ledger.js';

export const REPORT_LIMITS = { newProjects: 20, topFindings: 15, failures: 30, examplesPerCode: 10 } as const;

/** One finding shown under its code: where it is (the document and the cell) and what it says. */
export interface FindingExample {
  doc_id: string;
  source_path: string;
  source_kind: string;
  project_id: string | null;
  location: string | null;
  message: string;
}

/** The findings of one code, with its severity, its meaning and the first few of them. */
export interface FindingGroup {
  code: string;
  severity: string;
  n: number;
  meaning: string | null;
  examples: FindingExample[];
}

export interface Count {
  key: string;
  n: number;
}

export interface ReportData {
  database: string;
  generatedAt: string;
  /** null: no run recorded, the report covers the whole database. */
  run: RunRow | null;
  documentsByStatus: Count[];
  documentsByVariant: Count[];
  projects: number;
  /** Of `projects`, those whose form another document holds from a better source (form_copies): counted there. */
  copies: number;
  newProjects: { project_id: string; project_name: string | null; variant: string; region: string | null; fiscal_year: number | null; annual_budget_yuan: number | null; source_path: string }[];
  /** Counts by code, with the registry's meaning and whether the code makes a document partial. */
  findingsByCode: { code: string; severity: string; n: number; meaning: string; partial: boolean }[];
  findingsBySeverity: Count[];
  topFindings: { severity: string; code: string; message: string; location: string | null; source_ref: string | null; source_path: string; project_id: string | null }[];
  failures: { path: string; reason: string; error: string }[];
  failureCount: number;
  /** Findings by severity (errors first), then by code (most frequent first), each with examples. */
  findingGroups: FindingGroup[];
  /** `forms`: projects counted once per form (copies left out). */
  totals: { documents: number; projects: number; forms: number; findings: number; runs: number };
}

export class NoSuchRunError extends Error {}

export const SEVERITY_RANK = (s: string): number => (s === 'error' ? 0 : s === 'warning' ? 1 : 2);

/** Reads the report from a store's snapshot (Store.read), or from a SQLite connection. */
export async function reportData(source: SqlReader | Database, dbFile: string, runId?: number): Promise<ReportData> {
  const reader = 'chunks' in source ? source : sqliteReader(source);
  const runs = await reader.all<RunRow>(runId === undefined ? 'SELECT * FROM runs ORDER BY run_id DESC LIMIT 1' : 'SELECT * FROM runs WHERE run_id = ?', runId === undefined ? [] : [runId]);
  const run = runs[0] ?? null;
  if (runId !== undefined && run === null) throw new NoSuchRunError(`${dbFile} has no run ${runId}`);
  // Documents in scope: the run's, or all of them when no run is recorded.
  const scope = run ? 'd.run_id = @run' : '1 = 1';
  const p = run ? { run: run.run_id } : {};
  const all = <T>(sql: string) => reader.all<T>(sql, p);
  const one = async (sql: string) => (await reader.all<{ n: number }>(sql, p))[0]!.n;

  const documentsByStatus = await all<Count>(`SELECT status AS key, count(*) AS n FROM documents d WHERE ${scope} GROUP BY status ORDER BY CASE status WHEN 'ok' THEN 0 WHEN 'partial' THEN 1 ELSE 2 END`);
  const documentsByVariant = await all<Count>(`SELECT coalesce(variant, '(none)') AS key, count(*) AS n FROM documents d WHERE ${scope} GROUP BY key ORDER BY n DESC, key`);
  const fromScopedProjects = `FROM documents d JOIN projects pr ON pr.doc_id = d.doc_id WHERE ${scope}`;
  const projects = await one(`SELECT count(*) AS n ${fromScopedProjects}`);
  const copies = await one(`SELECT count(*) AS n ${fromScopedProjects} AND pr.project_id IN (SELECT project_id FROM form_copies)`);
  const newProjects = await all<ReportData['newProjects'][number]>(
    `SELECT pr.project_id, pr.project_name, pr.variant, pr.region, pr.fiscal_year, pr.annual_budget_yuan, d.source_path
       ${fromScopedProjects} ORDER BY d.source_path, pr.ordinal LIMIT ${REPORT_LIMITS.newProjects}`,
  );
  const fromScopedFindings = `FROM documents d JOIN findings f ON f.doc_id = d.doc_id WHERE ${scope}`;
  const findingsByCode = (await all<{ code: string; severity: string; n: number }>(`SELECT f.code, f.severity, count(*) AS n ${fromScopedFindings} GROUP BY f.code, f.severity ORDER BY n DESC, f.code`))
    .map((f) => ({ ...f, meaning: findingSpec(f.code)?.meaning ?? '', partial: findingSpec(f.code)?.partial ?? false }));
  const findingsBySeverity = await all<Count>(`SELECT f.severity AS key, count(*) AS n ${fromScopedFindings} GROUP BY f.severity ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END`);
  const topFindings = await all<ReportData['topFindings'][number]>(
    `WITH codes AS (SELECT f.code, count(*) AS n ${fromScopedFindings} GROUP BY f.code)
     SELECT f.severity, f.code, f.message, f.location, pr.source_ref, d.source_path, f.project_id
       FROM documents d JOIN findings f ON f.doc_id = d.doc_id JOIN codes c ON c.code = f.code
       LEFT JOIN projects pr ON pr.project_id = f.project_id
      WHERE ${scope}
      ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, c.n DESC, d.source_path, f.finding_id
      LIMIT ${REPORT_LIMITS.topFindings}`,
  );
  const failedDocs = await all<{ path: string; reason: string; error: string }>(
    `SELECT d.source_path AS path, coalesce(d.failure_reason, '?') AS reason, coalesce(d.error, '') AS error
       FROM documents d WHERE ${scope} AND d.status = 'failed' ORDER BY d.source_path LIMIT ${REPORT_LIMITS.failures}`,
  );
  const unreadable = run
    ? await reader.all<ReportData['failures'][number]>(`SELECT path, reason, error FROM run_unreadable WHERE run_id = ? ORDER BY path LIMIT ${REPORT_LIMITS.failures}`, [run.run_id])
    : [];
  const failureCount = await one(`SELECT count(*) AS n FROM documents d WHERE ${scope} AND d.status = 'failed'`) +
    (run ? (await reader.all<{ n: number }>('SELECT count(*) AS n FROM run_unreadable WHERE run_id = ?', [run.run_id]))[0]!.n : 0);
  const examples = await all<FindingExample & { code: string }>(
    `SELECT code, doc_id, source_path, source_kind, project_id, location, message FROM (
       SELECT f.code, d.doc_id, d.source_path, d.source_kind, f.project_id, f.location, f.message,
              row_number() OVER (PARTITION BY f.code ORDER BY d.source_path, f.finding_id) AS k
         ${fromScopedFindings}) x
      WHERE k <= ${REPORT_LIMITS.examplesPerCode} ORDER BY code, k`,
  );
  const findingGroups: FindingGroup[] = [...findingsByCode]
    .sort((a, b) => SEVERITY_RANK(a.severity) - SEVERITY_RANK(b.severity) || b.n - a.n || (a.code < b.code ? -1 : 1))
    .map((g) => ({
      code: g.code, severity: g.severity, n: g.n, meaning: findingSpec(g.code)?.meaning ?? null,
      examples: examples.filter((e) => e.code === g.code).map(({ code: _c, ...e }) => e),
    }));
  const count = async (t: string) => (await reader.all<{ n: number }>(`SELECT count(*) AS n FROM ${t}`))[0]!.n;
  return {
    database: dbFile,
    generatedAt: new Date().toISOString(),
    run,
    documentsByStatus,
    documentsByVariant,
    projects,
    copies,
    newProjects,
    findingsByCode,
    findingsBySeverity,
    topFindings,
    failures: [...unreadable, ...failedDocs].slice(0, REPORT_LIMITS.failures),
    failureCount,
    findingGroups,
    totals: {
      documents: await count('documents'), projects: await count('projects'),
      forms: await count('projects') - await count('form_copies'), findings: await count('findings'), runs: await count('runs'),
    },
  };
}

export function scopeLine(r: ReportData): string {
  if (!r.run) return 'No run recorded: the whole database';
  const u = r.run;
  const secs = u.ended_at ? ` (${((Date.parse(u.ended_at) - Date.parse(u.started_at)) / 1000).toFixed(1)} s)` : '';
  return `Run ${u.run_id} (${u.pipeline}) ${u.status}, started ${u.started_at}${u.ended_at ? `, ended ${u.ended_at}${secs}` : ''}`;
}

const list = (cs: readonly Count[]) => (cs.length ? cs.map((c) => `${c.key} ${c.n}`).join(', ') : 'none');
const sum = (cs: readonly Count[]) => cs.reduce((a, c) => a + c.n, 0);

export function reportText(r: ReportData): string {
  const out: string[] = [];
  out.push(`govtables report: ${r.database}`, scopeLine(r));
  if (r.run?.error) out.push(`  run error: ${r.run.error}`);
  if (r.run) out.push(`  ${r.run.files} files seen, ${r.run.skipped} already stored, ${r.run.unreadable} unreadable`);
  out.push('', `Documents: ${sum(r.documentsByStatus)} (${list(r.documentsByStatus)})`);
  out.push(`By variant: ${list(r.documentsByVariant)}`);
  const copies = r.copies > 0 ? `; ${r.copies} repeat a form another file holds from a better source, counted there` : '';
  out.push('', `New projects: ${r.projects}${r.projects > r.newProjects.length ? ` (first ${r.newProjects.length})` : ''}${copies}`);
  for (const p of r.newProjects) {
    const money = p.annual_budget_yuan === null ? '-' : `${formatMoney(p.annual_budget_yuan)} yuan`;
    out.push(`  ${p.project_id}  ${p.project_name ?? '(no name)'}  [${p.variant}, ${p.region ?? '-'}, ${p.fiscal_year ?? '-'}]  ${money}  ${p.source_path}`);
  }
  out.push('', `Findings: ${sum(r.findingsBySeverity)} (${list(r.findingsBySeverity)})`);
  for (const f of r.findingsByCode) out.push(`  ${String(f.n).padStart(6)}  ${f.severity.padEnd(7)} ${f.code}${f.partial ? ' (partial)' : ''}  ${f.meaning}`);
  if (r.topFindings.length) out.push('', 'Top findings:');
  for (const f of r.topFindings) {
    const where = [f.location, f.source_ref ? `project at ${f.source_ref}` : null].filter(Boolean).join('; ');
    out.push(`  ${f.severity.padEnd(7)} ${f.code}  ${f.source_path}${where ? ` @ ${where}` : ''}`, `          ${f.message}`);
  }
  out.push('', `Failures: ${r.failureCount}${r.failureCount > r.failures.length ? ` (first ${r.failures.length})` : ''}`);
  for (const f of r.failures) out.push(`  [${f.reason}] ${f.path}: ${f.error.startsWith(`${f.path}: `) ? f.error.slice(f.path.length + 2) : f.error}`);
  const forms = r.totals.forms < r.totals.projects ? ` (${r.totals.forms} forms, each counted once)` : '';
  out.push('', `Database: ${r.totals.documents} documents, ${r.totals.projects} projects${forms}, ${r.totals.findings} findings, ${r.totals.runs} runs`);
  // Names and messages come from files: their control characters are escaped, line by line.
  return `${out.map(printable).join('\n')}\n`;
}
