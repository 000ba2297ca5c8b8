// The probes of forms nobody here had seen, one test each: what used to lose a table, or come
// out wrong and `ok`, and what a reader gets now. The forms are small hand-made dumps in the
// layouts real bureaus print; every expectation was worked out by hand from the text.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Row } from '../src/extract/rows.js';
import type { ExtractResult } from '../src/model/schema.js';
import { NormalizeContext } from '../src/normalize/context.js';
import { normalizeRows } from '../src/normalize/engine.js';
import { GENERIC } from '../src/normalize/variants/index.js';
import { extractBytes } from '../src/pipeline/extract.js';

const NOW = () => new Date('2026-01-01T00:00:00Z');
const read = (text: string, name = 'probe.txt') => extractBytes(Buffer.from(text), name, { now: NOW });
const inds = (r: ExtractResult, project = 1) => r.projects[project - 1]!.indicators.map((i) => `${i.level2} | ${i.name} | ${i.comparator ?? ''}${i.value_num ?? ''}${i.value_unit ?? ''}${i.comparator ? '' : i.value_text}`);
const codes = (r: ExtractResult) => r.findings.map((f) => f.code);

const HEAD = '2023年项目支出绩效目标表\n项目名称\t社区卫生服务补助\n实施单位\t某县卫生健康局\n年度资金总额（万元）\t50\n';

