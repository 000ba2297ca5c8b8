// The one label dictionary every normalizer shares: the printed labels of the forms, what they
// mean, and a matcher that tolerates the layout and OCR noise the archive is full of
// (`坝目绩效总目标` is `项目绩效总目标`, `产出 指标` is `产出指标`, `财政资` cut short is `财政资金`).
import type { Level1, Level2, Project } from '../model/schema.js';
import { editDistance, fold } from '../text/fold.js';

/** Project fields a label can fill directly (money and ranges get parsed by the caller). */
export type FieldKey =
  | Exclude<keyof Project, 'indicators' | 'cost_items' | 'funding' | 'ordinal' | 'variant' | 'source_ref' | 'annual_budget_yuan' | 'period_budget_yuan' | 'execution_weight_pct' | 'period_start' | 'period_end' | 'period_label' | 'fiscal_year' | 'province' | 'region' | 'form_title'>
  | 'annual_budget' | 'period_budget' | 'execution_weight' | 'period_range' | 'money_unit';

export type ColumnRole =
  | 'level1' | 'level2' | 'name' | 'value' | 'period_value' | 'annual_value'
  | 'nature' | 'unit' | 'weight' | 'direction' | 'note';

export type LabelEntry =
  | { kind: 'field'; key: FieldKey; labels: string[] }
  | { kind: 'goal'; horizon: 'annual' | 'period' | 'block'; labels: string[] }
  | { kind: 'level1'; key: Level1; labels: string[] }
  | { kind: 'level2'; key: Level2; labels: string[] }
  | { kind: 'column'; key: ColumnRole; labels: string[] }
  | { kind: 'funding'; key: string; labels: string[] }
  | { kind: 'funding-total'; labels: string[] }
  | { kind: 'cost-block'; labels: string[] }
  | { kind: 'ignore'; labels: string[] };

export type LabelKind = LabelEntry['kind'];

/** Level-2 → level-1: the standard taxonomy fixes the parent, whatever the form prints. */
export const LEVEL1_OF: Record<Level2, Level1> = {
  数量指标: '产出指标', 质量指标: '产出指标', 时效指标: '产出指标', 成本指标: '产出指标',
  经济效益指标: '效益指标', 社会效益指标: '效益指标', 生态效益指标: '效益指标', 可持续影响指标: '效益指标',
  服务对象满意度指标: '满意度指标',
};

// Agency labels in the contract's order of preference.
export const AGENCY_PRIORITY = ['填报单位', '实施单位', '项目实施单位', '单位名称', '单位信息', '项目执行单位'];

