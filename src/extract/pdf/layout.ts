// One page's text boxes and ruled grids → rows in reading order, shaped like a text dump:
// one row per grid row (a cell spanning rows only in its first row), one single-cell row per line
// of text outside the grids, and a row with no cells between blocks and at the page end.
// Pages without any rules are read by the whitespace (stream) strategy instead.
import type { Box, Row } from '../rows.js';
import type { Grid } from '../grid/types.js';
import { assignTextToCells, resolveGridSettings, type GridSettings } from '../grid/lattice.js';
import { itemsToLines, lineText, linesToParagraphs, unionBox, type TextBox } from '../grid/reading.js';
import { streamRows, type StreamSettings } from '../grid/stream.js';
import { resolveSettings } from '../grid/settings.js';

export interface LayoutSettings {
  /** Lines outside the grids further apart than this × text height are separate paragraphs (a blank row between). */
  paragraphGapRatio: number;
  /** Text whose centre lies this far outside a grid's frame still belongs to the grid. */
  gridMargin: number;
}

export const DEFAULT_LAYOUT_SETTINGS: Readonly<LayoutSettings> = Object.freeze({
  paragraphGapRatio: 0.7,
  gridMargin: 1,
});

export interface PageSettings {
  layout?: Partial<LayoutSettings>;
  grid?: Partial<GridSettings>;
  stream?: Partial<StreamSettings>;
}

function inside(box: Box, frame: Box, margin: number): boolean {
  const cx = (box[0] + box[2]) / 2;
  const cy = (box[1] + box[3]) / 2;
  return cx >= frame[0] - margin && cx <= frame[2] + margin && cy >= frame[1] - margin && cy <= frame[3] + margin;
}

export function gridToRows(page: number, grid: Grid, items: readonly TextBox[], settings?: Partial<GridSettings>): Row[] {
  const texts = assignTextToCells(grid, items, settings);
  const rows: Row[] = [];
  for (let r = 0; r < grid.ys.length - 1; r++) {
    const cells = grid.cells
      .map((cell, i) => ({ cell, text: texts[i]! }))
      .filter(({ cell }) => cell.row === r)
      .map(({ cell, text }) => ({ text, col: cell.col, colSpan: cell.colSpan, box: cell.box }));
    if (cells.length === 0) continue;
    rows.push({ page, box: [grid.xs[0]!, grid.ys[r]!, grid.xs.at(-1)!, grid.ys[r + 1]!], cells });
  }
  markContinuingCells(rows.at(-1), items);
  return rows;
}

/** Within this many text heights of a cell's right edge, a last line was wrapped, not ended. */
const WRAP_SLACK_HEIGHTS = 1.5;

/**
 * A table's last row may be cut by the page foot (LibreOffice splits rows). Its cells whose last
 * line runs to the right edge are marked: the normalizer joins them with the rest on the next page.
 */
function markContinuingCells(row: Row | undefined, items: readonly TextBox[]): void {
  if (!row) return;
  for (const cell of row.cells) {
    const box = cell.box;
    if (!box || cell.text.trim() === '') continue;
    const mine = items.filter((it) => {
      const cx = (it.box[0] + it.box[2]) / 2;
      const cy = (it.box[1] + it.box[3]) / 2;
      return cx >= box[0] && cx <= box[2] && cy >= box[1] && cy <= box[3];
    });
    if (mine.length === 0) continue;
    const bottom = Math.max(...mine.map((it) => it.box[3]));
    const h = Math.max(...mine.map((it) => it.box[3] - it.box[1]));
    const lastLine = mine.filter((it) => it.box[3] >= bottom - h / 2);
    if (Math.max(...lastLine.map((it) => it.box[2])) >= box[2] - WRAP_SLACK_HEIGHTS * h) cell.continues = true;
  }
}

type Block = { top: number; rows: Row[]; box: Box };

/**
 * Free lines → blocks of paragraphs, each paragraph a single-cell row. A wide vertical gap, or a
 * grid in between, separates blocks like a blank line in a text dump.
 */
function linesToBlocks(page: number, items: readonly TextBox[], grids: readonly Grid[], s: GridSettings, paragraphGapRatio: number): Block[] {
  const lines = itemsToLines(items, s)
    .map((line) => ({ text: lineText(line, s).trim(), box: line.box }))
    .filter((l) => l.text !== '');
  const rightEdge = Math.max(...lines.map((l) => l.box[2]), ...grids.map((g) => g.box[2]));
  const groups: TextBox[][] = [];
  let prevBottom = -Infinity;
  for (const line of lines) {
    const height = line.box[3] - line.box[1];
    const gridBetween = grids.some((g) => g.box[1] >= prevBottom && g.box[1] <= line.box[1]);
    const group = groups.at(-1);
    if (group && !gridBetween && line.box[1] - prevBottom <= paragraphGapRatio * height) group.push(line);
    else groups.push([line]);
    prevBottom = line.box[3];
  }
  return groups.map((group) => {
    const rows: Row[] = linesToParagraphs(group, rightEdge, s).map((p) => ({ page, box: p.box, cells: [{ text: p.text, col: 0, colSpan: 1, box: p.box }] }));
    return { top: group[0]!.box[1], rows, box: unionBox(group.map((l) => l.box)) };
  });
}

export function pageToRows(page: number, items: readonly TextBox[], grids: readonly Grid[], settings: PageSettings = {}): Row[] {
  const gs = resolveGridSettings(settings.grid);
  const ls = resolveSettings('layout', DEFAULT_LAYOUT_SETTINGS, settings.layout);
  if (grids.length === 0) {
    const rows: Row[] = streamRows(items, settings.stream).map((r) => ({ page, ...r }));
    if (rows.length > 0) rows.push({ page, cells: [] });
    return rows;
  }
  const perGrid: TextBox[][] = grids.map(() => []);
  const free: TextBox[] = [];
  for (const item of items) {
    const g = grids.findIndex((grid) => inside(item.box, grid.box, ls.gridMargin));
    if (g >= 0) perGrid[g]!.push(item);
    else free.push(item);
  }
  const blocks: Block[] = [
    ...grids.map((grid, i) => ({ top: grid.box[1], rows: gridToRows(page, grid, perGrid[i]!, gs), box: grid.box })),
    ...linesToBlocks(page, free, grids, gs, ls.paragraphGapRatio),
  ].sort((a, b) => a.top - b.top || a.box[0] - b.box[0]);
  const rows: Row[] = [];
  for (const block of blocks) {
    if (block.rows.length === 0) continue;
    if (rows.length > 0) rows.push({ page, cells: [] });
    rows.push(...block.rows);
  }
  if (rows.length > 0) rows.push({ page, cells: [] });
  return rows;
}
