// The data dictionary shipped with an analyst export: every column of every file, what it means
// and its unit. Columns are listed from the exporter's own table definitions, so a column added
// there without a description here is caught by the test, not discovered by an analyst.
import { FINDINGS, type FindingSpec } from '../model/findings.js';
import { EXPORT_TABLES } from '../store/exporter.js';
import { FINDINGS_SUMMARY_COLUMNS } from './subset.js';

type Entry = readonly [meaning: string, unit: string];

const SOURCE_REF: Entry = ['where on the form the row was read: `line N` in a text dump, `pN [x0,y0,x1,y1]` on a PDF page', ''];
const PROJECT_ID: Entry = ['project key: first 12 hex digits of doc_id, a dash, the project ordinal', ''];
const DOC_ID: Entry = ['document key: sha256 of the file bytes (hex); the same file under another name has the same doc_id', ''];

export const COLUMN_DICTIONARY: Record<string, Record<string, Entry>> = {
  documents: {
    doc_id: DOC_ID,
    source_path: ['path of the file when it was ingested', ''],
    source_kind: ['how the file was read: text (dump), pdf (text layer), scan (OCR)', ''],
    variant: ['form family: mianyang, luan, suining, qinyang, hongshan, or generic (label-driven)', ''],
    pages: ['pages in the document', 'pages'],
    project_count: ['project forms read from the document', 'projects'],
    status: ['ok; partial (records were read, but part of the document could not be, or was read without certainty: the codes are in partial_reasons); failed (nothing usable could be read, see error). Findings about numbers that disagree never change the status', ''],
    error: ['why a failed document could not be read; empty for ok and partial ones (a partial one says why in partial_reasons)', ''],
    pipeline_version: ['govtables version that read the document', ''],
    ingested_at: ['when the document was stored (UTC, ISO 8601)', 'timestamp'],
    partial_reasons: ['for a partial document, the finding codes that made it partial, `;` between them (see findings_summary.csv for what each means)', ''],
  },
  projects: {
    project_id: PROJECT_ID,
    doc_id: DOC_ID,
    ordinal: ['position of the project form in the document, from 1', ''],
    variant: ['form family of the document', ''],
    province: ['province of the issuing government', ''],
    region: ['city or district of the issuing government', ''],
    fiscal_year: ['budget year of the form', 'year'],
    form_title: ['title printed on the form', ''],
    agency: ['reporting or implementing agency as printed (填报单位 / 实施单位 / 单位名称 …)', ''],
    supervising_agency: ['supervising department (主管部门)', ''],
    project_name: ['project name (项目名称)', ''],
    project_code: ['project code as printed', ''],
    project_attribute: ['project attribute (项目属性), e.g. 经常性项目', ''],
    project_type: ['project type (项目类型)', ''],
    assessment_level: ['assessment level (考核级次), the ticked box', ''],
    function_code: ['functional classification code (功能科目编码)', ''],
    function_name: ['functional classification name', ''],
    annual_budget_yuan: ["this year's amount (项目预算金额, 年度资金总额, 项目总额, 项目当年预算)", 'yuan'],
    period_budget_yuan: ['amount over the whole period (中期资金总额, 实施期资金总额, 项目总预算)', 'yuan'],
    period_label: ['implementation period as printed, e.g. 2021-2023', ''],
    period_start: ['first day of the period', 'ISO date'],
    period_end: ['last day of the period', 'ISO date'],
    manager: ['project manager (项目负责人 / 项目经办人)', ''],
    manager_phone: ["manager's telephone number", ''],
    overview: ['project overview (项目概况, 职能职责与活动, 项目主要内容)', ''],
    annual_goal: ['annual performance goal', ''],
    period_goal: ['goal over the whole period', ''],
    execution_weight_pct: ['weight of the budget execution rate in the assessment (预算执行率权重)', '%'],
    source_ref: SOURCE_REF,
    form_key: ['province, region, fiscal_year, agency and project_name, folded (spacing, width, punctuation) and joined by a vertical bar: the same form in two files has one key', ''],
    duplicate_of: ['the project counted instead of this one: the same form stored from another file, read from a better source (text over scan, then fewer findings); empty for a form counted here', ''],
  },
  indicators: {
    project_id: PROJECT_ID,
    ordinal: ['position of the indicator in the project, from 1; annual and period rows of one indicator share it', ''],
    horizon: ['annual (this year) or period (mid-term / whole period)', ''],
    level1: ['first-level indicator: 产出指标, 效益指标 or 满意度指标', ''],
    level2: ['second-level indicator, normalised (数量指标, 质量指标, 时效指标, 成本指标, …)', ''],
    name: ['third-level indicator name as printed', ''],
    value_text: ['target value as printed', ''],
    comparator: ['>=, <=, >, <, =; empty when the target is qualitative', ''],
    value_num: ['numeric target', 'value_unit'],
    value_unit: ['unit of value_num as printed (%, 分钟, 万人, 元 …)', ''],
    weight_pct: ['weight of the indicator in the assessment', '%'],
    direction: ['positive (more is better) or negative (less is better)', ''],
    note: ['remark printed with the indicator', ''],
    source_ref: ['where the name cell (or the first cell of the row) is: `line N col K` in a text dump, `pN [x0,y0,x1,y1]` on a PDF page or scan', ''],
    value_ref: ['where the value cell is, in the same form as source_ref; empty when the row has none', ''],
  },
  cost_items: {
    project_id: PROJECT_ID,
    ordinal: ['position of the item in the project, from 1', ''],
    item: ['what is bought or paid for', ''],
    quantity: ['quantity', 'unit'],
    unit: ['unit of the quantity as printed', ''],
    unit_price_yuan: ['price per unit', 'yuan'],
    amount_yuan: ['amount of the item', 'yuan'],
    source: ['indicator (a priced cost indicator) or detail (a 项目支出明细 table row)', ''],
    source_ref: SOURCE_REF,
  },
  funding: {
    project_id: PROJECT_ID,
    horizon: ['annual or period', ''],
    source: ['funding source as printed (财政拨款, 单位资金, 上年结转 …)', ''],
    amount_yuan: ['amount from this source', 'yuan'],
  },
  budget_lines: {
    doc_id: DOC_ID,
    table_title: ['title of the department budget table', ''],
    row_ordinal: ['row position in the table, from 1', ''],
    code: ['full functional or economic classification code (e.g. 2101504)', ''],
    name: ['row name', ''],
    column: ["the column's header path, e.g. 本年支出/基本支出/人员经费支出", ''],
    amount_yuan: ['amount in the cell', 'yuan'],
    source_ref: SOURCE_REF,
  },
  findings: {
    doc_id: DOC_ID,
    project_id: ['project the finding is about; empty for a finding about the whole document', ''],
    severity: ['error (a value is likely wrong), warning (worth a look), info (a repair that was made)', ''],
    code: ['stable finding code, see findings_summary.csv', ''],
    message: ['what was found, in words', ''],
    location: ['page and line or cell of the finding', ''],
    indicator_ordinal: ['ordinal of the indicator (indicators.csv, with project_id) the finding is about; empty when it is about no one indicator', ''],
    field: ['the column (value_text, annual_budget_yuan …) or the records (funding, cost_items, indicators, budget_lines) the finding is about, where known', ''],
  },
  findings_summary: {
    code: ['finding code', ''],
    severity: ['severity of the findings counted on the row', ''],
    findings: ['findings with this code and severity', 'count'],
    documents: ['documents with at least one such finding', 'count'],
    projects: ['projects with at least one such finding', 'count'],
    meaning: ['what a finding of this code means', ''],
    partial: ['yes when a finding of this code makes its document partial', ''],
  },
};

