// The validator's checks, each on a hand-made project that breaks exactly one rule.
import { describe, expect, it } from 'vitest';
import type { Indicator, Project } from '../src/model/schema.js';
import { NormalizeContext } from '../src/normalize/context.js';
import type { Normalized } from '../src/normalize/engine.js';
import { statedAmount } from '../src/validate/costs.js';
import { isPartial, validate } from '../src/validate/index.js';

function project(over: Partial<Project> = {}): Project {
  return {
    ordinal: 1, variant: 'generic', province: null, region: null, fiscal_year: 2021, form_title: 't', agency: null,
    supervising_agency: null, project_name: 'p', project_code: null, project_attribute: null, project_type: null,
    assessment_level: null, function_code: null, function_name: null, annual_budget_yuan: null, period_budget_yuan: null,
    period_label: null, period_start: null, period_end: null, manager: null, manager_phone: null, overview: null,
    annual_goal: null, period_goal: null, execution_weight_pct: null, source_ref: 'line 1', indicators: [], cost_items: [], funding: [],
    ...over,
  };
}

function indicator(over: Partial<Indicator>): Indicator {
  return {
    ordinal: 1, horizon: 'annual', level1: '产出指标', level2: '成本指标', name: '项目总成本', value_text: null, comparator: null,
    value_num: null, value_unit: null, weight_pct: null, direction: null, note: null, source_ref: 'line 9', ...over,
  };
}

function run(p: Project, checks: Normalized['checks'][number] = { fundingTotals: [], costDetailTotal: null, budgetLabel: null }): string[] {
  const ctx = new NormalizeContext('t.txt', '万元');
  validate({ projects: [p], checks: [checks], budget: { lines: [], rows: [] }, tables: [] }, ctx);
  return ctx.findings.map((f) => f.code);
}

const cost = (item: string, q: number | null, price: number | null, amount: number | null) =>
  ({ ordinal: 1, item, quantity: q, unit: '项', unit_price_yuan: price, amount_yuan: amount, source: 'indicator' as const, source_ref: 'line 5' });

describe('validator', () => {
  it('passes a consistent project', () => {
    expect(run(project({ annual_budget_yuan: 30000, cost_items: [cost('a', 2, 10000, 20000), cost('b', 1, 10000, 10000)] }))).toEqual([]);
  });
  it('quantity × unit price ≠ amount', () => {
    expect(run(project({ annual_budget_yuan: 25000, cost_items: [cost('a', 2, 10000, 25000)] }))).toEqual(['COST_ITEM_ARITHMETIC']);
  });
  it('cost items ≠ annual budget', () => {
    expect(run(project({ annual_budget_yuan: 50000, cost_items: [cost('a', 2, 10000, 20000)] }))).toEqual(['COST_ITEMS_BUDGET_MISMATCH']);
  });
  it('the amount a cost item states in its text', () => {
    expect(statedAmount('全年共计经费（4000+1040）*12*2=12096元。')).toBe(12096);
    expect(statedAmount('每个账户维护费360元/年')).toBeNull();
    expect(statedAmount('检查租车,每次800元左右，预计25次。')).toBeNull();
    expect(statedAmount('服装费30人*4000元/年=12万元')).toBe(120000);
    expect(run(project({ annual_budget_yuan: 120960, cost_items: [cost('聘请2名专职人员…=12096元。', 24, 5040, 120960)] }))).toEqual(['COST_TEXT_AMOUNT_MISMATCH']);
  });
  it('成本指标 amount ≠ budget, per horizon and comparator', () => {
    const inds = [
      indicator({ value_text: '35万元', comparator: '=', value_num: 35, value_unit: '万元' }),
      indicator({ ordinal: 2, horizon: 'period', value_text: '《=2500万', comparator: '<=', value_num: 2500, value_unit: '万' }),
      indicator({ ordinal: 3, name: '人均支出', value_text: '<4.63万元', comparator: '<', value_num: 4.63, value_unit: '万元' }),
    ];
    expect(run(project({ annual_budget_yuan: 190000, period_budget_yuan: 28585000, indicators: inds }))).toEqual(['COST_INDICATOR_BUDGET_MISMATCH', 'COST_INDICATOR_BUDGET_MISMATCH']);
    expect(run(project({ annual_budget_yuan: 350000, period_budget_yuan: 25000000, indicators: inds }))).toEqual([]);
  });
  it('funding sources ≠ budget, and ≠ the funding block total', () => {
    const funding = [
      { horizon: 'annual' as const, source: '财政拨款', amount_yuan: 100000, source_ref: 'line 3' },
      { horizon: 'annual' as const, source: '其他资金', amount_yuan: 100000, source_ref: 'line 4' },
    ];
    expect(run(project({ annual_budget_yuan: 100000, funding }))).toEqual(['FUNDING_SUM_MISMATCH']);
    expect(run(project({ annual_budget_yuan: 200000, funding }), { fundingTotals: [{ horizon: 'annual', yuan: 150000, ref: 'line 2' }], costDetailTotal: null, budgetLabel: null })).toEqual(['FUNDING_TOTAL_MISMATCH']);
  });
  it('spending detail ≠ its 合计', () => {
    const items = [{ ...cost('举报奖励费', null, null, 150000), source: 'detail' as const }];
    expect(run(project({ annual_budget_yuan: 150000, cost_items: items }), { fundingTotals: [], costDetailTotal: { yuan: 160000, ref: "line 20" }, budgetLabel: null })).toEqual(['COST_DETAIL_TOTAL_MISMATCH']);
  });
  it('partial means something could not be read, not that numbers disagree', () => {
    expect(isPartial([{ project: 1, severity: 'error', code: 'COST_ITEM_ARITHMETIC', message: '', location: null }])).toBe(false);
    expect(isPartial([{ project: 1, severity: 'warning', code: 'VALUE_UNPARSED', message: '', location: null }])).toBe(true);
  });
});
