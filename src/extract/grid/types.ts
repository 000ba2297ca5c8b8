// The grid model shared by the text-PDF (lattice) and the OCR extractors: ruling segments in,
// cells with spans out. Coordinates are page units with the origin top-left (PDF points for
// text PDFs, pixels for page images).
import type { Box } from '../rows.js';

/** An axis-aligned ruling line: horizontal when y0 ≈ y1, vertical when x0 ≈ x1. */
export interface Segment {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface GridCell {
  /** Row and column of the cell's top-left grid slot (0-based). */
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  box: Box;
}

/** One ruled table: the distinct rule positions and the cells they enclose. */
export interface Grid {
  xs: number[];
  ys: number[];
  cells: GridCell[];
  box: Box;
}
