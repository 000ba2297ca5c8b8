// Department budget tables: header paths, codes rebuilt from 类/款/项, stitched continuations,
// and the checks that children add up to parents.
import { describe, expect, it } from 'vitest';
import { extractText } from '../src/extract/text.js';
import { columnPaths, parseBudgetTables } from '../src/normalize/budgetTables.js';
import { NormalizeContext } from '../src/normalize/context.js';
import { checkBudget } from '../src/validate/budget.js';

const rows = (lines: string[]) => extractText(Buffer.from(lines.join('\n')), 't.txt').rows;

const HEADER = [
  '科目编码\t\t\t科目名称\t总计\t2020年\t\t\t\t\t\t',
  '类\t款\t项\t\t\t合计\t基本支出\t\t\t项目支出\t\t',
  '\t\t\t\t\t\t小计\t人员经费支出\t公用经费支出\t小计\t部门支出\t专项支出',
  '**\t**\t**\t**\t1\t2\t3\t4\t5\t6\t7\t8',
];

function table(title: string, body: string[]): string[] {
  return ['', title, '', '单位名称：某局', '', '单位：万元', '', ...HEADER, ...body];
}

describe('budget tables', () => {
  it('builds column paths from spanning headings', () => {
    const paths = columnPaths(rows(HEADER.slice(0, 3)), 12);
    expect(paths[3]).toBe('科目名称');
    expect(paths[4]).toBe('总计');
    expect(paths[5]).toBe('2020年/合计');
    expect(paths[7]).toBe('2020年/基本支出/人员经费支出');
    expect(paths[11]).toBe('2020年/项目支出/专项支出');
  });

  const doc = [
    ...table('2020年部门支出总体情况表', [
      '\t\t\t合计\t10.00\t10.00\t6.00\t6.00\t\t4.00\t4.00\t',
      '210\t\t\t卫生健康支出\t10.00\t10.00\t6.00\t6.00\t\t4.00\t4.00\t',
      '\t15\t\t医疗保障管理事务\t10.00\t10.00\t6.00\t6.00\t\t4.00\t4.00\t',
      '\t\t01\t行政运行\t6.00\t6.00\t6.00\t6.00\t\t\t\t',
    ]),
    ...table('2020年部门支出总体情况表', [
      '\t\t04\t信息化建设\t4.00\t4.00\t\t\t\t4.00\t4.00\t',
      '210\t15\t04\t系统运维\t3.00\t3.00\t\t\t\t3.00\t3.00\t',
      '210\t15\t04\t网络租赁\t1.00\t1.00\t\t\t\t1.00\t1.00\t',
    ]),
  ];

  it('rebuilds codes, carries them across a page, and stitches the table', () => {
    const ctx = new NormalizeContext('t.txt', '万元');
    const b = parseBudgetTables(rows(doc), '万元', ctx);
    const totals = b.lines.filter((l) => l.column === '总计').map((l) => [l.row_ordinal, l.code, l.name, l.amount_yuan]);
    expect(totals).toEqual([
      [1, null, '合计', 100000], [2, '210', '卫生健康支出', 100000], [3, '21015', '医疗保障管理事务', 100000],
      [4, '2101501', '行政运行', 60000], [5, '2101504', '信息化建设', 40000], [6, '2101504', '系统运维', 30000], [7, '2101504', '网络租赁', 10000],
    ]);
    expect(ctx.findings.map((f) => f.code)).toEqual(['TABLE_STITCHED']);
    checkBudget(b, ctx);
    expect(ctx.findings.map((f) => f.code)).toEqual(['TABLE_STITCHED']);
  });

  it('flags children that do not add up to their parent, column by column', () => {
    // Only the first two amount columns of one detail line change: only those columns disagree.
    const bad = doc.map((l) => l.replace('网络租赁\t1.00\t1.00', '网络租赁\t2.00\t2.00'));
    const ctx = new NormalizeContext('t.txt', '万元');
    checkBudget(parseBudgetTables(rows(bad), '万元', ctx), ctx);
    const mismatch = ctx.findings.filter((f) => f.code === 'BUDGET_CHILDREN_MISMATCH');
    expect(mismatch.map((f) => f.message)).toEqual([
      'table "2020年部门支出总体情况表", 2101504, column "总计": the rows under it add up to 50000 yuan, it says 40000 yuan',
      'table "2020年部门支出总体情况表", 2101504, column "2020年/合计": the rows under it add up to 50000 yuan, it says 40000 yuan',
    ]);
  });

  it('flags a code whose total differs between two tables', () => {
    const other = table('2020年一般公共预算支出情况表', ['210\t\t\t卫生健康支出\t12.00\t12.00\t6.00\t6.00\t\t6.00\t6.00\t']);
    const ctx = new NormalizeContext('t.txt', '万元');
    checkBudget(parseBudgetTables(rows([...doc, ...other]), '万元', ctx), ctx);
    expect(ctx.findings.filter((f) => f.code === 'BUDGET_TABLES_DISAGREE').map((f) => f.message)).toEqual([
      'code 210 is 100000 yuan in "2020年部门支出总体情况表" but 120000 yuan in "2020年一般公共预算支出情况表"',
    ]);
  });

  it('gives no lines for a table without amounts', () => {
    const ctx = new NormalizeContext('t.txt', '万元');
    const b = parseBudgetTables(rows(['2020年“三公”经费支出表', '', '项目\t按资金来源\t2020年预算数', '**\t\t1', '总计\t\t', '公务接待费\t合计\t']), '万元', ctx);
    expect(b.lines).toEqual([]);
  });
});
