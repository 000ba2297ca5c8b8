// Variations of the five form families (and layouts none of them fits): other departments,
// projects, numbers and noise. Every expected value here was derived by hand from the fixture
// text following CONTRACT.md, never copied from the pipeline's output.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ExtractResult, Horizon, Indicator, Project } from '../src/model/schema.js';
import { extractFile } from '../src/pipeline/extract.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/variations/', import.meta.url));
const NOW = () => new Date('2024-01-01T00:00:00Z');

async function load(name: string): Promise<ExtractResult> {
  return extractFile(FIXTURES + name, { now: NOW });
}

function project(r: ExtractResult, ordinal: number): Project {
  const p = r.projects.find((x) => x.ordinal === ordinal);
  if (!p) throw new Error(`no project ${ordinal} (have ${r.projects.length})`);
  return p;
}

function ind(p: Project, horizon: Horizon, name: string): Indicator {
  const hit = p.indicators.find((i) => i.horizon === horizon && i.name === name);
  if (!hit) throw new Error(`no ${horizon} indicator "${name}" in "${p.project_name}": ${p.indicators.filter((i) => i.horizon === horizon).map((i) => i.name).join(' | ')}`);
  return hit;
}

function count(p: Project, horizon: Horizon): number {
  return p.indicators.filter((i) => i.horizon === horizon).length;
}

function codes(r: ExtractResult, project?: number): string[] {
  return r.findings.filter((f) => project === undefined || f.project === project).map((f) => f.code);
}

function funding(p: Project): string[] {
  return p.funding.map((f) => `${f.horizon}|${f.source}|${f.amount_yuan}`).sort();
}

type Expect = Partial<Pick<Indicator, 'level1' | 'level2' | 'comparator' | 'value_num' | 'value_unit' | 'weight_pct' | 'direction' | 'note' | 'value_text'>>;

function expectInd(p: Project, horizon: Horizon, name: string, want: Expect): void {
  expect(ind(p, horizon, name), `${p.project_name} / ${horizon} / ${name}`).toMatchObject(want);
}

// ------------------------------------------------------------------------------ Mianyang

describe('mianyang_a_agriculture.txt: other agency, 3 projects, priced cost indicators, continued page', () => {
  let r: ExtractResult;
  beforeAll(async () => { r = await load('mianyang_a_agriculture.txt'); });

  test('document', () => {
    expect(r.document.status).toBe('ok');
    expect(r.document.variant).toBe('mianyang');
    expect(r.document.project_count).toBe(3);
    expect(r.projects).toHaveLength(3);
  });

  test('project heads: names, budgets in yuan (thousands separators), year, agency', () => {
    const want = [
      ['农产品质量安全监测经费', 126500],
      ['动物疫病强制免疫补助经费', 1060000],
      ['农村人居环境整治宣传经费', 45800],
    ] as const;
    want.forEach(([name, yuan], k) => {
      const p = project(r, k + 1);
      expect(p.project_name).toBe(name);
      expect(p.annual_budget_yuan).toBe(yuan);
      expect(p.period_budget_yuan).toBeNull();
      expect(p.fiscal_year).toBe(2021);
      expect(p.agency).toBe('绵阳市农业农村局');
      expect(p.province).toBe('四川省');
      expect(p.region).toBe('绵阳市');
    });
    expect(project(r, 1).function_code).toBe('2130126');
    expect(project(r, 3).period_start).toBe('2021-03-01');
    expect(project(r, 3).period_end).toBe('2021-10-31');
    expect(project(r, 1).overview).toBe('对全市蔬菜、水果、畜禽产品开展例行监测和监督抽查，保障农产品质量安全。');
  });

  test('indicator counts per horizon (continued page joined into project 3)', () => {
    expect(count(project(r, 1), 'annual')).toBe(8);
    expect(count(project(r, 2), 'annual')).toBe(8);
    expect(count(project(r, 3), 'annual')).toBe(7);
    for (const p of r.projects) expect(count(p, 'period')).toBe(0);
  });

  test('carried-down levels and value parsing', () => {
    const p1 = project(r, 1);
    expectInd(p1, 'annual', '监测耗材购置', { level1: '产出指标', level2: '成本指标', comparator: '=', value_num: 36500, value_unit: '元' });
    expectInd(p1, 'annual', '抽检合格率', { level1: '产出指标', level2: '质量指标', comparator: '>=', value_num: 98, value_unit: '%' });
    expectInd(p1, 'annual', '完成时间', { level1: '产出指标', level2: '时效指标', comparator: null, value_num: null });
    expectInd(p1, 'annual', '农产品质量安全监管长效机制', { level1: '效益指标', level2: '可持续影响指标', comparator: null });
    expectInd(p1, 'annual', '群众满意度', { level1: '满意度指标', level2: '服务对象满意度指标', comparator: '>=', value_num: 90, value_unit: '%' });
    const p2 = project(r, 2);
    expectInd(p2, 'annual', '应免畜禽免疫密度', { level2: '质量指标', comparator: '>=', value_num: 90, value_unit: '%', value_text: '≥90%' });
    expectInd(p2, 'annual', '病死畜禽无害化处理', { level1: '效益指标', level2: '生态效益指标', comparator: null });
    expectInd(p2, 'annual', '免疫畜禽数量', { comparator: '=', value_num: 50000, value_unit: '头份' });
    const p3 = project(r, 3);
    expectInd(p3, 'annual', '宣传覆盖行政村比例', { level1: '产出指标', level2: '质量指标', comparator: '=', value_num: 100, value_unit: '%' });
    expectInd(p3, 'annual', '村民满意度', { level1: '满意度指标', level2: '服务对象满意度指标', comparator: '>=', value_num: 92, value_unit: '%' });
    expectInd(p3, 'annual', '发放宣传册', { comparator: '=', value_num: 4000, value_unit: '册' });
  });

  test('a unit that is not in any list (批次) is kept whole', () => {
    expectInd(project(r, 1), 'annual', '抽检样品批次', { level2: '数量指标', comparator: '>=', value_num: 200, value_unit: '批次' });
  });

  test('cost items from priced indicators', () => {
    const items = (p: Project) => p.cost_items.map((c) => [c.item, c.quantity, c.unit, c.unit_price_yuan, c.amount_yuan, c.source]);
    expect(items(project(r, 1))).toEqual([
      ['样品检测费，每批次检测费450元', 200, '批次', 450, 90000, 'indicator'],
      ['监测耗材购置', 1, '项', 36500, 36500, 'indicator'],
    ]);
    expect(items(project(r, 2))).toEqual([
      ['强制免疫疫苗采购', 50000, '头份', 18, 900000, 'indicator'],
      ['防疫人员劳务补助', 300, '人次', 500, 160000, 'indicator'],
    ]);
    expect(project(r, 3).cost_items.map((c) => c.amount_yuan)).toEqual([28800, 17000]);
  });

  test('findings: arithmetic error on project 2 only, stitched page on project 3', () => {
    expect(codes(r, 2)).toContain('COST_ITEM_ARITHMETIC');
    expect(codes(r, 1)).not.toContain('COST_ITEM_ARITHMETIC');
    expect(codes(r, 3)).not.toContain('COST_ITEM_ARITHMETIC');
    expect(codes(r, 3)).toContain('TABLE_STITCHED');
    // Cost items add up to each budget exactly.
    expect(codes(r)).not.toContain('COST_ITEMS_BUDGET_MISMATCH');
  });

  test('no false cost-text finding: "每批次检测费450元" states a unit price, not the item total', () => {
    expect(codes(r, 1)).not.toContain('COST_TEXT_AMOUNT_MISMATCH');
  });
});

