// The words the layout generator prints, copied as data from the shared CONTRACT.md (the closed
// level lists, the taxonomy, the value table) and LABELS.md (label variants read off real forms).
// Copied, not read at run time: the repository must stand alone. In every list the first entry
// is the plainest spelling, because fast-check shrinks a choice towards the first entry and a
// minimal reproducer should differ from the plain form only where it has to.

// ------------------------------------------------------------------ the contract's closed lists

export const LEVEL1 = ['产出指标', '效益指标', '满意度指标'] as const;
export type Level1 = (typeof LEVEL1)[number];

/** In the contract's order, which is also the order forms print them in. */
export const LEVEL2 = [
  '数量指标', '质量指标', '时效指标', '成本指标',
  '经济效益指标', '社会效益指标', '生态效益指标', '可持续影响指标',
  '服务对象满意度指标',
] as const;
export type Level2 = (typeof LEVEL2)[number];

export type Comparator = '>=' | '<=' | '>' | '<' | '=';

/** The standard taxonomy: level 1 is always derived from level 2, whatever the form prints. */
export const LEVEL1_OF: Record<Level2, Level1> = {
  数量指标: '产出指标', 质量指标: '产出指标', 时效指标: '产出指标', 成本指标: '产出指标',
  经济效益指标: '效益指标', 社会效益指标: '效益指标', 生态效益指标: '效益指标', 可持续影响指标: '效益指标',
  服务对象满意度指标: '满意度指标',
};

// ------------------------------------------------------------------ level names as printed

/** LABELS.md "level-1 names as printed" (spacing is a separate dimension, see print.ts). */
export const LEVEL1_PRINTED: Record<Level1, readonly string[]> = {
  产出指标: ['产出指标', '产出指标（50分）', '产出指标(40-50分)', '产出(工作量)指标(数量、质量、成本方面的指标)'],
  效益指标: ['效益指标', '效果指标', '效益指标（30分）'],
  满意度指标: ['满意度指标', '满意度指标（10分）'],
};

/** LABELS.md "level-2 names as printed" and CONTRACT.md (时效性, 服务对象满意度). */
export const LEVEL2_PRINTED: Record<Level2, readonly string[]> = {
  数量指标: ['数量指标', '数量目标'],
  质量指标: ['质量指标'],
  时效指标: ['时效指标', '时效性'],
  成本指标: ['成本指标'],
  经济效益指标: ['经济效益指标'],
  社会效益指标: ['社会效益指标'],
  生态效益指标: ['生态效益指标', '环境效益指标'],
  可持续影响指标: ['可持续影响指标'],
  服务对象满意度指标: ['服务对象满意度指标', '服务对象满意度', '社会公众或服务对象满意度指标'],
};

/**
 * 服务对象满意度指标 printed under 效益指标 with no level-1 满意度指标 (LABELS.md layout variants;
 * CONTRACT.md: 满意度指标 under 效益指标 in older forms) — still 满意度指标 / 服务对象满意度指标.
 */
export const SATISFACTION_UNDER_BENEFIT: readonly string[] = ['服务对象满意度指标', '社会公众或服务对象满意度指标', '满意度指标'];

/** Forms from 2022 on: 成本指标 as a level 1 over these; filed as 产出指标 / 成本指标 (LABELS.md). */
export const COST_LEVEL1_PRINTED = '成本指标';
export const COST_LEVEL2_PRINTED: readonly string[] = ['经济成本指标', '社会成本指标', '生态环境成本指标'];

// ------------------------------------------------------------------ indicator table headers

export const HEADER_LEVEL1: readonly string[] = ['一级指标'];
export const HEADER_LEVEL2: readonly string[] = ['二级指标'];
export const HEADER_NAME: readonly string[] = ['三级指标', '指标名称', '指标内容'];
/** One value column. `年度指标值` names the horizon; the others are neutral. */
export const HEADER_VALUE: readonly string[] = ['指标值', '年度指标值', '指标目标值', '*指标值', '指标值（包含数字及文字描述）', '指标值(或计划水平)', '目标值'];
export const HEADER_VALUE_ANNUAL_ONLY = new Set(['年度指标值']);
/** Side by side: the mid-term (left) and this year's (right) value columns. */
export const HEADER_VALUE_PERIOD: readonly string[] = ['中长期指标值', '实施期指标值', '中期指标值'];
export const HEADER_VALUE_ANNUAL: readonly string[] = ['本年度指标值', '年度指标值'];

