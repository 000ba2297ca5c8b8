// Writes the database as CONTRACT.md's CSV files. Rows stream from SQLite in chunks, so the
// size of the database never decides the memory used, and the files are written into a fresh
// staging folder that replaces the output folder whole (atomicFile.ts): a crash or a failed
// write leaves the old files, never a mix of old and new, and nothing planted there is
// written through. Files meant for spreadsheets have their formula-like text cells defused.
import { closeSync, fsyncSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Database } from './db.js';
import { createExclusive, withStagedFolder, withStagedFolderAsync } from './atomicFile.js';
import type { SqlReader } from './sql.js';
import { formatInteger, formatMoney, formatNumber } from './format.js';

/** Rows formatted and handed to papaparse per call. */
export const EXPORT_CHUNK_ROWS = 5000;

const UTF8_BOM = '\uFEFF';

export interface ExportOptions {
  /** Start every file with a UTF-8 byte order mark, which Excel needs to read UTF-8. */
  bom?: boolean;
  /**
   * The files are for a spreadsheet: a text cell starting with = + - @ TAB or CR gets a leading
   * `'`, so Excel or WPS shows it instead of running it as a formula (default: as `bom`).
   */
  spreadsheet?: boolean;
  /** More files to write into the same folder before it is swapped in (README, summaries). */
  alsoWrite?: (dir: string) => void;
}

/** Everything govtables writes into an output folder; anything else there stops an export. */
export const OUTPUT_FILES: ReadonlySet<string> = new Set([
  'documents.csv', 'projects.csv', 'indicators.csv', 'cost_items.csv', 'funding.csv', 'budget_lines.csv', 'findings.csv',
  'findings_summary.csv', 'README.md', 'run_summary.json',
]);

/** A name an export may replace: its own files, and `*.tmp` leftovers of older releases (never written through). */
export function isOutputFile(name: string): boolean {
  return OUTPUT_FILES.has(name) || name.endsWith('.tmp');
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell as a spreadsheet should show it (OWASP CSV injection): formula-like text is prefixed with `'`. */
export function defuseFormula(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/**
 * `code`: text from govtables' own closed vocabulary (`>=`, `=`), never from a document;
 * `date` (YYYY-MM-DD) and `timestamp` (ISO 8601, UTC) are ISO text in the CSV files and dates
 * in a workbook.
 */
export type Kind = 'text' | 'code' | 'int' | 'num' | 'money' | 'date' | 'timestamp';
/** A column: its name, its kind, and the SQL that gives it when it is not `t."name"`. */
type Column = readonly [name: string, kind: Kind, expr?: string];

export interface TableExport {
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
      ['pipeline_version', 'text'], ['ingested_at', 'timestamp'],
      ['partial_reasons', 'code'],
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
      ['period_start', 'date'], ['period_end', 'date'], ['manager', 'text'],
      ['manager_phone', 'text'], ['overview', 'text'], ['annual_goal', 'text'],
      ['period_goal', 'text'], ['execution_weight_pct', 'num'],
      ['source_ref', 'text'], ['form_key', 'text'], ['duplicate_of', 'code', 'c.duplicate_of'],
    ],
    from: `FROM documents d CROSS JOIN projects t ON t.doc_id = d.doc_id LEFT JOIN form_copies c ON c.project_id = t.project_id
      ORDER BY ${DOC_ORDER}, t.ordinal`,
  },
  {
    name: 'indicators',
    columns: [
      ['project_id', 'text'], ['ordinal', 'int'], ['horizon', 'text'], ['level1', 'text'],
      ['level2', 'text'], ['name', 'text'], ['value_text', 'text'], ['comparator', 'code'],
      ['value_num', 'num'], ['value_unit', 'text'], ['weight_pct', 'num'], ['direction', 'text'],
      ['note', 'text'],
      ['source_ref', 'text'], ['value_ref', 'text'],
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
      ['message', 'text'], ['location', 'text'], ['indicator_ordinal', 'int'], ['field', 'code'],
    ],
    from: `FROM documents d CROSS JOIN findings t ON t.doc_id = d.doc_id ORDER BY ${DOC_ORDER}, t.finding_id`,
  },
];

const FORMATTERS: Record<Kind, (v: unknown) => string> = {
  text: (v) => (v === null || v === undefined ? '' : String(v)),
  code: (v) => (v === null || v === undefined ? '' : String(v)),
  int: (v) => formatInteger(v as number | bigint | null),
  num: (v) => formatNumber(v as number | null),
  money: (v) => formatMoney(v as number | null),
  date: (v) => (v === null || v === undefined ? '' : String(v)),
  timestamp: (v) => (v === null || v === undefined ? '' : String(v)),
};

