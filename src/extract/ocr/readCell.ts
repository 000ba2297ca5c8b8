// One cell crop → its text, the way a careful reader would get it: read it; read a crop of
// digits again with the English model, and an unsure crop again at another segmentation and
// size, keeping the surest reading; put back the ≥ and ≤ signs tesseract cannot read (their
// shape decides) and the spaces the form printed; correct an unsure character that makes a
// domain word one character off. Every change becomes a note on the cell, so a reviewer sees it.
import { grayToBinaryOtsu } from './binarize.js';
import { traitsOf, type CellCrop, type OcrPool, type OcrReading, type OcrSymbol } from './engine.js';
import { isCjk } from '../grid/reading.js';
import { median } from '../grid/stream.js';
import { scaleGray, type BinaryImage, type PxRect } from './image.js';
import type { OcrSettings } from './settings.js';
import { findSignGlyphs, type SignGlyph } from './signs.js';
import { correctWithVocabulary } from './vocabulary.js';

export interface CellNote {
  code: 'OCR_VALUE_REPAIRED' | 'OCR_LOW_CONFIDENCE';
  message: string;
}

export interface CellReading {
  text: string;
  /** Confidence of the reading kept, 0–100. */
  conf: number;
  notes: CellNote[];
  /** Pixels of stamp ink dropped out of the cell's box, when it lay under a seal (set by the page's reader). */
  stampInk?: number;
}

/** What reading a cell needs of the scan settings (`settings.ts` says what each one means). */
export type ReadSettings = Pick<OcrSettings, 'retryBelowConf' | 'retryScale' | 'retryMinConf' | 'numberSureConf' | 'vocabularyBelowConf' | 'weakWordConf' | 'weakNumberConf'>;

/** Tesseract's word breaks are a space only between Latin words and numbers, never at CJK text or a sign (`≥ 90%`); printed spaces are found apart. */
const spaced = (c: string) => !isCjk(c) && c !== '≥' && c !== '≤';

const WIDE_PUNCTUATION = /^[，。、；：？！）》」』”’（《「『“‘]$/u;

/** Runs of at least `min` ink-free columns between x0 and x1 in rows y0..y1, as their middles. */
function inkGaps(ink: BinaryImage, y0: number, y1: number, x0: number, x1: number, min: number): number[] {
  const out: number[] = [];
  let run = 0;
  for (let x = Math.max(0, x0); x < Math.min(ink.width, x1); x++) {
    let inked = false;
    for (let y = Math.max(0, y0); y < Math.min(ink.height, y1) && !inked; y++) inked = ink.data[y * ink.width + x] === 1;
    if (inked) {
      if (run >= min) out.push(x - run / 2);
      run = 0;
    } else run++;
  }
  return out;
}

/**
 * Where the printed text had a space tesseract's CJK word breaks do not tell: a blank of about a
 * character inside a line (found in the ink when there is some: tesseract's boxes drift by half
 * a glyph), or a line that stops well short of the others before the next one starts
 * (`学生满意率 家长满意率` set on two lines). Keys are indexes into `symbols`.
 */
function printedSpaces(symbols: readonly OcrSymbol[], ink?: BinaryImage): Set<number> {
  const out = new Set<number>();
  const h = median(symbols.map((s) => s.box.y1 - s.box.y0));
  if (h <= 0) return out;
  const lines = new Map<number, number[]>();
  symbols.forEach((s, i) => lines.set(s.line, [...(lines.get(s.line) ?? []), i]));
  const lineEnd = new Map([...lines].map(([l, idx]) => [l, Math.max(...idx.map((i) => symbols[i]!.box.x1))]));
  const widest = Math.max(...lineEnd.values());
  const mid = (i: number) => (symbols[i]!.box.x0 + symbols[i]!.box.x1) / 2;
  for (const idx of lines.values()) {
    if (ink) {
      const y0 = median(idx.map((i) => symbols[i]!.box.y0));
      const y1 = median(idx.map((i) => symbols[i]!.box.y1));
      // Measured at 300 dpi: glyphs of a CJK line stand 3–5 px apart (a tenth of an em), a
      // printed space leaves 15 px; a blank inside one glyph (川) lies inside its box.
      for (const gap of inkGaps(ink, Math.round(y0), Math.round(y1), Math.floor(mid(idx[0]!)), Math.ceil(mid(idx.at(-1)!)), Math.round(0.35 * h))) {
        const k = idx.findIndex((i) => mid(i) > gap);
        if (k <= 0) continue;
        const [a, b] = [symbols[idx[k - 1]!]!, symbols[idx[k]!]!];
        const inside = (sym: OcrSymbol) => gap > sym.box.x0 && gap < sym.box.x1;
        // Full-width punctuation leaves its own blank half (`标准，提高`): that is no space.
        if (!inside(a) && !inside(b) && !WIDE_PUNCTUATION.test(a.text) && !WIDE_PUNCTUATION.test(b.text)) out.add(idx[k]!);
      }
    } else {
      for (let k = 1; k < idx.length; k++) if (symbols[idx[k]!]!.box.x0 - symbols[idx[k - 1]!]!.box.x1 >= 0.9 * h) out.add(idx[k]!);
    }
  }
  for (let i = 1; i < symbols.length; i++) {
    const a = symbols[i - 1]!;
    if (a.line !== symbols[i]!.line && lineEnd.get(a.line)! < widest - 1.5 * h) out.add(i);
  }
  return out;
}

