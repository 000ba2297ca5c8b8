// A scan page's JPEG, read from the file itself.
//
// pdf.js decodes every image while it lists a page's operators, and hands a gray JPEG over
// widened to RGB for the caller to narrow again: for a 300 dpi scan that is most of the cost of
// loading the page. Scanner and img2pdf output is simple: a page whose one content stream
// draws one DCT image. This reader knows exactly that much and answers null for anything else
// (cross-reference or object streams, encryption, other filters, operators or keys, masks,
// Decode arrays, colour, annotations, inherited resources…); such a page goes through pdf.js
// as before. The JPEG is decoded by pdf.js's own decoder (its image_decoders build: the same
// code as its worker's), asked for gray instead of RGB, so the pixels are the very same.
import { inflateSync } from 'node:zlib';
import { jpegSize } from './imageHeader.js';
import { importKeepingBuiltins } from '../pdf/pdfjs.js';

/** A single-draw content stream is a few dozen bytes; anything inflating past this is not one. */
const MAX_CONTENT_BYTES = 65_536;

export type Matrix = [number, number, number, number, number, number];

export function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

/** A page's one JPEG, decoded to gray, and the matrix that draws its unit square on the page. */
export interface PageJpeg {
  width: number;
  height: number;
  gray: Uint8Array;
  m: Matrix;
}

class PdfName {
  constructor(readonly name: string) {}
}

class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

/** A string's contents are never needed here, only that it was one. */
const PDF_STRING = Symbol('string');

type PdfValue = number | boolean | null | typeof PDF_STRING | PdfName | PdfRef | PdfValue[] | PdfDict;
type PdfDict = Map<string, PdfValue>;

/** Thrown inside the reader when a file is not of the simple kind; caught at its entry point. */
class NotSimple extends Error {}

function notSimple(why: string): never {
  throw new NotSimple(why);
}

const isWhite = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
const isDelimiter = (c: number): boolean =>
  c === 0x28 || c === 0x29 || c === 0x3c || c === 0x3e || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === 0x2f || c === 0x25;

/** PDF tokens from `pos` on: delimiters ('<<', '[', '(', …), names ('/Im0') and runs of regular characters. */
class PdfLexer {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
  ) {}

  /** The next token after white space and comments; '' at the end of the bytes. */
  token(): string {
    const b = this.bytes;
    for (;;) {
      while (this.pos < b.length && isWhite(b[this.pos]!)) this.pos++;
      if (b[this.pos] !== 0x25) break;
      while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
    }
    if (this.pos >= b.length) return '';
    const start = this.pos;
    const c = b[this.pos++]!;
    if ((c === 0x3c || c === 0x3e) && b[this.pos] === c) this.pos++;
    else if (c === 0x2f) while (this.pos < b.length && !isWhite(b[this.pos]!) && !isDelimiter(b[this.pos]!)) this.pos++;
    else if (!isDelimiter(c)) while (this.pos < b.length && !isWhite(b[this.pos]!) && !isDelimiter(b[this.pos]!)) this.pos++;
    // Keywords, numbers and names are short; a long run is binary data read by mistake.
    if (this.pos - start > 127) notSimple('overlong token');
    return String.fromCharCode(...b.subarray(start, this.pos));
  }
}

/**
 * A number token as pdf.js's lexer computes it (digits accumulated, then one division by the
 * power of ten), so a matrix read here equals, bit for bit, the one pdf.js would use. Null
 * for anything but plain [sign]digits[.digits].
 */
function pdfNumber(token: string): number | null {
  const m = /^([+-]?)(\d*)(?:(\.)(\d*))?$/.exec(token);
  if (!m || m[2]! + (m[4] ?? '') === '') return null;
  let value = 0;
  for (const ch of m[2]!) value = value * 10 + (ch.charCodeAt(0) - 0x30);
  let divideBy = m[3] ? 1 : 0;
  for (const ch of m[4] ?? '') {
    divideBy *= 10;
    value = value * 10 + (ch.charCodeAt(0) - 0x30);
  }
  if (divideBy !== 0) value /= divideBy;
  return (m[1] === '-' ? -1 : 1) * value;
}

function wholeNumber(token: string): number {
  return /^\d+$/.test(token) ? Number(token) : notSimple(`expected a whole number, got "${token}"`);
}

