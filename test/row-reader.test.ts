// The row reader, table-driven: a header and rows (TAB-separated, one line a row) → the
// indicators they give, `horizon level1/level2 | name | value`, and the findings raised.
import { describe, expect, it } from 'vitest';
import type { Row } from '../src/extract/rows.js';
import { extractText } from '../src/extract/text.js';
import { NormalizeContext } from '../src/normalize/context.js';
import { placementColumns, rowToPlacement } from '../src/normalize/table/alignRow.js';
import { headerToRoles } from '../src/normalize/table/headerToRoles.js';
import { readIndicatorTable } from '../src/normalize/table/readTable.js';
import { newLevelState, rowToDrafts } from '../src/normalize/table/rowToDrafts.js';

const rowsOf = (text: string) => extractText(Buffer.from(text), 't.txt').rows;

function table(text: string): { got: string[]; codes: string[] } {
  const rows = rowsOf(text);
  const ctx = new NormalizeContext('t.txt', '万元');
  const at = rows.findIndex((r) => r.cells.length > 0);
  const read = readIndicatorTable(rows, at, ctx, { defaultHorizon: 'annual', project: 1, firstOrdinal: 1, isTitle: () => false });
  if (!read) throw new Error('no table');
  return {
    got: read.indicators.map((i) => `${i.horizon} ${i.level1 ?? '-'}/${i.level2 ?? '-'} | ${i.name ?? ''} | ${i.value_text ?? ''}`),
    codes: [...new Set(ctx.findings.map((f) => f.code))].sort(),
  };
}

/** One row under a header → its drafts, `horizon level2 | name | value`. */
function row(header: string, line: string): string[] {
  const rows = rowsOf(`${header}\n${line}\n`);
  const h = headerToRoles(rows, 0)!;
  const p = rowToPlacement(rows[1] as Row, h, placementColumns(h));
  return rowToDrafts(p, rows[1]!, newLevelState(), 'annual').drafts.map((d) => `${d.horizon} ${d.level2 ?? '-'} | ${d.name ?? ''} | ${d.value ?? ''}`);
}

const H4 = '一级指标\t二级指标\t三级指标\t指标值';

describe('row → draft', () => {
  const cases: [string, string, string, string[]][] = [
    ['as printed', H4, '产出指标\t数量指标\t培训次数\t≥3次', ['annual 数量指标 | 培训次数 | ≥3次']],
    ['a name that is a level-2 label stays a name', H4, '满意度指标\t服务对象满意度指标\t服务对象满意度\t≥90%', ['annual 服务对象满意度指标 | 服务对象满意度 | ≥90%']],
    ['a level 1 where the level 2 goes says its only level 2', '\t' + H4, '\t\t满意度指标\t群众满意度\t≥92%', ['annual 服务对象满意度指标 | 群众满意度 | ≥92%']],
    ['a row a dump shifted right by a cell', H4, '\t效益指标\t可持续影响指标\t统一制度、预算管理', ['annual 可持续影响指标 | 统一制度、预算管理 | ']],
    ['a row a dump shifted left by a cell', '\t' + H4, '产出指标\t质量指标\t验收合格率\t100%', ['annual 质量指标 | 验收合格率 | 100%']],
    ['序号 is not a name', '序号\t' + H4, '1\t产出指标\t数量指标\t培训次数\t≥3次', ['annual 数量指标 | 培训次数 | ≥3次']],
    ['a value with its unit in the next column', H4 + '\t计量单位', '产出指标\t数量指标\t培训次数\t3\t次', ['annual 数量指标 | 培训次数 | 3']],
    [
      'side by side, the right half shifted by a lost cell',
      '绩效指标\t\t一级指标\t二级指标\t三级指标\t指标值\t二级指标\t三级指标\t指标值',
      '\t\t产出指标\t数量指标\t召开会议\t≥1次\t\t数量指标\t召开会议\t≥1次',
      ['period 数量指标 | 召开会议 | ≥1次', 'annual 数量指标 | 召开会议 | ≥1次'],
    ],
  ];
  for (const [what, header, line, want] of cases) {
    it(what, () => expect(row(header, line)).toEqual(want));
  }
});

