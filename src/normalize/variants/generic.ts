// Any layout no family fits but that prints the standard headings (项目名称, 一级/二级/三级指标,
// 指标值 …): the shared label-driven reading with no family-specific part. Budget tables, when
// present, are read too.
import { parseBudgetTables } from '../budgetTables.js';
import type { Family } from '../family.js';
import { titleMatching } from './titles.js';

export const generic: Family = {
  variant: 'generic',
  province: null,
  region: null,
  unit: '万元',
  defaultHorizon: 'annual',
  isTitle: titleMatching(/(绩效目标|项目基本信息|绩效目标申报|绩效目标批复|项目支出绩效)[^,，]{0,8}表$/),
  readPreamble: (rows, ctx) => parseBudgetTables(rows, '万元', ctx),
  signals: [],
};
