// The schema of an indicator table's columns, in one place: every role a column can play, the
// header labels that name it, whether a table needs it, and what its cells look like. The header
// matcher reads the labels; the row reader weighs a cell against its column with `fit`, which is
// how a row shifted by a page break is put back under its headings, and how a column whose
// heading could not be read is recognised from what it holds.
import type { Horizon } from '../../model/schema.js';
import type { CellFeatures } from './content.js';

export const ROLES = [
  'seq', 'block', 'level1', 'level2', 'name', 'value', 'period_value', 'annual_value', 'prior_value',
  'nature', 'unit', 'weight', 'score', 'direction', 'standard', 'note', 'unknown',
] as const;
export type Role = (typeof ROLES)[number];

/** How a column's role was recognised from its heading. */
export type RoleHow = 'exact' | 'spaced' | 'bracketed' | 'fuzzy' | 'inferred';

export interface RoleSpec {
  role: Role;
  /** Header spellings, compared folded with brackets removed. */
  labels: readonly string[];
  /** Value columns that name their horizon. */
  horizon?: Horizon;
  /** A table without this role is read only after the role is inferred from the rows. */
  required?: boolean;
  /** How typical a cell text is for the role: 2 typical, 0 neutral, below 0 unlikely. */
  fit: (f: CellFeatures) => number;
}

/**
 * A level column's cells: its own kind of label fits best; the other kind fits too (a dump that
 * lost a cell puts the level 2 under 一级指标, and older forms print 满意度指标 under 二级指标),
 * but less, so a row with both levels printed in place keeps a name that reads like a level.
 */
const levelFit = (own: 'block' | 'level1' | 'level2') => (f: CellFeatures): number => {
  if (f.level) {
    if (own === 'block') return f.level.kind === 'level1' ? 1 : 0.5;
    return f.level.kind === own ? 2 : 1;
  }
  if (f.looseLevel) return 1;
  if (f.block) return own === 'level2' ? -1 : own === 'block' ? 2 : 1;
  if (f.review) return -1;
  // A short text with no digits where a label goes is a label the dictionary does not know
  // (page-break debris like `双重目标`): unlikely, but likelier than content — unless it reads
  // like a name or a target.
  if (f.length <= 8 && !f.hasDigit && !f.nameLike && !f.valueWords) return -0.5;
  return -3;
};

const valueFit = (f: CellFeatures): number => {
  if (f.quantitative) return 2;
  if (f.comparatorOnly || f.direction) return -1;
  if (f.level) return -2;
  if (f.valueWords) return 1.5;
  if (f.hasDigit) return 1;
  if (f.nameLike) return -0.5;
  if (f.length <= 12) return 0.5;
  // A long clause with no number or target word reads more like what is measured than a target.
  return f.length >= 15 ? -0.5 : 0;
};

const nameFit = (f: CellFeatures): number => {
  // An indicator may be named like a level (`服务对象满意度`): possible, not typical.
  if (f.level) return 0;
  if (f.seq || f.number || f.comparatorOnly || f.direction || f.unitOnly) return -3;
  if (f.namePrefix) return 2;
  if (f.targetLike || f.explanation) return -2;
  if (f.looseLevel) return 0;
  if (f.nameLike) return 1.5;
  // A name of two characters or a target word (`长期`, `明显提升`) is rarer than a value of one.
  if (f.valueWords && f.length <= 8) return 0;
  if (f.cjk) return f.length <= 2 ? 0.5 : 1;
  return 0;
};

const numberFit = (f: CellFeatures): number => (f.number || f.percentNumber ? 1.5 : -1.5);
const free = (f: CellFeatures): number => (f.level ? -0.5 : 0);
const explains = (f: CellFeatures): number => (f.explanation ? 1.5 : f.level ? -0.5 : 0);

