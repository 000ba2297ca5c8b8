// The variant detector: each seed to its family from its own signatures, generic for standard
// headings under an unknown title, nothing for text that is no form.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect } from '../src/detect/detector.js';
import { extractText } from '../src/extract/text.js';
import { FIXTURES } from './helpers.js';

const rowsOf = (text: string) => extractText(Buffer.from(text), 't.txt').rows;

describe('variant detector', () => {
  const expected = ['mianyang', 'luan', 'suining', 'qinyang', 'hongshan'];
  readdirSync(join(FIXTURES, 'text')).sort().forEach((f, i) => {
    it(`${f} → ${expected[i]}`, () => {
      const d = detect(extractText(readFileSync(join(FIXTURES, 'text', f)), f).rows);
      expect(d.variant).toBe(expected[i]);
      expect(d.confidence).toBeGreaterThan(0.5);
      expect(d.evidence.length).toBeGreaterThan(1);
    });
  });
  it('keys on structure, not on the region name', () => {
    const text = '某市2023年市级预算项目支出绩效目标申报表\n单位信息：\t某局\n一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t权重（%）\t指标方向性\n产出指标\t数量指标\t次数\t≥\t2\t次\t20\t正向\n';
    expect(detect(rowsOf(text)).variant).toBe('suining');
  });
  it('a family’s layout printed for another city or district is generic (its region would be wrong)', () => {
    const suining = readFileSync(join(FIXTURES, 'text', '002_3903fb4e2e6b4dba.txt'), 'utf8').replaceAll('遂宁', '成都');
    expect(detect(rowsOf(suining)).variant).toBe('generic');
    const hongshan = readFileSync(join(FIXTURES, 'text', '004_24ca01b87d61eeb2.txt'), 'utf8').replaceAll('洪山', '江岸');
    expect(detect(rowsOf(hongshan)).variant).toBe('generic');
  });
  it('falls back to generic on standard headings under an unknown title', () => {
    const text = '某县2023年项目绩效目标表\n项目名称\t某项目\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t培训次数\t≥3次\n';
    const d = detect(rowsOf(text));
    expect(d.variant).toBe('generic');
  });
  it('recognises nothing in text that is no form, and still ranks its guesses', () => {
    const d = detect(rowsOf('关于召开会议的通知\n各单位：请于明日参加会议。\n'));
    expect(d.family).toBeNull();
    expect(d.scores).toHaveLength(5);
  });
});
