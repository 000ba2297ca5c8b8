// Reading one cell: symbols → text, sign glyphs put into a reading, domain-word correction of
// unsure characters, and the second reading of an unsure crop. No tesseract here: a scripted pool.
import { describe, expect, it } from 'vitest';
import type { CellCrop, OcrPool, OcrReading, OcrSymbol } from '../src/extract/ocr/cellOcr.js';
import { readCell, symbolsToText, symbolsWithDots, symbolsWithSigns, type ReadSettings } from '../src/extract/ocr/readCell.js';
import { correctWithVocabulary } from '../src/extract/ocr/vocabulary.js';

/** Symbols of one line laid out 20 px apart; words split where the text has a space. */
function line(text: string, conf = 90, lineNo = 0, y = 0): OcrSymbol[] {
  const out: OcrSymbol[] = [];
  let word = 0;
  let x = 0;
  for (const ch of text) {
    if (ch === ' ') {
      word++;
      continue;
    }
    out.push({ text: ch, box: { x0: x, y0: y, x1: x + 18, y1: y + 30 }, conf, line: lineNo, word });
    x += 20;
  }
  return out;
}

const confsOf = (text: string, weak: Record<number, number> = {}) => [...text].map((_, i) => weak[i] ?? 95);

describe('symbols → cell text', () => {
  it('drops the spaces between CJK words, keeps them between Latin words and numbers', () => {
    const syms = [...line('项目 名称 Network', 90), ...line('fee 1.00 项', 70).map((s) => ({ ...s, word: s.word + 3, box: { ...s.box, x0: s.box.x0 + 200, x1: s.box.x1 + 200 } }))];
    const { text, confs } = symbolsToText(syms);
    expect(text).toBe('项目名称Network fee 1.00项');
    expect(confs).toHaveLength([...text].length);
    expect(confs[0]).toBe(90);
    expect(confs.at(-1)).toBe(70);
  });

  it('keeps a printed space: a gap of a character in a line, or a line that stops short', () => {
    const gap = [...line('学生满意率'), ...line('家长满意率').map((s) => ({ ...s, word: 1, box: { ...s.box, x0: s.box.x0 + 130, x1: s.box.x1 + 130 } }))];
    expect(symbolsToText(gap).text).toBe('学生满意率 家长满意率');
    expect(symbolsToText([...line('学生满意率', 90, 0), ...line('家长满意率高于去年', 90, 1, 40)]).text).toBe('学生满意率 家长满意率高于去年');
    // Lines wrapped at the cell's edge join without one.
    expect(symbolsToText([...line('提高业务标准化水', 90, 0), ...line('平。', 90, 1, 40)]).text).toBe('提高业务标准化水平。');
  });
});

describe('sign glyphs put into a reading', () => {
  const ge = (x0: number, x1: number, y0 = 0, y1 = 30) => ({ sign: '≥' as const, box: { x0, y0, x1, y1 } });

  it('replaces the symbol a sign covers (`=1次` → `≥1次`)', () => {
    const syms = line('=1次');
    expect(symbolsToText(symbolsWithSigns(syms, [ge(-2, 19)])).text).toBe('≥1次');
  });

  it('replaces two symbols one sign was read as (`二` + `=`)', () => {
    const syms = line('1.二=90%');
    // `二` at x 40–58 and `=` at 60–78 are both inside a sign drawn from 38 to 80.
    expect(symbolsToText(symbolsWithSigns(syms, [ge(38, 80)])).text).toBe('1.≥90%');
  });

  it('puts a dropped sign before the symbol that follows it on its line', () => {
    const syms = line('2:2次');
    // The sign sits between `:` (20–38… really 20–38) and `2` (40–58): drawn at 39–45, covering little of `2`.
    const out = symbolsWithSigns(syms, [ge(30, 44)]);
    expect(symbolsToText(out).text).toBe('2:≥2次');
  });

  it('reads a crop that tesseract read as nothing as the sign alone', () => {
    expect(symbolsToText(symbolsWithSigns([], [ge(5, 30)])).text).toBe('≥');
  });

  it('leaves a sign tesseract read right alone', () => {
    const syms = line('≥95%');
    expect(symbolsToText(symbolsWithSigns(syms, [ge(0, 18)])).text).toBe('≥95%');
  });

  it('keeps the lines apart: a sign on the second line does not touch the first', () => {
    const syms = [...line('1.三90%', 90, 0, 0), ...line('2.<60分钟', 90, 1, 40)];
    const out = symbolsWithSigns(syms, [ge(40, 58, 0, 30), { sign: '≤', box: { x0: 40, y0: 40, x1: 58, y1: 70 } }]);
    expect(symbolsToText(out).text).toBe('1.≥90% 2.≤60分钟');
  });
});