export const ROLE_SPECS: readonly RoleSpec[] = [
  { role: 'seq', labels: ['序号', '编号', '序'], fit: (f) => (f.seq ? 2 : -3) },
  { role: 'level1', labels: ['一级指标', '一级指标名称', '指标类别', '一级'], fit: levelFit('level1') },
  { role: 'level2', labels: ['二级指标', '二级指标名称', '二级'], fit: levelFit('level2') },
  {
    role: 'name',
    required: true,
    labels: ['三级指标', '三级指标名称', '指标名称', '指标内容', '绩效指标名称', '绩效指标内容', '具体指标', '三级', '指标'],
    fit: nameFit,
  },
  {
    role: 'value',
    required: true,
    labels: [
      '指标值', '指标目标值', '目标值', '绩效指标值', '预期目标值', '绩效目标值', '指标值设定', '考核指标值',
      '绩效标准值', '计划水平', '目标', '预期指标值', '指标数值', '区域目标值', '分区域目标值',
    ],
    fit: valueFit,
  },
  {
    role: 'period_value',
    horizon: 'period',
    labels: ['中长期指标值', '实施期指标值', '中期指标值', '长期指标值', '中期目标值', '长期目标值', '实施期目标值', '中长期目标值'],
    fit: valueFit,
  },
  {
    role: 'annual_value',
    horizon: 'annual',
    labels: [
      '本年度指标值', '年度指标值', '本年指标值', '当年指标值', '年度目标值', '本年度目标值', '本年度计划水平',
      '本年计划水平', '预期本年实现值', '本年预期值', '本年目标值',
    ],
    fit: valueFit,
  },
  {
    role: 'prior_value',
    labels: ['上年度实际水平', '上年实际水平', '上年实际实现值', '上年度实际值', '上年实际值', '上年完成值', '上年实际完成值', '上年指标值', '上年度指标值'],
    fit: valueFit,
  },
  { role: 'nature', labels: ['指标性质', '指标值类型', '指标类型', '计算符号', '符号'], fit: (f) => (f.comparatorOnly ? 2.5 : -2) },
  { role: 'unit', labels: ['度量单位', '计量单位', '指标单位', '单位'], fit: (f) => (f.unitOnly ? 2 : -2) },
  { role: 'weight', labels: ['权重', '指标权重', '分值', '权重分值', '指标分值', '权重分'], fit: numberFit },
  { role: 'score', labels: ['得分', '评分', '自评得分', '自评分'], fit: numberFit },
  { role: 'direction', labels: ['指标方向性', '指标方向', '方向'], fit: (f) => (f.direction ? 2.5 : -2) },
  {
    role: 'standard',
    labels: ['绩效标准', '评分标准', '评分细则', '扣分标准', '考核标准', '评价标准', '指标解释', '指标说明', '指标值说明', '计算方法', '指标定义', '评分规则'],
    fit: explains,
  },
  { role: 'note', labels: ['备注', '说明'], fit: free },
  { role: 'block', labels: [], fit: levelFit('block') },
  { role: 'unknown', labels: [], fit: free },
];

const BY_ROLE = new Map(ROLE_SPECS.map((s) => [s.role, s]));

export function roleSpec(role: Role): RoleSpec {
  return BY_ROLE.get(role)!;
}

export const VALUE_ROLES: ReadonlySet<Role> = new Set(['value', 'period_value', 'annual_value']);
export const LEVEL_ROLES: ReadonlySet<Role> = new Set(['block', 'level1', 'level2']);

/**
 * Words a sub-header row prints under a value heading to say which horizon a column holds
 * (`指标值` over `中期 | 年度`, `上年度 实际水平 | 本年度 计划水平`).
 */
export const HORIZON_WORDS: readonly [RegExp, Role][] = [
  [/^(上年|上年度|上一年|上年实际|上年度实际)/, 'prior_value'],
  [/^(中长期|长期|中期|实施期|整体)/, 'period_value'],
  [/^(本年度|本年|当年|年度)/, 'annual_value'],
];