describe('mianyang_b_crlf.txt: CRLF line ends, LaTeX values, extra empty cells', () => {
  let r: ExtractResult;
  beforeAll(async () => { r = await load('mianyang_b_crlf.txt'); });

  test('document and projects', () => {
    expect(r.document.status).toBe('ok');
    expect(r.document.variant).toBe('mianyang');
    expect(r.projects.map((p) => [p.project_name, p.annual_budget_yuan, p.fiscal_year])).toEqual([
      ['中小学校园安全保卫服务经费', 2400000, 2021],
      ['学生体质健康监测经费', 36000, 2021],
    ]);
    expect(project(r, 1).agency).toBe('绵阳市教育和体育局');
    expect(project(r, 1).manager_phone).toBe('2212345');
  });

  test('indicators', () => {
    const p1 = project(r, 1);
    const p2 = project(r, 2);
    expect(count(p1, 'annual')).toBe(6);
    expect(count(p2, 'annual')).toBe(5);
    expectInd(p1, 'annual', '专职保安持证上岗率', { level1: '产出指标', level2: '质量指标', comparator: '>=', value_num: 98, value_unit: '%', value_text: '≥98%' });
    expectInd(p1, 'annual', '校园安全事故发生率', { level1: '效益指标', level2: '社会效益指标', comparator: '<=', value_num: 1, value_unit: '%' });
    expectInd(p1, 'annual', '师生及家长满意度', { level1: '满意度指标', level2: '服务对象满意度指标', comparator: '>=', value_num: 95, value_unit: '%' });
    expectInd(p1, 'annual', '配备专职保安人数', { level2: '数量指标', comparator: '>=', value_num: 120, value_unit: '人' });
    expectInd(p2, 'annual', '抽测学生人数', { comparator: '=', value_num: 3000, value_unit: '人' });
    expectInd(p2, 'annual', '抽测设备租赁', { level2: '成本指标', comparator: '=', value_num: 36000, value_unit: '元' });
  });

  test('cost items and clean findings', () => {
    expect(project(r, 1).cost_items.map((c) => [c.quantity, c.unit, c.unit_price_yuan, c.amount_yuan])).toEqual([[12, '月', 200000, 2400000]]);
    expect(project(r, 2).cost_items.map((c) => [c.quantity, c.unit, c.unit_price_yuan, c.amount_yuan])).toEqual([[3, '次', 12000, 36000]]);
    expect(codes(r)).not.toContain('COST_ITEM_ARITHMETIC');
    expect(codes(r)).not.toContain('COST_ITEMS_BUDGET_MISMATCH');
  });
});