export function selectSql(table: TableExport): string {
  return `SELECT ${table.columns.map(([c, , expr]) => expr ?? `t."${c}"`).join(', ')} ${table.from}`;
}

function toCsv(rows: readonly string[][]): string {
  return Papa.unparse(rows as string[][], { newline: '\n', header: false }) + '\n';
}

/**
 * One table's CSV file being written: the header, then rows formatted and handed to papaparse
 * in chunks. Shared by the export from SQLite (rows iterated in this thread) and the export
 * through a reader (rows fetched from a server), so both write the same bytes.
 */
export class TableWriter {
  private readonly formatters: ((v: unknown) => string)[];
  private readonly fd: number;
  private chunk: string[][] = [];
  count = 0;

  constructor(private readonly table: TableExport, file: string, bom: boolean, spreadsheet: boolean) {
    // Numbers and govtables' own codes are never prefixed: a negative amount stays a number, `=` a comparator.
    this.formatters = table.columns.map(([, kind]) => (kind === 'text' && spreadsheet ? (v: unknown) => defuseFormula(FORMATTERS.text(v)) : FORMATTERS[kind]));
    this.fd = createExclusive(file);
    try {
      writeSync(this.fd, (bom ? UTF8_BOM : '') + toCsv([table.columns.map(([c]) => c)]));
    } catch (err) {
      closeSync(this.fd);
      throw err;
    }
  }

  add(row: readonly unknown[]): void {
    try {
      this.chunk.push(row.map((v, k) => this.formatters[k]!(v)));
    } catch (err) {
      throw new Error(`${this.table.name}.csv row ${this.count + 1}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    this.count++;
    if (this.chunk.length >= EXPORT_CHUNK_ROWS) {
      writeSync(this.fd, toCsv(this.chunk));
      this.chunk = [];
    }
  }

  /** Writes what is left, syncs and closes; returns the number of data rows. */
  end(): number {
    try {
      if (this.chunk.length) writeSync(this.fd, toCsv(this.chunk));
      this.chunk = [];
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
    return this.count;
  }

  /** Closes the file after a failure (the staging folder is removed with it). */
  abandon(): void {
    closeSync(this.fd);
  }
}

/** Writes one table to `file`; returns the number of data rows. */
function writeTable(db: Database, table: TableExport, file: string, bom: boolean, spreadsheet: boolean): number {
  const w = new TableWriter(table, file, bom, spreadsheet);
  try {
    for (const row of db.prepare(selectSql(table)).raw(true).iterate() as Iterable<unknown[]>) w.add(row);
  } catch (err) {
    w.abandon();
    throw err;
  }
  return w.end();
}

/**
 * Writes one CSV per contract table into `outDir`; returns the data rows written per table.
 * All files come from one read transaction, so they agree with each other even while
 * another process is ingesting.
 */
export function exportCsv(db: Database, outDir: string, opts: ExportOptions = {}): Record<string, number> {
  const bom = opts.bom === true;
  const spreadsheet = opts.spreadsheet ?? bom;
  return withStagedFolder(outDir, isOutputFile, (dir) => {
    const counts: Record<string, number> = {};
    db.transaction(() => {
      for (const table of EXPORT_TABLES) counts[table.name] = writeTable(db, table, join(dir, `${table.name}.csv`), bom, spreadsheet);
      opts.alsoWrite?.(dir);
    })();
    return counts;
  });
}

/**
 * exportCsv through a reader: the same files, rows fetched in chunks (from a server, or from
 * SQLite). The caller gives a reader that sees one snapshot (Store.read), so the files agree.
 */
export async function exportCsvFrom(reader: SqlReader, outDir: string, opts: ExportOptions = {}): Promise<Record<string, number>> {
  const bom = opts.bom === true;
  const spreadsheet = opts.spreadsheet ?? bom;
  return withStagedFolderAsync(outDir, isOutputFile, async (dir) => {
    const counts: Record<string, number> = {};
    for (const table of EXPORT_TABLES) {
      const w = new TableWriter(table, join(dir, `${table.name}.csv`), bom, spreadsheet);
      try {
        for await (const rows of reader.chunks(selectSql(table), EXPORT_CHUNK_ROWS)) for (const row of rows) w.add(row);
      } catch (err) {
        w.abandon();
        throw err;
      }
      counts[table.name] = w.end();
    }
    opts.alsoWrite?.(dir);
    return counts;
  });
}
