// What a cell of an indicator table holds, as far as its column is concerned: a level label, a
// row number, a comparator, a unit, a target, a name. Read once per distinct text; the role
// schema (roles.ts) weighs these features against each column.
import { fold, tidy } from '../../text/fold.js';
import type { Level1, Level2 } from '../../model/schema.js';
import type { Horizon } from '../../model/schema.js';
import type { Row } from '../../extract/rows.js';
import { nonEmptyCells } from '../forms.js';
import { labelHits, type LabelHit } from '../labels.js';
import { factsOf } from '../rowFacts.js';
import { KNOWN_UNITS, isKnownNature, parseTarget, toNumber } from '../values.js';

export interface CellFeatures {
  text: string;
  length: number;
  /** A level label (exact, fragment or misread), with the reading. */
  level: { kind: 'level1'; key: Level1; hit: LabelHit } | { kind: 'level2'; key: Level2; hit: LabelHit } | null;
  /**
   * Where no level label reads, one a short text misreads by a character (`吋效性`): a level only
   * where a level is expected, in a level column.
   */
  looseLevel: CellFeatures['level'];
  /** A block label above the levels (`绩效指标`, `年度绩效指标`). */
  block: { horizon: Horizon | null; hit: LabelHit } | null;
  /** A review or signature caption (`审核意见`, `（盖章）`, `年 月 日`). */
  review: boolean;
  /** A row number: `3`, `3.`, `（三）`, `三`. */
  seq: boolean;
  number: boolean;
  percentNumber: boolean;
  /** Only a comparator or a 指标性质 word: `≥`, `等于`, `定性`. */
  comparatorOnly: boolean;
  direction: boolean;
  unitOnly: boolean;
  /** A target with a comparator and a number (`≥95%`, `3次`). */
  quantitative: boolean;
  /** A target and little else (`85%以上`, `≥3次`), unlike a name that mentions a number. */
  targetLike: boolean;
  startsWithComparator: boolean;
  hasDigit: boolean;
  cjk: boolean;
  /** Ends the way indicator names end (`…率`, `…人数`, `…时间`). */
  nameLike: boolean;
  /** Reads like a qualitative target or a deadline (`每年下半年`, `明显提升`, `年底前`). */
  valueWords: boolean;
  /**
   * Opens with the `指标:` / `指标1:` a name cell carries in packed and prefixed layouts, or
   * carries a target's template (`（≥**%）`): only names do.
   */
  namePrefix: boolean;
  /** Reads like a 指标解释 or a scoring rule (`反映培训人次情况`, `每少一次扣1分`). */
  explanation: boolean;
}

const SEQ = /^[(（]?(\d{1,3}|[一二三四五六七八九十]{1,3})[)）.、．]?$/;
const DIRECTION = /^(正向|反向|逆向|负向|正|反)(指标)?$/;
const UNITS: ReadonlySet<string> = new Set([...KNOWN_UNITS, '起', '株', '亩', '吨', '座', '处', '间', '元/人', '人/次', '次/月', '万元/年', '元/人·月', '百分比', '分', '个百分点']);
const NAME_END = /(率|数|量|度|性|时间|时限|次数|人数|人次|面积|里程|金额|成本|费用|效益|收入|情况|水平|能力|机制|年限|周期|规模|进度|标准|效果|比例|比重|占比|时长|天数|户数|个数|场次)$/;
const VALUE_WORDS = /(以上|以下|以内|之内|底前|月前|日前|年前|前完成|及时|按时|按期|明显|显著|有效|逐步|持续|稳步|良好|较好|优良|优秀|合格|达标|提高|提升|改善|增强|增加|降低|减少|每年|每季|每月|每周|年底|年中|上半年|下半年|全覆盖|100%|长期|长效|稳定|逐年|不断)/;
const TEMPLATE_HINT = /[(（][^)）]*(\*\*|[≥≤><＞＜]|[xX×]{2})[^)）]*[)）]/;
const REVIEW_TEXT = /审核意见|[(（]?盖\s*章[)）]?|^年\s*月\s*日$|^签\s*字$/;