export const DICTIONARY: LabelEntry[] = [
  { kind: 'field', key: 'project_name', labels: ['项目名称'] },
  { kind: 'field', key: 'project_code', labels: ['项目代码', '项目编码', '项目编号'] },
  { kind: 'field', key: 'project_attribute', labels: ['项目属性'] },
  { kind: 'field', key: 'project_type', labels: ['项目类型', '项目类别'] },
  { kind: 'field', key: 'agency', labels: AGENCY_PRIORITY },
  { kind: 'field', key: 'supervising_agency', labels: ['主管部门', '项目主管部门', '主管单位'] },
  { kind: 'field', key: 'assessment_level', labels: ['考核级次'] },
  { kind: 'field', key: 'function_code', labels: ['功能科目编码', '功能科目代码', '支出功能分类科目编码'] },
  { kind: 'field', key: 'function_name', labels: ['科目名称', '功能科目名称'] },
  { kind: 'field', key: 'annual_budget', labels: ['项目预算金额', '年度资金总额', '项目总额', '项目当年预算', '年度预算金额', '本年预算'] },
  { kind: 'field', key: 'period_budget', labels: ['中期资金总额', '实施期资金总额', '项目总预算'] },
  { kind: 'field', key: 'period_range', labels: ['项目起止时间', '项目实施期', '项目期限', '实施期限'] },
  { kind: 'field', key: 'manager', labels: ['项目负责人', '项目经办人'] },
  { kind: 'field', key: 'manager_phone', labels: ['联系电话', '经办人电话', '负责人电话'] },
  { kind: 'field', key: 'overview', labels: ['项目概况', '职能职责与活动', '项目主要内容', '项目内容'] },
  { kind: 'field', key: 'execution_weight', labels: ['预算执行率权重'] },
  { kind: 'field', key: 'money_unit', labels: ['单位', '资金单位', '金额单位'] },
  { kind: 'goal', horizon: 'annual', labels: ['年度目标', '整体目标', '年度绩效目标', '本年度目标'] },
  { kind: 'goal', horizon: 'period', labels: ['项目绩效总目标', '实施期目标', '中长期目标', '实施期绩效目标'] },
  { kind: 'goal', horizon: 'block', labels: ['总体目标', '绩效目标'] },
  { kind: 'level1', key: '产出指标', labels: ['产出指标'] },
  { kind: 'level1', key: '效益指标', labels: ['效益指标'] },
  { kind: 'level1', key: '满意度指标', labels: ['满意度指标'] },
  { kind: 'level2', key: '数量指标', labels: ['数量指标'] },
  { kind: 'level2', key: '质量指标', labels: ['质量指标'] },
  { kind: 'level2', key: '时效指标', labels: ['时效指标', '时效性', '时效性指标'] },
  { kind: 'level2', key: '成本指标', labels: ['成本指标'] },
  { kind: 'level2', key: '经济效益指标', labels: ['经济效益指标', '经济效益'] },
  { kind: 'level2', key: '社会效益指标', labels: ['社会效益指标', '社会效益'] },
  { kind: 'level2', key: '生态效益指标', labels: ['生态效益指标', '生态效益'] },
  { kind: 'level2', key: '可持续影响指标', labels: ['可持续影响指标', '可持续发展指标', '可持续性影响指标', '可持续影响'] },
  { kind: 'level2', key: '服务对象满意度指标', labels: ['服务对象满意度指标', '服务对象满意度', '服务对象满意'] },
  { kind: 'column', key: 'level1', labels: ['一级指标'] },
  { kind: 'column', key: 'level2', labels: ['二级指标'] },
  { kind: 'column', key: 'name', labels: ['三级指标', '指标名称', '指标内容', '绩效指标名称'] },
  { kind: 'column', key: 'value', labels: ['指标值', '指标值(包含数字及文字描述)', '目标值', '年度指标值', '绩效指标值'] },
  { kind: 'column', key: 'period_value', labels: ['中长期指标值', '实施期指标值'] },
  { kind: 'column', key: 'annual_value', labels: ['本年度指标值'] },
  { kind: 'column', key: 'nature', labels: ['指标性质'] },
  { kind: 'column', key: 'unit', labels: ['度量单位', '计量单位'] },
  { kind: 'column', key: 'weight', labels: ['权重', '权重(%)', '分值'] },
  { kind: 'column', key: 'direction', labels: ['指标方向性', '指标方向'] },
  { kind: 'column', key: 'note', labels: ['备注'] },
  { kind: 'funding-total', labels: ['合计', '总计', '资金总额'] },
  { kind: 'funding', key: '财政拨款', labels: ['财政拨款', '财政资金', '一般公共预算财政拨款收入', '一般公共预算财政拨款', '财政拨款收入'] },
  { kind: 'funding', key: '财政专户管理资金', labels: ['财政专户管理资金'] },
  { kind: 'funding', key: '单位资金', labels: ['单位资金', '单位自有资金'] },
  { kind: 'funding', key: '社会投入资金', labels: ['社会投入资金'] },
  { kind: 'funding', key: '银行贷款', labels: ['银行贷款'] },
  { kind: 'funding', key: '政府性基金', labels: ['政府性基金', '政府性基金预算财政拨款收入', '政府性基金预算财政拨款'] },
  { kind: 'funding', key: '上年结转', labels: ['上年结转', '上年结转结余'] },
  { kind: 'funding', key: '事业收入', labels: ['事业收入'] },
  { kind: 'funding', key: '上级补助收入', labels: ['上级补助收入'] },
  { kind: 'funding', key: '附属单位上缴收入', labels: ['附属单位上缴收入'] },
  { kind: 'funding', key: '事业单位经营收入', labels: ['事业单位经营收入'] },
  { kind: 'funding', key: '用事业基金弥补收支差额', labels: ['用事业基金弥补收支差额'] },
  { kind: 'funding', key: '其他收入', labels: ['其他收入'] },
  { kind: 'funding', key: '其他资金', labels: ['其他资金'] },
  { kind: 'cost-block', labels: ['项目支出明细', '项目支出预算及测算依据', '明细预算', '支出明细'] },
  {
    kind: 'ignore',
    labels: [
      '单位负责人', '填报人', '填报日期', '项目申请理由', '项目前两年预算及当年预算变动情况', '测算依据及说明',
      '绩效指标', '项目年度绩效指标', '年度绩效指标', '项目资金', '项目资金来源', '资金来源项目', '资金来源', '金额', '其中',
      '审核意见', '财政部门审核意见', '主管部门审核意见',
    ],
  },
];

