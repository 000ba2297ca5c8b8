// 绵阳 (Mianyang), 2021: a 项目基本信息表 and a 项目支出绩效目标申报表 per project, amounts in 元,
// cost indicators priced as `数量：…,单价：…,金额：…`.
import type { Family } from '../family.js';
import { titleMatching } from './titles.js';

export const mianyang: Family = {
  variant: 'mianyang',
  province: '四川省',
  region: '绵阳市',
  unit: '元',
  defaultHorizon: 'annual',
  isTitle: titleMatching(/项目基本信息表$|项目支出绩效目标申报表$/),
  signals: [
    { pattern: /项目基本信息表/, weight: 3, what: 'title 项目基本信息表' },
    { pattern: /项目支出绩效目标申报表/, weight: 2, what: 'title 项目支出绩效目标申报表' },
    { pattern: /指标值[（(]包含数字及文字描述[)）]/, weight: 3, what: 'heading 指标值（包含数字及文字描述）' },
    { pattern: /数量[:：][\d.]+,单位[:：]/, weight: 2, what: 'priced cost indicators' },
    { pattern: /功能科目编码/, weight: 1, what: 'label 功能科目编码' },
    { pattern: /绵阳/, weight: 2, what: 'region 绵阳' },
  ],
};