describe('probes: forms nobody here had seen', () => {
  it('a header label misread by one character (指标伹) no longer loses the table of every project', async () => {
    const form = (name: string) => `2021年项目资金绩效目标申报表\n项目名称\t${name}\n项目当年预算\t10\n一级指标\t二级指标\t指标名称\t指标伹\n产出指标\t数量指标\t宣传次数\t≥3次\n满意度指标\t服务对象满意度指标\t群众满意度\t≥90%\n\n`;
    const r = await read(form('项目甲') + form('项目乙'));
    expect(r.projects).toHaveLength(2);
    for (const p of [1, 2]) expect(inds(r, p)).toEqual(['数量指标 | 宣传次数 | >=3次', '服务对象满意度指标 | 群众满意度 | >=90%']);
    expect(codes(r)).toContain('LABEL_REPAIRED');
    expect(codes(r)).not.toContain('NO_INDICATORS');
    expect(r.document.status).toBe('ok');
  });

  it('a 序号 column in front: names are names, not row numbers', async () => {
    const r = await read(`${HEAD}序号\t一级指标\t二级指标\t三级指标\t指标值\n1\t产出指标\t数量指标\t签约服务人数\t≥3000人\n2\t\t质量指标\t随访完成率\t≥95%\n3\t效益指标\t社会效益指标\t群众健康意识\t明显提高\n`);
    expect(inds(r)).toEqual(['数量指标 | 签约服务人数 | >=3000人', '质量指标 | 随访完成率 | >=95%', '社会效益指标 | 群众健康意识 | 明显提高']);
    expect(r.document.status).toBe('ok');
  });

  it('a 序号 column no heading names: row numbers are neither names nor labels', async () => {
    const r = await read(`${HEAD}\t一级指标\t二级指标\t三级指标\t指标值\n1\t产出指标\t数量指标\t签约服务人数\t≥3000人\n2\t\t质量指标\t随访完成率\t≥95%\n`);
    expect(inds(r)).toEqual(['数量指标 | 签约服务人数 | >=3000人', '质量指标 | 随访完成率 | >=95%']);
    expect(r.findings).toEqual([]);
    expect(r.document.status).toBe('ok');
  });

  it('a names column whose heading was lost is found by what it holds, and said', async () => {
    // The 三级指标 heading is gone: names stand under no heading, values under 指标值.
    const r = await read(`${HEAD}一级指标\t二级指标\t\t指标值\n产出指标\t数量指标\t签约服务人数\t≥3000人\n\t质量指标\t随访完成率\t≥95%\n\t时效指标\t完成时间\t年底前\n`);
    expect(inds(r)).toEqual(['数量指标 | 签约服务人数 | >=3000人', '质量指标 | 随访完成率 | >=95%', '时效指标 | 完成时间 | 年底前']);
    expect(codes(r)).toContain('HEADER_ROLE_INFERRED');
  });

  it('an indicator named like its level 2 keeps its name', async () => {
    const r = await read(`${HEAD}一级指标\t二级指标\t三级指标\t指标值\n满意度指标\t服务对象满意度指标\t服务对象满意度\t≥90%\n\t\t群众满意度\t≥85%\n`);
    expect(inds(r)).toEqual(['服务对象满意度指标 | 服务对象满意度 | >=90%', '服务对象满意度指标 | 群众满意度 | >=85%']);
  });

  it('project-name, money and agency labels other than the seeds’ are read', async () => {
    const body = '一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t培训次数\t≥2次\n';
    const cases: [string, string, number][] = [
      ['项目支出名称\t城乡环境整治\n预算单位\t某县住建局\n年度资金申请总额（万元）\t120\n', '某县住建局', 1_200_000],
      ['专项名称\t城乡环境整治\n预算单位：某县住建局\n当年年度预算\t120万元\n', '某县住建局', 1_200_000],
      ['专项（项目）名称：城乡环境整治\n部门（单位）名称\t某县住建局\n项目金额（元）\t1200000\n', '某县住建局', 1_200_000],
    ];
    for (const [head, agency, yuan] of cases) {
      const r = await read(`2023年项目绩效目标表\n${head}${body}`);
      expect(r.projects.map((p) => [p.project_name, p.agency, p.annual_budget_yuan]), head).toEqual([['城乡环境整治', agency, yuan]]);
    }
  });

  it('several projects under one department heading are all read, each with the department', async () => {
    const project = (name: string, n: number) => `项目名称\t${name}\n年度资金总额\t${n}\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t完成数量\t${n}个\n`;
    const r = await read(`某县农业农村局2023年部门项目绩效目标表\n单位名称：某县农业农村局\n金额单位：万元\n${project('高标准农田建设', 10)}${project('农村道路养护', 20)}${project('农业技术推广', 30)}`);
    expect(r.projects.map((p) => [p.project_name, p.agency, p.annual_budget_yuan, p.indicators.length])).toEqual([
      ['高标准农田建设', '某县农业农村局', 100_000, 1],
      ['农村道路养护', '某县农业农村局', 200_000, 1],
      ['农业技术推广', '某县农业农村局', 300_000, 1],
    ]);
  });

  it('a title with a remark in brackets opens its form: the first form is not lost in the text before the titles', async () => {
    const form = (name: string, remark: string) => `2022年预算项目支出绩效目标申报表${remark}\n项目名称\t${name}\n项目总额\t25万元\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t培训次数\t≥2次\n\n`;
    const r = await read(form('信息化建设经费', '（运转类中的其他运转类）') + form('办公设备更新购置', ''));
    expect(r.projects.map((p) => p.project_name)).toEqual(['信息化建设经费', '办公设备更新购置']);
  });

  it('two dumps run together by cat (the first without a final newline) give both forms, and the region is not silently wrong', async () => {
    const dir = new URL('../fixtures/text/', import.meta.url);
    const [mianyang, suining] = ['000_6f0229354a83724c.txt', '002_3903fb4e2e6b4dba.txt'].map((f) => readFileSync(new URL(f, dir)));
    const alone = await extractBytes(suining!, 'b.txt', { now: NOW });
    expect(mianyang!.at(-1)).not.toBe(0x0a);
    const both = await extractBytes(Buffer.concat([mianyang!, suining!]), 'ab.txt', { now: NOW });
    const first = await extractBytes(mianyang!, 'a.txt', { now: NOW });
    const key = (p: ExtractResult['projects'][number]) => `${p.project_name} ${p.annual_budget_yuan} ${p.indicators.map((i) => `${i.name}=${i.value_text}`).join(',')}`;
    expect(both.projects.map(key)).toEqual([...first.projects, ...alone.projects].map(key));
    // One layout is chosen for the file: the second city's projects name their own city's bureau.
    expect(both.projects.at(-1)!.region).toBe('绵阳市');
    expect(codes(both).filter((c) => c === 'REGION_CONFLICT').length).toBeGreaterThan(0);
    expect(both.document.status).toBe('partial');
    expect(codes(first)).not.toContain('REGION_CONFLICT');
    expect(codes(alone)).not.toContain('REGION_CONFLICT');
  });

  it('an indicator table no form could take is said, and the document is partial', async () => {
    const r = await read(`一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t培训次数\t≥2次\n\n2023年项目支出绩效目标表\n项目名称\t某项目\n年度资金总额（万元）\t5\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t宣传次数\t≥3次\n`);
    expect(codes(r)).toContain('TABLE_UNREAD');
    expect(r.document.status).toBe('partial');
  });

  it('on a scan, a header read as 指标值一包含数字及文字描述) still heads the values', () => {
    // Rows as the OCR extractor gives them: cells with boxes on the page.
    const box = (x0: number, x1: number, y: number): [number, number, number, number] => [x0, y, x1, y + 20];
    const cols: [number, number][] = [[40, 120], [120, 220], [220, 420], [420, 600]];
    const row = (y: number, texts: string[]): Row => ({
      page: 1, box: [40, y, 600, y + 20],
      cells: texts.map((text, col) => ({ text, col, box: box(cols[col]![0], cols[col]![1], y), conf: 90 })).filter((c) => c.text !== ''),
    });
    const rows: Row[] = [
      { page: 1, cells: [{ text: '项目支出绩效目标申报表', col: 0, box: [200, 20, 400, 40] }] },
      row(60, ['项目名称', '社区养老服务补助', '', '']),
      row(80, ['项目预算金额', '560000', '', '']),
      row(100, ['一级指标', '二级指标', '三级指标', '指标值一包含数字及文字描述)']),
      row(120, ['产出指标', '数量指标', '补助养老机构数', '12家']),
      row(140, ['', '质量指标', '服务达标率', '≥95%']),
      row(160, ['满意度指标', '服务对象满意度', '服务对象满意度', '≥90%']),
    ];
    const ctx = new NormalizeContext('scan.pdf', '万元');
    const n = normalizeRows(rows, GENERIC, ctx);
    expect(n.projects[0]!.indicators.map((i) => `${i.level2} | ${i.name} | ${i.value_text}`)).toEqual([
      '数量指标 | 补助养老机构数 | 12家', '质量指标 | 服务达标率 | ≥95%', '服务对象满意度指标 | 服务对象满意度 | ≥90%',
    ]);
    expect(ctx.findings.map((f) => f.code)).not.toContain('NO_INDICATORS');
  });

  it('a head field run into the label below it (a rule lost under a seal) is said, and the document is partial', async () => {
    const body = '一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t培训次数\t≥2次\n';
    const runOn = await read(`2023年项目支出绩效目标表\n项目名称\t社区卫生服务补助年度目标\n实施单位\t某县卫生健康局\n年度资金总额（万元）\t50\n${body}`);
    expect(runOn.findings.find((f) => f.code === 'FIELD_RUN_ON')?.message).toContain('"年度目标"');
    expect(runOn.document.status).toBe('partial');
    const agency = await read(`2023年项目支出绩效目标表\n项目名称\t社区卫生服务补助\n实施单位\t某县卫生健康局项目负责人\n年度资金总额（万元）\t50\n${body}`);
    expect(codes(agency)).toContain('FIELD_RUN_ON');
    // Names that end the way names do, in words that are also short labels or parts of labels, are names.
    for (const name of ['农村公路养护专项资金', '基本医疗保险基金', '城乡居民医疗救助资金', '网络维护费及基本医疗磁卡成本费', '绩效目标管理培训']) {
      const r = await read(`2023年项目支出绩效目标表\n项目名称\t${name}\n实施单位\t某县卫生健康局\n年度资金总额（万元）\t50\n${body}`);
      expect([name, codes(r)]).toEqual([name, expect.not.arrayContaining(['FIELD_RUN_ON'])]);
      expect(r.projects[0]!.project_name).toBe(name);
    }
  });

  it('stacked 长期/年度 blocks whose label stands in the header row give period rows, then annual rows', async () => {
    const block = (label: string, rows: string) => `${label}\t一级指标\t二级指标\t三级指标\t指标值\n${rows}`;
    const r = await read(`${HEAD}${block('长期绩效指标', '\t产出指标\t数量指标\t建成农田面积\t≥5万亩\n\t效益指标\t经济效益指标\t亩均增产\t≥50公斤\n')}${block('年度绩效指标', '\t产出指标\t数量指标\t建成农田面积\t≥1.5万亩\n\t\t质量指标\t验收合格率\t100%\n')}`);
    expect(r.projects[0]!.indicators.map((i) => `${i.ordinal} ${i.horizon} ${i.level2} ${i.name} ${i.value_text}`)).toEqual([
      '1 period 数量指标 建成农田面积 ≥5万亩', '2 period 经济效益指标 亩均增产 ≥50公斤',
      '3 annual 数量指标 建成农田面积 ≥1.5万亩', '4 annual 质量指标 验收合格率 100%',
    ]);
    // A value heading that names its horizon keeps it, whatever label stands beside it.
    const named = await read(`${HEAD}绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\n\t产出指标\t数量指标\t建成农田面积\t≥1.5万亩\n`);
    expect(named.projects[0]!.indicators.map((i) => i.horizon)).toEqual(['annual']);
  });

  it('an amount under a label that is no known budget label is said, never silently dropped', async () => {
    const body = '一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t培训次数\t≥2次\n';
    const form = (money: string) => read(`2023年项目支出绩效目标表\n项目名称\t城乡环境整治\n实施单位\t某县住建局\n${money}\n${body}`);
    // Labels that say they label money, by a unit in brackets or an amount in 万元 after a money word.
    for (const money of ['预算数（万元）\t50', '总投资（万元）\t50', '资金规模(万元):50', '2023年预算金额（万元）\t50', '总投资\t50万元']) {
      const r = await form(money);
      expect([money, r.projects[0]!.annual_budget_yuan, codes(r)]).toEqual([money, null, ['MONEY_LABEL_UNKNOWN']]);
      expect(r.document.status).toBe('partial');
    }
    // Spellings of this year's amount other than the seeds' are read.
    for (const money of ['年度预算（万元）\t50', '申请金额（万元）\t50', '本年度资金（万元）\t50', '年度预算数\t50万元']) {
      const r = await form(money);
      expect([money, r.projects[0]!.annual_budget_yuan, codes(r)]).toEqual([money, 500_000, []]);
    }
    // Text that is no money label, and a budget read beside an unknown amount, say nothing.
    for (const money of ['项目概况\t新建垃圾中转站2座，总投资约50万元', '补助标准（元）\t120\n年度资金总额（万元）\t50', '总投资（万元）\t80\n年度资金总额（万元）\t50']) {
      const r = await form(money);
      expect([money, codes(r)]).toEqual([money, []]);
    }
  });

  it('amounts in full-width digits or with traditional 萬元 carry their unit', async () => {
    const body = '一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t培训次数\t≥2次\n';
    for (const [money, yuan] of [['年度资金总额\t１２．５万元', 125_000], ['年度資金總額（萬元）\t８０', 800_000], ['年度资金总额\t3萬元', 30_000]] as const) {
      const r = await read(`2023年项目支出绩效目标表\n项目名称\t城乡环境整治\n实施单位\t某县住建局\n${money}\n${body}`);
      expect([money, r.projects[0]!.annual_budget_yuan, codes(r)]).toEqual([money, yuan, []]);
    }
  });

  it('a second column of targets under a heading no role names (2024年目标值, 预期值) is said, not dropped silently', async () => {
    const table = (h1: string, h2: string) => `${HEAD}一级指标\t二级指标\t三级指标\t${h1}\t${h2}\n产出指标\t数量指标\t签约服务人数\t≥3000人\t≥3500人\n\t质量指标\t随访完成率\t≥95%\t≥96%\n`;
    for (const [h1, h2] of [['2023年目标值', '2024年目标值'], ['计划值', '预期值']]) {
      const r = await read(table(h1!, h2!));
      expect(inds(r)).toEqual(['数量指标 | 签约服务人数 | >=3000人', '质量指标 | 随访完成率 | >=95%']);
      expect(r.findings.find((f) => f.code === 'VALUE_COLUMNS_UNREAD')?.message).toContain(`"${h2}"`);
      expect(r.document.status).toBe('partial');
    }
    // Actual results beside the targets (a self-evaluation form) are no targets: nothing to say.
    const actual = await read(table('年度指标值', '实际完成值').replace(/≥3500人/, '3120人').replace(/≥96%/, '93%'));
    expect(inds(actual)).toEqual(['数量指标 | 签约服务人数 | >=3000人', '质量指标 | 随访完成率 | >=95%']);
    expect(codes(actual)).toEqual([]);
  });

  it('a name or value run onto a line of its own is joined to the row above, and said', async () => {
    const r = await read(`${HEAD}一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t家庭医生签约服务重点人群\t≥3000人\n\t\t覆盖人数\t\n\t时效指标\t资金拨付\t2023年12月底\n\t\t\t前\n\t质量指标\t随访完成率\t≥95%\n`);
    expect(inds(r)).toEqual(['数量指标 | 家庭医生签约服务重点人群覆盖人数 | >=3000人', '时效指标 | 资金拨付 | 2023年12月底前', '质量指标 | 随访完成率 | >=95%']);
    expect(r.projects[0]!.indicators.map((i) => i.ordinal)).toEqual([1, 2, 3]);
    expect(r.findings.filter((f) => f.code === 'CELL_CONTINUED')).toHaveLength(1);
    expect(r.document.status).toBe('partial');
    // A row with a level of its own, or with a name and a value, is an indicator of its own.
    const own = await read(`${HEAD}一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t签约服务人数\t≥3000人\n\t质量指标\t随访完成率\t\n\t\t建档率\t≥90%\n`);
    expect(inds(own)).toEqual(['数量指标 | 签约服务人数 | >=3000人', '质量指标 | 随访完成率 | null', '质量指标 | 建档率 | >=90%']);
    expect(codes(own)).not.toContain('CELL_CONTINUED');
  });

  it('a goal or overview printed over several rows is read whole', async () => {
    const body = '一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t签约服务人数\t≥3000人\n';
    const r = await read(`${HEAD}项目概况\t为辖区居民提供签约服务，\n\t覆盖重点人群。\n年度目标\t1.完成签约服务3000人；\n\t2.随访率达到95%以上。\n${body}`);
    expect([r.projects[0]!.overview, r.projects[0]!.annual_goal]).toEqual(['为辖区居民提供签约服务，覆盖重点人群。', '1.完成签约服务3000人；2.随访率达到95%以上。']);
    // A row that starts in the label column, or holds a label, is not the goal's.
    const own = await read(`${HEAD}年度目标\t完成签约服务3000人\n项目负责人\t张三\n绩效说明\t无\n${body}`);
    expect([own.projects[0]!.annual_goal, own.projects[0]!.manager]).toEqual(['完成签约服务3000人', '张三']);
  });

  it('several 标签：值 pairs in one cell are each read, also beside a caption', async () => {
    const body = '一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t签约服务人数\t≥3000人\n';
    const head = '2023年项目支出绩效目标表\n项目名称\t社区卫生服务补助\n实施单位\t某县卫生健康局\n';
    for (const money of ['资金情况\t年度资金总额：50万元 中期资金总额：150万元', '年度资金总额：50万元  中期资金总额：150万元']) {
      const r = await read(`${head}${money}\n${body}`);
      expect([money, r.projects[0]!.annual_budget_yuan, r.projects[0]!.period_budget_yuan, codes(r)]).toEqual([money, 500_000, 1_500_000, []]);
    }
    // Amounts under a unit caption, laid out across (资金来源 ⇥ 合计 ⇥ 财政拨款 over 金额（万元） ⇥ 50 ⇥ 45): said.
    const across = await read(`${head}资金来源\t合计\t财政拨款\t其他资金\n金额（万元）\t50\t45\t5\n${body}`);
    expect(across.projects[0]!.annual_budget_yuan).toBeNull();
    expect(codes(across)).toEqual(['MONEY_LABEL_UNKNOWN']);
    expect(across.document.status).toBe('partial');
  });
});
