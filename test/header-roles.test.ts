// The header → column-role step, table-driven: printed header rows (TAB-separated cells, one
// line a row) → each column's role and how it was recognised, and the table's layout.
import { describe, expect, it } from 'vitest';
import { extractText } from '../src/extract/text.js';
import { headerToRoles, isHeaderRow, textToHeading } from '../src/normalize/table/headerToRoles.js';

const rowsOf = (text: string) => extractText(Buffer.from(text), 'h.txt').rows.filter((r) => r.cells.length > 0);

/** `role:how` per column, in column order; horizons where the table has two. */
function read(text: string): { roles: string[]; layout: string; rows: number; notes: string[] } {
  const h = headerToRoles(rowsOf(text), 0);
  if (!h) throw new Error(`not a header: ${text}`);
  return {
    roles: h.columns.map((c) => `${c.role}${c.horizon ? `/${c.horizon}` : ''}:${c.how}`),
    layout: h.layout,
    rows: h.rowCount,
    notes: h.notes.map((n) => n.code),
  };
}

const DATA = '产出指标\t数量指标\t培训次数\t≥3次\n\t质量指标\t合格率\t100%\n效益指标\t社会效益指标\t群众知晓率\t≥90%\n';

describe('header → column roles', () => {
  const cases: [string, string, string[], string?][] = [
    ['plain', '一级指标\t二级指标\t三级指标\t指标值', ['level1:exact', 'level2:exact', 'name:exact', 'value:exact']],
    ['spaced', '一级 指标\t二级 指标\t三级 指标\t指 标 值', ['level1:spaced', 'level2:spaced', 'name:spaced', 'value:spaced']],
    ['bracketed addition', '一级指标\t二级指标\t三级指标\t指标值（包含数字及文字描述）', ['level1:exact', 'level2:exact', 'name:exact', 'value:bracketed']],
    ['bracketed alternative', '一级指标\t二级指标\t三级指标\t指标值(或计划水平)', ['level1:exact', 'level2:exact', 'name:exact', 'value:bracketed']],
    ['opening bracket read as 一', '一级指标\t二级指标\t三级指标\t指标值一包含数字及文字描述)', ['level1:exact', 'level2:exact', 'name:exact', 'value:bracketed']],
    ['one character misread in a 3-character heading', '一级指标\t二级指标\t三级指标\t指标伹', ['level1:exact', 'level2:exact', 'name:exact', 'value:fuzzy']],
    ['misreads and a traditional form', '一級指标\t二圾指标\t三级指杯\t指标值', ['level1:exact', 'level2:fuzzy', 'name:fuzzy', 'value:exact']],
    ['starred and cut headings', '一级\t二级\t三级指\t*指标值', ['level1:exact', 'level2:exact', 'name:fuzzy', 'value:exact']],
    ['序号 first, 备注 last', '序号\t一级指标\t二级指标\t三级指标\t指标值\t备注', ['seq:exact', 'level1:exact', 'level2:exact', 'name:exact', 'value:exact', 'note:exact']],
    ['names first, scored template', '指标名称\t一级指标\t二级指标\t目标值\t分值\t评(扣)分标准', ['name:exact', 'level1:exact', 'level2:exact', 'value:exact', 'weight:exact', 'standard:bracketed']],
    [
      'nature, unit, weight, direction columns',
      '一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t权重(%)\t指标方向性\t备注',
      ['level1:exact', 'level2:exact', 'name:exact', 'nature:exact', 'value:exact', 'unit:exact', 'weight:bracketed', 'direction:exact', 'note:exact'],
    ],
    ['指标内容 and 指标值类型 and 计量单位', '一级指标\t二级指标\t指标内容\t指标值类型\t指标值\t计量单位', ['level1:exact', 'level2:exact', 'name:exact', 'nature:exact', 'value:exact', 'unit:exact']],
    ['a block column on the left', '绩效指标\t一级指标\t二级指标\t三级指标\t指标值', ['block:exact', 'level1:exact', 'level2:exact', 'name:exact', 'value:exact']],
  ];
  for (const [what, text, roles] of cases) {
    it(what, () => expect(read(text).roles).toEqual(roles));
  }

  it('mid-term and annual side by side (批复表): each half its own level 2, name and value', () => {
    const h = read('\t一级指标\t二级指标\t三级指标\t中长期指标值\t二级指标\t三级指标\t本年度指标值');
    expect(h.layout).toBe('side-by-side');
    expect(h.roles).toEqual([
      'level1:exact', 'level2/period:exact', 'name/period:exact', 'period_value/period:exact',
      'level2/annual:exact', 'name/annual:exact', 'annual_value/annual:exact',
    ]);
  });
  it('two plain value columns side by side: mid-term left, annual right', () => {
    const h = read('绩效指标\t一级指标\t二级指标\t三级指标\t指标值\t二级指标\t三级指标\t指标值');
    expect(h.layout).toBe('side-by-side');
    expect(h.roles.filter((r) => r.startsWith('value'))).toEqual(['value/period:exact', 'value/annual:exact']);
  });
  it('two value columns sharing one name column', () => {
    const h = read('一级指标\t二级指标\t三级指标\t中期指标值\t年度指标值');
    expect(h.layout).toBe('paired-values');
    expect(h.roles).toEqual(['level1:exact', 'level2:exact', 'name:exact', 'period_value/period:exact', 'annual_value/annual:exact']);
  });
  it('a heading split over two lines', () => {
    const h = read('一级\t二级\t三级\t指标\n指标\t指标\t指标\t值');
    expect(h.rows).toBe(2);
    expect(h.roles).toEqual(['level1:spaced', 'level2:spaced', 'name:spaced', 'value:spaced']);
  });
  it('a sub-header row under 指标值: last year’s actual and this year’s target', () => {
    const h = read('一级指标\t二级指标\t三级指标\t指标值\t\t备注\n\t\t\t上年实际值\t本年目标值\t');
    expect(h.rows).toBe(2);
    expect(h.layout).toBe('single');
    expect(h.roles).toEqual(['level1:exact', 'level2:exact', 'name:exact', 'prior_value:exact', 'annual_value/annual:exact', 'note:exact']);
  });
  it('a sub-header of horizon words only', () => {
    const h = read('一级指标\t二级指标\t三级指标\t指标值\t\n\t\t\t中期\t年度');
    expect(h.roles).toEqual(['level1:exact', 'level2:exact', 'name:exact', 'period_value/period:exact', 'annual_value/annual:exact']);
  });
  it('one value column per area is no pair of horizons: the first is read, the loss said', () => {
    const h = read('一级指标\t二级指标\t三级指标\t区域目标值\n\t\t\t甲镇\t乙镇\t丙镇');
    expect(h.layout).toBe('single');
    expect(h.roles).toEqual(['level1:exact', 'level2:exact', 'name:exact', 'value:exact', 'unknown:exact', 'unknown:exact']);
    expect(h.notes).toEqual(['VALUE_COLUMNS_UNREAD']);
  });
  it('a value heading nothing can read is inferred from the rows, with a note', () => {
    const h = read(`一级指标\t二级指标\t三级指标\t@#%&\n${DATA}`);
    expect(h.roles).toEqual(['level1:exact', 'level2:exact', 'name:exact', 'value:inferred']);
    expect(h.notes).toEqual(['HEADER_ROLE_INFERRED']);
  });
  it('a missing value heading with no value-like column below is reported missing', () => {
    const h = read('一级指标\t二级指标\t三级指标\n产出指标\t数量指标\t培训次数\n');
    expect(h.notes).toContain('HEADER_ROLE_MISSING');
  });
  it('every repair is noted', () => {
    expect(read('一级指标\t二级指标\t三级指标\t指标伹').notes).toEqual(['LABEL_REPAIRED']);
  });
  it('rows that are not headers', () => {
    for (const text of ['项目名称\t某项目\t主管部门\t某局', '产出指标\t数量指标\t培训次数\t≥3次', '预算执行率权重(%)：\t\t10\t经办人电话：', '合计\t34.3']) {
      expect(isHeaderRow(rowsOf(text)[0]!), text).toBe(false);
    }
  });
  it('reads single headings', () => {
    const t = (s: string) => { const h = textToHeading(s); return h ? `${h.role}:${h.how}` : null; };
    expect(t('绩 效 指 标')).toBe('block:spaced');
    expect(t('年度绩效指标')).toBe('block:exact');
    expect(t('指标值(包含数字及文字描述)')).toBe('value:bracketed');
    expect(t('完成时间')).toBeNull();
    expect(t('参保人员满意度')).toBeNull();
  });
});