/** Symbols → the cell's text (CJK spacing dropped, as tesseractTextToCellText does) and each character's confidence. */
export function symbolsToText(symbols: readonly OcrSymbol[], ink?: BinaryImage): { text: string; confs: number[] } {
  const chars: string[] = [];
  const confs: number[] = [];
  const printed = printedSpaces(symbols, ink);
  let prev: OcrSymbol | null = null;
  symbols.forEach((sym, i) => {
    const glyphs = [...sym.text.replace(/\s+/gu, '')];
    if (glyphs.length === 0) return;
    // Between words and lines tesseract puts a space; it only means something between non-CJK text.
    const wordBreak = prev && (prev.word !== sym.word || prev.line !== sym.line) && spaced(chars.at(-1) ?? '') && spaced(glyphs[0]!);
    if (prev && chars.at(-1) !== ' ' && (wordBreak || printed.has(i))) {
      chars.push(' ');
      confs.push(sym.conf);
    }
    for (const g of glyphs) {
      chars.push(g);
      confs.push(sym.conf);
    }
    prev = sym;
  });
  return { text: chars.join(''), confs };
}

const overlap = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/** What tesseract reads a ≥ or ≤ as: signs, strokes and the CJK characters made of strokes like them. */
const SIGN_MISREADS = new Set(['=', '≥', '≤', '≧', '≦', '>', '<', '》', '《', '〉', '〈', '三', '二', '之', '宇', '过', '生', '乏', '云', '兰', '-', '_', '~', '÷', '±']);

/**
 * The sign glyphs put into the symbols. Tesseract's boxes drift by a glyph's width, so the sign
 * replaces the nearest symbol around it that is a known misreading of a sign (`=`, `三`, `生`,
 * `<`); where there is none the sign was dropped or swallowed by the next symbol (`≥2` read as
 * `2`) and goes in before the first symbol to its right on its line.
 */
export function symbolsWithSigns(symbols: readonly OcrSymbol[], signs: readonly SignGlyph[]): OcrSymbol[] {
  const out = [...symbols];
  for (const sign of signs) {
    const g = sign.box;
    const gw = g.x1 - g.x0;
    const centre = (g.x0 + g.x1) / 2;
    const onLine = (s: OcrSymbol) => overlap(s.box.y0, s.box.y1, g.y0, g.y1) >= 0.4 * Math.min(g.y1 - g.y0, s.box.y1 - s.box.y0);
    const mid = (s: OcrSymbol) => (s.box.x0 + s.box.x1) / 2;
    const lineMates = out.filter(onLine);
    const misreads = lineMates
      .filter((s) => SIGN_MISREADS.has(s.text) && mid(s) > g.x0 - gw && mid(s) < g.x1 + gw)
      .sort((a, b) => Math.abs(mid(a) - centre) - Math.abs(mid(b) - centre));
    // Failing a known misreading, a character whose middle lies inside the sign is one too
    // (`和≤0.8万元`), unless it follows CJK text: then it is that text's last character, its box
    // drifted over a sign tesseract dropped (`满意度95%`).
    const follows = (s: OcrSymbol) => lineMates[lineMates.indexOf(s) - 1];
    const nearest = misreads[0] ?? lineMates.find((s) => mid(s) >= g.x0 && mid(s) <= g.x1 && !/\d/.test(s.text) && !isCjk(follows(s)?.text ?? ''));
    if (nearest) {
      out[out.indexOf(nearest)] = { ...nearest, text: sign.sign, box: g };
      // One sign read as two symbols (`二=`): the other one inside its box goes.
      for (const extra of misreads.slice(1)) if (mid(extra) >= g.x0 && mid(extra) <= g.x1) out.splice(out.indexOf(extra), 1);
      continue;
    }
    const after = lineMates.find((s) => mid(s) > centre);
    const line = after?.line ?? lineMates.at(-1)?.line ?? (out.at(-1)?.line ?? 0) + 1;
    const word = after?.word ?? lineMates.at(-1)?.word ?? -1;
    const sym: OcrSymbol = { text: sign.sign, box: g, conf: 0, line, word };
    if (after) out.splice(out.indexOf(after), 0, sym);
    else if (lineMates.length > 0) out.splice(out.indexOf(lineMates.at(-1)!) + 1, 0, sym);
    else {
      // A line of its own: after every symbol above it.
      const below = out.findIndex((s) => s.box.y0 >= g.y1);
      out.splice(below < 0 ? out.length : below, 0, sym);
    }
  }
  return out;
}