/** The extra columns LABELS.md lists beside the value, by what they hold. */
export const HEADER_EXTRA = {
  seq: ['序号'],
  remark: ['备注'],
  score: ['分值'],
  weight: ['权重', '权重(%)'],
  unit: ['计量单位', '单位', '度量单位'],
  explain: ['指标解释', '*指标解释'],
  criteria: ['*评(扣)分标准', '评分细则(150字内)', '评（扣）分标准'],
  valueType: ['指标值类型'],
  standard: ['绩效标准'],
} as const;
export type ExtraColumn = Exclude<keyof typeof HEADER_EXTRA, 'seq' | 'unit'>;
export const EXTRA_COLUMNS: readonly ExtraColumn[] = ['remark', 'score', 'weight', 'explain', 'criteria', 'valueType', 'standard'];

/** LABELS.md "block labels": the merged cell left of a one-horizon (annual) table. */
export const BLOCK_LABEL: readonly string[] = ['绩效指标', '年度绩效指标', '项目年度绩效目标衡量指标'];
/** Stacked 长期 / 年度 blocks: the label is the only thing that says which horizon a block is. */
export const STACKED_PERIOD_LABEL: readonly string[] = ['长期绩效指标', '中长期绩效指标', '实施期绩效指标'];
export const STACKED_ANNUAL_LABEL: readonly string[] = ['年度绩效指标'];

/** Review and signature rows inside the table (LABELS.md "other traps"); never indicators. */
export const REVIEW_ROWS: readonly (readonly string[])[] = [
  ['审核意见', '（盖章）', '年 月 日'],
  ['主管部门审核意见', '', '（盖章）  年  月  日'],
  ['财政部门审核意见', '', '', '年 月 日'],
];

// ------------------------------------------------------------------ head fields

export const HEAD_PROJECT_NAME: readonly string[] = ['项目名称', '专项名称', '专项(项目)名称', '专项（项目）名称', '项目 名称', '项目支出名称', '资金名称'];
/** Agency: the contract's 填报单位 / 实施单位 / 单位名称 / 项目执行单位 and LABELS.md's 预算单位, 部门(单位)名称. */
export const HEAD_AGENCY: readonly string[] = ['实施单位', '预算单位', '填报单位', '部门(单位)名称', '单位名称', '项目执行单位'];
/** The agency as a line of its own above the head (`填报单位（盖章）：…`). */
export const AGENCY_LINE: readonly string[] = ['填报单位：', '填报单位（盖章）：', '填报单位(盖章):', '预算单位：'];
export const HEAD_SUPERVISING: readonly string[] = ['主管部门', '项目主管部门', '主管预算部门', '主管部门及代码', '主管部门(单位)名称', '区级主管部门'];
export const HEAD_MANAGER: readonly string[] = ['项目负责人', '项目经办人'];
export const HEAD_PHONE: readonly string[] = ['联系电话'];
/** This year's amount (CONTRACT.md annual_budget_yuan, LABELS.md funding labels). */
export const HEAD_ANNUAL: readonly string[] = ['年度资金总额', '项目预算金额', '年度预算资金总额', '年度金额', '项目当年预算', '项目申报金额', '年度预算金额'];
/** Annual labels that only read as annual when the form prints no mid-term amount beside them. */
export const HEAD_ANNUAL_SOLE: readonly string[] = ['资金总额', '项目总额'];
export const HEAD_PERIOD: readonly string[] = ['中期资金总额', '实施期资金总额', '项目总预算', '中期预算资金总额'];
/** The label of a 资金情况 block whose rows hold the amounts (`资金情况(万元) ⇥ 年度资金总额: ⇥ 50`). */
export const MONEY_BLOCK: readonly string[] = ['资金情况', '项目资金', '资金情况 '];
export const FUNDING_FISCAL = '其中：财政拨款';
export const FUNDING_OTHER = '其他资金';
export const UNIT_BRACKETS: readonly ((unit: string) => string)[] = [(u) => `（${u}）`, (u) => `(${u})`, (u) => ` (${u})`];
export const UNIT_LINE: readonly ((unit: string) => string)[] = [(u) => `金额单位：${u}`, (u) => `单位：${u}`, (u) => `单位:${u}`];

