// The records govtables produces: one zod schema per output table of CONTRACT.md, and the
// types every other module uses are inferred from here (never written out a second time).
import { z } from 'zod';

export const VARIANTS = ['mianyang', 'luan', 'suining', 'qinyang', 'hongshan', 'generic'] as const;
export const Variant = z.enum(VARIANTS);
export type Variant = z.infer<typeof Variant>;

export const LEVEL1 = ['产出指标', '效益指标', '满意度指标'] as const;
export const LEVEL2 = [
  '数量指标', '质量指标', '时效指标', '成本指标',
  '经济效益指标', '社会效益指标', '生态效益指标', '可持续影响指标',
  '服务对象满意度指标',
] as const;
export const Level1 = z.enum(LEVEL1);
export type Level1 = z.infer<typeof Level1>;
export const Level2 = z.enum(LEVEL2);
export type Level2 = z.infer<typeof Level2>;

export const SourceKind = z.enum(['text', 'pdf', 'scan']);
export type SourceKind = z.infer<typeof SourceKind>;
export const DocStatus = z.enum(['ok', 'partial', 'failed']);
export type DocStatus = z.infer<typeof DocStatus>;
export const Horizon = z.enum(['annual', 'period']);
export type Horizon = z.infer<typeof Horizon>;
export const Comparator = z.enum(['>=', '<=', '>', '<', '=']);
export type Comparator = z.infer<typeof Comparator>;
export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/** Money in yuan: a finite number rounded to fen; serialised as a plain decimal. */
const Yuan = z.number().finite();
const opt = <T extends z.ZodTypeAny>(t: T) => t.nullable();
const text = opt(z.string());

/** Where a record came from: `line 12` in a dump, `p3 [x0,y0,x1,y1]` on a PDF page. */
export const SourceRef = z.string();

export const Indicator = z.object({
  ordinal: z.number().int().positive(),
  horizon: Horizon,
  level1: opt(Level1),
  level2: opt(Level2),
  name: text,
  value_text: text,
  comparator: opt(Comparator),
  value_num: opt(z.number().finite()),
  value_unit: text,
  weight_pct: opt(z.number().finite()),
  direction: opt(z.enum(['positive', 'negative'])),
  note: text,
  /** The name cell (or the first cell of the row). */
  source_ref: text,
  /** The value cell, where the row has one. */
  value_ref: text.optional(),
});
export type Indicator = z.infer<typeof Indicator>;

export const CostItem = z.object({
  ordinal: z.number().int().positive(),
  item: text,
  quantity: opt(z.number().finite()),
  unit: text,
  unit_price_yuan: opt(Yuan),
  amount_yuan: opt(Yuan),
  source: z.enum(['indicator', 'detail']),
  source_ref: text,
});
export type CostItem = z.infer<typeof CostItem>;

export const Funding = z.object({
  horizon: Horizon,
  source: z.string(),
  amount_yuan: opt(Yuan),
  source_ref: text,
});
export type Funding = z.infer<typeof Funding>;

export const Project = z.object({
  ordinal: z.number().int().positive(),
  variant: Variant,
  province: text,
  region: text,
  fiscal_year: opt(z.number().int()),
  form_title: text,
  agency: text,
  supervising_agency: text,
  project_name: text,
  project_code: text,
  project_attribute: text,
  project_type: text,
  assessment_level: text,
  function_code: text,
  function_name: text,
  annual_budget_yuan: opt(Yuan),
  period_budget_yuan: opt(Yuan),
  period_label: text,
  period_start: text,
  period_end: text,
  manager: text,
  manager_phone: text,
  overview: text,
  annual_goal: text,
  period_goal: text,
  execution_weight_pct: opt(z.number().finite()),
  source_ref: text,
  /** Region, fiscal year, agency and project name, normalised (model/formKey.ts): the same form in two files has one key. */
  form_key: text.optional(),
  indicators: z.array(Indicator),
  cost_items: z.array(CostItem),
  funding: z.array(Funding),
});
export type Project = z.infer<typeof Project>;

export const BudgetLine = z.object({
  table_title: z.string(),
  row_ordinal: z.number().int().positive(),
  code: text,
  name: text,
  column: z.string(),
  amount_yuan: Yuan,
  source_ref: text,
});
export type BudgetLine = z.infer<typeof BudgetLine>;

export const Finding = z.object({
  /** Ordinal of the project the finding is about; null for document-level findings. */
  project: opt(z.number().int().positive()),
  severity: Severity,
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  message: z.string(),
  location: text,
  /** Ordinal of the indicator the finding is about, when it is about one. */
  indicator: opt(z.number().int().positive()).optional(),
  /** The field (a column name of the contract: `annual_budget_yuan`, `value_text` …) or the records (`funding`) it is about. */
  field: text.optional(),
});
export type Finding = z.infer<typeof Finding>;

export const DocumentInfo = z.object({
  doc_id: z.string().regex(/^[0-9a-f]{64}$/),
  source_path: z.string(),
  source_kind: SourceKind,
  variant: opt(Variant),
  pages: z.number().int().nonnegative(),
  project_count: z.number().int().nonnegative(),
  status: DocStatus,
  error: text,
  pipeline_version: z.string(),
  ingested_at: z.string(),
  /** The finding codes that made a `partial` document partial, in the order first raised. */
  partial_reasons: z.array(z.string()).optional(),
  /** How the variant was chosen: detector confidence and its evidence (not a contract column). */
  detection: z
    .object({ confidence: z.number(), evidence: z.array(z.string()), forced: z.boolean() })
    .nullable(),
  /** The OCR engine that read its scanned pages, when any were (not a contract column). */
  ocr_engine: z.string().optional(),
});
export type DocumentInfo = z.infer<typeof DocumentInfo>;

/** What `govtables extract --json` prints and what the loader stores: one document's records. */
export const ExtractResult = z.object({
  document: DocumentInfo,
  projects: z.array(Project),
  budget_lines: z.array(BudgetLine),
  findings: z.array(Finding),
});
export type ExtractResult = z.infer<typeof ExtractResult>;
