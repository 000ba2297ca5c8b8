// 洪山 (Hongshan, 武汉), 2021: 项目资金绩效目标申报表 with a 考核级次 checkbox, 项目资金来源 and
// 项目支出明细 blocks (万元), and a 填表说明 page that carries no data.
import type { Family } from '../family.js';
import { titleMatching } from './titles.js';

export const hongshan: Family = {
  variant: 'hongshan',
  province: '湖北省',
  region: '武汉市洪山区',
  unit: '万元',
  defaultHorizon: 'annual',
  isTitle: titleMatching(/项目资金绩效目标申报表$/),
  signals: [
    { pattern: /项目资金绩效目标申报表/, weight: 4, what: 'title 项目资金绩效目标申报表' },
    { pattern: /考核级次/, weight: 2, what: 'label 考核级次' },
    { pattern: /项目支出明细/, weight: 1, what: 'label 项目支出明细' },
    { pattern: /项目资金来源/, weight: 1, what: 'label 项目资金来源' },
    { pattern: /项目当年预算/, weight: 1, what: 'label 项目当年预算' },
    { pattern: /洪山/, weight: 2, what: 'region 洪山' },
  ],
};
