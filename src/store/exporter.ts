// Writes the database as CONTRACT.md's CSV files. Rows stream from SQLite in chunks, so the
// size of the database never decides the memory used, and every file is written under a
// temporary name and renamed at the end, so a crash never leaves a truncated CSV behind.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Database } from './db.js';
import { formatInteger, formatMoney, formatNumber } from './format.js';

/** Rows formatted and handed to papaparse per call. */
export const EXPORT_CHUNK_ROWS = 5000;

const UTF8_BOM = '\uFEFF';

export interface ExportOptions {
  /** Start every file with a UTF-8 byte order mark, which Excel needs to read UTF-8. */
  bom?: boolean;
}

type Kind = 'text' | 'int' | 'num' | 'money';
type Column = readonly [name: string, kind: Kind];

interface TableExport {
  name: string;
  /** Contract columns in contract order, then the extra columns. */
  columns: readonly Column[];
  /** FROM … ORDER BY … ; columns are selected from alias `t`. */
  from: string;
}

const DOC_ORDER = 'd.source_path, d.doc_id';

// Children join their document so every file lists documents in documents.csv's order.
// CROSS JOIN pins documents as the outer loop: SQLite walks them by index and sorts only the
// rows of one document at a time, never the whole table.
export const EXPORT_TABLES: readonly TableExport[] = [
  {
    name: 'documents',
    columns: [
      ['doc_id', 'text'], ['source_path', 'text'], ['source_kind', 'text'], ['variant', 'text'],
      ['pages', 'int'], ['project_count', 'int'], ['status', 'text'], ['error', 'text'],
      ['pipeline_version', 'text'], ['ingested_at', 'text'],
    ],
    from: `FROM documents t ORDER BY t.source_path, t.doc_id`,
  },
  {
    name: 'projects',
    columns: [
      ['project_id', 'text'], ['doc_id', 'text'], ['ordinal', 'int'], ['variant', 'text'],
      ['province', 'text'], ['region', 'text'], ['fiscal_year', 'int'], ['form_title', 'text'],
      ['agency', 'text'], ['supervising_agency', 'text'], ['project_name', 'text'],
      ['project_code', 'text'], ['project_attribute', 'text'], ['project_type', 'text'],
      ['assessment_level', 'text'], ['function_code', 'text'], ['function_name', 'text'],
      ['annual_budget_yuan', 'money'], ['period_budget_yuan', 'money'], ['period_label', 'text'],
      ['period_start', 'text'], ['period_end', 'text'], ['manager', 'text'],
      ['manager_phone', 'text'], ['overview', 'text'], ['annual_goal', 'text'],
      ['period_goal', 'text'], ['execution_weight_pct', 'num'],
      ['source_ref', 'text'],
    ],
    from: `FROM documents d CROSS JOIN projects t ON t.doc_id = d.doc_id ORDER BY ${DOC_ORDER}, t.ordinal`,
  },
  {
    name: 'indicators',
    columns: [
      ['project_id', 'text'], ['ordinal', 'int'], ['horizon', 'text'], ['level1', 'text'],
      ['level2', 'text'], ['name', 'text'], ['value_text', 'text'], ['comparator', 'text'],
      ['value_num', 'num'], ['value_unit', 'text'], ['weight_pct', 'num'], ['direction', 'text'],
      ['note', 'text'],
      ['source_ref', 'text'],
    ],
    from: `FROM documents d CROSS JOIN projects p ON p.doc_id = d.doc_id CROSS JOIN indicators t ON t.project_id = p.project_id
      ORDER BY ${DOC_ORDER}, p.ordinal, t.ordinal, t.horizon`,
  },
  {
    name: 'cost_items',
    columns: [
      ['project_id', 'text'], ['ordinal', 'int'], ['item', 'text'], ['quantity', 'num'],
      ['unit', 'text'], ['unit_price_yuan', 'money'], ['amount_yuan', 'money'], ['source', 'text'],
      ['source_ref', 'text'],
    ],
    from: `FROM documents d CROSS JOIN projects p ON p.doc_id = d.doc_id CROSS JOIN cost_items t ON t.project_id = p.project_id
      ORDER BY ${DOC_ORDER}, p.ordinal, t.ordinal`,
  },
  {
    name: 'funding',
    columns: [['project_id', 'text'], ['horizon', 'text'], ['source', 'text'], ['amount_yuan', 'money']],
    from: `FROM documents d CROSS JOIN projects p ON p.doc_id = d.doc_id CROSS JOIN funding t ON t.project_id = p.project_id
      ORDER BY ${DOC_ORDER}, p.ordinal, t.ordinal`,
  },
  {
    name: 'budget_lines',
    columns: [
      ['doc_id', 'text'], ['table_title', 'text'], ['row_ordinal', 'int'], ['code', 'text'],
      ['name', 'text'], ['column', 'text'], ['amount_yuan', 'money'],
      ['source_ref', 'text'],
    ],
    from: `FROM documents d CROSS JOIN budget_lines t ON t.doc_id = d.doc_id ORDER BY ${DOC_ORDER}, t.line_id`,
  },
  {
    name: 'findings',
    columns: [
      ['doc_id', 'text'], ['project_id', 'text'], ['severity', 'text'], ['code', 'text'],
      ['message', 'text'], ['location', 'text'],
    ],
    from: `FROM documents d CROSS JOIN findings t ON t.doc_id = d.doc_id ORDER BY ${DOC_ORDER}, t.finding_id`,
  },
];

