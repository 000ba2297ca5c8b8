// The database as one Excel workbook (exceljs, streamed): a sheet per exported table in the
// CSV files' columns and order, numbers and money as numbers, dates as dates, the header frozen
// and column widths fitted to the content, then the data dictionary as a sheet. The sheets are
// read from the exporter's own table list, so a column added there appears here unchanged.
// Text cells are typed strings, which a spreadsheet never runs as a formula, so nothing is
// prefixed as in the CSV files. The file is written under a fresh name and renamed into place.
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { EXPORT_CHUNK_ROWS, EXPORT_TABLES, selectSql, type Kind, type TableExport } from './exporter.js';
import { formatMoney, formatNumber } from './format.js';
import type { SqlReader } from './sql.js';

export const XLSX_SETTINGS = {
  /** Data rows of one sheet (Excel's 1,048,576 rows less the header); more go on a continuation sheet. */
  rowsPerSheet: 1_048_575,
  /** Rows looked at to fit the column widths before the first is written. */
  widthSampleRows: 2000,
  minWidth: 6,
  maxWidth: 60,
} as const;

const NUM_FORMATS: Partial<Record<Kind, string>> = {
  int: '0',
  money: '#,##0.00',
  date: 'yyyy-mm-dd',
  timestamp: 'yyyy-mm-dd hh:mm:ss',
};

/** A cell's value as the workbook holds it: numbers as numbers (rounded as in the CSV), ISO dates as dates. */
export function cellValue(kind: Kind, v: unknown): string | number | Date | null {
  if (v === null || v === undefined || v === '') return null;
  switch (kind) {
    case 'int': return typeof v === 'bigint' ? Number(v) : Number(v);
    case 'money': return Number(formatMoney(Number(v)));
    case 'num': return Number(formatNumber(Number(v)));
    case 'date':
    case 'timestamp': {
      const d = v instanceof Date ? v : new Date(/^\d{4}-\d{2}-\d{2}$/.test(String(v)) ? `${String(v)}T00:00:00Z` : String(v));
      return Number.isNaN(d.getTime()) ? String(v) : d;
    }
    default: return String(v);
  }
}

/** Display width of a text: CJK and other wide characters take two columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return w;
}

function shownWidth(kind: Kind, v: string | number | Date | null): number {
  if (v === null) return 0;
  if (v instanceof Date) return kind === 'date' ? 10 : 19;
  if (typeof v === 'number') return kind === 'money' ? formatMoney(v).length + Math.floor(formatMoney(v).split('.')[0]!.length / 3) + 3 : String(v).length;
  // A long text is read in its cell, not across the screen: the first line decides.
  return displayWidth(v.split('\n')[0]!);
}

/** One sheet to write: its name, its columns with their kinds, and its rows in chunks. */
export interface SheetSource {
  name: string;
  columns: readonly (readonly [name: string, kind: Kind, expr?: string])[];
  rows: AsyncIterable<unknown[][]>;
}

export interface WorkbookOptions {
  /** Sheets written after the tables (a findings summary). */
  extraSheets?: readonly SheetSource[];
  /** The data dictionary: file, column, meaning, unit — one sheet, last. */
  dictionary?: readonly { file: string; column: string; meaning: string; unit: string }[];
}

type Writer = InstanceType<typeof ExcelJS.stream.xlsx.WorkbookWriter>;

async function writeSheet(wb: Writer, src: SheetSource): Promise<number> {
  const kinds = src.columns.map(([, k]) => k);
  const it = src.rows[Symbol.asyncIterator]();
  // The first rows are held back to fit the widths: a streamed sheet fixes its columns first.
  const held: unknown[][] = [];
  let done = false;
  while (!done && held.length < XLSX_SETTINGS.widthSampleRows) {
    const r = await it.next();
    if (r.done) done = true;
    else held.push(...r.value);
  }
  const widths = src.columns.map(([c]) => displayWidth(c) + 2);
  for (const row of held) row.forEach((v, k) => { widths[k] = Math.max(widths[k]!, shownWidth(kinds[k]!, cellValue(kinds[k]!, v)) + 1); });

  let part = 1;
  let sheet: ReturnType<Writer['addWorksheet']> | null = null;
  let inSheet = 0;
  let total = 0;
  const open = () => {
    sheet = wb.addWorksheet(part === 1 ? src.name : `${src.name} (${part})`, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
    sheet.columns = src.columns.map(([c, k], i) => ({
      key: c, width: Math.min(XLSX_SETTINGS.maxWidth, Math.max(XLSX_SETTINGS.minWidth, widths[i]!)),
      ...(NUM_FORMATS[k] ? { style: { numFmt: NUM_FORMATS[k] } } : {}),
    }));
    const header = sheet.addRow(src.columns.map(([c]) => c));
    header.font = { bold: true };
    header.commit();
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: src.columns.length } };
    inSheet = 0;
  };
  const add = (row: unknown[]) => {
    if (sheet === null || inSheet >= XLSX_SETTINGS.rowsPerSheet) {
      if (sheet) { (sheet as { commit(): void }).commit(); part++; }
      open();
    }
    const r = sheet!.addRow(row.map((v, k) => cellValue(kinds[k]!, v)));
    src.columns.forEach(([, k], i) => { if (NUM_FORMATS[k]) r.getCell(i + 1).numFmt = NUM_FORMATS[k]!; });
    r.commit();
    inSheet++;
    total++;
  };
  open();
  for (const row of held) add(row);
  while (!done) {
    const r = await it.next();
    if (r.done) done = true;
    else for (const row of r.value) add(row);
  }
  (sheet! as { commit(): void }).commit();
  return total;
}

async function* once(rows: unknown[][]): AsyncIterable<unknown[][]> {
  yield rows;
}

/** Sheets of the tables a reader sees (the whole store, or a subset laid over it). */
export function tableSheets(reader: SqlReader, tables: readonly TableExport[] = EXPORT_TABLES): SheetSource[] {
  return tables.map((t) => ({ name: t.name, columns: t.columns, rows: reader.chunks(selectSql(t), EXPORT_CHUNK_ROWS) }));
}

/**
 * Writes the workbook to `file` from one reader snapshot (Store.read); returns the data rows
 * per sheet. A failure leaves no file, or the one that was there.
 */
export async function writeWorkbook(file: string, sheets: readonly SheetSource[], opts: WorkbookOptions = {}): Promise<Record<string, number>> {
  mkdirSync(dirname(file) || '.', { recursive: true });
  const tmp = join(dirname(file) || '.', `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tmp, useStyles: true, useSharedStrings: true });
  wb.creator = 'govtables';
  const counts: Record<string, number> = {};
  try {
    for (const s of [...sheets, ...(opts.extraSheets ?? [])]) counts[s.name] = await writeSheet(wb, s);
    if (opts.dictionary) {
      const cols = [['file', 'text'], ['column', 'text'], ['meaning', 'text'], ['unit', 'text']] as const;
      counts.dictionary = await writeSheet(wb, { name: 'dictionary', columns: cols, rows: once(opts.dictionary.map((d) => [d.file, d.column, d.meaning, d.unit])) });
    }
    await wb.commit();
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return counts;
}
