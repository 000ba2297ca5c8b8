// Label → value pairs of a form's head: `项目名称 ⇥ 医保专项业务经费`, `填报单位(盖章)：…` in one
// cell, goals laid out under 实施期目标 / 年度目标 columns, and the funding lines. This is where a
// printed cell becomes a project field.
import type { Cell, Row } from '../extract/rows.js';
import { refOf } from '../extract/rows.js';
import type { Funding, Horizon } from '../model/schema.js';
import { canonicalText, tidy } from '../text/fold.js';
import type { NormalizeContext } from './context.js';
import { nonEmptyCells } from './forms.js';
import type { FieldKey, LabelHit, LabelKind } from './labels.js';
import { isRepair, labelHits, matchLabel, splitInlineLabel } from './labels.js';
import { explicitMoneyUnit, moneyUnitOf, parseMoney, type MoneyUnit } from './values.js';

export interface FieldValue {
  text: string | null;
  ref: string;
  label: string;
  /** Rank of the label among its field's spellings: where a form prints several, the first wins. */
  rank: number;
  /** The money unit the label itself names (`项目资金(万元)`). */
  unit: MoneyUnit | null;
}

export interface FormHead {
  fields: Map<FieldKey, FieldValue>;
  goals: { annual: string | null; period: string | null; periodLabel: string | null };
  funding: (Funding & { ref: string })[];
  /** `合计` of a funding block, to check the sources against. */
  fundingTotal: { horizon: Horizon; yuan: number; ref: string }[];
  unit: MoneyUnit | null;
  /** Amounts under a label that is no known one but says it labels money (`申请金额（万元）`). */
  unknownMoney: { label: string; text: string; ref: string }[];
}

const HEAD_KINDS: readonly LabelKind[] = ['field', 'goal', 'funding', 'funding-total', 'ignore', 'review', 'block', 'cost-block', 'column', 'level1', 'level2'];
const INLINE_KINDS: readonly LabelKind[] = ['field', 'goal', 'funding'];
const YEAR_RANGE = /^\s*(?:19|20)\d{2}\s*[-–~至]\s*(?:19|20)\d{2}\s*(?:年度?)?\s*$/;

function labelOf(cell: Cell): LabelHit | null {
  return matchLabel(cell.text, HEAD_KINDS);
}

function noteRepair(ctx: NormalizeContext, hit: LabelHit, cell: Cell, row: Row, printed: string, project: number | null): void {
  if (isRepair(hit)) {
    ctx.add('LABEL_REPAIRED', `label "${printed}" read as "${hit.label}" (${hit.how === 'prefix' ? 'cut short' : 'misread'})`, refOf(row, cell), project);
  }
}

interface GoalSlot { horizon: 'annual' | 'period'; col: number }

interface Carry { append: (t: string) => void; col: number }

/**
 * Reads the head of a form (every row before its indicator table). `horizonAt` says which
 * horizon a column belongs to in forms that print 中期 and 年度 side by side.
 */