// ------------------------------------------------------------------------------ Lu'an

describe("luan_a_education.txt: mid-term and annual, page-break debris, 可持续/影响指标 split, packed cell", () => {
  let r: ExtractResult;
  beforeAll(async () => { r = await load('luan_a_education.txt'); });

  test('document and heads', () => {
    expect(r.document.status).toBe('ok');
    expect(r.document.variant).toBe('luan');
    expect(r.projects).toHaveLength(2);
    const p1 = project(r, 1);
    expect(p1.project_name).toBe('学生资助专项经费');
    expect(p1.annual_budget_yuan).toBe(4200000);
    expect(p1.period_budget_yuan).toBe(12600000);
    expect(p1.fiscal_year).toBe(2022);
    expect(p1.period_label).toBe('2022-2024');
    expect(p1.period_start).toBe('2022-01-01');
    expect(p1.period_end).toBe('2024-12-31');
    expect(p1.agency).toBe('六安市学生资助管理中心');
    expect(p1.region).toBe('六安市');
    const p2 = project(r, 2);
    expect(p2.project_name).toBe('教师培训专项经费');
    expect(p2.annual_budget_yuan).toBe(800000);
    expect(p2.period_budget_yuan).toBe(2400000);
    expect(p2.fiscal_year).toBe(2022);
  });

  test('funding 中期/年度 in 万元', () => {
    expect(funding(project(r, 1))).toEqual([
      'annual|其他资金|200000', 'annual|财政拨款|4000000',
      'period|其他资金|600000', 'period|财政拨款|12000000',
    ].sort());
    expect(funding(project(r, 2))).toEqual(['annual|财政拨款|800000', 'period|财政拨款|2400000']);
    expect(codes(r)).not.toContain('FUNDING_SUM_MISMATCH');
  });

  test('indicator counts per horizon', () => {
    expect(count(project(r, 1), 'period')).toBe(11);
    expect(count(project(r, 1), 'annual')).toBe(11);
    expect(count(project(r, 2), 'period')).toBe(7);
    expect(count(project(r, 2), 'annual')).toBe(7);
  });

  test('values on both horizons', () => {
    const p1 = project(r, 1);
    expectInd(p1, 'period', '资助家庭经济困难学生人数', { level1: '产出指标', level2: '数量指标', comparator: '>=', value_num: 9000, value_unit: '人次' });
    expectInd(p1, 'annual', '资助家庭经济困难学生人数', { level1: '产出指标', level2: '数量指标', comparator: '>=', value_num: 3000, value_unit: '人次' });
    expectInd(p1, 'annual', '发放资助资金批次', { level2: '数量指标', comparator: '=', value_num: 4, value_unit: '批' });
    expectInd(p1, 'period', '项目总成本', { level2: '成本指标', comparator: '<=', value_num: 1260, value_unit: '万' });
    expectInd(p1, 'annual', '项目总成本', { level2: '成本指标', comparator: '<=', value_num: 420, value_unit: '万' });
    const p2 = project(r, 2);
    expectInd(p2, 'period', '培训教师人数', { comparator: '>', value_num: 6000, value_unit: '人' });
    expectInd(p2, 'annual', '培训完成时间', { level2: '时效指标', comparator: null, value_num: null });
    expectInd(p2, 'annual', '参训教师满意率', { level1: '满意度指标', level2: '服务对象满意度指标', comparator: '>=', value_num: 95, value_unit: '%' });
  });

  test('the row after the page break (双重目标 debris) stays under 成本指标', () => {
    for (const h of ['period', 'annual'] as const) {
      expectInd(project(r, 1), h, '人均资助标准', { level1: '产出指标', level2: '成本指标', comparator: '=', value_num: 1400 });
    }
  });

  test('可持续 / 影响指标 split by a page: both rows are 可持续影响指标', () => {
    for (const h of ['period', 'annual'] as const) {
      expectInd(project(r, 1), h, '促进教育公平', { level1: '效益指标', level2: '可持续影响指标', comparator: null });
      expectInd(project(r, 1), h, '资助政策知晓率', { level1: '效益指标', level2: '可持续影响指标', comparator: '>=', value_num: 90, value_unit: '%' });
    }
    expect(codes(r, 1)).toContain('LABEL_FRAGMENT_JOINED');
  });

  test('two indicators packed in one cell, separated by a space', () => {
    for (const h of ['period', 'annual'] as const) {
      expectInd(project(r, 1), h, '学生满意率', { level1: '满意度指标', level2: '服务对象满意度指标', comparator: '>=', value_num: 90, value_unit: '%' });
      expectInd(project(r, 1), h, '家长满意率', { level1: '满意度指标', level2: '服务对象满意度指标', comparator: '>=', value_num: 85, value_unit: '%' });
    }
  });
});

