// Findings tied to the records they are about: an OCR note raised at a cell names the project,
// the indicator and the field, so the unsure values can be filtered; a tie is never guessed
// between two records.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding, Indicator, Project } from '../src/model/schema.js';
import { extractFile } from '../src/pipeline/extract.js';
import { inProcessExtractors } from '../src/pipeline/extractors.js';
import { placeOf, tieFindings } from '../src/validate/findingTargets.js';
import { FIXTURES } from './helpers.js';

function indicator(ordinal: number, source_ref: string, value_ref: string | null, over: Partial<Indicator> = {}): Indicator {
  return {
    ordinal, horizon: 'annual', level1: '产出指标', level2: '数量指标', name: `指标${ordinal}`, value_text: '≥1次', comparator: '>=',
    value_num: 1, value_unit: '次', weight_pct: null, direction: null, note: null, source_ref, value_ref, ...over,
  };
}

function project(ordinal: number, source_ref: string, indicators: Indicator[]): Project {
  return {
    ordinal, variant: 'generic', province: null, region: null, fiscal_year: 2021, form_title: null, agency: null,
    supervising_agency: null, project_name: `项目${ordinal}`, project_code: null, project_attribute: null, project_type: null,
    assessment_level: null, function_code: null, function_name: null, annual_budget_yuan: null, period_budget_yuan: null,
    period_label: null, period_start: null, period_end: null, manager: null, manager_phone: null, overview: null,
    annual_goal: null, period_goal: null, execution_weight_pct: null, source_ref, indicators, cost_items: [], funding: [],
  };
}

const finding = (code: string, location: string, projectOrdinal: number | null = null): Finding =>
  ({ project: projectOrdinal, severity: 'warning', code, message: 'm', location });

describe('tieFindings', () => {
  // Page 1: project 1 titled at y 100, indicators at y 200-220 and 230-250 (name x 100-200, value x 300-400).
  const scan = [
    project(1, 'p1 [50,100,500,120]', [
      indicator(1, 'p1 [100,200,200,220]', 'p1 [300,200,400,220]'),
      indicator(2, 'p1 [100,230,200,250]', 'p1 [300,230,400,250]'),
    ]),
    project(2, 'p2 [50,100,500,120]', [indicator(1, 'p2 [100,200,200,220]', 'p2 [300,200,400,220]')]),
  ];

  it('reads locations', () => {
    expect(placeOf('line 12 col 3')).toEqual({ page: 'line', y0: 12, y1: 12, x0: 3, x1: 3 });
    expect(placeOf('p2 [300,220,400,200]')).toEqual({ page: 2, y0: 200, y1: 220, x0: 300, x1: 400 });
    expect(placeOf('p2')).toBeNull();
    expect(placeOf(null)).toBeNull();
  });

  it('an OCR note at a value cell: its project, indicator and value_text', () => {
    const [f] = tieFindings(scan, [finding('OCR_LOW_CONFIDENCE', 'p1 [300,230,400,250]')]);
    expect(f).toMatchObject({ project: 1, indicator: 2, field: 'value_text' });
    const [g] = tieFindings(scan, [finding('OCR_VALUE_REPAIRED', 'p2 [300,200,400,220]')]);
    expect(g).toMatchObject({ project: 2, indicator: 1, field: 'value_text' });
  });

  it('at a name cell: name; at another cell of the row (a unit column): the indicator, no field', () => {
    expect(tieFindings(scan, [finding('OCR_LOW_CONFIDENCE', 'p1 [100,200,200,220]')])[0]).toMatchObject({ project: 1, indicator: 1, field: 'name' });
    const [u] = tieFindings(scan, [finding('OCR_LOW_CONFIDENCE', 'p1 [420,202,480,218]')]);
    expect(u).toMatchObject({ project: 1, indicator: 1 });
    expect(u!.field ?? null).toBeNull();
  });

  it("a code's own field wins over the cell's", () => {
    expect(tieFindings(scan, [finding('OCR_SUSPECT_COMPARATOR', 'p1 [300,200,400,220]')])[0]).toMatchObject({ indicator: 1, field: 'comparator' });
    expect(tieFindings(scan, [finding('NO_BUDGET', 'p1 [50,100,500,120]', 1)])[0]).toMatchObject({ project: 1, field: 'annual_budget_yuan' });
  });

  it('a cell outside every indicator row goes to the one project around it, else stays with the document', () => {
    // Between project 1's title and its indicators: project 1's head.
    const [head] = tieFindings(scan, [finding('OCR_LOW_CONFIDENCE', 'p1 [300,150,400,170]')]);
    expect(head).toMatchObject({ project: 1 });
    expect(head!.indicator ?? null).toBeNull();
    // Below every record of page 1: no project claims it.
    expect(tieFindings(scan, [finding('OCR_LOW_CONFIDENCE', 'p1 [300,600,400,620]')])[0]!.project).toBeNull();
    // A page-level note (no box) stays with the document.
    expect(tieFindings(scan, [finding('SCAN_LOW_CONFIDENCE', 'p1')])[0]!.project).toBeNull();
  });

  it('two forms printed side by side on one page both claim a cell: no tie', () => {
    const twin = [
      project(1, 'p1 [50,100,250,120]', [indicator(1, 'p1 [50,200,100,220]', 'p1 [100,200,150,220]')]),
      project(2, 'p1 [300,100,500,120]', [indicator(1, 'p1 [300,200,350,220]', 'p1 [350,200,400,220]')]),
    ];
    const [f] = tieFindings(twin, [finding('OCR_LOW_CONFIDENCE', 'p1 [200,150,250,170]')]);
    expect(f!.project).toBeNull();
  });

  it('dumps: a cell of an indicator line, by line and column', () => {
    const dump = [project(1, 'line 1', [indicator(1, 'line 5 col 3', 'line 5 col 4'), indicator(2, 'line 6 col 3', 'line 6 col 4')])];
    expect(tieFindings(dump, [finding('VALUE_UNPARSED', 'line 6 col 4', 1)])[0]).toMatchObject({ project: 1, indicator: 2, field: 'value_text' });
    expect(tieFindings(dump, [finding('ROW_MISALIGNED', 'line 5', 1)])[0]).toMatchObject({ indicator: 1, field: 'indicators' });
    expect(tieFindings(dump, [finding('LABEL_REPAIRED', 'line 3 col 1')])[0]).toMatchObject({ project: 1 });
  });
});

