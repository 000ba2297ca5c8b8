// Which family a document belongs to, from its own signatures (titles, headings, region names):
// every family's signals are scored over the text, the best wins if it is clear enough. No
// family but the standard headings present → generic; neither → an unrecognised layout.
import type { Row } from '../extract/rows.js';
import type { Variant } from '../model/schema.js';
import type { Family } from '../normalize/family.js';
import { FAMILIES, GENERIC } from '../normalize/variants/index.js';

export const DETECT_SETTINGS = {
  /** Score a family needs to be chosen. */
  minScore: 4,
  /** Standard headings a generic document must show (of GENERIC_HEADINGS). */
  minGenericHeadings: 3,
} as const;

const GENERIC_HEADINGS: RegExp[] = [/项目名称/, /一级指标/, /二级指标/, /三级指标|指标名称/, /指标值/, /产出指标|效益指标|满意度指标/];

export interface Detection {
  family: Family | null;
  variant: Variant | null;
  confidence: number;
  evidence: string[];
  /** Every family's score, best first: the "best guesses" of a failure message. */
  scores: { variant: Variant; score: number }[];
}

export function documentText(rows: Row[]): string {
  return rows.map((r) => r.cells.map((c) => c.text).join('\t')).join('\n').normalize('NFKC').replace(/[ \u3000]+/g, '');
}

export function detect(rows: Row[]): Detection {
  const text = documentText(rows);
  const scored = FAMILIES.map((f) => {
    const hits = f.signals.filter((s) => s.pattern.test(text));
    return { family: f, score: hits.reduce((a, s) => a + s.weight, 0), evidence: hits.map((s) => s.what) };
  }).sort((a, b) => b.score - a.score);
  const scores = scored.map((s) => ({ variant: s.family.variant, score: s.score }));
  const [best, second] = scored;
  if (best && best.score >= DETECT_SETTINGS.minScore && best.score > (second?.score ?? 0)) {
    const total = best.family.signals.reduce((a, s) => a + s.weight, 0);
    const margin = (best.score - (second?.score ?? 0)) / best.score;
    return { family: best.family, variant: best.family.variant, confidence: round2(Math.min(1, (best.score / total) * 0.5 + margin * 0.5)), evidence: best.evidence, scores };
  }
  const headings = GENERIC_HEADINGS.filter((re) => re.test(text));
  if (headings.length >= DETECT_SETTINGS.minGenericHeadings) {
    return { family: GENERIC, variant: 'generic', confidence: round2(headings.length / GENERIC_HEADINGS.length), evidence: headings.map((re) => `heading ${re.source}`), scores };
  }
  return { family: null, variant: null, confidence: 0, evidence: [], scores };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
