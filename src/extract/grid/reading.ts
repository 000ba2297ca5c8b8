// Reading order for positioned text: pieces → lines (top→bottom) → text. Shared by the ruled
// (lattice) and whitespace (stream) strategies, and by anything else that holds text boxes.
import type { Box } from '../rows.js';

/** A run of text and where it sits (page units, origin top-left). */
export interface TextBox {
  text: string;
  box: Box;
}

export interface ReadingSettings {
  /** Two pieces share a line when their vertical overlap is at least this share of the shorter one. */
  lineOverlapRatio: number;
  /** A horizontal gap wider than this × text height between two Latin pieces is a word space. */
  wordGapRatio: number;
  /**
   * CJK is set without spaces, so a gap this wide (× text height) between two CJK pieces is a
   * typed separator: two items packed on one line of a cell.
   */
  cjkGapRatio: number;
  /** A line ending within this × text height of the text's right edge was wrapped: the next line continues it. */
  wrapSlackRatio: number;
  /** A continuation line starts within this × text height of the paragraph's left edge (or shares its centre). */
  indentSlackRatio: number;
}

export const DEFAULT_READING_SETTINGS: Readonly<ReadingSettings> = Object.freeze({
  lineOverlapRatio: 0.5,
  wordGapRatio: 0.2,
  cjkGapRatio: 1.5,
  wrapSlackRatio: 2.5,
  indentSlackRatio: 1,
});

export interface Line {
  items: TextBox[];
  box: Box;
}

// Han, CJK punctuation, full-width forms, kana and hangul: scripts written without word spaces.
const CJK = /[\u2E80-\u2FFF\u3000-\u30FF\u3100-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]/u;

export function isCjk(ch: string): boolean {
  return CJK.test(ch);
}

export function unionBox(boxes: readonly Box[]): Box {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const b of boxes) {
    x0 = Math.min(x0, b[0]);
    y0 = Math.min(y0, b[1]);
    x1 = Math.max(x1, b[2]);
    y1 = Math.max(y1, b[3]);
  }
  return [x0, y0, x1, y1];
}

function heightOf(b: Box): number {
  return Math.max(b[3] - b[1], 0);
}

function sharesLine(line: Box, item: Box, ratio: number): boolean {
  const overlap = Math.min(line[3], item[3]) - Math.max(line[1], item[1]);
  const shorter = Math.min(heightOf(line), heightOf(item));
  if (shorter <= 0) return Math.abs((line[1] + line[3]) / 2 - (item[1] + item[3]) / 2) < 1e-6;
  return overlap >= ratio * shorter;
}

/**
 * Groups pieces into lines, top to bottom, each left to right. A piece joins the line it overlaps
 * most; lines are compared by their running box so a tall piece (a bigger font) does not merge
 * two lines of small text unless it overlaps both enough.
 */
export function itemsToLines(items: readonly TextBox[], settings: ReadingSettings = DEFAULT_READING_SETTINGS): Line[] {
  const sorted = items
    .filter((it) => it.text.length > 0)
    .slice()
    .sort((a, b) => (a.box[1] + a.box[3]) / 2 - (b.box[1] + b.box[3]) / 2 || a.box[0] - b.box[0]);
  const lines: Line[] = [];
  for (const item of sorted) {
    // Only the last few lines can overlap an item taken in order of its centre.
    let target: Line | undefined;
    for (let i = lines.length - 1; i >= 0 && i >= lines.length - 3; i--) {
      const line = lines[i]!;
      if (sharesLine(line.box, item.box, settings.lineOverlapRatio)) {
        target = line;
        break;
      }
    }
    if (target) {
      target.items.push(item);
      target.box = unionBox([target.box, item.box]);
    } else {
      lines.push({ items: [item], box: [...item.box] });
    }
  }
  for (const line of lines) line.items.sort((a, b) => a.box[0] - b.box[0]);
  return lines.sort((a, b) => a.box[1] - b.box[1] || a.box[0] - b.box[0]);
}

function needsSpace(before: string, after: string): boolean {
  const a = before.at(-1);
  const b = after[0];
  if (a === undefined || b === undefined) return false;
  if (/\s/u.test(a) || /\s/u.test(b)) return false;
  if (isCjk(a) || isCjk(b)) return false;
  // A browser breaks "2021-01-" / "01" or a path after the separator: no word gap there.
  if (a === '-' || a === '/') return false;
  return true;
}

/** One line's pieces, left to right; a word space only where the gap shows one between Latin text. */
export function lineText(line: Line, settings: ReadingSettings = DEFAULT_READING_SETTINGS): string {
  let out = '';
  let prev: TextBox | undefined;
  for (const item of line.items) {
    if (prev) {
      const gap = item.box[0] - prev.box[2];
      const h = Math.max(heightOf(prev.box), heightOf(item.box));
      if (gap > settings.wordGapRatio * h && needsSpace(out, item.text)) out += ' ';
      else if (gap > settings.cjkGapRatio * h && !/\s$/u.test(out)) out += ' ';
    }
    out += item.text;
    prev = item;
  }
  return out;
}

/** Lines top to bottom: no separator where either side is CJK, one space between Latin words. */
export function joinLines(lines: readonly string[]): string {
  let out = '';
  for (const raw of lines) {
    const text = raw.trim();
    if (text === '') continue;
    out += out !== '' && needsSpace(out, text) ? ` ${text}` : text;
  }
  return out;
}

/** Pieces → text in reading order. */
export function readingText(items: readonly TextBox[], settings: ReadingSettings = DEFAULT_READING_SETTINGS): string {
  return joinLines(itemsToLines(items, settings).map((l) => lineText(l, settings)));
}

// A line that opens with a list marker or an enumerator (一、 2. （3） •) starts a paragraph of its own.
const PARAGRAPH_OPENER = /^(?:[•·●○■□◆◇▪‣⁃-]|[（(]?[一二三四五六七八九十百\d]{1,3}[)）、.．](?!\d)|第[一二三四五六七八九十百\d]{1,3}[部章节条])/u;

/**
 * Consecutive lines of running text → paragraphs, as a text dump holds them (one per line). A line
 * continues the paragraph when the line before reached `rightEdge` (it was wrapped) and it starts
 * at the paragraph's left edge, or shares the centre of a wrapped centred title.
 */
export function linesToParagraphs(lines: readonly TextBox[], rightEdge: number, settings: ReadingSettings = DEFAULT_READING_SETTINGS): TextBox[] {
  const out: TextBox[] = [];
  let prev: TextBox | undefined;
  let left = Infinity;
  for (const line of lines) {
    const cur = out.at(-1);
    const h = Math.max(heightOf(line.box), prev ? heightOf(prev.box) : 0);
    const wrapped = prev !== undefined && prev.box[2] >= rightEdge - settings.wrapSlackRatio * h;
    const slack = settings.indentSlackRatio * h;
    const aligned =
      prev !== undefined &&
      (line.box[0] <= Math.min(left, prev.box[0]) + slack ||
        Math.abs((line.box[0] + line.box[2]) / 2 - (prev.box[0] + prev.box[2]) / 2) <= slack);
    if (cur && wrapped && aligned && !PARAGRAPH_OPENER.test(line.text)) {
      cur.text = joinLines([cur.text, line.text]);
      cur.box = unionBox([cur.box, line.box]);
      left = Math.min(left, line.box[0]);
    } else {
      out.push({ text: line.text, box: [...line.box] });
      // A first line may be indented; continuation lines set the paragraph's left edge.
      left = Infinity;
    }
    prev = line;
  }
  return out;
}
