// Every row of CONTRACT.md's value table, and the money, date and unit rules around it.
import { describe, expect, it } from 'vitest';
import { moneyUnitOf, parseCostSpec, parseDateRange, parseDirection, parseMoney, parseNatureValue, parseTarget, yearOf } from '../src/normalize/values.js';
import { latexToText, stripHtml } from '../src/text/markup.js';

const t = (printed: string) => {
  const r = parseTarget(printed);
  return [r.comparator, r.value_num, r.value_unit];
};

describe('parseTarget: the contract value table', () => {
  it.each([
    ['≥95%', '>=', 95, '%'],
    ['满意度≥95%', '>=', 95, '%'],
    [latexToText('$\\geq 95\\%$'), '>=', 95, '%'],
    ['满意率95%以上', '>=', 95, '%'],
    ['≤60分钟', '<=', 60, '分钟'],
    ['>38万人', '>', 38, '万人'],
    ['《=2500万', '<=', 2500, '万'],
    ['人均年支出<4.63万元。', '<', 4.63, '万元'],
    ['1.00项', '=', 1, '项'],
    ['4次', '=', 4, '次'],
    ['329种', '=', 329, '种'],
    ['数量：1.00,单位：项,单价：18000.00,金额：18000.00', '=', 18000, '元'],
  ])('%s → %s %s %s', (printed, cmp, num, unit) => {
    expect(t(printed)).toEqual([cmp, num, unit]);
  });
  it.each(['及时', '程度较高', '2021年12月31日', '2021年12月前', '一年二次, 5月和11月份。', '2021年5-7月', '不晚于2020年第一季度', ''])(
    'qualitative: %s', (printed) => {
      expect(t(printed)).toEqual([null, null, null]);
    },
  );
  it.each([
    // A rate printed with no unit before the stroke keeps the stroke and its denominator.
    ['≤28.40/株', '<=', 28.4, '/株'],
    ['≤28.40/台', '<=', 28.4, '/台'],
    // A compound denominator is one unit: per person and month is not per person.
    ['120元/人*月', '=', 120, '元/人*月'],
    ['≤300元/人·月', '<=', 300, '元/人·月'],
    ['不少于3次/月以上', '>=', 3, '次/月'],
    ['2次/年', '=', 2, '次/年'],
    // Units in Latin letters are units, not dropped.
    ['10kV', '=', 10, 'kV'],
    ['≥2.5km', '>=', 2.5, 'km'],
    ['≥100Mbps', '>=', 100, 'Mbps'],
  ])('rates and Latin units: %s → %s %s %s', (printed, cmp, num, unit) => {
    expect(t(printed)).toEqual([cmp, num, unit]);
  });
  it('several numbers or a range is not one target', () => {
    expect(t('全市职工医保参保人数>38万人; 居民医保参保人数>508万人')).toEqual([null, null, null]);
    expect(t('补助94%-98%。')).toEqual([null, null, null]);
  });
  it('prose that mentions a number is not a target', () => {
    expect(t('对我市离休干部、伤残军人等400余人的医疗补助费用进行审核')).toEqual([null, null, null]);
  });
  it('comparator words and suffixes', () => {
    expect(t('不少于5万元')).toEqual(['>=', 5, '万元']);
    expect(t('超过100种')).toEqual(['>', 100, '种']);
    expect(t('问题查证属实并处理后的15天内')).toEqual(['<=', 15, '天']);
    expect(t('效果 ≥95%')).toEqual(['>=', 95, '%']);
    expect(t('2020全年50万元。')).toEqual(['=', 50, '万元']);
    expect(t('15000元/人、年')).toEqual(['=', 15000, '元/人']);
    expect(t('１,２００人')).toEqual(['=', 1200, '人']);
  });
});

describe('Suining columns: 指标性质 / 指标值 / 度量单位', () => {
  it.each([
    ['≥', '1200000', '人次', '>=', 1200000, '人次'],
    ['等于', '100', '%', '=', 100, '%'],
    ['≤', '25', '万元', '<=', 25, '万元'],
    ['≥', '2次', '次', '>=', 2, '次'],
  ])('%s %s %s', (nature, value, unit, cmp, num, u) => {
    const r = parseNatureValue(nature, value, unit);
    expect([r.comparator, r.value_num, r.value_unit]).toEqual([cmp, num, u]);
  });
  it('定性 is qualitative; 等于 with no number keeps only the comparator', () => {
    expect(parseNatureValue('定性', '优', '')).toEqual({ comparator: null, value_num: null, value_unit: null });
    expect(parseNatureValue('等于', '', '').comparator).toBe('=');
    expect(parseNatureValue('≤', '2022年12月30日前', '').value_num).toBeNull();
  });
});

