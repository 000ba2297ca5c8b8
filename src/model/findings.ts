// Every finding code, as data: its severity, whether it means part of the document could not
// be read (the document is then `partial`), whether it describes only how the file was laid out
// (the same form printed otherwise has other ones), what it means, and which field of a record
// it is about when its location does not say. The README's table of codes, findings_summary.csv
// and the report are this registry; a test keeps them and the code that raises them in step.
import type { Severity } from './schema.js';

export interface FindingSpec {
  severity: Severity;
  /** Part of the document could not be read, or was read without certainty: `partial`. */
  partial: boolean;
  /** About layout, not content: left out where records of two prints of a form are compared. */
  layout: boolean;
  meaning: string;
  /**
   * The field (a contract column) or the records (`indicators`, `funding`, `cost_items`,
   * `budget_lines`) a finding of this code is about; a finding at an indicator's cell is about
   * that cell's field unless this names one of the indicator's own.
   */
  field: string | null;
}

interface Flags { partial?: boolean; layout?: boolean; field?: string }

const spec = (severity: Severity, meaning: string, flags: Flags = {}): FindingSpec => ({
  severity, meaning, partial: flags.partial ?? false, layout: flags.layout ?? false, field: flags.field ?? null,
});

export const FINDINGS = {
  // numbers that disagree
  COST_ITEM_ARITHMETIC: spec('error', 'quantity × unit price ≠ amount', { field: 'cost_items' }),
  COST_ITEMS_BUDGET_MISMATCH: spec('error', 'cost items do not add up to the annual budget', { field: 'annual_budget_yuan' }),
  COST_DETAIL_TOTAL_MISMATCH: spec('error', '项目支出明细 lines do not add up to its 合计', { field: 'cost_items' }),
  FUNDING_SUM_MISMATCH: spec('error', "a horizon's funding sources do not add up to its budget", { field: 'funding' }),
  FUNDING_TOTAL_MISMATCH: spec('error', "funding sources do not add up to the funding block's 合计", { field: 'funding' }),
  BUDGET_CHILDREN_MISMATCH: spec('error', 'budget-table rows under a 类/款/项 (or 合计) do not add up to it, in some column', { field: 'budget_lines' }),
  BUDGET_TABLES_DISAGREE: spec('warning', "a code's (or the total's) amount differs between two coded tables", { field: 'budget_lines' }),
  COST_TEXT_AMOUNT_MISMATCH: spec('warning', "a cost item's description states another total than its amount", { field: 'cost_items' }),
  COST_INDICATOR_BUDGET_MISMATCH: spec('warning', 'a total-cost 成本指标 contradicts the budget of its horizon', { field: 'value_num' }),
  // what could not be read
  VALUE_UNPARSED: spec('warning', 'an amount that should be a number, or a 指标性质 that should be a comparator, could not be read', { partial: true, field: 'value_text' }),
  NO_INDICATORS: spec('warning', 'a project whose indicator table could not be read; the message says why', { partial: true, field: 'indicators' }),
  NO_PROJECT_NAME: spec('warning', 'a form without a readable 项目名称', { partial: true, field: 'project_name' }),
  PROJECT_NAME_FROM_HEADING: spec('warning', 'a form with no 项目名称 under a numbered heading of a notice, named by the heading', { field: 'project_name' }),
  NO_BUDGET: spec('warning', 'a form that prints a budget label but no amount could be read for it', { partial: true, field: 'annual_budget_yuan' }),
  MONEY_LABEL_UNKNOWN: spec('warning', 'a form whose only amount stands under a label that is no known budget label (`预算数（万元）`, `总投资`): no budget was read', { partial: true, field: 'annual_budget_yuan' }),
  HEADER_ROLE_MISSING: spec('warning', 'an indicator table with no column that reads as names, or none that reads as values', { partial: true, field: 'indicators' }),
  VALUE_COLUMNS_UNREAD: spec('warning', 'an indicator table with more value columns than two horizons (one per county, say): the others are not read', { partial: true, field: 'indicators' }),
  ROW_PLACEMENT_UNSURE: spec('warning', 'table rows that fit their headings neither as printed nor clearly by content: read by content, to be checked', { partial: true, field: 'indicators' }),
  TABLE_UNREAD: spec('warning', 'an indicator table outside every form that could be read: its indicators are not in the records', { partial: true }),
  CELL_CONTINUED: spec('warning', 'a table row holding a name or a value alone, joined to the row above as the rest of its cell (text run onto a line of its own); to be checked', { partial: true, field: 'indicators' }),
  CELL_UNPLACED: spec('warning', 'a table cell that fits no column of its table, left out', { partial: true, field: 'indicators' }),
  UNIT_CONFLICT: spec('warning', 'an amount or a target printed with another unit than its label, column or table says', { partial: true }),
  UNIT_ASSUMED: spec('warning', 'an amount with no unit anywhere on a form of no known family: the default 万元 was assumed', { partial: true }),
  // records that look wrong (the plausibility check before `ok`)
  REGION_CONFLICT: spec('warning', "an agency named for another city or county than the region the form's layout was read for: the region is probably wrong", { partial: true, field: 'region' }),
  IMPLAUSIBLE_NAME: spec('warning', 'indicator names that are bare numbers or read like targets: columns were probably misread', { partial: true, field: 'name' }),
  FIELD_RUN_ON: spec('warning', 'a head field whose text ends with another head label (`…项目年度目标`): two cells read as one where a rule was lost (under a seal, say)', { partial: true }),
  IMPLAUSIBLE_VALUE: spec('warning', 'indicator values that are labels (a level, a heading): columns were probably misread', { partial: true, field: 'value_text' }),
  VALUE_COLUMN_EMPTY: spec('warning', 'a table whose values are mostly empty: the value column was probably missed', { partial: true, field: 'value_text' }),
  ROWS_UNREAD: spec('warning', 'table rows with content that gave no indicator', { partial: true, field: 'indicators' }),
  LEVEL_MISSING: spec('warning', 'indicators with no level 2 in a table that has a level-2 column', { partial: true, field: 'level2' }),
  FORM_REPEATED: spec('warning', 'a form printed again for the same project (a file run into its own copy): read as another project', { field: 'project_name' }),
  PACKED_CELL_MISMATCH: spec('warning', 'a packed cell lists a different number of names and values', { field: 'indicators' }),
  // how labels and tables were read
  HEADER_ROLE_INFERRED: spec('warning', 'a table column no heading names (or whose heading could not be read) recognised as names or values by what its cells hold', { field: 'indicators' }),
  LABEL_REPAIRED: spec('info', 'a label or table heading read through OCR noise, a misprint or a cut (`坝目绩效总目标` → 项目绩效总目标, `指标伹` → 指标值, `财政资` → 财政资金)'),
  LABEL_FRAGMENT_JOINED: spec('info', 'a label split by a page or a narrow cell (`可持续` / `影响指标`) read whole', { layout: true }),
  LABEL_UNKNOWN: spec('info', 'page-break debris where a label goes (`双重目标`), left out', { layout: true }),
  LEVEL_REMAPPED: spec('info', 'a level 2 printed under another level 1 than the taxonomy\'s', { field: 'level1' }),
  LEVEL_FOLDED: spec('info', 'a 2022-template cost level (经济成本指标 …) filed as 产出指标 / 成本指标', { field: 'level2' }),
  ROW_MISALIGNED: spec('info', "table rows that did not fit their table's headings (shifted by a page break or a lost cell), placed by content", { layout: true, field: 'indicators' }),
  TABLE_STITCHED: spec('info', 'a table or form continued on a later page, joined', { layout: true }),
  DOCUMENT_SUPERSEDES: spec('warning', 'a document whose bytes begin with a stored one’s (the stored one was a half-copied file): it replaces it'),
  DUPLICATE_FORM: spec('warning', 'a form stored from another file too (the same region, year, agency and project name): counted once, from the better source', { field: 'duplicate_of' }),
  DOCUMENT_SUPERSEDED: spec('warning', 'a stored document that was a half-copied file of a later, complete one: its records are removed'),
  ENCODING_DETECTED: spec('info', 'a dump decoded as GB18030 or UTF-16'),
  // pages and scans
  PDF_PAGE_NO_TEXT: spec('warning', "a PDF page without a text layer that was not OCR'd", { partial: true }),
  PDF_PAGE_UNREADABLE: spec('warning', 'a PDF page pdf.js could not read', { partial: true }),
  SCAN_PAGE_UNREADABLE: spec('warning', 'a scanned page that could not be decoded', { partial: true }),
  SCAN_PAGE_BLANK: spec('info', 'a scanned page with no text'),
  SCAN_LOW_CONFIDENCE: spec('warning', 'a scanned page whose mean OCR confidence is low', { partial: true }),
  SCAN_SKEW_AT_LIMIT: spec('warning', 'a page turned further than the deskew search covers'),
  SCAN_RESOLUTION_GUESSED: spec('info', "a scanned page read at the resolution its size gives (a standard sheet), the file's value being wrong or missing"),
  OCR_LOW_CONFIDENCE: spec('warning', 'a cell read with confidence under 70, a word in it read under 50, or a cell read twice with different results: check it at its `location` (the finding names the indicator and field when the cell is in an indicator row)'),
  OCR_VALUE_REPAIRED: spec('info', 'an OCR misread in a value repaired: a sign by its shape (`=1次` → `≥1次`), a domain word (`历行节约` → 厉行节约), a pattern (`满意度宇95%` → `满意度≥95%`, `〈省)` → `（省）`)'),
  OCR_SUSPECT_COMPARATOR: spec('warning', 'a rate printed against its number with no comparator: a `≥` may have been lost', { field: 'comparator' }),
  OCR_UNDER_SEAL: spec('warning', "a cell under a seal or stamp (its ink dropped out before reading) that still read unsurely (an `OCR_LOW_CONFIDENCE` cell): the seal's strokes may be in what was read; check the value against the paper at its `location`", { partial: true }),
} as const satisfies Record<string, FindingSpec>;

export type FindingCode = keyof typeof FINDINGS;

export function findingSpec(code: string): FindingSpec | undefined {
  return (FINDINGS as Record<string, FindingSpec>)[code];
}

export const PARTIAL_CODES: ReadonlySet<string> = new Set(Object.entries(FINDINGS).filter(([, s]) => s.partial).map(([c]) => c));
export const LAYOUT_CODES: ReadonlySet<string> = new Set(Object.entries(FINDINGS).filter(([, s]) => s.layout).map(([c]) => c));
