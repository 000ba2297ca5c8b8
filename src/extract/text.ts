// Text-dump extractor: bytes → rows of TAB-separated cells, one row per line, with the line
// number as each cell's location. Handles UTF-8 (with or without BOM), UTF-16 with BOM and
// GB18030/GBK, and refuses binary data with a clear reason.
import { DEFAULT_LIMITS, OverLimit, checkLimit, type Limits } from '../limits.js';
import { cleanCellText } from '../text/markup.js';
import { ExtractError } from './errors.js';
import type { ExtractedDocument, Row } from './rows.js';

export const TEXT_SETTINGS = {
  /** Share of control characters above which a file is binary, not a dump. */
  maxControlRatio: 0.02,
  /** Share of CJK characters a GB18030 decoding must reach to be believed. */
  minCjkRatioForGb: 0.05,
  /** Bytes looked at to tell text from binary. */
  sniffBytes: 8192,
} as const;

type Decoded = { text: string; encoding: string; truncated: boolean };

/** Picks the encoding: BOMs first, then strict UTF-8, then strict GB18030. Pure. */
export function decodeDump(bytes: Uint8Array, file: string): Decoded {
  if (bytes.length === 0) throw new ExtractError(file, 'empty', 'the file is empty (0 bytes)');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', truncated: false };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', truncated: false };
  if (looksBinary(bytes)) throw new ExtractError(file, 'binary', 'binary data, not a text dump (NUL or control bytes)');
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const utf8 = tryDecode('utf-8', body);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8', truncated: false };
  // A dump cut mid-character is still UTF-8: drop the incomplete tail sequence and say so.
  const cut = incompleteUtf8Tail(body);
  if (cut > 0) {
    const head = tryDecode('utf-8', body.subarray(0, body.length - cut));
    if (head !== null) return { text: head, encoding: 'utf-8', truncated: true };
  }
  const gb = tryDecode('gb18030', body);
  if (gb !== null && cjkRatio(gb) >= TEXT_SETTINGS.minCjkRatioForGb) return { text: gb, encoding: 'gb18030', truncated: false };
  throw new ExtractError(file, 'encoding', 'not valid UTF-8 or GB18030 text: unknown or mixed encoding');
}

export function textToRows(text: string, limits: Pick<Limits, 'lineChars' | 'cellsPerRow'> = DEFAULT_LIMITS): { rows: Row[]; pages: number } {
  const rows: Row[] = [];
  let page = 1;
  const lines = text.split(/\r\n|\n|\r/);
  const feeds = text.includes('\f');
  // Markup in a cell is rare: a line with none of its marks has no cell to clean but trim.
  const markup = /[<&$]/.test(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.length > limits.lineChars) throw new OverLimit('lineChars', raw.length, limits.lineChars, `line ${i + 1} is ${raw.length} characters long`, `line ${i + 1}`);
    let line = raw;
    if (feeds && raw.includes('\f')) {
      const parts = raw.split('\f');
      page += parts.length - 1;
      line = parts.join('');
    }
    const cells: Row['cells'] = [];
    if (!BLANK.test(line)) {
      const clean = markup && /[<&$]/.test(line);
      // Cells cut out at each tab (twice as fast as split('\t') over a whole dump).
      for (let at = 0, col = 0; ; col++) {
        if (col >= limits.cellsPerRow) {
          const count = line.split('\t').length;
          throw new OverLimit('cellsPerRow', count, limits.cellsPerRow, `line ${i + 1} has ${count} cells`, `line ${i + 1}`);
        }
        const tab = line.indexOf('\t', at);
        const field = tab < 0 ? line.slice(at) : line.slice(at, tab);
        cells.push({ text: clean ? cleanCellText(field) : field.trim(), col });
        if (tab < 0) break;
        at = tab + 1;
      }
    }
    rows.push({ page, line: i + 1, cells });
  }
  return { rows, pages: page };
}

/** A line of white space only (what String.prototype.trim removes). */
const BLANK = /^\s*$/;

export function extractText(bytes: Uint8Array, file: string, limits: Limits = DEFAULT_LIMITS): ExtractedDocument {
  checkLimit(limits, 'textBytes', bytes.length, `the text dump is ${bytes.length} bytes`);
  const { text, encoding, truncated } = decodeDump(bytes, file);
  const { rows, pages } = textToRows(text, limits);
  if (rows.every((r) => r.cells.length === 0)) throw new ExtractError(file, 'empty', 'the file holds only white space');
  // A file cut mid-character is an interrupted copy: its complete version will arrive under
  // another doc_id, and half its records would then stand twice.
  if (truncated) throw new ExtractError(file, 'truncated', `the file ends in the middle of a character at line ${rows.length}: it was cut short`);
  const notes: ExtractedDocument['notes'] = [];
  if (encoding !== 'utf-8') notes.push({ code: 'ENCODING_DETECTED', message: `decoded as ${encoding}`, location: null });
  return { kind: 'text', pages, rows, notes };
}

function tryDecode(encoding: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function looksBinary(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, TEXT_SETTINGS.sniffBytes));
  if (head.indexOf(0) >= 0) return true;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control / head.length > TEXT_SETTINGS.maxControlRatio;
}

/** Bytes at the end that start a UTF-8 sequence they do not finish (0 when none). */
function incompleteUtf8Tail(bytes: Uint8Array): number {
  for (let k = 1; k <= 3 && k <= bytes.length; k++) {
    const b = bytes[bytes.length - k]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

function cjkRatio(text: string): number {
  const m = text.match(/[\u3400-\u9fff]/g);
  return (m?.length ?? 0) / Math.max(1, text.replace(/\s/g, '').length);
}
