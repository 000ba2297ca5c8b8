// The data contract's outside, checked on an export folder: the seven files, their columns in
// the contract's words, the closed vocabularies, the formats of money, numbers, dates and keys,
// and the references between the files. Written from CONTRACT.md's text, not from the
// product's own constants, so a constant changed by mistake is caught rather than agreed with.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Each file's contract columns; more may follow (additions are allowed, renames are not). */
export const CONTRACT_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  documents: ['doc_id', 'source_path', 'source_kind', 'variant', 'pages', 'project_count', 'status', 'error', 'pipeline_version', 'ingested_at'],
  projects: [
    'project_id', 'doc_id', 'ordinal', 'variant', 'province', 'region', 'fiscal_year', 'form_title', 'agency',
    'supervising_agency', 'project_name', 'project_code', 'project_attribute', 'project_type', 'assessment_level',
    'function_code', 'function_name', 'annual_budget_yuan', 'period_budget_yuan', 'period_label', 'period_start',
    'period_end', 'manager', 'manager_phone', 'overview', 'annual_goal', 'period_goal', 'execution_weight_pct',
  ],
  indicators: ['project_id', 'ordinal', 'horizon', 'level1', 'level2', 'name', 'value_text', 'comparator', 'value_num', 'value_unit', 'weight_pct', 'direction', 'note'],
  cost_items: ['project_id', 'ordinal', 'item', 'quantity', 'unit', 'unit_price_yuan', 'amount_yuan', 'source'],
  funding: ['project_id', 'horizon', 'source', 'amount_yuan'],
  budget_lines: ['doc_id', 'table_title', 'row_ordinal', 'code', 'name', 'column', 'amount_yuan'],
  findings: ['doc_id', 'project_id', 'severity', 'code', 'message', 'location'],
};

const VARIANT = ['mianyang', 'luan', 'suining', 'qinyang', 'hongshan', 'generic'];
const LEVEL1 = ['产出指标', '效益指标', '满意度指标'];
const LEVEL2 = ['数量指标', '质量指标', '时效指标', '成本指标', '经济效益指标', '社会效益指标', '生态效益指标', '可持续影响指标', '服务对象满意度指标'];
const COMPARATOR = ['>=', '<=', '>', '<', '='];
/** Plain yuan: no thousands separator, no exponent, at most two decimals. */
const YUAN = /^-?(0|[1-9]\d*)(\.\d{1,2})?$/;
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const COUNT = /^(0|[1-9]\d*)$/;
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const SHA256 = /^[0-9a-f]{64}$/;
const UPPER_SNAKE = /^[A-Z][A-Z0-9_]*$/;

export type Row = Record<string, string> & { _line: number };

/**
 * RFC 4180 as the contract has it: `,` between fields, `"` quoting with `""` inside, `\n` line
 * ends. A CR outside quotes is a violation (the contract says `\n`), reported once a file.
 */
export function parseRfc4180(text: string, file: string, problems: string[]): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let sawCr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (c === '\r') { if (!sawCr) problems.push(`${file}: a CR line end (the contract says \\n)`); sawCr = true; }
    else field += c;
  }
  if (quoted) problems.push(`${file}: a quoted field never closed`);
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

function readTable(dir: string, name: string, problems: string[]): Row[] {
  const file = `${name}.csv`;
  const path = join(dir, file);
  if (!existsSync(path)) { problems.push(`${file}: missing`); return []; }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
  } catch {
    problems.push(`${file}: not UTF-8`);
    return [];
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text !== '' && !text.endsWith('\n')) problems.push(`${file}: the last line has no line end`);
  const rows = parseRfc4180(text, file, problems);
  const header = rows.shift() ?? [];
  const want = CONTRACT_COLUMNS[name]!;
  const absent = want.filter((c) => !header.includes(c));
  if (absent.length) problems.push(`${file}: columns missing: ${absent.join(', ')}`);
  // Contract columns come first and in the contract's order; additions follow them.
  else if (want.some((c, k) => header[k] !== c)) problems.push(`${file}: contract columns out of order: ${header.slice(0, want.length).join(',')}`);
  if (new Set(header).size !== header.length) problems.push(`${file}: a column appears twice`);
  return rows.map((r, i) => {
    if (r.length !== header.length) problems.push(`${file}:${i + 2}: ${r.length} fields under a header of ${header.length}`);
    const o: Row = { _line: i + 2 } as Row;
    header.forEach((h, k) => { o[h] = r[k] ?? ''; });
    return o;
  });
}

