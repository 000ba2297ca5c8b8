// Funding checks: the sources of each horizon add up to that horizon's budget and to the
// block's own 合计 when it prints one.
import type { NormalizeContext } from '../normalize/context.js';
import type { ProjectChecks } from '../normalize/engine.js';
import type { Project } from '../model/schema.js';
import { agrees, fmt, TOLERANCE } from './tolerance.js';

export function checkFunding(p: Project, checks: ProjectChecks, ctx: NormalizeContext): void {
  for (const horizon of ['annual', 'period'] as const) {
    const lines = p.funding.filter((f) => f.horizon === horizon && f.amount_yuan !== null);
    if (lines.length === 0) continue;
    const sum = lines.reduce((a, f) => a + f.amount_yuan!, 0);
    const tol = TOLERANCE.wanHalfDigit * lines.length;
    const budget = horizon === 'annual' ? p.annual_budget_yuan : p.period_budget_yuan;
    if (budget !== null && !agrees(sum, budget, tol)) {
      ctx.add('FUNDING_SUM_MISMATCH', `${horizon} funding sources add up to ${fmt(sum)} yuan, the ${horizon} budget is ${fmt(budget)} yuan`, lines[0]!.source_ref, p.ordinal);
    }
    for (const t of checks.fundingTotals.filter((x) => x.horizon === horizon)) {
      if (!agrees(sum, t.yuan, tol)) {
        ctx.add('FUNDING_TOTAL_MISMATCH', `funding sources add up to ${fmt(sum)} yuan, the funding 合计 says ${fmt(t.yuan)} yuan`, t.ref, p.ordinal);
      }
    }
  }
}