export interface FileColumns {
  file: string;
  columns: readonly string[];
}

/** The files of an analyst export and their columns, in file order. */
export function exportedFiles(): FileColumns[] {
  return [
    ...EXPORT_TABLES.map((t) => ({ file: `${t.name}.csv`, columns: t.columns.map(([c]) => c) })),
    { file: 'findings_summary.csv', columns: [...FINDINGS_SUMMARY_COLUMNS] },
  ];
}

export function describe(file: string, column: string): Entry | null {
  return COLUMN_DICTIONARY[file.replace(/\.csv$/, '')]?.[column] ?? null;
}

function cell(s: string): string {
  return s.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/**
 * The finding codes as a Markdown table, from the registry (src/model/findings.ts): the README's
 * table is this text (a test keeps it so), and every analyst export carries it.
 */
export function findingCodesMarkdown(): string {
  const rows = (Object.entries(FINDINGS) as [string, FindingSpec][]).map(([code, s]) =>
    `| \`${code}\` | ${s.severity} | ${s.partial ? 'yes' : ''} | ${cell(s.meaning)} |`);
  return ['| code | severity | makes the document `partial` | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

export function dictionaryMarkdown(title: string, lines: readonly string[]): string {
  const out = [`# ${title}`, '', ...lines, '',
    'CSV files: UTF-8, header row, RFC 4180 quoting, `\\n` line ends. Money is yuan (万元 × 10000), a plain',
    'decimal with at most two decimals. An empty cell means unknown or not on the form.', '',
    'These files are meant for spreadsheets: a text cell that begins with `=`, `+`, `-`, `@`, TAB or CR is',
    "prefixed with `'` so that Excel or WPS shows it instead of running it as a formula (OWASP \"CSV",
    'injection"). Strip one leading `\'` from such a cell to get the text as printed. Numeric columns',
    '(money, quantities, weights, years, ordinals) and `comparator` are never prefixed: `-5000` stays a number.', ''];
  for (const f of exportedFiles()) {
    out.push(`## ${f.file}`, '', '| column | meaning | unit |', '|---|---|---|');
    for (const c of f.columns) {
      const [meaning, unit] = describe(f.file, c) ?? ['(not described)', ''];
      out.push(`| \`${c}\` | ${cell(meaning)} | ${cell(unit)} |`);
    }
    out.push('');
  }
  out.push('## Finding codes', '', findingCodesMarkdown(), '');
  return out.join('\n');
}

/** The dictionary as rows (the workbook's `dictionary` sheet): every column of every file. */
export function dictionaryRows(files: readonly FileColumns[] = exportedFiles()): { file: string; column: string; meaning: string; unit: string }[] {
  return files.flatMap((f) => f.columns.map((c) => {
    const [meaning, unit] = describe(f.file, c) ?? ['(not described)', ''];
    return { file: f.file.replace(/\.csv$/, ''), column: c, meaning: meaning.replaceAll('`', ''), unit };
  }));
}