export function readHead(rows: Row[], ctx: NormalizeContext, project: number | null, unitAbove: MoneyUnit | null = null): FormHead {
  const head: FormHead = { fields: new Map(), goals: { annual: null, period: null, periodLabel: null }, funding: [], fundingTotal: [], unit: unitAbove, unknownMoney: [] };
  let goalSlots: GoalSlot[] | null = null;
  let annualCol: number | null = null;
  // The goal or overview the row above filled, and its value's column: rows of unlabelled text
  // at or right of that column below it (`年度目标 ⇥ 1.… ` then `⇥ 2.…`) go on with it.
  let carry: Carry | null = null;

  const setField = (key: FieldKey, value: FieldValue) => {
    const prev = head.fields.get(key);
    if (!prev || (prev.text === null && value.text !== null) || (value.text !== null && value.rank < prev.rank)) head.fields.set(key, value);
  };

  for (const row of rows) {
    const cells = splitRowPairs(nonEmptyCells(row));
    if (cells.length === 0) continue;
    // Each cell's reading as a head label, asked once: every step below needs it.
    const labels = cells.map(labelOf);

    if (carry) {
      const at: Carry = carry;
      carry = null;
      if (cells[0]!.col >= at.col && cells.every((c, k) => labels[k] === null && !splitInlineLabel(c.text, INLINE_KINDS))) {
        for (const c of cells) at.append(tidy(c.text));
        carry = at;
        continue;
      }
    }

    // Goal text under a goal header row: each text to the slot nearest its column.
    if (goalSlots) {
      const labelled = labels.some((h) => h !== null && h.meaning.kind !== 'ignore');
      if (!labelled) {
        cells.forEach((c, i) => {
          const slot = cells.length === goalSlots!.length ? goalSlots![i]! : nearest(goalSlots!, c.col);
          const key = slot.horizon;
          head.goals[key] = head.goals[key] ? `${head.goals[key]} ${tidy(c.text)}` : tidy(c.text);
        });
        continue;
      }
      goalSlots = null;
    }

    // 中期 | 年度 side by side: the annual label's column splits the funding lines below it.
    const budgetHits = labels.map((h) => (h?.meaning.kind === 'field' ? h.meaning.key : null));
    // The annual label right of the period one (a bare 项目资金 caption may stand left of both).
    const periodAt = budgetHits.indexOf('period_budget');
    const annualAt = periodAt < 0 ? -1 : budgetHits.indexOf('annual_budget', periodAt + 1);
    if (annualAt > 0) annualCol = cells[annualAt]!.col;
    else if (!budgetHits.includes('annual_budget') && !labels.some(isFundingLabel)) annualCol = null;

    const slots: GoalSlot[] = [];
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i]!;
      // Only a text with 元 in it can name a unit in its brackets (`项目资金(万元)`).
      if (cell.text.includes('元')) {
        for (const h of labelHits(cell.text)) {
          const b = h.bracket ? moneyUnitOf(h.bracket) : null;
          if (b) head.unit = b;
        }
      }
      const inline = /[:：]\s*\S/.test(cell.text) ? splitInlineLabel(cell.text, INLINE_KINDS) : null;
      const hit = inline?.hit ?? labels[i];
      if (!hit) {
        const money = unknownMoneyLabel(cells, labels, i, head.unit ?? ctx.unit);
        if (money) { head.unknownMoney.push({ ...money, ref: refOf(row, cell) }); if (money.next) i++; }
        continue;
      }
      noteRepair(ctx, hit, cell, row, inline ? cell.text.split(/[:：]/)[0]! : cell.text, project);
      const meaning = hit.meaning;
      const wantMoney = meaning.kind === 'funding' || meaning.kind === 'funding-total' ||
        (meaning.kind === 'field' && (meaning.key === 'annual_budget' || meaning.key === 'period_budget'));
      let j = inline ? -1 : valueIndexAfter(cells, labels, i, wantMoney, head.unit ?? ctx.unit);
      // A caption (`资金情况`) heads the pairs beside it (`年度资金总额：50万元`); it takes none as its value.
      if (meaning.kind === 'ignore' && j >= 0 && splitInlineLabel(cells[j]!.text, INLINE_KINDS)) j = -1;
      // A caption that names a unit (`金额（万元）`) over amounts no label of the vocabulary reads
      // (a funding table laid out across): said when the form gives no budget.
      if (meaning.kind === 'ignore' && j >= 0 && hit.bracket && moneyUnitOf(hit.bracket) && 'yuan' in parseMoney(cells[j]!.text, head.unit ?? ctx.unit)) {
        head.unknownMoney.push({ label: tidy(cell.text), text: tidy(cells[j]!.text), ref: refOf(row, cell) });
      }
      const next = j >= 0 ? cells[j] : undefined;
      const value = inline ? (inline.value || null) : next ? next.text : null;
      const consumed = next !== undefined;
      const ref = refOf(row, next ?? cell);

      if (meaning.kind === 'field') {
        if (meaning.key === 'money_unit') {
          head.unit = moneyUnitOf(value) ?? head.unit;
        } else {
          const before = head.fields.get(meaning.key);
          setField(meaning.key, { text: value === null ? null : tidy(value), ref, label: hit.label, rank: hit.rank, unit: hit.bracket ? moneyUnitOf(hit.bracket) : null });
          const set = head.fields.get(meaning.key);
          if (meaning.key === 'overview' && value !== null && set !== before && set) {
            carry = { col: (next ?? cell).col, append: (t) => { set.text = `${set.text} ${t}`; } };
          }
        }
      } else if (meaning.kind === 'goal') {
        if (meaning.horizon === 'block') {
          if (value !== null && YEAR_RANGE.test(value)) {
            head.goals.periodLabel = tidy(value).replace(/年度?$/, '');
            slots.push({ horizon: 'period', col: next!.col });
          } else if (value !== null && head.goals.annual === null) {
            head.goals.annual = tidy(value);
            carry = { col: (next ?? cell).col, append: (t) => { head.goals.annual = `${head.goals.annual} ${t}`; } };
          }
        } else if (value !== null && !YEAR_RANGE.test(value)) {
          const key = meaning.horizon;
          if (head.goals[key] === null) {
            head.goals[key] = tidy(value);
            carry = { col: (next ?? cell).col, append: (t) => { head.goals[key] = `${head.goals[key]} ${t}`; } };
          }
        } else {
          if (value !== null) head.goals.periodLabel = tidy(value).replace(/年度?$/, '');
          slots.push({ horizon: meaning.horizon, col: cell.col });
        }
      } else if (meaning.kind === 'funding' || meaning.kind === 'funding-total') {
        const horizon: Horizon = annualCol !== null && cell.col < annualCol ? 'period' : 'annual';
        const money = value === null ? ({ empty: true } as const) : parseMoney(value, head.unit ?? ctx.unit);
        if ('unreadable' in money) {
          ctx.add('VALUE_UNPARSED', `funding amount "${money.unreadable}" is not a number`, ref, project);
        }
        const yuan = 'yuan' in money ? money.yuan : null;
        if (meaning.kind === 'funding') {
          if (yuan !== null) head.funding.push({ horizon, source: meaning.key, amount_yuan: yuan, source_ref: ref, ref });
        } else if (yuan !== null) {
          head.fundingTotal.push({ horizon, yuan, ref });
        }
      }
      if (consumed) i = j;
    }
    if (slots.length > 0) goalSlots = slots;
  }
  return head;
}

