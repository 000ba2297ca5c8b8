// pdf.js text items → text boxes in top-left page coordinates. The viewport transform carries
// /Rotate, so text that reads upright on a rotated page comes out upright here too.
import type { Box } from '../rows.js';
import type { TextBox } from '../grid/reading.js';
import { repairIdeographs } from './ideographs.js';
import { multiply, type Matrix } from './matrix.js';

/** The fields of pdf.js's TextItem this step reads. */
export interface PdfTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
  fontName: string;
}

export interface PdfTextStyle {
  ascent: number;
  descent: number;
  vertical: boolean;
}

/** Without font metrics, an ascent of 0.8 and a descent of 0.2 em fit most CJK and Latin fonts. */
const FALLBACK_ASCENT = 0.8;
const FALLBACK_DESCENT = 0.2;
// Metrics taken from a font's bounding box can be far taller than its letters (Noto CJK embedded
// by cairo reports 1.8 / 1.05 em), which would make lines overlap; they are held to sane ranges.
const ASCENT_RANGE: [number, number] = [0.7, 0.9];
const DESCENT_RANGE: [number, number] = [0.1, 0.25];

function clamp(v: number, [lo, hi]: [number, number]): number {
  return Math.min(Math.max(v, lo), hi);
}

export function textItemToBox(item: PdfTextItem, style: PdfTextStyle | undefined, viewport: Readonly<Matrix>): Box {
  const tx = multiply(viewport, item.transform);
  const fontSize = Math.hypot(tx[2], tx[3]);
  const scale = Math.hypot(viewport[0], viewport[1]);
  const advance = (style?.vertical ? item.height : item.width) * scale;
  let angle = Math.atan2(tx[1], tx[0]);
  if (style?.vertical) angle += Math.PI / 2;
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  // "Up" from the baseline, in y-down page coordinates.
  const upx = uy;
  const upy = -ux;
  const ascent = style && style.ascent > 0 ? clamp(style.ascent, ASCENT_RANGE) : FALLBACK_ASCENT;
  const descent = style && style.descent < 0 ? clamp(-style.descent, DESCENT_RANGE) : FALLBACK_DESCENT;
  const ox = tx[4];
  const oy = tx[5];
  const xs = [ox, ox + ux * advance, ox + upx * ascent * fontSize, ox - upx * descent * fontSize];
  const ys = [oy, oy + uy * advance, oy + upy * ascent * fontSize, oy - upy * descent * fontSize];
  xs.push(xs[1]! + upx * ascent * fontSize, xs[1]! - upx * descent * fontSize);
  ys.push(ys[1]! + upy * ascent * fontSize, ys[1]! - upy * descent * fontSize);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/**
 * Text items → boxes. Whitespace-only items are dropped: pdf.js inserts them for gaps it guesses
 * are spaces, and word spaces are decided from the geometry when pieces are joined.
 */
export function textItemsToBoxes(items: readonly PdfTextItem[], styles: Readonly<Record<string, PdfTextStyle>>, viewport: Readonly<Matrix>): TextBox[] {
  return items
    .filter((it) => it.str.trim().length > 0)
    .map((it) => ({ text: repairIdeographs(it.str), box: textItemToBox(it, styles[it.fontName], viewport) }));
}

/** Characters that carry text: not whitespace, not U+FFFD, not private-use glyph codes of fonts without a Unicode map. */
const USABLE = /[^\s\uFFFD\uE000-\uF8FF\u0000-\u001F]/gu;

/** Whether a page's text layer is worth reading, or the page should go to OCR. */
export function hasUsableText(items: readonly TextBox[], s: TextLayerSettings = DEFAULT_TEXT_LAYER_SETTINGS): boolean {
  let usable = 0;
  let total = 0;
  for (const it of items) {
    const t = it.text.replace(/\s/gu, '');
    total += [...t].length;
    usable += t.match(USABLE)?.length ?? 0;
  }
  return usable >= s.minUsableChars && usable >= s.minUsableShare * total;
}

export interface TextLayerSettings {
  /** Fewer usable characters than this on a page: no text layer (a scan). */
  minUsableChars: number;
  /** A smaller share of usable characters than this: the text layer is garbage (fonts without a Unicode map). */
  minUsableShare: number;
}

export const DEFAULT_TEXT_LAYER_SETTINGS: Readonly<TextLayerSettings> = Object.freeze({
  minUsableChars: 1,
  minUsableShare: 0.5,
});
