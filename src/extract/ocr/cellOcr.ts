// Cell crops: each cell cut to its text (rules and borders left out), blank ones skipped; an
// engine (engine.ts) recognises the rest one crop at a time. Whole-page recognition of a ruled
// form reads the rules as text and scores 14–24; a crop per cell reads cleanly.
import type { CellCrop } from './engine.js';
import type { BinaryImage, GrayImage, PxRect } from './image.js';
import { clampRect, cropGray, grayToPgm, insetRect, padGray } from './image.js';
import { binaryToTextLines, type TextLine, type TextLineSettings } from './textLines.js';

export interface CropSettings extends TextLineSettings {
  /** Pixels trimmed from each side of the cell box before looking for ink. */
  inset: number;
  blankInkRatio: number;
  /** …unless it holds at least this many ink pixels: a short number in a wide, tall cell is a small share. */
  minTextInk: number;
  /** White margin (pixels) put back around the text for tesseract. */
  pad: number;
  /** A band this many times the usual line height is read as a block of lines. */
  multiLineRatio: number;
}

/** The text lines inside a cell box (inset so borders stay out), or null when it is blank. */
export function cellToTextLines(ink: BinaryImage, rect: PxRect, s: CropSettings): TextLine[] | null {
  const inner = clampRect(insetRect(rect, s.inset), ink.width, ink.height);
  const area = (inner.x1 - inner.x0) * (inner.y1 - inner.y0);
  if (area <= 0) return null;
  let n = 0;
  for (let y = inner.y0; y < inner.y1; y++) for (let x = inner.x0; x < inner.x1; x++) n += ink.data[y * ink.width + x]!;
  if (n / area < s.blankInkRatio && n < s.minTextInk) return null;
  const lines = binaryToTextLines(ink, inner, s);
  return lines.length === 0 ? null : lines;
}

/**
 * The gray crop around `lines`, padded, rule pixels whitened so a border that strays into the
 * text box is not read as `|` or `1`. Several lines, or one band much taller than a line of
 * text (tightly set lines whose gap the projection cannot see), are read as a block.
 */
export function textLinesToCrop(gray: GrayImage, rules: BinaryImage, lines: readonly TextLine[], lineHeight: number, s: CropSettings): CellCrop {
  const text: PxRect = {
    x0: Math.min(...lines.map((l) => l.box.x0)),
    y0: Math.min(...lines.map((l) => l.box.y0)),
    x1: Math.max(...lines.map((l) => l.box.x1)),
    y1: Math.max(...lines.map((l) => l.box.y1)),
  };
  const grow = Math.max(1, Math.round(s.pad / 2));
  const box = clampRect({ x0: text.x0 - grow, y0: text.y0 - grow, x1: text.x1 + grow, y1: text.y1 + grow }, gray.width, gray.height);
  const crop = cropGray(gray, box);
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      if (rules.data[y * rules.width + x]) crop.data[(y - box.y0) * crop.width + (x - box.x0)] = 255;
    }
  }
  const tall = lines.some((l) => l.box.y1 - l.box.y0 > s.multiLineRatio * lineHeight);
  const dx = s.pad - box.x0;
  const dy = s.pad - box.y0;
  const inCrop = lines.map((l) => ({ x0: l.box.x0 + dx, y0: l.box.y0 + dy, x1: l.box.x1 + dx, y1: l.box.y1 + dy }));
  return {
    image: padGray(crop, s.pad),
    layout: lines.length > 1 || tall ? 'block' : 'line',
    lines: inCrop,
    ...(Number.isFinite(lineHeight) ? { lineHeight } : {}),
  };
}

/** The usual height of one line of text: the median band height (most cells hold one line). */
export function textLinesToLineHeight(lines: readonly TextLine[]): number {
  const h = lines.map((l) => l.box.y1 - l.box.y0).sort((a, b) => a - b);
  return h.length === 0 ? Infinity : h[Math.floor(h.length / 2)]!;
}

export function cellToCrop(gray: GrayImage, ink: BinaryImage, rules: BinaryImage, rect: PxRect, s: CropSettings, lineHeight = Infinity): CellCrop | null {
  const lines = cellToTextLines(ink, rect, s);
  return lines ? textLinesToCrop(gray, rules, lines, lineHeight, s) : null;
}

export type { CellCrop, Layout, Model, OcrPool, OcrReading, OcrSymbol } from './engine.js';
export { langPathOf, tesseractTextToCellText } from './tesseract.js';