/**
 * The cell holding a label's value: the next cell that is not itself a label. For money, OCR
 * debris between label and amount (`合计 ⇥ t ⇥ 72.35`) is stepped over.
 */
function valueIndexAfter(cells: readonly Cell[], labels: readonly (LabelHit | null)[], i: number, wantMoney: boolean, unit: MoneyUnit): number {
  let first = -1;
  for (let j = i + 1; j < cells.length; j++) {
    if (labels[j] !== null) break;
    if (first < 0) first = j;
    if (!wantMoney) return j;
    if (!('unreadable' in parseMoney(cells[j]!.text, unit))) return j;
  }
  return first;
}

// A label that says it labels money: a unit in brackets at its end (`申请金额（万元）`), or a word
// of money (`金额`, `资金`, `预算`, `投资`) with an amount in its unit after it (`总投资 ⇥ 50万元`).
const MONEY_BRACKET = /[(（]\s*(?:万元|萬元|元)\s*[)）]\s*[:：]?\s*$/;
const MONEY_WORD = /金额|资金|预算|投资|经费|款|額|資金|預算|投資|經費/;
const MAX_MONEY_LABEL = 24;

/**
 * An amount under a label no vocabulary line knows, in one cell (`申请金额（万元）：50`) or two:
 * null when the cell is not such a label or no amount follows it.
 */
function unknownMoneyLabel(cells: readonly Cell[], labels: readonly (LabelHit | null)[], i: number, unit: MoneyUnit): { label: string; text: string; next: boolean } | null {
  const text = cells[i]!.text.trim();
  const colon = text.search(/[:：]/);
  const label = (colon < 0 ? text : text.slice(0, colon)).trim();
  const inlineValue = colon < 0 ? '' : text.slice(colon + 1).trim();
  if (label.length === 0 || label.length > MAX_MONEY_LABEL || !/[\u3400-\u9fff]/.test(label) || /\d/.test(label.normalize('NFKC').replace(/^(?:19|20)\d{2}年度?/, ''))) return null;
  const value = inlineValue || (cells[i + 1] && labels[i + 1] === null ? cells[i + 1]!.text.trim() : '');
  if (!value) return null;
  const parsed = parseMoney(value, unit);
  if (!('yuan' in parsed)) return null;
  const bracketed = MONEY_BRACKET.test(colon < 0 ? text : text.slice(0, colon + 1));
  if (!bracketed && !(MONEY_WORD.test(label) && explicitMoneyUnit(value) !== null)) return null;
  return { label, text: value, next: !inlineValue };
}

const TWO_COLONS = /[:：].*[:：]/s;

