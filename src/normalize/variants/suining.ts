// 遂宁 (Suining), 2022: 市级预算项目支出绩效目标申报表 / 绩效目标表 with 指标性质, 指标值, 度量单位,
// 权重 and 指标方向性 columns; amounts printed with their unit (`25万元`).
import type { Family } from '../family.js';
import { titleMatching } from './titles.js';

export const suining: Family = {
  variant: 'suining',
  province: '四川省',
  region: '遂宁市',
  unit: '万元',
  defaultHorizon: 'annual',
  isTitle: titleMatching(/绩效目标申报表|^绩效目标表$/),
  signals: [
    { pattern: /指标性质/, weight: 3, what: 'heading 指标性质' },
    { pattern: /指标方向性/, weight: 2, what: 'heading 指标方向性' },
    { pattern: /度量单位/, weight: 1, what: 'heading 度量单位' },
    { pattern: /预算执行率权重/, weight: 2, what: 'label 预算执行率权重' },
    { pattern: /市级预算项目支出绩效目标申报表/, weight: 2, what: 'title 市级预算项目支出绩效目标申报表' },
    { pattern: /遂宁/, weight: 2, what: 'region 遂宁' },
  ],
};