describe('dots taken for digits', () => {
  const sym = (text: string, x0: number, x1: number, y0 = 0, y1 = 30): OcrSymbol => ({ text, box: { x0, y0, x1, y1 }, conf: 90, line: 0, word: 0 });

  it('reads a digit far smaller than its line\'s others as a colon, or as a point between close digits', () => {
    // `2: 12个月` read as `2512个月`: the 5 is the colon's lower dot, 5 px wide.
    const colon = [sym('2', 0, 18), sym('5', 26, 31, 14, 30), sym('1', 52, 66), sym('2', 72, 90), sym('个', 96, 126)];
    expect(symbolsToText(symbolsWithDots(colon)).text).toBe('2:12个');
    const point = [sym('7', 0, 18), sym('2', 20, 38), sym('5', 40, 45, 24, 30), sym('3', 47, 65), sym('5', 67, 85)];
    expect(symbolsToText(symbolsWithDots(point)).text).toBe('72.35');
  });

  it('leaves digits of one size alone', () => {
    const plain = [sym('1', 0, 10), sym('2', 20, 38), sym('5', 40, 58), sym('0', 60, 78)];
    expect(symbolsToText(symbolsWithDots(plain)).text).toBe('1250');
  });
});

describe('domain-word correction of unsure characters', () => {
  it('corrects an unsure character that makes a domain word one off', () => {
    expect(correctWithVocabulary('历行节约,控制成本', confsOf('历行节约,控制成本', { 0: 35 }), 70).text).toBe('厉行节约,控制成本');
    expect(correctWithVocabulary('经办机构人脸识别履盖率', confsOf('经办机构人脸识别履盖率', { 8: 45 }), 70).text).toBe('经办机构人脸识别覆盖率');
  });

  it('leaves a sure character alone, however close the word', () => {
    expect(correctWithVocabulary('历行节约', confsOf('历行节约'), 70)).toEqual({ text: '历行节约', fixes: [] });
  });

  it('never replaces the last character of a three-character word (及时性 is a word of its own)', () => {
    expect(correctWithVocabulary('处理的及时牲', confsOf('处理的及时牲', { 5: 20 }), 70).text).toBe('处理的及时牲');
    expect(correctWithVocabulary('全覆盖与抓重点', confsOf('全覆盖与抓重点', { 3: 20 }), 70).text).toBe('全覆盖与抓重点');
  });

  it('picks the word whose character shares the radical when two fit (沱阳市: 沁阳市, not 绵阳市)', () => {
    const r = correctWithVocabulary('沱阳市医疗保障局', confsOf('沱阳市医疗保障局', { 0: 0 }), 70);
    expect(r.text).toBe('沁阳市医疗保障局');
    expect(r.fixes).toEqual([{ read: '沱阳市', word: '沁阳市' }]);
  });

  it('leaves real words one character off a listed one alone, and places unless all but guessed', () => {
    for (const t of ['参保人员', '受益人群', '医保资金', '资金安全']) expect(correctWithVocabulary(t, confsOf(t, { 0: 20, 1: 20, 2: 20, 3: 20 }), 70).text).toBe(t);
    expect(correctWithVocabulary('洛阳市医疗保障局', confsOf('洛阳市医疗保障局', { 0: 60 }), 70).text).toBe('洛阳市医疗保障局');
    expect(correctWithVocabulary('绵竹市医疗保障局', confsOf('绵竹市医疗保障局', { 1: 10 }), 70).text).toBe('绵竹市医疗保障局');
  });

  it('leaves digits, Latin letters and punctuation alone', () => {
    expect(correctWithVocabulary('DRG文付改革', confsOf('DRG文付改革', { 3: 0 }), 70).text).toBe('DRG支付改革');
    expect(correctWithVocabulary('1付改革', confsOf('1付改革', { 0: 0 }), 70).text).toBe('1付改革');
  });
});