describe('OCR findings of a scan carry their project, indicator and cell', () => {
  // tesseract.js: on this scan it leaves cells to check (PP-OCR reads them all with confidence).
  const extractors = inProcessExtractors({ ocrEngine: 'tesseract' });
  afterAll(() => extractors.close());

  it('form-300.pdf: every OCR note inside an indicator row names that indicator; value-cell notes say value_text', async () => {
    const r = await extractFile(join(FIXTURES, 'scan', 'form-300.pdf'), { extractors });
    expect(r.document.source_kind).toBe('scan');
    const p = r.projects[0]!;
    const ocr = r.findings.filter((f) => f.code.startsWith('OCR_'));
    expect(ocr.length).toBeGreaterThan(0);
    // Every indicator keeps its name cell and its value cell.
    expect(p.indicators.every((i) => placeOf(i.source_ref) !== null && placeOf(i.value_ref) !== null)).toBe(true);
    let atValues = 0;
    for (const f of ocr) {
      const at = placeOf(f.location)!;
      const row = p.indicators.find((i) => {
        const a = placeOf(i.source_ref)!;
        const b = placeOf(i.value_ref)!;
        return a.page === at.page && at.y0 >= Math.min(a.y0, b.y0) - 2 && at.y1 <= Math.max(a.y1, b.y1) + 2;
      });
      if (!row) continue;
      expect(f.project, `${f.code} at ${f.location}`).toBe(p.ordinal);
      expect(f.indicator, `${f.code} at ${f.location}`).toBe(row.ordinal);
      if (f.location === row.value_ref) {
        atValues++;
        expect(f.field).toBe(f.code === 'OCR_SUSPECT_COMPARATOR' ? 'comparator' : 'value_text');
      }
    }
    // Before this, no OCR finding had a project: on a one-form scan each one now has.
    expect(ocr.every((f) => f.project === p.ordinal || placeOf(f.location) === null)).toBe(true);
    console.log(`form-300.pdf: ${ocr.length} OCR findings, ${ocr.filter((f) => f.indicator).length} tied to an indicator, ${atValues} at a value cell`);
  }, 180_000);
});
