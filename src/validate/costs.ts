// Cost checks: quantity × unit price = amount; cost items add up to the annual budget; the
// amount a cost item's own text states matches its amount; 项目支出明细 adds up to its 合计;
// 成本指标 amounts match the budget.
import type { NormalizeContext } from '../normalize/context.js';
import type { ProjectChecks } from '../normalize/engine.js';
import type { Indicator, Project } from '../model/schema.js';
import { agrees, fmt, TOLERANCE } from './tolerance.js';

export function checkCostArithmetic(p: Project, ctx: NormalizeContext): void {
  for (const c of p.cost_items) {
    if (c.quantity === null || c.unit_price_yuan === null || c.amount_yuan === null) continue;
    const product = c.quantity * c.unit_price_yuan;
    if (!agrees(product, c.amount_yuan)) {
      ctx.add('COST_ITEM_ARITHMETIC', `cost item "${c.item ?? '?'}": quantity ${fmt(c.quantity)} × unit price ${fmt(c.unit_price_yuan)} = ${fmt(product)}, but the amount is ${fmt(c.amount_yuan)}`, c.source_ref, p.ordinal);
    }
  }
}

export function checkCostItemsBudget(p: Project, checks: ProjectChecks, ctx: NormalizeContext): void {
  const amounts = p.cost_items.map((c) => c.amount_yuan).filter((a): a is number => a !== null);
  if (amounts.length === 0) return;
  const sum = amounts.reduce((a, b) => a + b, 0);
  if (p.annual_budget_yuan !== null && !agrees(sum, p.annual_budget_yuan, TOLERANCE.yuan * amounts.length)) {
    ctx.add('COST_ITEMS_BUDGET_MISMATCH', `cost items add up to ${fmt(sum)} yuan, the annual budget is ${fmt(p.annual_budget_yuan)} yuan`, p.source_ref, p.ordinal);
  }
  const detail = checks.costDetailTotal;
  if (detail) {
    const details = p.cost_items.filter((c) => c.source === 'detail').map((c) => c.amount_yuan ?? 0);
    const dsum = details.reduce((a, b) => a + b, 0);
    if (!agrees(dsum, detail.yuan, TOLERANCE.wanHalfDigit * Math.max(1, details.length))) {
      ctx.add('COST_DETAIL_TOTAL_MISMATCH', `spending detail lines add up to ${fmt(dsum)} yuan, its 合计 says ${fmt(detail.yuan)} yuan`, detail.ref, p.ordinal);
    }
  }
}

/**
 * The total a cost item's description states (`…=235200元`, `预计2万元`): the last amount in
 * 元/万元 that is not a rate (`4000元/人月`) or a per-unit price (`每次800元`).
 */
export function statedAmount(text: string): number | null {
  const t = text.normalize('NFKC');
  let last: number | null = null;
  for (const m of t.matchAll(/(\d+(?:,\d{3})*(?:\.\d+)?)\s*(亿元|万元|元)/g)) {
    const end = m.index! + m[0].length;
    if (/^\s*\//.test(t.slice(end))) continue;
    // A per-unit price (`每批次检测费450元`, `单价800元`) is no total: look at its clause.
    const clause = t.slice(0, m.index!).split(/[，,；;。、(（]/).pop() ?? '';
    if (PER_UNIT.test(clause)) continue;
    const n = Number(m[1]!.replace(/,/g, ''));
    last = n * (m[2] === '亿元' ? 1e8 : m[2] === '万元' ? 1e4 : 1);
  }
  return last;
}

export function checkCostText(p: Project, ctx: NormalizeContext): void {
  for (const c of p.cost_items) {
    if (!c.item || c.amount_yuan === null) continue;
    const stated = statedAmount(c.item);
    if (stated === null || agrees(stated, c.amount_yuan)) continue;
    const hint = agrees(stated * 10, c.amount_yuan) || agrees(stated, c.amount_yuan * 10) ? ' (a digit dropped or added?)' : '';
    ctx.add('COST_TEXT_AMOUNT_MISMATCH', `cost item text states ${fmt(stated)} yuan, its amount is ${fmt(c.amount_yuan)} yuan${hint}`, c.source_ref, p.ordinal);
  }
}

const MONEY_UNIT: Record<string, number> = { 元: 1, 万元: 1e4, 万: 1e4, 亿元: 1e8 };
/** Words that make an amount a per-unit or average figure rather than a total. */
const PER_UNIT = /人均|户均|次均|年均|单价|均价|每|标准|平均|单位成本|单个|单次|单件/;

/** 成本指标 whose value is the project's total cost (not a per-head or per-unit cost). */
function totalCostIndicators(inds: Indicator[]): Indicator[] {
  return inds.filter((i) => i.level2 === '成本指标' && i.value_num !== null && i.value_unit !== null &&
    MONEY_UNIT[i.value_unit] !== undefined && !PER_UNIT.test(i.name ?? '') && !/数量\s*[:：]/.test(i.value_text ?? ''));
}

export function checkCostIndicators(p: Project, ctx: NormalizeContext): void {
  for (const horizon of ['annual', 'period'] as const) {
    const budget = horizon === 'annual' ? p.annual_budget_yuan : p.period_budget_yuan;
    if (budget === null) continue;
    for (const ind of totalCostIndicators(p.indicators.filter((i) => i.horizon === horizon))) {
      const yuan = ind.value_num! * MONEY_UNIT[ind.value_unit!]!;
      const cmp = ind.comparator ?? '=';
      const bad = cmp === '=' ? !agrees(yuan, budget) : cmp === '<=' || cmp === '<' ? yuan < budget - TOLERANCE.yuan : yuan > budget + TOLERANCE.yuan;
      if (bad) {
        ctx.add('COST_INDICATOR_BUDGET_MISMATCH', `成本指标 "${ind.name ?? ''}" says ${ind.value_text} (${fmt(yuan)} yuan), the ${horizon} budget is ${fmt(budget)} yuan`, ind.source_ref, p.ordinal);
      }
    }
  }
}