export const HEAD_ATTRIBUTE: readonly string[] = ['项目属性'];
export const ATTRIBUTE_VALUES: readonly string[] = ['经常性项目', '一次性项目', '新增项目', '延续项目'];
export const HEAD_TERM: readonly string[] = ['项目期限', '项目起止时间'];
export const GOAL_ANNUAL: readonly string[] = ['年度目标', '年度绩效目标', '年度总体目标'];
export const GOAL_PERIOD: readonly string[] = ['中长期目标', '实施期目标', '长期目标', '中期目标'];

// ------------------------------------------------------------------ titles

/** Generic titles (none of the five seed families'); `{Y}` the year, `{R}` the region, `{D}` a department. */
export const TITLES = {
  regionYear: ['{R}{Y}年度部门预算项目绩效目标表'],
  yearFirst: ['{Y}年项目支出绩效目标申报表'],
  yearNextLine: ['项目绩效目标申报表', '（{Y}年度）'],
  yearNextLineSpaced: ['项目支出绩效目标表', '({Y} 年度)'],
  yearMiddle: ['{R}本级{Y}年度项目支出绩效目标表'],
  approval: ['{Y}年度{R}项目绩效目标审批表'],
  department: ['{R}{D}{Y}年度项目绩效目标表'],
} as const;
export type TitleStyle = keyof typeof TITLES;

// ------------------------------------------------------------------ values (CONTRACT.md table, LABELS.md "value formats")

/** Comparator spellings: Unicode signs, ASCII, and the rarer ≧ / full-width forms. */
export const SIGNS: Record<'unicode' | 'ascii' | 'alt', Record<Comparator, readonly string[]>> = {
  unicode: { '>=': ['≥'], '<=': ['≤'], '>': ['>'], '<': ['<'], '=': ['='] },
  ascii: { '>=': ['>='], '<=': ['<='], '>': ['>'], '<': ['<'], '=': ['='] },
  alt: { '>=': ['≧', '＞＝'], '<=': ['≦'], '>': ['＞'], '<': ['＜'], '=': ['＝'] },
};

/** Spelled-out comparators before the number; README: 达 / 达到 read as `>=`. */
export const COMPARATOR_WORDS: Record<Exclude<Comparator, '='>, readonly string[]> = {
  '>=': ['大于等于', '不低于', '不少于', '达到', '达'],
  '<=': ['小于等于', '不超过', '不高于'],
  '>': ['大于', '超过', '高于'],
  '<': ['小于', '低于'],
};

/** Words after the number and unit; README: 以内 / 内 read as `<=`. `内` only after a time unit. */
export const COMPARATOR_SUFFIXES: Record<'>=' | '<=', readonly string[]> = {
  '>=': ['以上', '及以上'],
  '<=': ['以内', '以下', '及以下'],
};

/** CONTRACT.md: `$\geq 95\%$`. */
export const LATEX_SIGNS: Partial<Record<Comparator, string>> = { '>=': '\\geq', '<=': '\\leq' };

/** CONTRACT.md: `《=2500万` is a typo for ≤. */
export const TYPO_LESS_EQUAL = '《=';

/** LABELS.md qualitative words and the contract's `及时`, `程度较高`: no number, empty comparator. */
export const QUALITATIVE_WORDS: readonly string[] = [
  '及时', '程度较高', '按计划实施', '有效提升', '优良', '较高', '长期', '影响程度明显', '应保尽保', '按月安排',
  '明显提升', '基本建立', '持续完善', '逐步改善', '控制在预算内', '不超预算', '良好', '合格', '按时完成', '显著提高',
];

// ------------------------------------------------------------------ OCR misreads

/**
 * One-character confusions seen in OCR'd forms (坝目 for 项目, 指标伹, 三级指杯, 二圾指标 in the dev
 * set) and a few more of the same kind: a character read as one of like shape. None of them turns a
 * label into another label.
 */
export const CONFUSIONS: Record<string, readonly string[]> = {
  值: ['伹'], 标: ['杯', '栎'], 级: ['圾', '級'], 项: ['坝', '顶'], 指: ['措', '拍'], 名: ['各'], 称: ['秤'],
  目: ['日'], 管: ['菅'], 位: ['住'], 单: ['単'], 金: ['全'], 期: ['朗'], 度: ['庋'], 时: ['吋'], 本: ['木'],
  人: ['入'], 主: ['王'], 负: ['贞'], 责: ['贵'], 算: ['箅'], 额: ['頟'],
};