/**
 * A "digit" whose box is far smaller than its line's other digits is the dot of a colon or a
 * point tesseract took for one (`2: 12个月` read as `2512个月`): a point between digits set
 * close together, a colon otherwise.
 */
export function symbolsWithDots(symbols: readonly OcrSymbol[]): OcrSymbol[] {
  const isDigit = (s: OcrSymbol) => /^\d$/.test(s.text);
  const out = [...symbols];
  for (const line of new Set(symbols.map((s) => s.line))) {
    const digits = symbols.filter((s) => s.line === line && isDigit(s));
    if (digits.length < 3) continue;
    const h = median(digits.map((s) => s.box.y1 - s.box.y0));
    const w = median(digits.map((s) => s.box.x1 - s.box.x0));
    for (const d of digits) {
      if (d.box.y1 - d.box.y0 >= 0.7 * h || d.box.x1 - d.box.x0 >= 0.5 * w) continue;
      const i = out.indexOf(d);
      const [prev, next] = [out[i - 1], out[i + 1]];
      const tight = next && next.line === d.line && next.box.x0 - d.box.x1 < 0.3 * h;
      out[i] = { ...d, text: prev && isDigit(prev) && next && isDigit(next) && tight ? '.' : ':' };
    }
  }
  return out;
}

function scaledBack(reading: OcrReading, factor: number): OcrReading {
  const back = (r: PxRect): PxRect => ({ x0: r.x0 / factor, y0: r.y0 / factor, x1: r.x1 / factor, y1: r.y1 / factor });
  return { conf: reading.conf, symbols: reading.symbols.map((s) => ({ ...s, box: back(s.box) })) };
}

const HAS_CJK = /[\u3400-\u9fff]/u;
/** A number as the Latin model may print it: digits with separators, a sign, a percent. */
const NUMBER_LIKE = /^[-+]?[\d.,:%/]*\d[\d.,:%/]*$/;

/**
 * A crop tesseract's Chinese model read as no Chinese at all (`72.35`, `2.35`, `1009%0`) is a
 * number: the English model reads it as one word or one line, and the surer reading that looks
 * like a number wins (measured: `72.35` read as `2.35` at 12 by chi_sim, right at 94 by eng).
 */
async function numberReading(pool: OcrPool, crop: CellCrop, first: OcrReading, hasSign: boolean, s: ReadSettings): Promise<OcrReading> {
  // A sign in the crop stays with chi_sim's reading: eng reads ≥ as a digit (`295%`).
  if (!traitsOf(pool).englishNumbers || hasSign || crop.layout === 'block' || first.conf >= s.numberSureConf || HAS_CJK.test(symbolsToText(first.symbols).text)) return first;
  let best = first;
  for (const layout of ['line', 'word'] as const) {
    const r = await pool.recognize({ image: crop.image, layout, model: 'eng' });
    if (r.conf > best.conf && r.conf >= s.retryMinConf && NUMBER_LIKE.test(symbolsToText(r.symbols).text)) best = r;
    if (best.conf >= s.retryBelowConf) break;
  }
  return best;
}

