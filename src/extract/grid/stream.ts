// Tables without rules, after Camelot's stream parser: text pieces → lines → cells split at wide
// gaps → columns from the x-extents the cells share across lines. Pure geometry, for pages that
// draw no rules at all.
import type { Box, Cell, Row } from '../rows.js';
import { DEFAULT_READING_SETTINGS, itemsToLines, lineText, linesToParagraphs, unionBox, type Line, type ReadingSettings, type TextBox } from './reading.js';
import { resolveSettings } from './settings.js';

export interface StreamSettings extends ReadingSettings {
  /** A horizontal gap wider than this × the line's text height starts a new cell. */
  cellGapRatio: number;
  /** A vertical gap wider than this × the text height between lines starts a new block. */
  blockGapRatio: number;
  /** Cell extents closer than this × text height belong to one column. */
  columnSlackRatio: number;
}

export const DEFAULT_STREAM_SETTINGS: Readonly<StreamSettings> = Object.freeze({
  cellGapRatio: 1.5,
  blockGapRatio: 1.2,
  columnSlackRatio: 0.3,
  ...DEFAULT_READING_SETTINGS,
});

export type StreamRow = Omit<Row, 'page'>;

interface Piece {
  text: string;
  box: Box;
}

/** The upper median; 0 for none. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)]!;
}

export function lineToCells(line: Line, s: StreamSettings): Piece[] {
  const out: Piece[] = [];
  let group: TextBox[] = [];
  const flush = (): void => {
    if (group.length === 0) return;
    const text = lineText({ items: group, box: unionBox(group.map((g) => g.box)) }, s).trim();
    if (text !== '') out.push({ text, box: unionBox(group.map((g) => g.box)) });
    group = [];
  };
  const height = line.box[3] - line.box[1];
  for (const item of line.items) {
    const prev = group.at(-1);
    if (prev && item.box[0] - prev.box[2] > s.cellGapRatio * height) flush();
    group.push(item);
  }
  flush();
  return out;
}

/** Column extents: overlapping x-ranges of the cells of multi-cell lines, merged, left to right. */
export function cellsToColumns(lines: readonly Piece[][], slack: number): [number, number][] {
  const ranges = lines
    .filter((cells) => cells.length > 1)
    .flat()
    .map((c): [number, number] => [c.box[0], c.box[2]])
    .sort((a, b) => a[0] - b[0]);
  const cols: [number, number][] = [];
  for (const r of ranges) {
    const last = cols.at(-1);
    if (last && r[0] <= last[1] + slack) last[1] = Math.max(last[1], r[1]);
    else cols.push([r[0], r[1]]);
  }
  return cols;
}

function placeCell(piece: Piece, cols: readonly [number, number][]): Cell {
  const hit = cols.map((c, i) => (piece.box[0] < c[1] && piece.box[2] > c[0] ? i : -1)).filter((i) => i >= 0);
  if (hit.length === 0) {
    // In a gutter: the column to its left, if any.
    const left = cols.filter((c) => c[1] <= piece.box[0]).length;
    return { text: piece.text, col: Math.max(left, 0), colSpan: 1, box: piece.box };
  }
  return { text: piece.text, col: hit[0]!, colSpan: hit.length, box: piece.box };
}

/**
 * Text pieces of one page → rows; a row with no cells between blocks. Within a block that has
 * multi-cell lines every cell gets its column; a block without any (titles, running text) gives
 * one single-cell row per paragraph at column 0, as in a text dump.
 */
export function streamRows(items: readonly TextBox[], settings?: Partial<StreamSettings>): StreamRow[] {
  const s = resolveSettings('stream', DEFAULT_STREAM_SETTINGS, settings);
  const lines = itemsToLines(items, s);
  if (lines.length === 0) return [];
  const h = median(lines.map((l) => l.box[3] - l.box[1]));
  const blocks: Line[][] = [];
  for (const line of lines) {
    const block = blocks.at(-1);
    const prev = block?.at(-1);
    if (block && prev && line.box[1] - prev.box[3] <= s.blockGapRatio * h) block.push(line);
    else blocks.push([line]);
  }
  const rightEdge = Math.max(...lines.map((l) => l.box[2]));
  const rows: StreamRow[] = [];
  for (const block of blocks) {
    if (rows.length > 0) rows.push({ cells: [] });
    const cellLines = block.map((l) => lineToCells(l, s));
    const cols = cellsToColumns(cellLines, s.columnSlackRatio * h);
    if (cols.length > 1) {
      cellLines.forEach((pieces, i) => {
        if (pieces.length > 0) rows.push({ box: block[i]!.box, cells: pieces.map((p) => placeCell(p, cols)) });
      });
      continue;
    }
    // Running text: wrapped lines are joined back into paragraphs.
    const texts = block.map((l) => ({ text: lineText(l, s).trim(), box: l.box })).filter((l) => l.text !== '');
    for (const p of linesToParagraphs(texts, rightEdge, s)) rows.push({ box: p.box, cells: [{ text: p.text, col: 0, colSpan: 1, box: p.box }] });
  }
  return rows;
}