describe('luan_b_gb18030.txt: GB18030-encoded dump', () => {
  let r: ExtractResult;
  beforeAll(async () => { r = await load('luan_b_gb18030.txt'); });

  test('decoded and read', () => {
    expect(r.document.status).toBe('ok');
    expect(r.document.variant).toBe('luan');
    expect(codes(r)).toContain('ENCODING_DETECTED');
    expect(r.projects).toHaveLength(1);
    const p = project(r, 1);
    expect(p.project_name).toBe('城乡居民基本公共卫生服务补助');
    expect(p.agency).toBe('六安市卫生健康委员会');
    expect(p.annual_budget_yuan).toBe(11000000);
    expect(p.period_budget_yuan).toBe(33000000);
    expect(p.fiscal_year).toBe(2021);
    expect(p.period_label).toBe('2021-2023');
    expect(funding(p)).toEqual(['annual|财政拨款|11000000', 'period|财政拨款|33000000']);
  });

  test('indicators', () => {
    const p = project(r, 1);
    expect(count(p, 'period')).toBe(8);
    expect(count(p, 'annual')).toBe(8);
    expectInd(p, 'period', '65岁以上老年人健康管理人数', { level1: '产出指标', level2: '数量指标', comparator: '>', value_num: 15, value_unit: '万人' });
    expectInd(p, 'annual', '65岁以上老年人健康管理人数', { comparator: '>', value_num: 5, value_unit: '万人' });
    expectInd(p, 'annual', '人均补助标准', { level2: '成本指标', comparator: '<=', value_num: 79, value_unit: '元' });
    expectInd(p, 'annual', '补助资金拨付时间', { level2: '时效指标', comparator: null, value_num: null });
    expectInd(p, 'annual', '城乡居民满意率', { level1: '满意度指标', level2: '服务对象满意度指标', comparator: '>=', value_num: 90, value_unit: '%' });
  });
});

// ------------------------------------------------------------------------------ Suining

describe('suining_a_civil.txt: nature/value/unit/weight/direction columns, cut-short funding labels', () => {
  let r: ExtractResult;
  beforeAll(async () => { r = await load('suining_a_civil.txt'); });

  test('document and heads (year printed only in the first title)', () => {
    expect(r.document.status).toBe('ok');
    expect(r.document.variant).toBe('suining');
    expect(r.projects.map((p) => [p.project_name, p.annual_budget_yuan, p.fiscal_year])).toEqual([
      ['社区养老服务补贴', 480000, 2023],
      ['困难群众临时救助', 300000, 2023],
    ]);
    expect(project(r, 1).agency).toBe('市民政局');
    expect(project(r, 1).supervising_agency).toBe('遂宁市民政局');
    expect(project(r, 1).manager).toBe('张丽');
    expect(project(r, 1).execution_weight_pct).toBe(10);
    expect(project(r, 2).execution_weight_pct).toBe(10);
  });

  test('indicator counts: the blank 产出指标 row is not an indicator', () => {
    expect(count(project(r, 1), 'annual')).toBe(6);
    expect(count(project(r, 2), 'annual')).toBe(5);
    expect(count(project(r, 1), 'period')).toBe(0);
  });

  test('comparators from 指标性质 (≥ / 等于 / ≤ / 定性), weights, directions', () => {
    const p1 = project(r, 1);
    expectInd(p1, 'annual', '补贴社区养老服务中心数量', { level1: '产出指标', level2: '数量指标', comparator: '>=', value_num: 60, value_unit: '个', weight_pct: 20, direction: 'positive' });
    expectInd(p1, 'annual', '预算金额', { level2: '成本指标', comparator: '<=', value_num: 48, value_unit: '万元', weight_pct: 10, direction: 'negative' });
    expectInd(p1, 'annual', '居家养老服务覆盖面', { level1: '效益指标', level2: '社会效益指标', comparator: null, value_num: null, value_unit: null, weight_pct: 20, direction: 'positive' });
    expectInd(p1, 'annual', '补贴发放时间', { level2: '时效指标', weight_pct: 10, direction: 'negative' });
    const p2 = project(r, 2);
    expectInd(p2, 'annual', '临时救助人次', { comparator: '>=', value_num: 1500, value_unit: '人次', weight_pct: 30 });
    expectInd(p2, 'annual', '困难群众基本生活保障', { comparator: null, value_num: null });
  });

  test('a full-width ％ in the 度量单位 column is the unit %', () => {
    const p1 = project(r, 1);
    expectInd(p1, 'annual', '服务中心运营达标率', { level2: '质量指标', comparator: '=', value_num: 100, value_unit: '%', weight_pct: 10, direction: 'positive' });
    expectInd(p1, 'annual', '老年人满意度', { level1: '满意度指标', level2: '服务对象满意度指标', comparator: '>=', value_num: 90, value_unit: '%' });
    expectInd(project(r, 2), 'annual', '救助对象认定准确率', { comparator: '>=', value_num: 98, value_unit: '%' });
  });

  test('funding lines, including the cut-short 单位资 (project 2)', () => {
    expect(funding(project(r, 2))).toEqual(['annual|单位资金|50000', 'annual|财政拨款|250000']);
    expect(codes(r, 2)).toContain('LABEL_REPAIRED');
  });

  test('funding lines, including the cut-short 财政专 = 财政专户管理资金 (project 1)', () => {
    expect(funding(project(r, 1))).toEqual(['annual|单位资金|30000', 'annual|财政专户管理资金|50000', 'annual|财政拨款|400000']);
    expect(codes(r, 1)).toContain('LABEL_REPAIRED');
    expect(codes(r, 1)).not.toContain('FUNDING_SUM_MISMATCH');
  });
});

