// The validator: every check over the normalized records, each raising findings. A finding never
// stops a load. Which findings make a document `partial` is decided here too.
import { PARTIAL_CODES } from '../model/findings.js';
import type { Finding } from '../model/schema.js';
import type { NormalizeContext } from '../normalize/context.js';
import type { Normalized } from '../normalize/engine.js';
import { checkBudget } from './budget.js';
import { checkCostArithmetic, checkCostIndicators, checkCostItemsBudget, checkCostText } from './costs.js';
import { checkFunding } from './funding.js';
import { checkPlausible } from './plausibility.js';

export function validate(n: Normalized, ctx: NormalizeContext): void {
  n.projects.forEach((p, k) => {
    const checks = n.checks[k]!;
    checkCostArithmetic(p, ctx);
    checkCostItemsBudget(p, checks, ctx);
    checkCostText(p, ctx);
    checkCostIndicators(p, ctx);
    checkFunding(p, checks, ctx);
  });
  checkBudget(n.budget, ctx);
  checkPlausible(n, ctx);
}

export { LAYOUT_CODES, PARTIAL_CODES } from '../model/findings.js';

export function isPartial(findings: Finding[]): boolean {
  return findings.some((f) => PARTIAL_CODES.has(f.code));
}