export interface ContractReport {
  problems: string[];
  rows: Record<string, number>;
}

/** Every way the export in `dir` breaks the contract (none: an empty list). */
export function checkContract(dir: string): ContractReport {
  const problems: string[] = [];
  const t: Record<string, Row[]> = {};
  for (const name of Object.keys(CONTRACT_COLUMNS)) t[name] = readTable(dir, name, problems);
  const say = (file: string, r: Row, what: string) => problems.push(`${file}.csv:${r._line}: ${what}`);
  const shape = (file: string, r: Row, col: string, ok: (v: string) => boolean, what: string) => {
    const v = r[col];
    if (v !== undefined && v !== '' && !ok(v)) say(file, r, `${col} ${JSON.stringify(v)} is not ${what}`);
  };
  const required = (file: string, r: Row, col: string) => { if (!r[col]) say(file, r, `${col} is empty`); };
  const within = (list: readonly string[]) => (v: string) => list.includes(v);

  const docs = new Map<string, Row>();
  for (const r of t.documents!) {
    if (!SHA256.test(r.doc_id ?? '')) say('documents', r, 'doc_id is not a lowercase sha256');
    if (docs.has(r.doc_id!)) say('documents', r, 'doc_id appears twice');
    docs.set(r.doc_id!, r);
    for (const c of ['source_path', 'source_kind', 'status', 'pipeline_version', 'ingested_at']) required('documents', r, c);
    shape('documents', r, 'source_kind', within(['text', 'pdf', 'scan']), 'text, pdf or scan');
    shape('documents', r, 'status', within(['ok', 'partial', 'failed']), 'ok, partial or failed');
    shape('documents', r, 'variant', within(VARIANT), 'a variant');
    if (r.status !== 'failed' && !r.variant) say('documents', r, 'a document that was read has no variant');
    if (r.status === 'failed' && !r.error) say('documents', r, 'failed without an error');
    if (r.status === 'failed' && r.project_count !== '0') say('documents', r, 'failed but holds projects');
    shape('documents', r, 'pages', (v) => COUNT.test(v), 'a count');
    shape('documents', r, 'project_count', (v) => COUNT.test(v), 'a count');
    shape('documents', r, 'ingested_at', (v) => !Number.isNaN(Date.parse(v)) && /^\d{4}-\d{2}-\d{2}T/.test(v), 'an ISO timestamp');
  }

  const projects = new Map<string, Row>();
  const perDoc = new Map<string, number>();
  for (const r of t.projects!) {
    const doc = docs.get(r.doc_id!);
    if (!doc) say('projects', r, `doc_id ${r.doc_id!.slice(0, 12)}… is not in documents.csv`);
    if (r.project_id !== `${r.doc_id!.slice(0, 12)}-${r.ordinal}`) say('projects', r, 'project_id is not <first 12 hex of doc_id>-<ordinal>');
    if (projects.has(r.project_id!)) say('projects', r, 'project_id appears twice');
    projects.set(r.project_id!, r);
    perDoc.set(r.doc_id!, (perDoc.get(r.doc_id!) ?? 0) + 1);
    if (!/^[1-9]\d*$/.test(r.ordinal ?? '')) say('projects', r, 'ordinal is not a positive whole number');
    required('projects', r, 'variant');
    shape('projects', r, 'variant', within(VARIANT), 'a variant');
    if (doc && doc.variant && r.variant !== doc.variant) say('projects', r, `variant ${r.variant} differs from its document's ${doc.variant}`);
    shape('projects', r, 'fiscal_year', (v) => /^(19|20)\d\d$/.test(v), 'a year');
    shape('projects', r, 'annual_budget_yuan', (v) => YUAN.test(v), 'plain yuan');
    shape('projects', r, 'period_budget_yuan', (v) => YUAN.test(v), 'plain yuan');
    shape('projects', r, 'period_start', (v) => ISO_DATE.test(v), 'YYYY-MM-DD');
    shape('projects', r, 'period_end', (v) => ISO_DATE.test(v), 'YYYY-MM-DD');
    if (r.period_start && r.period_end && ISO_DATE.test(r.period_start) && ISO_DATE.test(r.period_end) && r.period_start > r.period_end) say('projects', r, 'period_start after period_end');
    shape('projects', r, 'execution_weight_pct', (v) => NUMBER.test(v), 'a plain number');
  }
  for (const [id, doc] of docs) {
    if (doc.project_count && COUNT.test(doc.project_count) && Number(doc.project_count) !== (perDoc.get(id) ?? 0)) {
      say('documents', doc, `project_count ${doc.project_count} but projects.csv has ${perDoc.get(id) ?? 0}`);
    }
  }

  const indicatorKeys = new Set<string>();
  for (const r of t.indicators!) {
    if (!projects.has(r.project_id!)) say('indicators', r, `project_id ${r.project_id} is not in projects.csv`);
    if (!/^[1-9]\d*$/.test(r.ordinal ?? '')) say('indicators', r, 'ordinal is not a positive whole number');
    required('indicators', r, 'horizon');
    shape('indicators', r, 'horizon', within(['annual', 'period']), 'annual or period');
    const key = `${r.project_id}/${r.ordinal}/${r.horizon}`;
    if (indicatorKeys.has(key)) say('indicators', r, `${key} appears twice`);
    indicatorKeys.add(key);
    shape('indicators', r, 'level1', within(LEVEL1), 'a level 1 of the contract');
    shape('indicators', r, 'level2', within(LEVEL2), 'one of the nine level-2 names');
    shape('indicators', r, 'comparator', within(COMPARATOR), 'a comparator');
    shape('indicators', r, 'value_num', (v) => NUMBER.test(v), 'a plain number');
    if (r.value_num && !r.comparator) say('indicators', r, 'a number without a comparator');
    shape('indicators', r, 'weight_pct', (v) => NUMBER.test(v), 'a plain number');
    shape('indicators', r, 'direction', within(['positive', 'negative']), 'positive or negative');
    if (!r.name && !r.value_text) say('indicators', r, 'neither a name nor a value: not an indicator');
  }
  for (const r of t.cost_items!) {
    if (!projects.has(r.project_id!)) say('cost_items', r, `project_id ${r.project_id} is not in projects.csv`);
    shape('cost_items', r, 'quantity', (v) => NUMBER.test(v), 'a plain number');
    shape('cost_items', r, 'unit_price_yuan', (v) => YUAN.test(v), 'plain yuan');
    shape('cost_items', r, 'amount_yuan', (v) => YUAN.test(v), 'plain yuan');
    required('cost_items', r, 'source');
    shape('cost_items', r, 'source', within(['indicator', 'detail']), 'indicator or detail');
  }
  for (const r of t.funding!) {
    if (!projects.has(r.project_id!)) say('funding', r, `project_id ${r.project_id} is not in projects.csv`);
    shape('funding', r, 'horizon', within(['annual', 'period']), 'annual or period');
    required('funding', r, 'source');
    shape('funding', r, 'amount_yuan', (v) => YUAN.test(v), 'plain yuan');
  }
  for (const r of t.budget_lines!) {
    if (!docs.has(r.doc_id!)) say('budget_lines', r, 'doc_id is not in documents.csv');
    shape('budget_lines', r, 'row_ordinal', (v) => /^[1-9]\d*$/.test(v), 'a positive whole number');
    shape('budget_lines', r, 'code', (v) => /^\d+$/.test(v), 'digits only');
    required('budget_lines', r, 'amount_yuan');
    shape('budget_lines', r, 'amount_yuan', (v) => YUAN.test(v), 'plain yuan');
  }
  for (const r of t.findings!) {
    if (!docs.has(r.doc_id!)) say('findings', r, 'doc_id is not in documents.csv');
    if (r.project_id && !projects.has(r.project_id)) say('findings', r, `project_id ${r.project_id} is not in projects.csv`);
    if (r.project_id && projects.get(r.project_id)?.doc_id !== r.doc_id) say('findings', r, 'project_id belongs to another document');
    required('findings', r, 'severity');
    shape('findings', r, 'severity', within(['error', 'warning', 'info']), 'error, warning or info');
    if (!UPPER_SNAKE.test(r.code ?? '')) say('findings', r, `code ${JSON.stringify(r.code)} is not UPPER_SNAKE`);
    required('findings', r, 'message');
  }
  return { problems, rows: Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.length])) };
}
