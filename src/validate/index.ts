// The validator: every check over the normalized records, each raising findings. A finding never
// stops a load. Which findings make a document `partial` is decided here too.
import type { Finding } from '../model/schema.js';
import type { NormalizeContext } from '../normalize/context.js';
import type { Normalized } from '../normalize/engine.js';
import { checkBudget } from './budget.js';
import { checkCostArithmetic, checkCostIndicators, checkCostItemsBudget, checkCostText } from './costs.js';
import { checkFunding } from './funding.js';

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
}

/** Findings that mean part of the document could not be read (as opposed to numbers that disagree). */
export const PARTIAL_CODES: ReadonlySet<string> = new Set([
  'VALUE_UNPARSED', 'NO_INDICATORS', 'NO_PROJECT_NAME', 'PDF_PAGE_UNREADABLE', 'PDF_PAGE_NO_TEXT', 'SCAN_PAGE_UNREADABLE', 'SCAN_LOW_CONFIDENCE',
]);

export function isPartial(findings: Finding[]): boolean {
  return findings.some((f) => PARTIAL_CODES.has(f.code));
}

/**
 * Findings about how a document was laid out rather than what it says: a PDF of the same form
 * that breaks its pages elsewhere has other ones. Comparisons across source kinds leave them out.
 */
export const LAYOUT_CODES: ReadonlySet<string> = new Set(['TABLE_STITCHED', 'LABEL_FRAGMENT_JOINED', 'LABEL_UNKNOWN']);
