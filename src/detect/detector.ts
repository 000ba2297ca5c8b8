// Which family a document belongs to, from its own signatures (titles, headings, region names):
// every family's signals are scored over the text, the best wins if it is clear enough. No
// family but the standard headings present → generic; neither → an unrecognised layout.
import type { Row } from '../extract/rows.js';
import type { Variant } from '../model/schema.js';
import type { Family } from '../normalize/family.js';
import { isHeaderRow } from '../normalize/table/headerToRoles.js';
import { nfkc } from '../text/fold.js';
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
  const text = rows.map((r) => r.cells.map((c) => c.text).join('\t')).join('\n');
  return nfkc(text).replace(/[ \u3000]+/g, '');
}

/**
 * Places a document names where forms name them: at the start of a title or an agency cell
 * (`成都市2022年…申报表`, `成都市林业局`). Placeholders (`某市`) name none.
 */
export function placesOf(rows: Row[]): Set<string> {
  const out = new Set<string>();
  for (const r of rows) {
    for (const c of r.cells) {
      const t = c.text.normalize('NFKC').replace(/\s+/g, '');
      const m = PLACE.exec(t);
      if (!m) continue;
      if (m[1] && !m[1].includes('某')) out.add(m[1]);
      // A district after its city (`武汉市江岸区`), or opening the cell (`江岸区医疗保障局`).
      const d = DISTRICT.exec(t.slice(m[0].length));
      if (d && !d[1]!.includes('某') && !NOT_DISTRICT.test(d[1]!)) out.add(d[1]!);
    }
  }
  return out;
}

const PLACE = /^(?:\d{4}年度?)?((?:[\u4e00-\u9fff]{2,4}?)(?:省|市|县))?/;
const DISTRICT = /^([\u4e00-\u9fff]{2,3}?区)/;
/** Words ending in 区 that name no district. */
const NOT_DISTRICT = /(开发|保护|示范|功能|园|景|库|辖|社|城|街|片|试验|实验|保税|高新|新)区$/;

/**
 * A family's form printed by another city: its layout signals are there, but the document names
 * a place that is not the family's and never the family's own. Its region would be wrong.
 */
function foreignPlace(family: Family, evidence: string[], rows: Row[], text: string): string | null {
  const region = family.signals.find((s) => s.what.startsWith('region'));
  if (!region || region.pattern.test(text)) return null;
  const home = `${family.province ?? ''}${family.region ?? ''}`;
  const foreign = [...placesOf(rows)].find((p) => !home.includes(p));
  return foreign && evidence.length > 0 ? foreign : null;
}

export function detect(rows: Row[]): Detection {
  const text = documentText(rows);
  const scored = FAMILIES.map((f) => {
    const hits = f.signals.filter((s) => s.pattern.test(text));
    return { family: f, score: hits.reduce((a, s) => a + s.weight, 0), evidence: hits.map((s) => s.what) };
  }).sort((a, b) => b.score - a.score);
  const scores = scored.map((s) => ({ variant: s.family.variant, score: s.score }));
  const [best, second] = scored;
  let elsewhere: string | null = null;
  if (best && best.score >= DETECT_SETTINGS.minScore && best.score > (second?.score ?? 0)) {
    elsewhere = foreignPlace(best.family, best.evidence, rows, text);
    if (elsewhere === null) {
      const total = best.family.signals.reduce((a, s) => a + s.weight, 0);
      const margin = (best.score - (second?.score ?? 0)) / best.score;
      return { family: best.family, variant: best.family.variant, confidence: round2(Math.min(1, (best.score / total) * 0.5 + margin * 0.5)), evidence: best.evidence, scores };
    }
  }
  // The generic reading needs a table it can read by its headers (misread or not), or the
  // standard headings spelled out.
  const headings = GENERIC_HEADINGS.filter((re) => re.test(text)).map((re) => `heading ${re.source}`);
  const headerRow = rows.find(isHeaderRow);
  const evidence = [...(headerRow ? [`indicator table header (${headerRow.cells.filter((c) => c.text.trim()).length} headings)`] : []), ...headings];
  if (elsewhere) evidence.unshift(`layout of ${best!.family.variant} printed for ${elsewhere}`);
  if (headerRow || headings.length >= DETECT_SETTINGS.minGenericHeadings) {
    return { family: GENERIC, variant: 'generic', confidence: round2(Math.min(1, (headings.length + (headerRow ? 2 : 0)) / GENERIC_HEADINGS.length)), evidence, scores };
  }
  return { family: null, variant: null, confidence: 0, evidence: [], scores };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