const cache = new Map<string, CellFeatures>();
const TABLE_LABEL_KINDS = ['level1', 'level2', 'block', 'review'] as const;
const LEVEL_KINDS = ['level1', 'level2'] as const;
const CACHE_LIMIT = 20_000;

export function cellFeatures(raw: string): CellFeatures {
  const hit = cache.get(raw);
  if (hit) return hit;
  const f = computeFeatures(raw);
  if (cache.size > CACHE_LIMIT) cache.clear();
  // A flat copy as key: cell texts are slices of a whole decoded file.
  cache.set(Buffer.from(raw, 'utf8').toString('utf8'), f);
  return f;
}

/** The features of a row's non-empty cells, in their order: asked of a table row by several steps. */
export function rowFeatures(row: Row): readonly CellFeatures[] {
  const f = factsOf(row);
  return (f.features ??= nonEmptyCells(row).map((c) => cellFeatures(c.text)));
}

function computeFeatures(raw: string): CellFeatures {
  const text = tidy(raw);
  const folded = fold(text);
  const hits = labelHits(text, { kinds: TABLE_LABEL_KINDS });
  const lv = hits.find((h) => h.meaning.kind === 'level1' || h.meaning.kind === 'level2');
  const bl = hits.find((h) => h.meaning.kind === 'block');
  // A name printed with its target's template (`服务对象满意度（≥**%）`) is a name, however like a
  // level it reads once the bracket is gone.
  const hinted = TEMPLATE_HINT.test(folded);
  let level: CellFeatures['level'] = null;
  if (hinted) { /* a name */ } else if (lv?.meaning.kind === 'level1') level = { kind: 'level1', key: lv.meaning.key, hit: lv };
  else if (lv?.meaning.kind === 'level2') level = { kind: 'level2', key: lv.meaning.key, hit: lv };
  let looseLevel: CellFeatures['level'] = null;
  if (!level && !hinted) {
    const loose = labelHits(text, { kinds: LEVEL_KINDS, inHeader: true })[0];
    if (loose?.meaning.kind === 'level1') looseLevel = { kind: 'level1', key: loose.meaning.key, hit: loose };
    else if (loose?.meaning.kind === 'level2') looseLevel = { kind: 'level2', key: loose.meaning.key, hit: loose };
  }
  const target = parseTarget(text);
  const n = folded.replace(/[,，]/g, '');
  return {
    text,
    length: folded.length,
    level,
    looseLevel,
    block: bl && bl.meaning.kind === 'block' ? { horizon: bl.meaning.horizon, hit: bl } : null,
    review: hits.some((h) => h.meaning.kind === 'review') || REVIEW_TEXT.test(text),
    seq: SEQ.test(folded),
    number: toNumber(n) !== null,
    percentNumber: /^-?\d+(\.\d+)?%$/.test(n),
    comparatorOnly: folded !== '' && isKnownNature(folded),
    direction: DIRECTION.test(folded),
    unitOnly: folded !== '' && !/\d/.test(folded) && UNITS.has(folded),
    quantitative: target.value_num !== null && target.comparator !== null,
    targetLike: target.value_num !== null && target.comparator !== null && (/^[≥≤><=≧≦＞＜《》]/.test(folded) || folded.replace(/[\d.,%]+/g, '').length <= 3),
    startsWithComparator: /^(≥|≤|>|<|=|≧|≦|＞|＜|》|《|大于|小于|不低于|不少于|不超过|不高于|达到)/.test(folded),
    hasDigit: /\d/.test(folded),
    cjk: /[\u3400-\u9fff]/.test(folded),
    nameLike: NAME_END.test(folded) && !VALUE_WORDS.test(folded),
    valueWords: VALUE_WORDS.test(folded),
    namePrefix: hinted || /^指标\d*[:：]/.test(folded),
    explanation: /^(反映|用于|是指|指|考核|衡量|统计|计算|评价|根据|按照)/.test(folded) || /扣\d*(\.\d+)?分|得\d+分|不得分/.test(folded),
  };
}