function parseValue(lx: PdfLexer): PdfValue {
  const t = lx.token();
  if (t === '<<') {
    const dict: PdfDict = new Map();
    for (let key = lx.token(); key !== '>>'; key = lx.token()) {
      if (!key.startsWith('/')) notSimple(`dictionary key "${key}"`);
      dict.set(nameOf(key), parseValue(lx));
    }
    return dict;
  }
  if (t === '[') {
    const items: PdfValue[] = [];
    for (;;) {
      const save = lx.pos;
      if (lx.token() === ']') return items;
      lx.pos = save;
      items.push(parseValue(lx));
    }
  }
  if (t === '(') return skipLiteralString(lx);
  if (t === '<') {
    while (lx.pos < lx.bytes.length && lx.bytes[lx.pos] !== 0x3e) lx.pos++;
    lx.pos++;
    return PDF_STRING;
  }
  if (t.startsWith('/')) return new PdfName(nameOf(t));
  if (t === 'true' || t === 'false') return t === 'true';
  if (t === 'null') return null;
  const n = pdfNumber(t);
  if (n === null) notSimple(`unexpected token "${t}"`);
  if (/^\d+$/.test(t)) {
    // "12 0 R" is a reference.
    const save = lx.pos;
    const gen = lx.token();
    if (/^\d+$/.test(gen) && lx.token() === 'R') return new PdfRef(n, Number(gen));
    lx.pos = save;
  }
  return n;
}

/** A name without its slash; names with #xx escapes are not decoded here. */
function nameOf(token: string): string {
  return token.includes('#') ? notSimple(`escaped name ${token}`) : token.slice(1);
}

function skipLiteralString(lx: PdfLexer): typeof PDF_STRING {
  const b = lx.bytes;
  let depth = 1;
  while (depth > 0) {
    if (lx.pos >= b.length) notSimple('unterminated string');
    const c = b[lx.pos++];
    if (c === 0x5c) lx.pos++;
    else if (c === 0x28) depth++;
    else if (c === 0x29) depth--;
  }
  return PDF_STRING;
}

interface XrefEntry {
  offset: number;
  gen: number;
}

/** Object number → where the object is (null: free). */
type Xref = Map<number, XrefEntry | null>;

/**
 * The cross-reference tables, newest first (a later section never overrides an earlier one;
 * a free entry hides older ones). Only classic tables: a cross-reference stream, a hybrid file
 * or an encrypted one is not simple.
 */
function pdfToXref(bytes: Uint8Array): Xref {
  const tailStart = Math.max(0, bytes.length - 1024);
  const tail = new TextDecoder('latin1').decode(bytes.subarray(tailStart));
  const k = tail.lastIndexOf('startxref');
  if (k < 0) notSimple('no startxref');
  let at = wholeNumber(new PdfLexer(bytes, tailStart + k + 'startxref'.length).token());
  const table: Xref = new Map();
  const seen = new Set<number>();
  for (;;) {
    if (seen.has(at)) notSimple('cross-reference sections loop');
    seen.add(at);
    const lx = new PdfLexer(bytes, at);
    if (lx.token() !== 'xref') notSimple('not a cross-reference table');
    for (let t = lx.token(); t !== 'trailer'; t = lx.token()) {
      const first = wholeNumber(t);
      const count = wholeNumber(lx.token());
      for (let i = 0; i < count; i++) {
        const offset = wholeNumber(lx.token());
        const gen = wholeNumber(lx.token());
        const type = lx.token();
        if (type !== 'n' && type !== 'f') notSimple(`cross-reference entry type "${type}"`);
        if (!table.has(first + i)) table.set(first + i, type === 'n' ? { offset, gen } : null);
      }
    }
    const trailer = parseValue(lx);
    if (!(trailer instanceof Map) || trailer.has('Encrypt') || trailer.has('XRefStm')) notSimple('trailer');
    const prev = trailer.get('Prev');
    if (prev === undefined) return table;
    at = typeof prev === 'number' ? prev : notSimple('Prev');
  }
}

interface PdfObject {
  value: PdfValue;
  /** A stream's raw (still encoded) bytes; null for other objects. */
  data: Uint8Array | null;
}