describe('money, units, dates', () => {
  it('parses amounts in the form unit or their own', () => {
    expect(parseMoney('18,000.00', '元')).toEqual({ yuan: 18000 });
    expect(parseMoney('180.0', '万元')).toEqual({ yuan: 1800000 });
    expect(parseMoney('2,858.5', '万元')).toEqual({ yuan: 28585000 });
    expect(parseMoney('25万元', '元')).toEqual({ yuan: 250000 });
    expect(parseMoney('4.63', '万元')).toEqual({ yuan: 46300 });
    expect(parseMoney('万元', '万元')).toEqual({ empty: true });
    expect(parseMoney('', '万元')).toEqual({ empty: true });
    expect(parseMoney('约三万', '万元')).toEqual({ unreadable: '约三万' });
  });
  it('reads the money unit of a line', () => {
    expect(moneyUnitOf('单位：元')).toBe('元');
    expect(moneyUnitOf('资金单位: 万元')).toBe('万元');
    expect(moneyUnitOf('万元')).toBe('万元');
    expect(moneyUnitOf('单位名称')).toBeNull();
  });
  it('cost specs', () => {
    expect(parseCostSpec('数量：32.00,单位：个,单价：360.00,金额：11520.00')).toEqual({ quantity: 32, unit: '个', unit_price: 360, amount: 11520 });
    expect(parseCostSpec('数量:12.00,单位:项,单价:4200.00,金额:50400.00')?.amount).toBe(50400);
    expect(parseCostSpec('1.00项')).toBeNull();
  });
  it('date ranges and years', () => {
    expect(parseDateRange('2021-01-01至2021-12-31')).toEqual({ start: '2021-01-01', end: '2021-12-31' });
    expect(parseDateRange('2021-2023')).toEqual({ start: '2021-01-01', end: '2023-12-31' });
    expect(parseDateRange('2021年1月-2021年6月')).toEqual({ start: '2021-01-01', end: '2021-06-30' });
    expect(parseDateRange('长期')).toEqual({ start: null, end: null });
    // Ranges printed other ways: dotted months, the second date without its year, words between.
    expect(parseDateRange('2023.01-2023.12')).toEqual({ start: '2023-01-01', end: '2023-12-31' });
    expect(parseDateRange('2023.07-2024.01')).toEqual({ start: '2023-07-01', end: '2024-01-31' });
    expect(parseDateRange('2023年1月1日-12月31日')).toEqual({ start: '2023-01-01', end: '2023-12-31' });
    expect(parseDateRange('2023年1月至12月')).toEqual({ start: '2023-01-01', end: '2023-12-31' });
    expect(parseDateRange('2023/01/01-2023/12/31')).toEqual({ start: '2023-01-01', end: '2023-12-31' });
    expect(parseDateRange('2023-01-01-2023-12-31')).toEqual({ start: '2023-01-01', end: '2023-12-31' });
    expect(parseDateRange('2020年1月--2020年11月')).toEqual({ start: '2020-01-01', end: '2020-11-30' });
    expect(parseDateRange('2023年12月底前')).toEqual({ start: null, end: null });
    expect(parseDateRange('一年')).toEqual({ start: null, end: null });
    // A mid-term title's budget year is its first; a year in Chinese numerals is a year.
    expect(yearOf('2023-2025年项目支出绩效目标表')).toBe(2023);
    expect(yearOf('二〇二三年项目支出绩效目标表')).toBe(2023);
    expect(yearOf('（ 2021 年度）')).toBe(2021);
    expect(yearOf('2022年市级预算项目支出绩效目标申报表')).toBe(2022);
    expect(yearOf('绩效目标表')).toBeNull();
  });
  it('direction', () => {
    expect(parseDirection('正向')).toBe('positive');
    expect(parseDirection('反向')).toBe('negative');
    expect(parseDirection('')).toBeNull();
  });
});

describe('markup debris', () => {
  it('strips HTML and decodes entities', () => {
    expect(stripHtml('<p>目标&nbsp;A&amp;B</p>')).toBe('目标 A&B');
    expect(stripHtml('a<br/>b')).toBe('a b');
  });
  it('turns inline LaTeX into text', () => {
    expect(latexToText('规范率$\\geq 95\\%$，满意度$\\leq 5\\%$')).toBe('规范率≥95%，满意度≤5%');
    expect(latexToText('费用$100')).toBe('费用$100');
  });
});
