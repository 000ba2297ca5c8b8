// The one shape every extractor yields and every normalizer reads: rows of cells with their
// location. Extractors know nothing about budget forms; normalizers know nothing about files.

/** A box on a page in PDF points, origin top-left: [x0, y0, x1, y1]. */
import type { FindingCode } from '../model/findings.js';

export type Box = [number, number, number, number];

export interface Cell {
  /** Text as printed (after markup clean-up), never folded: folding is for matching only. */
  text: string;
  /** Column index in the row's grid (0-based); spanned cells take their first column. */
  col: number;
  /** Number of grid columns the cell spans (1 when unknown). */
  colSpan?: number;
  box?: Box;
  /** OCR confidence 0–100; absent for text and text-layer sources. */
  conf?: number;
  /** What the extractor changed or doubted in this cell (OCR only), for review findings. */
  notes?: { code: FindingCode; message: string }[];
  /** Pixels of stamp ink (a seal, a stamp) dropped out of the cell's box before it was read: it lay under one (scans only). */
  stampInk?: number;
  /**
   * The cell's last line of text runs to its right edge in the last row before a page break:
   * its text may go on at the top of the next page (set by layout-aware extractors only).
   */
  continues?: boolean;
}

export interface Row {
  /** 1-based page number (a text dump is one page). */
  page: number;
  /** 1-based line number in a text dump; absent for PDF rows. */
  line?: number;
  box?: Box;
  /** Cells in column order; a blank line or a gap between tables is a row with no cells. */
  cells: Cell[];
}

export interface ExtractedDocument {
  kind: 'text' | 'pdf' | 'scan';
  pages: number;
  rows: Row[];
  /** Problems the extractor met but got past (a page it could not read, an odd encoding). */
  notes: { code: FindingCode; message: string; location: string | null }[];
  /** The OCR engine that read its scanned pages, when any were. */
  ocrEngine?: string;
}

/** `line 12`, or `p3 [72,100,210,118]` for a cell box on a page: the audit trail of a value. */
export function refOf(row: Row, cell?: Cell): string {
  if (row.line !== undefined) return cell ? `line ${row.line} col ${cell.col + 1}` : `line ${row.line}`;
  const box = cell?.box ?? row.box;
  const b = box ? ` [${box.map((v) => Math.round(v)).join(',')}]` : '';
  return `p${row.page}${b}`;
}

export function rowText(row: Row): string {
  return row.cells.map((c) => c.text).join('\t');
}

export function isBlank(row: Row): boolean {
  return row.cells.every((c) => c.text.trim() === '');
}