/** The first reading, or a surer one of the same crop segmented or sized otherwise. */
async function surestReading(pool: OcrPool, crop: CellCrop, hasSign: boolean, s: ReadSettings): Promise<{ reading: OcrReading; first: OcrReading }> {
  const first = await pool.recognize(crop);
  const number = await numberReading(pool, crop, first, hasSign, s);
  if (number !== first || first.conf >= s.retryBelowConf || !traitsOf(pool).resegment) return { reading: number, first };
  // Measured on the fixture scans: a short line tesseract is unsure of (`2.75` read as `2`,
  // `2` as `风`, `28万元` for 25万元) is most often read right as one word, or larger.
  const scaled = scaleGray(crop.image, s.retryScale);
  const tries: [CellCrop, number][] =
    crop.layout === 'block'
      ? [[{ image: scaled, layout: 'block' }, s.retryScale]]
      : [[{ image: crop.image, layout: 'word' }, 1], [{ image: scaled, layout: 'line' }, s.retryScale], [{ image: scaled, layout: 'word' }, s.retryScale]];
  let best = first;
  for (const [c, factor] of tries) {
    const r = await pool.recognize(c);
    if (r.conf > best.conf && r.conf >= s.retryMinConf) best = factor === 1 ? r : scaledBack(r, factor);
  }
  return { reading: best, first };
}

export async function readCell(pool: OcrPool, crop: CellCrop, s: ReadSettings): Promise<CellReading> {
  const notes: CellNote[] = [];
  const ink = grayToBinaryOtsu(crop.image);
  const signs = findSignGlyphs(ink);
  const { reading, first } = await surestReading(pool, crop, signs.length > 0, s);
  const read = symbolsToText(reading.symbols, ink).text;
  if (reading !== first) {
    const firstText = symbolsToText(first.symbols, ink).text;
    if (read !== firstText) notes.push({ code: 'OCR_LOW_CONFIDENCE', message: `first read as "${firstText}" (confidence ${first.conf}); a second reading gives "${read}" (confidence ${reading.conf})` });
  }
  const dotted = symbolsWithDots(reading.symbols);
  const before = symbolsToText(dotted, ink).text;
  if (before !== read) notes.push({ code: 'OCR_VALUE_REPAIRED', message: `"${read}" read as "${before}": a dot taken for a digit` });
  const withSigns = signs.length > 0 ? symbolsWithSigns(dotted, signs) : dotted;
  const signed = symbolsToText(withSigns, ink);
  if (signed.text !== before) notes.push({ code: 'OCR_VALUE_REPAIRED', message: `"${before}" read as "${signed.text}": the sign's shape is ${[...new Set(signs.map((g) => g.sign))].join(' ')}` });
  const corrected = correctWithVocabulary(signed.text, signed.confs, s.vocabularyBelowConf);
  for (const fix of corrected.fixes) notes.push({ code: 'OCR_VALUE_REPAIRED', message: `"${fix.read}" read as "${fix.word}": an unsure character in a domain word` });
  const weak = weakWords(withSigns, s.weakWordConf, s.weakNumberConf);
  if (weak.length > 0 && corrected.fixes.length === 0) notes.push({ code: 'OCR_LOW_CONFIDENCE', message: `"${corrected.text}": ${weak.map((w) => `"${w.text}" read with confidence ${w.conf}`).join(', ')}` });
  return { text: corrected.text, conf: reading.conf, notes };
}

/**
 * Words tesseract was unsure of (signs put in by shape are not its words). A word with a digit
 * has the stricter bar: numbers carry the data, and a confident-looking 5 for 9 is still wrong.
 */
function weakWords(symbols: readonly OcrSymbol[], below: number, numberBelow: number): { text: string; conf: number }[] {
  const words = new Map<string, { text: string; conf: number }>();
  for (const sym of symbols) {
    if (sym.text === '≥' || sym.text === '≤') continue;
    const key = `${sym.line}:${sym.word}`;
    const w = words.get(key);
    // Tesseract gives every symbol its word's confidence; an engine that scores characters
    // is as unsure of a word as of its least sure character.
    if (w) {
      w.text += sym.text;
      w.conf = Math.min(w.conf, sym.conf);
    } else words.set(key, { text: sym.text, conf: sym.conf });
  }
  return [...words.values()].filter((w) => w.conf < (/\d/.test(w.text) ? numberBelow : below));
}
