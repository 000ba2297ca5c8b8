// Cost items: Mianyang-style cost indicators (`数量：…,单价：…,金额：…`) and 项目支出明细 tables.
import type { Row } from '../extract/rows.js';
import { refOf } from '../extract/rows.js';
import type { CostItem, Indicator } from '../model/schema.js';
import { canonicalText } from '../text/fold.js';
import type { NormalizeContext } from './context.js';
import { nonEmptyCells } from './forms.js';
import { matchLabel } from './labels.js';
import { isHeaderRow } from './table/headerToRoles.js';
import { parseCostSpec, parseMoney, roundYuan, type MoneyUnit } from './values.js';

/** Cost indicators priced on the form become cost items (amounts are printed in 元). */
export function costItemsFromIndicators(indicators: Indicator[]): Omit<CostItem, 'ordinal'>[] {
  const out: Omit<CostItem, 'ordinal'>[] = [];
  const seen = new Set<number>();
  // Annual rows first: a side-by-side form prices the same item on both halves.
  const ordered = [...indicators].sort((a, b) => (a.horizon === b.horizon ? 0 : a.horizon === 'annual' ? -1 : 1));
  for (const ind of ordered) {
    const spec = ind.value_text ? parseCostSpec(ind.value_text) : null;
    if (!spec || seen.has(ind.ordinal)) continue;
    seen.add(ind.ordinal);
    out.push({
      item: ind.name,
      quantity: spec.quantity,
      unit: spec.unit,
      unit_price_yuan: spec.unit_price === null ? null : roundYuan(spec.unit_price),
      amount_yuan: spec.amount === null ? null : roundYuan(spec.amount),
      source: 'indicator',
      source_ref: ind.source_ref,
    });
  }
  return out.sort((a, b) => indicators.findIndex((i) => i.source_ref === a.source_ref) - indicators.findIndex((i) => i.source_ref === b.source_ref));
}

export interface CostDetail {
  items: Omit<CostItem, 'ordinal'>[];
  total: { yuan: number; ref: string } | null;
  end: number;
}

const TOTAL = /^(合计|总计|小计)$/;
const STOP_KINDS = ['field', 'goal', 'level1', 'level2', 'funding', 'review', 'block'] as const;

/**
 * A 项目支出明细 block from the row after its heading: one item per row with a name and an
 * amount (the last number on the row, wherever a shifted cell put it), until a row that starts
 * another part of the form.
 */
export function readCostDetail(rows: Row[], start: number, unit: MoneyUnit, ctx: NormalizeContext, project: number | null): CostDetail {
  const items: CostDetail['items'] = [];
  let total: CostDetail['total'] = null;
  let i = start;
  for (; i < rows.length; i++) {
    const row = rows[i]!;
    const cells = nonEmptyCells(row);
    if (cells.length === 0) continue;
    // Column captions of the detail itself (序号, 单位) are not a next part of the form; a field,
    // a goal, a funding line, a level or a table header is.
    const stop = cells.some((c) => matchLabel(c.text, STOP_KINDS) !== null) || isHeaderRow(row) || cells.some((c) => /测算依据/.test(c.text));
    if (stop) break;
    const texts = cells.filter((c) => matchLabel(c.text)?.meaning.kind !== 'cost-block');
    const amounts = texts.map((c) => ({ c, m: parseMoney(c.text, unit) })).filter((x) => 'yuan' in x.m);
    const names = texts.filter((c) => !amounts.some((a) => a.c === c));
    if (names.length === 0 && amounts.length === 0) continue;
    const last = amounts[amounts.length - 1];
    const yuan = last && 'yuan' in last.m ? last.m.yuan : null;
    const name = names[0] ? canonicalText(names[0].text).replace(/^\d+\s*[.、．]\s*/, '') : null;
    if (name && TOTAL.test(name.replace(/\s/g, ''))) {
      if (yuan !== null) total = { yuan, ref: refOf(row, last!.c) };
      continue;
    }
    if (name === null && yuan === null) continue;
    if (name !== null && yuan === null && names.length === 1 && !/\d/.test(name)) {
      ctx.add('VALUE_UNPARSED', `spending item "${name}" has no readable amount`, refOf(row, names[0]), project);
    }
    items.push({ item: name, quantity: null, unit: null, unit_price_yuan: null, amount_yuan: yuan, source: 'detail', source_ref: refOf(row, names[0] ?? last!.c) });
  }
  return { items, total, end: i };
}