function fetchObject(bytes: Uint8Array, xref: Xref, ref: PdfRef): PdfObject {
  const e = xref.get(ref.num);
  if (!e || e.gen !== ref.gen) notSimple(`object ${ref.num} ${ref.gen} not in the table`);
  const lx = new PdfLexer(bytes, e.offset);
  if (wholeNumber(lx.token()) !== ref.num || wholeNumber(lx.token()) !== ref.gen || lx.token() !== 'obj') {
    notSimple(`object ${ref.num} is not where the table says`);
  }
  const value = parseValue(lx);
  if (lx.token() !== 'stream') return { value, data: null };
  if (!(value instanceof Map)) notSimple('stream without a dictionary');
  // As pdf.js reads it: the data starts after the end of the line that holds `stream`.
  let start = lx.pos;
  while (start < bytes.length && bytes[start] !== 0x0a && bytes[start] !== 0x0d) start++;
  start += bytes[start] === 0x0d && bytes[start + 1] === 0x0a ? 2 : 1;
  const length = resolve(bytes, xref, value.get('Length') ?? null);
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || start + length > bytes.length) notSimple('stream Length');
  // A wrong Length makes pdf.js search for the data's end: not simple.
  if (new PdfLexer(bytes, start + length).token() !== 'endstream') notSimple('stream Length does not meet endstream');
  return { value, data: bytes.subarray(start, start + length) };
}

/** The value itself, or the (non-stream) object a reference points to. */
function resolve(bytes: Uint8Array, xref: Xref, v: PdfValue): PdfValue {
  if (!(v instanceof PdfRef)) return v;
  const o = fetchObject(bytes, xref, v);
  return o.data === null ? o.value : notSimple('a stream where a value was expected');
}

function dictOf(v: PdfValue): PdfDict {
  return v instanceof Map ? v : notSimple('expected a dictionary');
}

const isName = (v: PdfValue | undefined, name: string): boolean => v instanceof PdfName && v.name === name;

/** `dict` holds no keys but these: any other one might change how pdf.js reads it. */
function onlyKeys(dict: PdfDict, allowed: readonly string[]): void {
  for (const key of dict.keys()) if (!allowed.includes(key)) notSimple(`key /${key}`);
}

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/**
 * The image a content stream draws, when all it does is save/restore the state, transform and
 * draw one XObject (q, Q, cm, Do); the matrix in force at the Do.
 */
function contentToSingleDraw(content: Uint8Array): { name: string; m: Matrix } {
  const lx = new PdfLexer(content, 0);
  let ctm = IDENTITY;
  const stack: Matrix[] = [];
  let drawn: { name: string; m: Matrix } | null = null;
  let operands: (number | string)[] = [];
  for (let t = lx.token(); t !== ''; t = lx.token()) {
    const n = pdfNumber(t);
    if (n !== null) operands.push(n);
    else if (t.startsWith('/')) operands.push(nameOf(t));
    else if (t === 'q' && operands.length === 0) stack.push(ctm);
    else if (t === 'Q' && operands.length === 0 && stack.length > 0) ctm = stack.pop()!;
    else if (t === 'cm' && operands.length === 6 && operands.every((o) => typeof o === 'number')) ctm = multiply(ctm, operands as Matrix);
    else if (t === 'Do' && operands.length === 1 && typeof operands[0] === 'string' && !drawn) drawn = { name: operands[0], m: ctm };
    else notSimple(`content operator "${t}"`);
    if (n === null && !t.startsWith('/')) operands = [];
  }
  return drawn ?? notSimple('nothing drawn');
}

/** The page's one DCT gray image and where it is drawn, read from the file; throws NotSimple otherwise. */
function pdfPageToJpegStream(bytes: Uint8Array, xref: Xref, pageRef: PdfRef): { jpeg: Uint8Array; width: number; height: number; m: Matrix } {
  const page = dictOf(resolve(bytes, xref, pageRef));
  // pdf.js lists annotation appearances with the page's operators, and merges inherited resources.
  if (page.has('Annots') || !page.has('Resources')) notSimple('annotations or inherited resources');
  let contents = page.get('Contents') ?? null;
  if (Array.isArray(contents) && contents.length === 1) contents = contents[0]!;
  if (!(contents instanceof PdfRef)) notSimple('Contents');
  const content = fetchObject(bytes, xref, contents);
  if (!content.data) notSimple('Contents is not a stream');
  const cdict = dictOf(content.value);
  onlyKeys(cdict, ['Length', 'Filter']);
  const filter = cdict.get('Filter');
  if (filter !== undefined && !isName(filter, 'FlateDecode')) notSimple('content filter');
  const ops = filter === undefined ? content.data : new Uint8Array(inflateSync(content.data, { maxOutputLength: MAX_CONTENT_BYTES }));
  const { name, m } = contentToSingleDraw(ops);

  const xobjects = dictOf(resolve(bytes, xref, dictOf(resolve(bytes, xref, page.get('Resources')!)).get('XObject') ?? null));
  const imageRef = xobjects.get(name);
  if (!(imageRef instanceof PdfRef)) notSimple(`XObject /${name}`);
  const image = fetchObject(bytes, xref, imageRef);
  if (!image.data) notSimple(`XObject /${name} is not a stream`);
  const idict = dictOf(image.value);
  // Masks, Decode arrays, DecodeParms (ColorTransform), optional content, the short inline
  // keys pdf.js also honours (F, W, CS, …): all absent, or the reading is not this simple.
  onlyKeys(idict, ['Type', 'Subtype', 'Width', 'Height', 'BitsPerComponent', 'ColorSpace', 'Filter', 'Length', 'Name', 'Interpolate', 'Intent', 'Metadata']);
  const f = idict.get('Filter');
  const dct = isName(f, 'DCTDecode') || (Array.isArray(f) && f.length === 1 && isName(f[0], 'DCTDecode'));
  const width = idict.get('Width');
  const height = idict.get('Height');
  if (
    !isName(idict.get('Subtype'), 'Image') || !dct || !isName(idict.get('ColorSpace'), 'DeviceGray') || idict.get('BitsPerComponent') !== 8 ||
    typeof width !== 'number' || typeof height !== 'number' || !Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1
  ) {
    notSimple('not an 8-bit gray DCT image');
  }
  return { jpeg: image.data, width, height, m };
}