/**
 * Fragments a page break or a narrow column leaves of a label. Each stands for the whole label,
 * and only where the caller expects an indicator level.
 */
const LEVEL2_FRAGMENTS: Record<string, Level2> = {
  可持续: '可持续影响指标',
  影响指标: '可持续影响指标',
  服务对象: '服务对象满意度指标',
};

export interface LabelHit {
  entry: LabelEntry;
  /** The dictionary spelling the text was matched to. */
  label: string;
  how: 'exact' | 'fuzzy' | 'fragment' | 'prefix';
  /** Text in brackets after the label (`项目资金(万元)` → `万元`), for units. */
  bracket: string | null;
}

export const MATCH_SETTINGS = {
  /** Shortest folded label that may be matched with one edit. */
  minLenOneEdit: 4,
  /** Shortest folded label that may be matched with two edits. */
  minLenTwoEdits: 8,
  /** A cut-short funding label must keep at least this share of the label (or be unambiguous). */
  minPrefixShare: 0.6,
  /** … and at least this many characters. */
  minPrefixLength: 3,
} as const;

/** `项目资金 (万元)：` → key `项目资金`, bracket `万元`; list numbers (`1.`, `（一）`) dropped. */
export function labelKey(text: string): { key: string; bracket: string | null } {
  let f = fold(text).replace(/[:;,.、。]+$/, '');
  let bracket: string | null = null;
  // OCR mixes bracket shapes (`指标值《包含数字及文字描述)`): any opener with any closer.
  f = f.replace(/[(《〈【\[]([^()《》〈〉【】\[\]]*)[)》〉】\]]/g, (_m, inner: string) => {
    bracket ??= inner;
    return '';
  });
  // A list number OCR read as a stroke (`1.一般公共…` → `|一般公共…`) goes with the numbers.
  f = f.replace(/^(?:\d+[.、]|(?:[|!]\.?|[lI]\.)(?=[\u3400-\u9fff])|\(?[一二三四五六七八九十]+[)、.])/, '').replace(/^其中:?/, (m) => (f.length > m.length ? '' : m));
  return { key: f.replace(/[:]+$/, ''), bracket };
}

interface IndexEntry { label: string; folded: string; entry: LabelEntry }
const INDEX: IndexEntry[] = DICTIONARY.flatMap((entry) => entry.labels.map((label) => ({ label, folded: labelKey(label).key, entry })));
const EXACT = new Map<string, IndexEntry[]>();
for (const e of INDEX) EXACT.set(e.folded, [...(EXACT.get(e.folded) ?? []), e]);

const cache = new Map<string, LabelHit[]>();
const CACHE_LIMIT = 20_000;

/**
 * Every reading of a cell as a label, best first. Exact spellings (after folding) beat fragments,
 * fragments beat one-edit repairs. Long text is never a label, so prose costs one length check.
 */
