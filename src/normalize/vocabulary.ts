// Every printed label the forms use outside the indicator table's header (that one is the role
// schema in table/roles.ts), one spelling a line: head fields, money, funding, goals, agencies,
// people, levels, blocks and the rows that end a table. Built from the seeds and from the variants
// read off real forms of other provinces. A new synonym is one line here; spellings are compared
// after folding (width, spaces, traditional forms) with brackets and list numbers removed, so
// `项目资金（万元）：` is `项目资金` with the unit 万元. Within one meaning, earlier lines win when a
// form prints several (the contract's order for agencies and budgets).
import type { Horizon, Level1, Level2, Project } from '../model/schema.js';

/** Project fields a label can fill directly (money, ranges and weights get parsed by the caller). */
export type FieldKey =
  | Exclude<keyof Project, 'indicators' | 'cost_items' | 'funding' | 'ordinal' | 'variant' | 'source_ref' | 'annual_budget_yuan' | 'period_budget_yuan' | 'execution_weight_pct' | 'period_start' | 'period_end' | 'period_label' | 'fiscal_year' | 'province' | 'region' | 'form_title'>
  | 'annual_budget' | 'period_budget' | 'execution_weight' | 'period_range' | 'money_unit';

export type Meaning =
  | { kind: 'field'; key: FieldKey }
  | { kind: 'goal'; horizon: 'annual' | 'period' | 'block' }
  | { kind: 'level1'; key: Level1 }
  | { kind: 'level2'; key: Level2; folded?: string }
  /** A label above the levels: `绩效指标`, `年度绩效指标` (a stacked block of one horizon). */
  | { kind: 'block'; horizon: Horizon | null }
  | { kind: 'funding'; key: string }
  | { kind: 'funding-total' }
  | { kind: 'cost-block' }
  /** Review, signature and date rows: a table ends where they start. */
  | { kind: 'review' }
  /** Labels that carry no value of their own (block headings, column captions of the head). */
  | { kind: 'ignore' };

const field = (key: FieldKey): Meaning => ({ kind: 'field', key });
const goal = (horizon: 'annual' | 'period' | 'block'): Meaning => ({ kind: 'goal', horizon });
const l1 = (key: Level1): Meaning => ({ kind: 'level1', key });
const l2 = (key: Level2, folded?: string): Meaning => (folded ? { kind: 'level2', key, folded } : { kind: 'level2', key });
const block = (horizon: Horizon | null): Meaning => ({ kind: 'block', horizon });
const funding = (key: string): Meaning => ({ kind: 'funding', key });
const FUNDING_TOTAL: Meaning = { kind: 'funding-total' };
const COST_BLOCK: Meaning = { kind: 'cost-block' };
const REVIEW: Meaning = { kind: 'review' };
const IGNORE: Meaning = { kind: 'ignore' };

