// 沁阳 (Qinyang), 2020: a department budget report — narrative, budget tables (→ budget lines),
// then 部门(单位)预算项目绩效目标申报表 with 实施期 and 年度 targets side by side and several
// indicators packed in one cell. Amounts in 万元.
import { parseBudgetTables } from '../budgetTables.js';
import type { Family } from '../family.js';
import { titleMatching } from './titles.js';

export const qinyang: Family = {
  variant: 'qinyang',
  province: '河南省',
  region: '沁阳市',
  unit: '万元',
  defaultHorizon: 'annual',
  isTitle: titleMatching(/预算项目绩效目标申报表$/),
  readPreamble: (rows, ctx) => parseBudgetTables(rows, '万元', ctx),
  signals: [
    { pattern: /部门[(（]单位[)）]预算项目绩效目标申报表/, weight: 4, what: 'title 部门(单位)预算项目绩效目标申报表' },
    { pattern: /部门收支总体情况表|一般公共预算支出情况表/, weight: 2, what: 'department budget tables' },
    { pattern: /实施期资金总额/, weight: 1, what: 'label 实施期资金总额' },
    { pattern: /指标\d[:：]/, weight: 1, what: 'packed 指标1: cells' },
    { pattern: /沁阳/, weight: 2, what: 'region 沁阳' },
  ],
};
