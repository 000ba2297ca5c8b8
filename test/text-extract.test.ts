// The text-dump extractor: encodings, refusals with reasons, cells with their line numbers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExtractError } from '../src/extract/errors.js';
import { decodeDump, extractText } from '../src/extract/text.js';
import { FIXTURES } from './helpers.js';
import { encodeGb18030 } from './gb18030.js';

const seed = readFileSync(join(FIXTURES, 'text', '004_24ca01b87d61eeb2.txt'));

function reason(fn: () => unknown): string | null {
  try { fn(); return null; } catch (e) { return e instanceof ExtractError ? `${e.reason}: ${e.message}` : String(e); }
}

describe('text-dump extractor', () => {
  it('splits lines into TAB cells with line numbers, cleaning markup but not folding text', () => {
    const doc = extractText(Buffer.from('标题\n\n项目名称\t<p>医保 经费</p>\t\n指标\t$\\geq 95\\%$\n'), 'a.txt');
    expect(doc.rows.map((r) => [r.line, r.cells.map((c) => c.text)])).toEqual([
      [1, ['标题']], [2, []], [3, ['项目名称', '医保 经费', '']], [4, ['指标', '≥95%']], [5, []],
    ]);
    expect(doc.rows[2]!.cells[1]!.col).toBe(1);
  });
  it('reads UTF-8 with a BOM, CRLF line ends and form feeds as pages', () => {
    const doc = extractText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('甲\t乙\r\n\f丙\r\n')]), 'b.txt');
    expect(doc.rows[0]!.cells.map((c) => c.text)).toEqual(['甲', '乙']);
    expect(doc.pages).toBe(2);
    expect(doc.rows[1]!.page).toBe(2);
  });
  it('detects GB18030 and reads it the same as UTF-8', () => {
    const text = seed.toString('utf8');
    const gb = encodeGb18030(text);
    expect(gb.equals(seed)).toBe(false);
    const d = decodeDump(gb, 'gb.txt');
    expect(d.encoding).toBe('gb18030');
    expect(d.text).toBe(text);
    const doc = extractText(gb, 'gb.txt');
    expect(doc.notes.map((n) => n.code)).toEqual(['ENCODING_DETECTED']);
  });
  it('refuses a dump cut mid-character as truncated', () => {
    const cut = seed.subarray(0, seed.indexOf(Buffer.from('打击')) + 4);
    expect(reason(() => extractText(cut, 'cut.txt'))).toMatch(/^truncated: cut.txt: the file ends in the middle of a character at line 8/);
  });
  it('refuses empty, blank and binary input with a reason naming the file', () => {
    expect(reason(() => extractText(Buffer.alloc(0), 'empty.txt'))).toBe('empty: empty.txt: the file is empty (0 bytes)');
    expect(reason(() => extractText(Buffer.from('  \n\t\n'), 'blank.txt'))).toMatch(/^empty: blank.txt: /);
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    expect(reason(() => extractText(garbage, 'junk.bin'))).toMatch(/^binary: junk.bin: binary data/);
  });
  it('refuses bytes that are neither UTF-8 nor believable GB18030', () => {
    const latin1 = Buffer.from('Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade '.repeat(20), 'latin1');
    expect(reason(() => extractText(latin1, 'latin1.txt'))).toMatch(/^encoding: latin1.txt: not valid UTF-8 or GB18030/);
  });
});