export const VOCABULARY: readonly (readonly [string, Meaning])[] = [
  // project
  ['项目名称', field('project_name')],
  ['项目支出名称', field('project_name')],
  ['专项名称', field('project_name')],
  ['专项项目名称', field('project_name')],
  ['资金名称', field('project_name')],
  ['项目代码', field('project_code')],
  ['项目编码', field('project_code')],
  ['项目编号', field('project_code')],
  ['项目属性', field('project_attribute')],
  ['项目类型', field('project_type')],
  ['项目类别', field('project_type')],
  ['项目分类', field('project_type')],
  ['考核级次', field('assessment_level')],
  ['功能科目编码', field('function_code')],
  ['功能科目代码', field('function_code')],
  ['支出功能分类科目编码', field('function_code')],
  ['科目名称', field('function_name')],
  ['功能科目名称', field('function_name')],
  ['项目概况', field('overview')],
  ['职能职责与活动', field('overview')],
  ['项目主要内容', field('overview')],
  ['项目内容', field('overview')],
  ['项目起止时间', field('period_range')],
  ['项目起止日期', field('period_range')],
  ['项目实施期', field('period_range')],
  ['项目期限', field('period_range')],
  ['项目期', field('period_range')],
  ['项目周期', field('period_range')],
  ['实施期限', field('period_range')],
  ['实施周期', field('period_range')],
  ['预算执行率权重', field('execution_weight')],
  // agencies: the contract's order first (填报单位 / 实施单位 / 单位名称 / 单位信息 / 项目执行单位)
  ['填报单位', field('agency')],
  ['实施单位', field('agency')],
  ['项目实施单位', field('agency')],
  ['单位名称', field('agency')],
  ['单位信息', field('agency')],
  ['项目执行单位', field('agency')],
  ['预算单位', field('agency')],
  ['部门名称', field('agency')],
  ['申报单位', field('agency')],
  ['项目单位', field('agency')],
  ['执行单位', field('agency')],
  ['用款单位', field('agency')],
  ['预算部门', field('agency')],
  ['下达地方或单位', field('agency')],
  ['主管部门', field('supervising_agency')],
  ['项目主管部门', field('supervising_agency')],
  ['主管单位', field('supervising_agency')],
  ['主管预算部门', field('supervising_agency')],
  ['主管部门及代码', field('supervising_agency')],
  ['主管部门名称', field('supervising_agency')],
  ['区级主管部门', field('supervising_agency')],
  ['区县主管部门', field('supervising_agency')],
  ['县级主管部门', field('supervising_agency')],
  ['市级主管部门', field('supervising_agency')],
  ['省级主管部门', field('supervising_agency')],
  ['中央主管部门', field('supervising_agency')],
  // people
  ['项目负责人', field('manager')],
  ['项目经办人', field('manager')],
  ['项目负责人及电话', field('manager')],
  ['项目负责人及联系电话', field('manager')],
  ['项目责任人', field('manager')],
  ['项目联系人', field('manager')],
  ['联系电话', field('manager_phone')],
  ['经办人电话', field('manager_phone')],
  ['负责人电话', field('manager_phone')],
  ['联系人电话', field('manager_phone')],
  // money: this year's amount, then the whole period's
  ['项目当年预算', field('annual_budget')],
  ['年度资金总额', field('annual_budget')],
  ['年度预算资金总额', field('annual_budget')],
  ['项目预算金额', field('annual_budget')],
  ['年度预算金额', field('annual_budget')],
  ['当年年度预算', field('annual_budget')],
  ['年度资金申请总额', field('annual_budget')],
  ['项目申报金额', field('annual_budget')],
  ['项目资金申请', field('annual_budget')],
  ['项目申请金额', field('annual_budget')],
  ['项目总额', field('annual_budget')],
  ['项目金额', field('annual_budget')],
  ['年度金额', field('annual_budget')],
  ['本年预算', field('annual_budget')],
  ['本年度预算', field('annual_budget')],
  ['年度预算', field('annual_budget')],
  ['年度预算数', field('annual_budget')],
  ['本年预算数', field('annual_budget')],
  ['本年度资金', field('annual_budget')],
  ['年度资金', field('annual_budget')],
  ['申请金额', field('annual_budget')],
  ['本年申请金额', field('annual_budget')],
  ['下达中央预算内投资', field('annual_budget')],
  ['资金总额', field('annual_budget')],
  ['项目资金', field('annual_budget')],
  ['中期资金总额', field('period_budget')],
  ['中期预算资金总额', field('period_budget')],
  ['实施期资金总额', field('period_budget')],
  ['项目总预算', field('period_budget')],
  ['单位', field('money_unit')],
  ['资金单位', field('money_unit')],
  ['金额单位', field('money_unit')],
  // goals
  ['年度目标', goal('annual')],
  ['整体目标', goal('annual')],
  ['年度绩效目标', goal('annual')],
  ['本年度目标', goal('annual')],
  ['当年绩效目标', goal('annual')],
  ['项目当年绩效目标', goal('annual')],
  ['年度总体绩效目标', goal('annual')],
  ['年度总体目标', goal('annual')],
  ['项目绩效总目标', goal('period')],
  ['实施期目标', goal('period')],
  ['实施期绩效目标', goal('period')],
  ['中长期目标', goal('period')],
  ['长期目标', goal('period')],
  ['中期目标', goal('period')],
  ['中期滚动目标', goal('period')],
  ['中期绩效目标', goal('period')],
  ['项目中期规划绩效目标', goal('period')],
  ['总体目标', goal('block')],
  ['绩效目标', goal('block')],
  // levels as printed; level 1 of a level 2 is the taxonomy's, whatever the form prints
  ['产出指标', l1('产出指标')],
  ['效益指标', l1('效益指标')],
  ['效果指标', l1('效益指标')],
  ['满意度指标', l1('满意度指标')],
  ['数量指标', l2('数量指标')],
  ['数量目标', l2('数量指标')],
  ['质量指标', l2('质量指标')],
  ['质量目标', l2('质量指标')],
  ['时效指标', l2('时效指标')],
  ['时效性', l2('时效指标')],
  ['时效性指标', l2('时效指标')],
  ['时效目标', l2('时效指标')],
  ['成本指标', l2('成本指标')],
  ['成本目标', l2('成本指标')],
  ['经济成本指标', l2('成本指标', '经济成本指标')],
  ['社会成本指标', l2('成本指标', '社会成本指标')],
  ['生态环境成本指标', l2('成本指标', '生态环境成本指标')],
  ['环境成本指标', l2('成本指标', '环境成本指标')],
  ['经济效益指标', l2('经济效益指标')],
  ['经济效益', l2('经济效益指标')],
  ['社会效益指标', l2('社会效益指标')],
  ['社会效益', l2('社会效益指标')],
  ['社会效益目标', l2('社会效益指标')],
  ['生态效益指标', l2('生态效益指标')],
  ['生态效益', l2('生态效益指标')],
  ['环境效益指标', l2('生态效益指标')],
  ['生态环境效益指标', l2('生态效益指标')],
  ['可持续影响指标', l2('可持续影响指标')],
  ['可持续影响', l2('可持续影响指标')],
  ['可持续发展指标', l2('可持续影响指标')],
  ['可持续性影响指标', l2('可持续影响指标')],
  ['服务对象满意度指标', l2('服务对象满意度指标')],
  ['服务对象满意度', l2('服务对象满意度指标')],
  ['服务对象满意', l2('服务对象满意度指标')],
  ['社会公众或服务对象满意度指标', l2('服务对象满意度指标')],
  ['社会公众或服务对象满意度', l2('服务对象满意度指标')],
  ['满意度', l2('服务对象满意度指标')],
  // blocks above the levels
  ['绩效指标', block(null)],
  ['项目绩效指标', block(null)],
  ['实施效果指标', block(null)],
  ['年度绩效指标', block('annual')],
  ['项目年度绩效指标', block('annual')],
  ['本年度绩效指标', block('annual')],
  ['项目年度绩效目标衡量指标', block('annual')],
  ['年度指标', block('annual')],
  ['长期绩效指标', block('period')],
  ['中长期绩效指标', block('period')],
  ['中期绩效指标', block('period')],
  ['实施期绩效指标', block('period')],
  ['长期指标', block('period')],
  // funding sources
  ['合计', FUNDING_TOTAL],
  ['总计', FUNDING_TOTAL],
  ['财政拨款', funding('财政拨款')],
  ['财政资金', funding('财政拨款')],
  ['一般公共预算财政拨款收入', funding('财政拨款')],
  ['一般公共预算财政拨款', funding('财政拨款')],
  ['一般公共预算', funding('财政拨款')],
  ['财政拨款收入', funding('财政拨款')],
  ['财政专户管理资金', funding('财政专户管理资金')],
  ['单位资金', funding('单位资金')],
  ['单位自有资金', funding('单位资金')],
  ['自有资金', funding('单位资金')],
  ['社会投入资金', funding('社会投入资金')],
  ['银行贷款', funding('银行贷款')],
  ['政府性基金', funding('政府性基金')],
  ['政府性基金预算财政拨款收入', funding('政府性基金')],
  ['政府性基金预算财政拨款', funding('政府性基金')],
  ['上年结转', funding('上年结转')],
  ['上年结转资金', funding('上年结转')],
  ['上年结转结余', funding('上年结转')],
  ['中央补助', funding('中央补助')],
  ['中央补助资金', funding('中央补助')],
  ['地方资金', funding('地方资金')],
  ['事业收入', funding('事业收入')],
  ['上级补助收入', funding('上级补助收入')],
  ['附属单位上缴收入', funding('附属单位上缴收入')],
  ['事业单位经营收入', funding('事业单位经营收入')],
  ['用事业基金弥补收支差额', funding('用事业基金弥补收支差额')],
  ['其他收入', funding('其他收入')],
  ['其他资金', funding('其他资金')],
  // cost detail blocks
  ['项目支出明细', COST_BLOCK],
  ['项目支出预算及测算依据', COST_BLOCK],
  ['明细预算', COST_BLOCK],
  ['支出明细', COST_BLOCK],
  // review and signature rows
  ['审核意见', REVIEW],
  ['财政部门审核意见', REVIEW],
  ['主管部门审核意见', REVIEW],
  ['部门审核意见', REVIEW],
  ['财政审核意见', REVIEW],
  ['单位负责人', REVIEW],
  ['填报人', REVIEW],
  ['填报日期', REVIEW],
  ['审核人', REVIEW],
  ['制表人', REVIEW],
  ['盖章', REVIEW],
  ['签字', REVIEW],
  ['年月日', REVIEW],
  // captions with no value of their own
  ['项目申请理由', IGNORE],
  ['项目前两年预算及当年预算变动情况', IGNORE],
  ['测算依据及说明', IGNORE],
  ['项目资金来源', IGNORE],
  ['资金来源项目', IGNORE],
  ['资金来源', IGNORE],
  ['资金情况', IGNORE],
  ['金额', IGNORE],
  ['其中', IGNORE],
];

/** Level 2 → level 1: the standard taxonomy fixes the parent, whatever the form prints. */
export const LEVEL1_OF: Record<Level2, Level1> = {
  数量指标: '产出指标', 质量指标: '产出指标', 时效指标: '产出指标', 成本指标: '产出指标',
  经济效益指标: '效益指标', 社会效益指标: '效益指标', 生态效益指标: '效益指标', 可持续影响指标: '效益指标',
  服务对象满意度指标: '满意度指标',
};

/** A level 1 with one level 2 only: a level-1 label printed where a level 2 goes says both. */
export const ONLY_LEVEL2_OF: Partial<Record<Level1, Level2>> = { 满意度指标: '服务对象满意度指标' };

/**
 * Fragments a page break or a narrow column leaves of a level label. Each stands for the whole
 * label, and only where a level is expected.
 */
export const LEVEL2_FRAGMENTS: Record<string, Level2> = {
  可持续: '可持续影响指标',
  影响指标: '可持续影响指标',
  服务对象: '服务对象满意度指标',
};