describe('suining_b_bom.txt: UTF-8 BOM, 备注 column, word natures (大于等于 / 小于)', () => {
  let r: ExtractResult;
  beforeAll(async () => { r = await load('suining_b_bom.txt'); });

  test('document and heads', () => {
    expect(r.document.status).toBe('ok');
    expect(r.document.variant).toBe('suining');
    expect(r.projects.map((p) => [p.project_name, p.annual_budget_yuan, p.fiscal_year])).toEqual([
      ['农村公路养护补助', 1205000, 2023],
      ['渡口渡船安全管理', 80000, 2023],
    ]);
    expect(project(r, 1).execution_weight_pct).toBe(20);
    expect(funding(project(r, 1))).toEqual(['annual|单位资金|200000', 'annual|财政拨款|1005000']);
    expect(funding(project(r, 2))).toEqual(['annual|财政拨款|80000']);
    expect(codes(r)).not.toContain('FUNDING_SUM_MISMATCH');
  });

  test('indicators', () => {
    const p1 = project(r, 1);
    const p2 = project(r, 2);
    expect(count(p1, 'annual')).toBe(7);
    expect(count(p2, 'annual')).toBe(3);
    expectInd(p1, 'annual', '农村公路养护里程', { comparator: '>=', value_num: 1200, value_unit: '公里', weight_pct: 20, direction: 'positive', note: '含县乡道' });
    expectInd(p1, 'annual', '每公里养护补助', { level2: '成本指标', comparator: '<=', value_num: 1000, value_unit: '元', direction: 'negative', note: '按里程测算' });
    expectInd(p1, 'annual', '农村公路长效养护机制', { level1: '效益指标', level2: '可持续影响指标', comparator: null });
    expectInd(p2, 'annual', '渡口安全检查次数', { comparator: '>=', value_num: 4, value_unit: '次', weight_pct: 40 });
    expectInd(p2, 'annual', '渡船安全事故起数', { comparator: '<', value_num: 1, value_unit: '起', direction: 'negative' });
  });
});

// ------------------------------------------------------------------------------ Qinyang

