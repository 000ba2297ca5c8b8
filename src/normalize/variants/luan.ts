// 六安 (Lu'an), 2021: 部门预算财政支出绩效目标批复表, mid-term (中长期) and annual (本年度) targets
// side by side, amounts in 万元.
import type { Family } from '../family.js';
import { titleMatching } from './titles.js';

export const luan: Family = {
  variant: 'luan',
  province: '安徽省',
  region: '六安市',
  unit: '万元',
  defaultHorizon: 'annual',
  isTitle: titleMatching(/绩效目标批复表$/),
  signals: [
    { pattern: /财政支出绩效目标批复表/, weight: 4, what: 'title 部门预算财政支出绩效目标批复表' },
    { pattern: /中长期指标值/, weight: 3, what: 'heading 中长期指标值' },
    { pattern: /本年度指标值/, weight: 1, what: 'heading 本年度指标值' },
    { pattern: /中期资金总额/, weight: 1, what: 'label 中期资金总额' },
    { pattern: /六安/, weight: 2, what: 'region 六安' },
  ],
};