/** pdf.js's JPEG decoder, as its image_decoders build exports it (a build without type declarations). */
interface JpegDecoder {
  parse(data: Uint8Array): void;
  numComponents: number;
  /** The frame's own size, known after parse. */
  width: number;
  height: number;
  getData(opts: { width: number; height: number; forceRGB: boolean; isSourcePDF: boolean }): Uint8ClampedArray;
}

let jpegDecoderModule: Promise<{ JpegImage: new (opts: object) => JpegDecoder }> | undefined;

function loadJpegDecoder(): Promise<{ JpegImage: new (opts: object) => JpegDecoder }> {
  if (!jpegDecoderModule) {
    // A specifier in a variable: TypeScript would otherwise look for the declarations the build lacks.
    const specifier: string = 'pdfjs-dist/legacy/image_decoders/pdf.image_decoders.mjs';
    jpegDecoderModule = importKeepingBuiltins<{ setVerbosityLevel(level: number): void; VerbosityLevel: { ERRORS: number } }>(specifier).then((mod: { setVerbosityLevel(level: number): void; VerbosityLevel: { ERRORS: number } }) => {
      // As quiet as the pdf.js the rest of the extractor opens (errors only).
      mod.setVerbosityLevel(mod.VerbosityLevel.ERRORS);
      return mod as unknown as { JpegImage: new (opts: object) => JpegDecoder };
    });
  }
  return jpegDecoderModule;
}

/** pdf.js drops whatever comes before the JPEG's start-of-image marker. */
function fromStartOfImage(data: Uint8Array): Uint8Array {
  for (let i = 0; i < data.length - 1; i++) if (data[i] === 0xff && data[i + 1] === 0xd8) return data.subarray(i);
  return data;
}

/**
 * Reads the single DCT image each page of the PDF `bytes` draws, gray, with the matrix it is
 * drawn with, when the file is simple enough to do it without pdf.js listing (and decoding)
 * the page; null from the returned function means "ask pdf.js", and so does any failure here.
 */
export function directJpegReader(bytes: Uint8Array, maxPixels: number): (ref: { num: number; gen: number }) => Promise<PageJpeg | null> {
  /** Read on first use; null once the file has proved not simple. */
  let xref: Xref | null | undefined;
  return async (ref) => {
    if (xref === null) return null;
    try {
      xref ??= pdfToXref(bytes);
    } catch {
      xref = null;
      return null;
    }
    try {
      const { jpeg, width, height, m } = pdfPageToJpegStream(bytes, xref, new PdfRef(ref.num, ref.gen));
      // The decoder allocates what the frame header claims: a larger one is left to pdf.js, which
      // leaves out images over the pixel limit.
      const data = fromStartOfImage(jpeg);
      const frame = jpegSize(data);
      if (frame.width !== width || frame.height !== height || width * height > maxPixels) return null;
      const { JpegImage } = await loadJpegDecoder();
      const decoder = new JpegImage({});
      decoder.parse(data);
      // The dictionary's size must be the JPEG's own: pdf.js would resample to it, we refuse.
      if (decoder.numComponents !== 1 || decoder.width !== width || decoder.height !== height) return null;
      const gray = decoder.getData({ width, height, forceRGB: false, isSourcePDF: true });
      return { width, height, gray: new Uint8Array(gray.buffer, gray.byteOffset, gray.byteLength), m };
    } catch {
      return null;
    }
  };
}