describe('qinyang_a_report.txt: narrative, budget tables (one continued, one inconsistent), packed 申报表', () => {
  let r: ExtractResult;
  beforeAll(async () => { r = await load('qinyang_a_report.txt'); });

  test('document', () => {
    expect(r.document.status).toBe('ok');
    expect(r.document.variant).toBe('qinyang');
    expect(r.projects).toHaveLength(2);
  });

  test('budget lines: count, codes rebuilt from 类/款/项 across the page break, column paths', () => {
    // 部门支出总体情况表 (stitched): 14 rows, 31 amounts; 一般公共预算支出情况表: 12 rows, 27 amounts.
    expect(r.budget_lines).toHaveLength(58);
    const t1 = r.budget_lines.filter((b) => b.table_title === '2021年部门支出总体情况表');
    const t2 = r.budget_lines.filter((b) => b.table_title === '2021年一般公共预算支出情况表');
    expect(t1).toHaveLength(31);
    expect(t2).toHaveLength(27);
    expect(new Set(t1.map((b) => b.row_ordinal)).size).toBe(14);
    expect(new Set(t1.map((b) => b.column))).toEqual(new Set(['合计', '基本支出', '项目支出']));
    const line = (t: typeof t1, name: string, column: string) => t.find((b) => b.name === name && b.column === column);
    expect(line(t1, '信息化建设', '项目支出')).toMatchObject({ code: '2101504', amount_yuan: 500000 });
    expect(line(t1, '医保信息系统运维', '合计')).toMatchObject({ code: '2101504', amount_yuan: 300000 });
    expect(line(t1, '医疗保障政策管理', '项目支出')).toMatchObject({ code: '2101505', amount_yuan: 300000 });
    expect(line(t1, '住房公积金', '基本支出')).toMatchObject({ code: '2210201', amount_yuan: 100000 });
    expect(line(t1, '医疗保障管理事务', '合计')).toMatchObject({ code: '21015', amount_yuan: 1600000 });
    expect(line(t1, '社会保障和就业支出', '合计')).toMatchObject({ code: '208', amount_yuan: 150000 });
    expect(line(t1, '合计', '合计')).toMatchObject({ code: null, amount_yuan: 1850000 });
    expect(line(t2, '医疗保障政策管理', '合计')).toMatchObject({ code: '2101505', amount_yuan: 350000 });
  });

  test('budget findings: the continued table is stitched, the inconsistent one flagged', () => {
    const stitched = r.findings.filter((f) => f.code === 'TABLE_STITCHED');
    expect(stitched.some((f) => f.message.includes('2021年部门支出总体情况表'))).toBe(true);
    const mism = r.findings.filter((f) => f.code === 'BUDGET_CHILDREN_MISMATCH');
    expect(mism.length).toBeGreaterThan(0);
    expect(mism.every((f) => f.message.includes('2021年一般公共预算支出情况表'))).toBe(true);
  });

  test('project heads and funding', () => {
    const p1 = project(r, 1);
    expect(p1.project_name).toBe('医保信息系统运维');
    expect(p1.annual_budget_yuan).toBe(300000);
    expect(p1.period_budget_yuan).toBe(900000);
    expect(p1.fiscal_year).toBe(2021);
    expect(p1.agency).toBe('沁阳市医疗保险中心');
    expect(p1.supervising_agency).toBe('沁阳市医疗保障局');
    expect(funding(p1)).toEqual(['annual|财政拨款|300000', 'period|财政拨款|900000']);
    const p2 = project(r, 2);
    expect(p2.project_name).toBe('医疗保障政策管理');
    expect(p2.annual_budget_yuan).toBe(300000);
    expect(p2.period_budget_yuan).toBe(300000);
    expect(p2.fiscal_year).toBe(2021);
  });

  test('packed cells give one indicator each; 指标: alone rows are none', () => {
    const p1 = project(r, 1);
    expect(count(p1, 'period')).toBe(7);
    expect(count(p1, 'annual')).toBe(7);
    for (const h of ['period', 'annual'] as const) {
      expectInd(p1, h, '运维服务器台数', { level1: '产出指标', level2: '数量指标', comparator: '>=', value_num: 20, value_unit: '台' });
      expectInd(p1, h, '系统巡检次数', { level1: '产出指标', level2: '数量指标', comparator: '>=', value_num: 12, value_unit: '次' });
      expectInd(p1, h, '故障响应时间', { level2: '时效指标', comparator: '<=', value_num: 30, value_unit: '分钟' });
      expectInd(p1, h, '参保群众满意度', { level1: '满意度指标', level2: '服务对象满意度指标', comparator: '>=', value_num: 95, value_unit: '%' });
    }
    expectInd(p1, 'period', '运维费用控制', { level2: '成本指标', comparator: '=', value_num: 90, value_unit: '万元' });
    expectInd(p1, 'annual', '运维费用控制', { level2: '成本指标', comparator: '=', value_num: 30, value_unit: '万元' });
    expect(p1.indicators.some((i) => i.level2 === '经济效益指标' || i.level2 === '生态效益指标' || i.level2 === '可持续影响指标')).toBe(false);
  });

  test('labels with stray spaces (产出 指标, 可持 续影 响 指标) and three packed values', () => {
    const p2 = project(r, 2);
    expect(count(p2, 'period')).toBe(8);
    expect(count(p2, 'annual')).toBe(8);
    for (const h of ['period', 'annual'] as const) {
      expectInd(p2, h, '政策宣传活动', { level1: '产出指标', level2: '数量指标', comparator: '>=', value_num: 2, value_unit: '次' });
      expectInd(p2, h, '经办人员培训', { level1: '产出指标', level2: '数量指标', comparator: '>=', value_num: 4, value_unit: '次' });
      expectInd(p2, h, '宣传资料印制', { level1: '产出指标', level2: '数量指标', comparator: '>=', value_num: 3000, value_unit: '份' });
      expectInd(p2, h, '政策知晓率', { level2: '质量指标', comparator: '>=', value_num: 85, value_unit: '%' });
      expectInd(p2, h, '群众政策获得感', { level1: '效益指标', level2: '社会效益指标', comparator: null });
      expectInd(p2, h, '参保人员满意度', { level1: '满意度指标', level2: '服务对象满意度指标', comparator: '>=', value_num: 90, value_unit: '%' });
    }
  });
});

describe('qinyang_b_civil.txt: another department, economic-classification table, shared packed value', () => {
  let r: ExtractResult;
  beforeAll(async () => { r = await load('qinyang_b_civil.txt'); });

  test('document, head, funding', () => {
    expect(r.document.status).toBe('ok');
    expect(r.document.variant).toBe('qinyang');
    expect(r.projects).toHaveLength(1);
    const p = project(r, 1);
    expect(p.project_name).toBe('困难残疾人生活补贴');
    expect(p.annual_budget_yuan).toBe(1200000);
    expect(p.period_budget_yuan).toBe(3600000);
    expect(p.fiscal_year).toBe(2022);
    expect(p.agency).toBe('沁阳市民政局');
    expect(funding(p)).toEqual(['annual|财政拨款|1200000', 'period|财政拨款|3600000']);
  });

  test('budget lines of the basic-expenditure table', () => {
    expect(r.budget_lines).toHaveLength(8);
    expect(r.budget_lines.every((b) => b.table_title === '2022年一般公共预算基本支出情况表' && b.column === '金额' && b.code === null)).toBe(true);
    expect(r.budget_lines.find((b) => b.name === '合计')?.amount_yuan).toBe(423000);
    expect(r.budget_lines.find((b) => b.name === '差旅费')?.amount_yuan).toBe(15000);
  });

  test('indicators', () => {
    const p = project(r, 1);
    expect(count(p, 'period')).toBe(9);
    expect(count(p, 'annual')).toBe(9);
    expectInd(p, 'period', '补贴发放人数', { level2: '数量指标', comparator: '>=', value_num: 3000, value_unit: '人' });
    expectInd(p, 'annual', '补贴发放人数', { level2: '数量指标', comparator: '>=', value_num: 1000, value_unit: '人' });
    expectInd(p, 'annual', '补贴发放月数', { level2: '数量指标', comparator: '=', value_num: 12, value_unit: '个月' });
    // Two packed names, one unnumbered value: both indicators carry it.
    expectInd(p, 'annual', '残疾人生活水平', { level1: '效益指标', level2: '社会效益指标', comparator: '>=', value_num: 90, value_unit: '%' });
    expectInd(p, 'annual', '社会救助兜底保障', { level1: '效益指标', level2: '社会效益指标', comparator: '>=', value_num: 90, value_unit: '%' });
    expectInd(p, 'period', '兜底保障长效机制', { level1: '效益指标', level2: '可持续影响指标', comparator: null });
  });
});

