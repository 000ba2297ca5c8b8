// The shared label dictionary: exact spellings, layout noise, OCR misreads, fragments.
import { describe, expect, it } from 'vitest';
import { labelKey, matchLabel, splitInlineLabel } from '../src/normalize/labels.js';

const read = (text: string) => {
  const h = matchLabel(text);
  if (!h) return null;
  const e = h.meaning;
  return { kind: e.kind, key: 'key' in e ? e.key : 'horizon' in e ? e.horizon : null, how: h.how };
};

describe('label dictionary', () => {
  it('matches exact labels after folding width, colons, brackets and spaces', () => {
    expect(read('项目名称')).toEqual({ kind: 'field', key: 'project_name', how: 'exact' });
    expect(read('项目属性：')).toEqual({ kind: 'field', key: 'project_attribute', how: 'exact' });
    expect(read('预算执行率权重（%）：')).toEqual({ kind: 'field', key: 'execution_weight', how: 'bracketed' });
    expect(read('产出 指标')).toEqual({ kind: 'level1', key: '产出指标', how: 'spaced' });
    expect(read('可持 续影 响 指标')).toEqual({ kind: 'level2', key: '可持续影响指标', how: 'spaced' });
    expect(read('时效性')).toEqual({ kind: 'level2', key: '时效指标', how: 'exact' });
    expect(read('可持续发展指标')).toEqual({ kind: 'level2', key: '可持续影响指标', how: 'exact' });
    expect(read('服务对象满意度')).toEqual({ kind: 'level2', key: '服务对象满意度指标', how: 'exact' });
    expect(read('其中：财政拨款')).toEqual({ kind: 'funding', key: '财政拨款', how: 'exact' });
    expect(read('1.一般公共预算财政拨款收入')).toEqual({ kind: 'funding', key: '财政拨款', how: 'exact' });
  });
  it('repairs OCR misreads one edit away', () => {
    expect(read('坝目绩效总目标')).toEqual({ kind: 'goal', key: 'period', how: 'fuzzy' });
    expect(read('可目名称')).toEqual({ kind: 'field', key: 'project_name', how: 'fuzzy' });
    expect(read('时歼指标')).toEqual({ kind: 'level2', key: '时效指标', how: 'fuzzy' });
    expect(read('数量指村')).toEqual({ kind: 'level2', key: '数量指标', how: 'fuzzy' });
    expect(read('可圭续影响指标')).toEqual({ kind: 'level2', key: '可持续影响指标', how: 'fuzzy' });
  });
  it('reads page-split fragments and cut-short funding labels', () => {
    expect(read('可持续')).toEqual({ kind: 'level2', key: '可持续影响指标', how: 'fragment' });
    expect(read('影响指标')).toEqual({ kind: 'level2', key: '可持续影响指标', how: 'fragment' });
    expect(read('财政资')).toEqual({ kind: 'funding', key: '财政拨款', how: 'prefix' });
  });
  it('does not read content as labels', () => {
    expect(read('完成时间')).toBeNull();
    expect(read('预算金额')).toBeNull();
    expect(read('参保群众满意度')).toBeNull();
    expect(read('对我市离休干部、伤残军人等400余人的医疗补助费用进行审核')).toBeNull();
  });
  it('splits inline labels and keeps brackets for units', () => {
    const s = splitInlineLabel('填报单位(盖章)：绵阳市医疗保险事务中心', ['field']);
    expect(s?.value).toBe('绵阳市医疗保险事务中心');
    expect(s && 'key' in s.hit.meaning ? s.hit.meaning.key : null).toBe('agency');
    expect(labelKey('项目资金 (万元)')).toEqual({ key: '项目资金', bracket: '万元', bracketed: true, spaced: true });
    // A list number read as a stroke goes; a Roman numeral or a letter starting the label stays.
    expect(labelKey('|一般公共预算财政拨款收入').key).toBe('一般公共预算财政拨款收入');
    expect(labelKey('Ⅱ类医疗器械').key).toBe('II类医疗器械');
  });
});