describe('a cell read again when tesseract is unsure', () => {
  const settings: ReadSettings = { retryBelowConf: 70, retryScale: 1.5, retryMinConf: 50, numberSureConf: 90, vocabularyBelowConf: 70, weakWordConf: 50, weakNumberConf: 85 };
  const crop: CellCrop = { image: { width: 60, height: 40, data: new Uint8Array(60 * 40).fill(255), dpi: 300 }, layout: 'line' };

  function scripted(readings: OcrReading[]): OcrPool & { calls: CellCrop[] } {
    const calls: CellCrop[] = [];
    return {
      size: 1,
      calls,
      recognize: async (c) => {
        calls.push(c);
        return readings[calls.length - 1] ?? { symbols: [], conf: 0 };
      },
      terminate: async () => undefined,
    };
  }

  it('keeps the surest of the readings and says what the first one was', async () => {
    const pool = scripted([
      { symbols: line('风', 9), conf: 9 },
      { symbols: line('加', 10), conf: 10 },
      { symbols: line('2', 96), conf: 96 },
      { symbols: line('2', 51), conf: 51 },
    ]);
    const r = await readCell(pool, crop, settings);
    expect(r.text).toBe('2');
    expect(r.conf).toBe(96);
    expect(pool.calls.map((c) => c.layout)).toEqual(['line', 'word', 'line', 'word']);
    expect(pool.calls[2]!.image.width).toBe(90);
    expect(r.notes).toEqual([{ code: 'OCR_LOW_CONFIDENCE', message: 'first read as "风" (confidence 9); a second reading gives "2" (confidence 96)' }]);
  });

  it('reads a cell of digits again with the English model', async () => {
    const pool = scripted([
      { symbols: line('2.35', 12), conf: 12 },
      { symbols: line('72.35', 94), conf: 94 },
    ]);
    const r = await readCell(pool, crop, settings);
    expect(r.text).toBe('72.35');
    expect(pool.calls.map((c) => [c.layout, c.model ?? 'chi_sim'])).toEqual([['line', 'chi_sim'], ['line', 'eng']]);
    expect(r.notes[0]!.message).toBe('first read as "2.35" (confidence 12); a second reading gives "72.35" (confidence 94)');
  });

  it('keeps the Chinese reading when the English one is not a number', async () => {
    const pool = scripted([
      { symbols: line('A3', 40), conf: 40 },
      { symbols: line('AB', 95), conf: 95 },
      { symbols: line('A8', 96), conf: 96 },
    ]);
    expect((await readCell(pool, crop, settings)).text).toBe('A3');
  });

  it('reads a sure crop once', async () => {
    const pool = scripted([{ symbols: line('项目名称', 92), conf: 92 }]);
    const r = await readCell(pool, crop, settings);
    expect(r).toEqual({ text: '项目名称', conf: 92, notes: [] });
    expect(pool.calls).toHaveLength(1);
  });

  it('names a number read with less than the stricter bar for numbers', async () => {
    const syms = [...line('2022年', 93), ...line('5', 79).map((s) => ({ ...s, word: 1 })), ...line('月底前', 92).map((s) => ({ ...s, word: 2 }))];
    const r = await readCell(scripted([{ symbols: syms, conf: 89 }]), crop, settings);
    expect(r.notes).toEqual([{ code: 'OCR_LOW_CONFIDENCE', message: '"2022年5月底前": "5" read with confidence 79' }]);
  });

  it('names the words it was unsure of', async () => {
    const syms = [...line('慢性病', 93), ...line('季示', 41, 0, 0).map((s) => ({ ...s, word: 5 }))];
    const pool = scripted([{ symbols: syms, conf: 82 }]);
    const r = await readCell(pool, crop, settings);
    expect(r.notes).toEqual([{ code: 'OCR_LOW_CONFIDENCE', message: '"慢性病季示": "季示" read with confidence 41' }]);
  });
});