/** A row's cells with every cell of several pairs split; the row's own list when none is. */
function splitRowPairs(cells: readonly Cell[]): readonly Cell[] {
  let out: Cell[] | null = null;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    const parts = TWO_COLONS.test(c.text) ? splitInlinePairs(c) : null;
    if (parts && parts.length > 1 && !out) out = cells.slice(0, i);
    if (out) out.push(...(parts ?? [c]));
  }
  return out ?? cells;
}

/**
 * A cell printing several `标签：值` pairs (`年度资金总额：50万元 中期资金总额：150万元`) → one cell a
 * pair; any other cell as it is.
 */
function splitInlinePairs(cell: Cell): Cell[] {
  const starts: number[] = [];
  for (const m of cell.text.matchAll(/(^|\s+)([^\s:：]{2,24})[:：]/g)) {
    if (matchLabel(m[2]!, INLINE_KINDS)) starts.push(m.index! + m[1]!.length);
  }
  if (starts.length < 2 || starts[0] !== 0) return [cell];
  return starts.map((at, k) => ({ ...cell, text: cell.text.slice(at, starts[k + 1] ?? cell.text.length).trim() }));
}

function isFundingLabel(hit: LabelHit | null): boolean {
  const kind = hit?.meaning.kind;
  return kind === 'funding' || kind === 'funding-total';
}

/** A text sits under the goal slot whose column is the last one at or before its own. */
function nearest(slots: GoalSlot[], col: number): GoalSlot {
  const before = slots.filter((s) => s.col <= col);
  return before.length ? before[before.length - 1]! : slots[0]!;
}

/** `1.一般项目 ■ 2.重点项目 □` → `一般项目`: the option whose box is ticked. */
export function tickedOption(printed: string | null): string | null {
  if (!printed) return null;
  // Wingdings-printed boxes come out of text layers as `R` (ticked) and `£` (empty), and OCR
  // reads an empty box as 口: each only next to CJK option text.
  const t = printed.replace(/(?<=[\u3400-\u9fff\s]|^)R(?=[\u3400-\u9fff\s]|$)/g, '☑').replace(/(?<=[\u3400-\u9fff\s]|^)[£口](?=\s|$|\d)/g, '□');
  const TICK = /[■☑✔✓√☒▣]/;
  const BOX = /[□☐▢]/;
  if (!TICK.test(t)) return BOX.test(t) ? null : canonicalText(printed);
  const options = t.split(/(?<!\d)(?=\d+\s*[.、])/).map((s) => s.trim()).filter(Boolean);
  for (const opt of options) {
    if (TICK.test(opt)) return canonicalText(opt.replace(/^\d+\s*[.、]\s*/, '').replace(/[■☑✔✓√☒▣□☐▢]/g, '')) || null;
  }
  return null;
}

// A code printed with an agency's name: `[077]六安市…`, `六安市…执法局 308001`, `（610001）…`.
const LEADING_CODE = /^\s*[[【(（]?\s*\d{3,}\s*[\]】)）]?\s*[-—:：]?\s*(?=\S)/;
const TRAILING_CODE = /\s*[[【(（]?\s*\d{3,}\s*[\]】)）]?\s*$/;

/** An agency as printed, without the code some forms print beside it. */
export function agencyName(printed: string): string {
  const t = printed.trim();
  const stripped = t.replace(LEADING_CODE, '').replace(TRAILING_CODE, '');
  return /[\u3400-\u9fff]/.test(stripped) ? stripped : t;
}

const PHONE = /(?:电话|手机|联系方式|tel)?\s*[:：]?\s*((?:\+?86[-\s]?)?(?:1\d{10}|0\d{2,3}[-－—\s]?\d{7,8}(?:[-－—]\d{1,4})?|\d{7,8}))/i;

/** `张三 13800001111`, `张三（0564-3371234）`, `张三/电话：…` → the name and the phone. */
export function splitNamePhone(printed: string): { name: string | null; phone: string | null } {
  const m = PHONE.exec(printed);
  if (!m) return { name: printed.trim() || null, phone: null };
  const name = (printed.slice(0, m.index) + printed.slice(m.index + m[0].length)).replace(/[()（）/、,，;；\s]+/g, ' ').replace(/(电话|联系方式)\s*[:：]?\s*$/, '').trim();
  return { name: name || null, phone: m[1]!.replace(/\s+/g, '') };
}
