// Scans of a Mianyang form (two pages of its PDF, degraded at 200 and 300 dpi, as PDF, PNG and
// TIFF) through the whole pipeline: field-level agreement with the golden records of the same
// form, and every wrong field on a row the pipeline flagged for review.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExtractResult, Finding, Project } from '../src/model/schema.js';
import { closeExtractors, extractFile } from '../src/pipeline/extract.js';
import { fold } from '../src/text/fold.js';
import { FIXTURES } from './helpers.js';

afterAll(() => closeExtractors());

const golden = (JSON.parse(readFileSync(join(FIXTURES, 'expected', '000_6f0229354a83724c.json'), 'utf8')) as ExtractResult).projects[0]!;

const INFO_FIELDS = ['project_name', 'fiscal_year', 'agency', 'project_attribute', 'project_type', 'function_code', 'function_name', 'annual_budget_yuan', 'period_label', 'period_start', 'period_end', 'manager', 'manager_phone', 'overview'] as const;
const FORM_FIELDS = ['project_name', 'annual_goal'] as const;
const INDICATOR_FIELDS = ['horizon', 'level1', 'level2', 'name', 'value_text', 'comparator', 'value_num', 'value_unit'] as const;
const COST_FIELDS = ['item', 'quantity', 'unit', 'unit_price_yuan', 'amount_yuan'] as const;
const REVIEW = new Set(['OCR_LOW_CONFIDENCE', 'OCR_VALUE_REPAIRED', 'OCR_SUSPECT_COMPARATOR', 'LABEL_REPAIRED']);

// Text is compared folded (full-/half-width, spaces): `数量：1.00` and `数量:1.00` say the same.
const same = (a: unknown, b: unknown) => (typeof a === 'string' && typeof b === 'string' ? fold(a) === fold(b) : a === b);

interface Field { name: string; ok: boolean; ref: string | null }

function fields(p: Project, hasInfoPage: boolean): Field[] {
  const out: Field[] = [];
  for (const f of hasInfoPage ? INFO_FIELDS : FORM_FIELDS) out.push({ name: f, ok: same(p[f], golden[f]), ref: p.source_ref });
  golden.indicators.forEach((g, i) => {
    const got = p.indicators[i];
    for (const f of INDICATOR_FIELDS) out.push({ name: `indicator ${i + 1} ${f}`, ok: !!got && same(got[f], g[f]), ref: got?.source_ref ?? null });
  });
  golden.cost_items.forEach((g, i) => {
    const got = p.cost_items[i];
    for (const f of COST_FIELDS) out.push({ name: `cost ${i + 1} ${f}`, ok: !!got && same(got[f], g[f]), ref: got?.source_ref ?? null });
  });
  return out;
}

/** `p1 [x0,y0,x1,y1]` → the page and the vertical band of the row the record was read from. */
function band(ref: string | null): [number, number, number] | null {
  const m = ref && /^p(\d+) \[(-?\d+),(-?\d+),(-?\d+),(-?\d+)\]/.exec(ref);
  return m ? [Number(m[1]), Number(m[3]), Number(m[5])] : null;
}

function flagged(field: Field, findings: Finding[]): boolean {
  const b = band(field.ref);
  return !!b && findings.some((f) => {
    const fb = band(f.location);
    return REVIEW.has(f.code) && !!fb && fb[0] === b[0] && fb[1] < b[2] && fb[2] > b[1];
  });
}

const SCANS: [string, number][] = [['form-300.pdf', 0.97], ['form-200.pdf', 0.93], ['form-200.png', 0.93], ['form-200.tif', 0.93]];

describe('scans through the whole pipeline', () => {
  for (const [file, threshold] of SCANS) {
    it(`${file}: field agreement ≥ ${threshold}`, async () => {
      const r = await extractFile(join(FIXTURES, 'scan', file));
      expect(r.document.source_kind).toBe('scan');
      expect(r.document.variant).toBe('mianyang');
      expect(r.projects).toHaveLength(1);
      const p = r.projects[0]!;
      const all = fields(p, /项目基本信息表/.test(p.form_title ?? ''));
      const wrong = all.filter((f) => !f.ok);
      const agreement = 1 - wrong.length / all.length;
      const covered = wrong.filter((f) => flagged(f, r.findings)).length;
      console.log(`${file}: ${all.length - wrong.length}/${all.length} fields agree (${agreement.toFixed(3)}); ${covered}/${wrong.length} wrong fields flagged for review${wrong.length ? `: ${wrong.map((w) => w.name).join(', ')}` : ''}`);
      expect(agreement).toBeGreaterThanOrEqual(threshold);
      expect(covered).toBe(wrong.length);
    }, 120_000);
  }
});