// ------------------------------------------------------------------------------ Hongshan

describe('hongshan_a_civil.txt: 重点项目 ticked, funding block, spending detail ≠ 合计, OCR misreads, 填表说明', () => {
  let r: ExtractResult;
  beforeAll(async () => { r = await load('hongshan_a_civil.txt'); });

  test('document and head', () => {
    expect(r.document.status).toBe('ok');
    expect(r.document.variant).toBe('hongshan');
    expect(r.projects).toHaveLength(1);
    const p = project(r, 1);
    expect(p.project_name).toBe('社区养老服务设施运营补贴');
    expect(p.project_code).toBe('420111-2022-0031');
    expect(p.assessment_level).toBe('重点项目');
    expect(p.annual_budget_yuan).toBe(500000);
    expect(p.period_budget_yuan).toBe(1500000);
    expect(p.fiscal_year).toBe(2022);
    expect(p.agency).toBe('武汉市洪山区民政局');
    expect(p.supervising_agency).toBe('洪山区民政局');
    expect(p.manager).toBe('王刚');
    expect(p.region).toBe('武汉市洪山区');
  });

  test('funding sources', () => {
    expect(funding(project(r, 1))).toEqual(['annual|政府性基金|100000', 'annual|财政拨款|400000']);
    expect(codes(r)).not.toContain('FUNDING_SUM_MISMATCH');
    expect(codes(r)).not.toContain('FUNDING_TOTAL_MISMATCH');
  });

  test('spending detail: 3 items that do not add up to the 合计', () => {
    const p = project(r, 1);
    expect(p.cost_items.map((c) => [c.item, c.amount_yuan, c.source])).toEqual([
      ['运营补贴', 360000, 'detail'],
      ['第三方评估费', 80000, 'detail'],
      ['培训及宣传费', 40000, 'detail'],
    ]);
    expect(codes(r, 1)).toContain('COST_DETAIL_TOTAL_MISMATCH');
  });

  test('indicators: misread 数量指村, 满意度指标 as a 二级 under 效益指标, 填表说明 ignored', () => {
    const p = project(r, 1);
    expect(count(p, 'annual')).toBe(6);
    expect(count(p, 'period')).toBe(0);
    expectInd(p, 'annual', '补贴养老服务设施数量', { level1: '产出指标', level2: '数量指标', comparator: '>=', value_num: 45, value_unit: '个' });
    expectInd(p, 'annual', '单个设施年均补贴', { level1: '产出指标', level2: '成本指标', comparator: '<=', value_num: 0.8, value_unit: '万元' });
    expectInd(p, 'annual', '老年人就近享受养老服务', { level1: '效益指标', level2: '社会效益指标', comparator: null });
    expectInd(p, 'annual', '老年人满意度', { level1: '满意度指标', level2: '服务对象满意度指标', comparator: '>=', value_num: 90, value_unit: '%', note: '通过问卷调查了解老年人满意度' });
    const repaired = r.findings.filter((f) => f.code === 'LABEL_REPAIRED').map((f) => f.message);
    expect(repaired.some((m) => m.includes('坝目名称'))).toBe(true);
    expect(repaired.some((m) => m.includes('数量指村'))).toBe(true);
  });

  test('no false cost-indicator finding: 单个设施年均补贴 is a per-unit cost, not the project total', () => {
    expect(codes(r, 1)).not.toContain('COST_INDICATOR_BUDGET_MISMATCH');
  });
});