export function labelHits(text: string): LabelHit[] {
  // Forms repeat their labels on every page, and most cells are read more than once: the raw
  // text is the cheapest key. Prose is longer than any label even with layout spaces.
  if (text.length > MAX_LABEL_TEXT) return [];
  const seen = rawCache.get(text);
  if (seen) return seen;
  // Cell texts are slices of the whole decoded file: a cache keyed by them would keep every
  // document it ever saw alive. Keys and stored strings are flat copies.
  const key = flatCopy(text);
  const hits = computeHits(key);
  if (rawCache.size > CACHE_LIMIT) rawCache.clear();
  rawCache.set(key, hits);
  return hits;
}

const MAX_LABEL_TEXT = 48;

function flatCopy(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}
const rawCache = new Map<string, LabelHit[]>();

function computeHits(text: string): LabelHit[] {
  const { key, bracket } = labelKey(text);
  if (key.length === 0 || key.length > 24) return [];
  const cached = cache.get(key);
  if (cached) return cached.map((h) => ({ ...h, bracket }));
  const hits: LabelHit[] = [];
  for (const e of EXACT.get(key) ?? []) hits.push({ entry: e.entry, label: e.label, how: 'exact', bracket });
  if (hits.length === 0) {
    const frag = LEVEL2_FRAGMENTS[key];
    if (frag) {
      const e = INDEX.find((x) => x.entry.kind === 'level2' && x.entry.key === frag)!;
      hits.push({ entry: e.entry, label: e.label, how: 'fragment', bracket });
    }
  }
  if (hits.length === 0 && key.length >= MATCH_SETTINGS.minLenOneEdit) {
    let best = 99;
    let bestHits: IndexEntry[] = [];
    for (const e of INDEX) {
      if (e.folded.length < MATCH_SETTINGS.minLenOneEdit) continue;
      const max = e.folded.length >= MATCH_SETTINGS.minLenTwoEdits ? 2 : 1;
      const d = editDistance(key, e.folded, max);
      if (d > max || d > best) continue;
      if (d < best) { best = d; bestHits = []; }
      bestHits.push(e);
    }
    // Several meanings equally close (`可目名称`: 项目名称 or 科目名称): the dictionary lists the
    // labels every form prints before the rarer ones, so the first is the likelier reading.
    const first = bestHits[0];
    if (first) hits.push({ entry: first.entry, label: first.label, how: 'fuzzy', bracket });
  }
  if (hits.length === 0 && key.length >= MATCH_SETTINGS.minPrefixLength) {
    // A funding label cut short by a narrow cell: taken when enough of it is left, or when only
    // one funding label starts that way (`财政专` can only be 财政专户管理资金).
    const starts = INDEX.filter((e) => e.entry.kind === 'funding' && e.folded.startsWith(key));
    const meanings = new Set(starts.map((e) => e.entry));
    const best = starts.find((e) => key.length / e.folded.length >= MATCH_SETTINGS.minPrefixShare) ?? (meanings.size === 1 ? starts[0] : undefined);
    if (best) hits.push({ entry: best.entry, label: best.label, how: 'prefix', bracket });
  }
  if (cache.size > CACHE_LIMIT) cache.clear();
  cache.set(key, hits);
  return hits;
}

export function matchLabel(text: string, kinds?: readonly LabelKind[]): LabelHit | null {
  const hits = labelHits(text);
  if (!kinds) return hits[0] ?? null;
  return hits.find((h) => kinds.includes(h.entry.kind)) ?? null;
}

/** `填报单位(盖章)：绵阳市…` → the label hit and the printed value after the colon. */
export function splitInlineLabel(text: string, kinds: readonly LabelKind[]): { hit: LabelHit; value: string } | null {
  const m = /^([^:：]{1,24})[:：]\s*(.*)$/s.exec(text.trim());
  if (!m) return null;
  const hit = matchLabel(m[1]!, kinds);
  return hit ? { hit, value: m[2]!.trim() } : null;
}

export function isRepair(hit: LabelHit): boolean {
  return hit.how === 'fuzzy' || hit.how === 'prefix';
}