describe('table → indicators', () => {
  it('carries levels down, and a level 1 on a middle row of its group changes nothing', () => {
    const t = table(`${H4}\n\t数量指标\t培训次数\t≥3次\n产出指标\t质量指标\t合格率\t100%\n\t\t达标率\t≥95%\n效益指标\t社会效益指标\t知晓率\t≥90%\n`);
    expect(t.got).toEqual([
      'annual 产出指标/数量指标 | 培训次数 | ≥3次',
      'annual 产出指标/质量指标 | 合格率 | 100%',
      'annual 产出指标/质量指标 | 达标率 | ≥95%',
      'annual 效益指标/社会效益指标 | 知晓率 | ≥90%',
    ]);
  });
  it('levels printed on every row', () => {
    const t = table(`${H4}\n产出指标\t数量指标\t培训次数\t≥3次\n产出指标\t数量指标\t宣传次数\t≥2次\n`);
    expect(t.got).toEqual(['annual 产出指标/数量指标 | 培训次数 | ≥3次', 'annual 产出指标/数量指标 | 宣传次数 | ≥2次']);
  });
  it('empty level rows give no indicator; a review row ends the table', () => {
    const t = table(`${H4}\n产出指标\t数量指标\t培训次数\t≥3次\n\t成本指标\t\t\n效益指标\t生态效益指标\t\t\n财政部门审核意见\t（盖章）\t年 月 日\n满意度指标\t服务对象满意度指标\t满意度\t≥90%\n`);
    expect(t.got).toEqual(['annual 产出指标/数量指标 | 培训次数 | ≥3次']);
  });
  it('stacked 长期 / 年度 blocks', () => {
    const t = table(`${H4}\n长期绩效指标\n产出指标\t数量指标\t培训次数\t≥9次\n年度绩效指标\n产出指标\t数量指标\t培训次数\t≥3次\n`);
    expect(t.got).toEqual(['period 产出指标/数量指标 | 培训次数 | ≥9次', 'annual 产出指标/数量指标 | 培训次数 | ≥3次']);
  });
  it('page-break debris where a label goes is left out and said', () => {
    const t = table(`\t一级指标\t二级指标\t三级指标\t中长期指标值\t二级指标\t三级指标\t本年度指标值\n产出指标\t时效指标\t时效指标\t完成时间\t年底前\t时效指标\t完成时间\t年底前\n绩效指标\t双重目标\t审计完成时间\t每年下半年\t双重目标\t审计完成时间\t11月前\n`);
    expect(t.got).toEqual([
      'period 产出指标/时效指标 | 完成时间 | 年底前', 'annual 产出指标/时效指标 | 完成时间 | 年底前',
      'period 产出指标/时效指标 | 审计完成时间 | 每年下半年', 'annual 产出指标/时效指标 | 审计完成时间 | 11月前',
    ]);
    expect(t.codes).toContain('LABEL_UNKNOWN');
    expect(t.codes).toContain('ROW_MISALIGNED');
  });
  it('the 2022 cost level 1 files under 产出指标 / 成本指标 with a finding', () => {
    const t = table(`${H4}\n成本指标\t经济成本指标\t人均成本\t≤2000元\n\t社会成本指标\t社会成本\t无\n`);
    expect(t.got).toEqual(['annual 产出指标/成本指标 | 人均成本 | ≤2000元', 'annual 产出指标/成本指标 | 社会成本 | 无']);
    expect(t.codes).toEqual(['LEVEL_FOLDED']);
  });
  it('packed cells give one indicator each', () => {
    const t = table(`${H4}\n产出指标\t数量指标\t指标1:召开会议 指标2:召开培训\t1: ≥1次 2: ≥2次\n`);
    expect(t.got).toEqual(['annual 产出指标/数量指标 | 召开会议 | ≥1次', 'annual 产出指标/数量指标 | 召开培训 | ≥2次']);
  });
});