describe('hongshan_b_two_forms.txt: two forms in one file, 一般项目 ticked, detail adds up', () => {
  let r: ExtractResult;
  beforeAll(async () => { r = await load('hongshan_b_two_forms.txt'); });

  test('document and heads', () => {
    expect(r.document.status).toBe('ok');
    expect(r.document.variant).toBe('hongshan');
    expect(r.projects.map((p) => [p.project_name, p.annual_budget_yuan, p.period_budget_yuan, p.fiscal_year, p.assessment_level])).toEqual([
      ['背街小巷环境整治', 1205000, 1205000, 2021, '一般项目'],
      ['城市照明设施维护', 800000, 800000, 2021, '一般项目'],
    ]);
    expect(funding(project(r, 1))).toEqual(['annual|财政拨款|1205000']);
    expect(funding(project(r, 2))).toEqual(['annual|财政拨款|800000']);
  });

  test('indicators and cost detail', () => {
    const p1 = project(r, 1);
    const p2 = project(r, 2);
    expect(count(p1, 'annual')).toBe(5);
    expect(count(p2, 'annual')).toBe(4);
    expectInd(p1, 'annual', '整治背街小巷数量', { level2: '数量指标', comparator: '=', value_num: 30, value_unit: '条' });
    expectInd(p1, 'annual', '沿线居民满意度', { level1: '满意度指标', level2: '服务对象满意度指标', comparator: '>=', value_num: 90, value_unit: '%' });
    expectInd(p2, 'annual', '维护路灯数量', { level1: '产出指标', level2: '数量指标', comparator: '>=', value_num: 5000, value_unit: '盏' });
    expectInd(p2, 'annual', '市民满意度', { level1: '满意度指标', level2: '服务对象满意度指标' });
    expect(p1.cost_items.map((c) => c.amount_yuan)).toEqual([605000, 450000, 150000]);
    expect(p2.cost_items.map((c) => c.amount_yuan)).toEqual([500000, 300000]);
    expect(codes(r)).not.toContain('COST_DETAIL_TOTAL_MISMATCH');
    expect(codes(r)).not.toContain('COST_ITEMS_BUDGET_MISMATCH');
    expect(codes(r)).toContain('LEVEL_REMAPPED');
  });
});

// ------------------------------------------------------------------------------ Generic / unknown

describe('generic_a_county.txt: unfamiliar title and region, standard headings', () => {
  let r: ExtractResult;
  beforeAll(async () => { r = await load('generic_a_county.txt'); });

  test('document and head', () => {
    expect(r.document.status).toBe('ok');
    expect(r.document.variant).toBe('generic');
    expect(r.projects).toHaveLength(1);
    const p = project(r, 1);
    expect(p.variant).toBe('generic');
    expect(p.project_name).toBe('乡村文化振兴示范点建设');
    expect(p.annual_budget_yuan).toBe(856000);
    expect(p.fiscal_year).toBe(2023);
    expect(p.form_title).toBe('某某县2023年项目支出绩效目标表');
    expect(p.agency).toBe('某某县文化和旅游局');
    expect(p.annual_goal).toBe('建成乡村文化振兴示范点5个，组织文化惠民演出40场。');
  });

  test('indicators', () => {
    const p = project(r, 1);
    expect(count(p, 'annual')).toBe(8);
    expect(count(p, 'period')).toBe(0);
    expectInd(p, 'annual', '建成示范点数量', { level1: '产出指标', level2: '数量指标', comparator: '=', value_num: 5, value_unit: '个' });
    expectInd(p, 'annual', '文化惠民演出场次', { level1: '产出指标', level2: '数量指标', comparator: '>=', value_num: 40, value_unit: '场' });
    expectInd(p, 'annual', '项目总成本', { level2: '成本指标', comparator: '<=', value_num: 85.6, value_unit: '万元' });
    expectInd(p, 'annual', '示范点长效运营机制', { level1: '效益指标', level2: '可持续影响指标', comparator: null });
    expectInd(p, 'annual', '群众满意度', { level1: '满意度指标', level2: '服务对象满意度指标', comparator: '>=', value_num: 92, value_unit: '%' });
  });
});

describe('generic_c_untitled.txt: no title line, name column first, 目标值 heading', () => {
  let r: ExtractResult;
  beforeAll(async () => { r = await load('generic_c_untitled.txt'); });

  test('two projects read by the label-driven path', () => {
    expect(r.document.status).toBe('ok');
    expect(r.document.variant).toBe('generic');
    expect(r.projects.map((p) => [p.project_name, p.annual_budget_yuan, p.fiscal_year, p.agency])).toEqual([
      ['老旧小区改造配套设施', 3000000, 2024, '某某市住房和城乡建设局'],
      ['城市绿道维护', 450000, 2024, '某某市园林局'],
    ]);
    expect(count(project(r, 1), 'annual')).toBe(3);
    expect(count(project(r, 2), 'annual')).toBe(2);
    expectInd(project(r, 1), 'annual', '改造小区数量', { level1: '产出指标', level2: '数量指标', comparator: '=', value_num: 12, value_unit: '个' });
    expectInd(project(r, 1), 'annual', '居民满意度', { level1: '满意度指标', level2: '服务对象满意度指标', comparator: '>=', value_num: 85, value_unit: '%' });
    expectInd(project(r, 2), 'annual', '维护绿道长度', { level2: '数量指标', comparator: '>=', value_num: 20, value_unit: '公里' });
  });
});

describe('generic_b_letter.txt: a plain letter, no form', () => {
  test('fails with an unrecognised-layout error', async () => {
    const r = await load('generic_b_letter.txt');
    expect(r.document.status).toBe('failed');
    expect(r.document.error).toContain('unrecognised layout');
    expect(r.document.project_count).toBe(0);
    expect(r.projects).toHaveLength(0);
    expect(r.budget_lines).toHaveLength(0);
  });
});