const FORMATTERS: Record<Kind, (v: unknown) => string> = {
  text: (v) => (v === null || v === undefined ? '' : String(v)),
  int: (v) => formatInteger(v as number | bigint | null),
  num: (v) => formatNumber(v as number | null),
  money: (v) => formatMoney(v as number | null),
};

export function selectSql(table: TableExport): string {
  return `SELECT ${table.columns.map(([c]) => `t."${c}"`).join(', ')} ${table.from}`;
}

function toCsv(rows: readonly string[][]): string {
  return Papa.unparse(rows as string[][], { newline: '\n', header: false }) + '\n';
}

/** Writes one table to `file`; returns the number of data rows. */
function writeTable(db: Database, table: TableExport, file: string, bom: boolean): number {
  const formatters = table.columns.map(([, kind]) => FORMATTERS[kind]);
  const fd = openSync(file, 'w');
  let count = 0;
  try {
    writeSync(fd, (bom ? UTF8_BOM : '') + toCsv([table.columns.map(([c]) => c)]));
    let chunk: string[][] = [];
    for (const row of db.prepare(selectSql(table)).raw(true).iterate() as Iterable<unknown[]>) {
      try {
        chunk.push(row.map((v, k) => formatters[k]!(v)));
      } catch (err) {
        throw new Error(`${table.name}.csv row ${count + 1}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      count++;
      if (chunk.length >= EXPORT_CHUNK_ROWS) {
        writeSync(fd, toCsv(chunk));
        chunk = [];
      }
    }
    if (chunk.length) writeSync(fd, toCsv(chunk));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return count;
}

/**
 * Writes one CSV per contract table into `outDir`; returns the data rows written per table.
 * All files come from one read transaction, so they agree with each other even while
 * another process is ingesting.
 */
export function exportCsv(db: Database, outDir: string, opts: ExportOptions = {}): Record<string, number> {
  mkdirSync(outDir, { recursive: true });
  const tmp = (name: string) => join(outDir, `${name}.csv.tmp`);
  const counts: Record<string, number> = {};
  try {
    db.transaction(() => {
      for (const table of EXPORT_TABLES) {
        counts[table.name] = writeTable(db, table, tmp(table.name), opts.bom === true);
      }
    })();
  } catch (err) {
    for (const table of EXPORT_TABLES) rmSync(tmp(table.name), { force: true });
    throw err;
  }
  for (const table of EXPORT_TABLES) renameSync(tmp(table.name), join(outDir, `${table.name}.csv`));
  return counts;
}
