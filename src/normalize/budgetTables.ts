// Department budget tables (部门收支总体情况表, 一般公共预算支出情况表 …) → tidy budget lines:
// one line per row and amount column, with the function code rebuilt from the 类/款/项 cells,
// the column's header path from the two- and three-row headers, and a table continued on the
// next page (its header repeated) stitched back into one.
import type { Cell, Row } from '../extract/rows.js';
import { refOf } from '../extract/rows.js';
import type { BudgetLine } from '../model/schema.js';
import { canonicalText, joinCjkSpaces, tidy } from '../text/fold.js';
import type { NormalizeContext } from './context.js';
import { nonEmptyCells, singleText } from './forms.js';
import { moneyUnitOf, parseMoney, type MoneyUnit } from './values.js';

export interface BudgetTable {
  title: string;
  titleRef: string;
  unit: MoneyUnit;
  header: Row[];
  data: Row[];
}

const TITLE_LOOKBACK = 6;
const AMOUNT = /^-?\d[\d,]*\.\d+$|^-?\d+$/;
const DECIMAL = /^-?\d[\d,]*\.\d+$/;
const CODE_HEADER = /^(科目编码|功能分类科目编码|类|款|项|编码)$/;
const NAME_HEADER = /(科目名称|项目|名称|经济分类|单位名称)$/;

function isTableRow(row: Row): boolean {
  return row.cells.length >= 2 && nonEmptyCells(row).length >= 1;
}

/** Header rows are the leading rows with no decimal amount; a `** ** 1 2 3` row closes them. */
function splitHeader(rows: Row[]): { header: Row[]; data: Row[] } {
  let k = 0;
  for (; k < rows.length; k++) {
    const texts = nonEmptyCells(rows[k]!).map((c) => c.text.trim());
    if (texts.some((t) => t === '**')) { k++; break; }
    if (texts.some((t) => DECIMAL.test(t))) break;
  }
  const header = rows.slice(0, k).filter((r) => !nonEmptyCells(r).some((c) => c.text.trim() === '**'));
  return { header: header.length ? header : rows.slice(0, 1), data: rows.slice(header.length ? k : 1) };
}

/** Tables in reading order, each with the nearest title line above it and its money unit. */
export function findBudgetTables(rows: Row[], defaultUnit: MoneyUnit): BudgetTable[] {
  const tables: BudgetTable[] = [];
  let i = 0;
  while (i < rows.length) {
    if (!isTableRow(rows[i]!)) { i++; continue; }
    let j = i;
    while (j < rows.length && isTableRow(rows[j]!)) j++;
    let title = '';
    let titleRef = refOf(rows[i]!);
    let unit: MoneyUnit = defaultUnit;
    for (let k = i - 1, seen = 0; k >= 0 && seen < TITLE_LOOKBACK; k--) {
      if (isTableRow(rows[k]!)) break;
      const t = singleText(rows[k]!);
      if (t === null) continue;
      seen++;
      if (/^(单位|资金单位|金额单位)\s*[:：]/.test(t)) { unit = moneyUnitOf(t) ?? unit; continue; }
      if (/^单位名称\s*[:：]/.test(t)) continue;
      title = tidy(t);
      titleRef = refOf(rows[k]!);
      break;
    }
    const { header, data } = splitHeader(rows.slice(i, j));
    tables.push({ title, titleRef, unit, header, data });
    i = j;
  }
  return tables;
}

/** Header path of every column: spanning headings carried right within their parent's span. */
export function columnPaths(header: Row[], width: number): string[] {
  const grid: (string | null)[][] = header.map((r) => {
    const line: (string | null)[] = Array(width).fill(null);
    for (const c of r.cells) if (c.col < width && c.text.trim() !== '') line[c.col] = joinCjkSpaces(tidy(c.text));
    return line;
  });
  const origin: number[][] = grid.map(() => Array(width).fill(-1));
  grid.forEach((line, r) => {
    for (let c = 0; c < width; c++) {
      if (line[c] !== null) { origin[r]![c] = c; continue; }
      if (c === 0 || origin[r]![c - 1] === -1) continue;
      // A heading spans right over blank cells, but never past the edge of its parent's span.
      const parentSame = r === 0 || origin[r - 1]![c] === origin[r - 1]![c - 1];
      if (parentSame) {
        origin[r]![c] = origin[r]![c - 1]!;
        line[c] = line[c - 1]!;
      }
    }
  });
  return Array.from({ length: width }, (_, c) => {
    const parts: string[] = [];
    for (let r = 0; r < grid.length; r++) {
      const t = grid[r]![c];
      if (t && parts[parts.length - 1] !== t) parts.push(t);
    }
    return parts.join('/');
  });
}

type ColumnKind = { kind: 'code'; level: number } | { kind: 'name' } | { kind: 'amount'; path: string; nameCol: number | null };

function columnKinds(paths: string[], data: Row[]): ColumnKind[] {
  const kinds: ColumnKind[] = [];
  let codeLevel = 0;
  let lastName: number | null = null;
  let prevText = false;
  paths.forEach((p, c) => {
    const leaf = p.split('/').pop() ?? '';
    const cells = data.map((r) => r.cells.find((x) => x.col === c)?.text.trim() ?? '').filter((t) => t !== '');
    const numeric = cells.length > 0 && cells.every((t) => AMOUNT.test(t));
    if (CODE_HEADER.test(leaf) || (/科目编码/.test(p) && cells.every((t) => /^\d{1,3}$/.test(t)))) {
      kinds.push({ kind: 'code', level: codeLevel++ });
      prevText = false;
      return;
    }
    if (NAME_HEADER.test(leaf) || (!numeric && cells.length > 0)) {
      // A text column right after a name column describes the same row (政府预算经济分类).
      if (!prevText) lastName = c;
      kinds.push({ kind: 'name' });
      prevText = true;
      return;
    }
    kinds.push({ kind: 'amount', path: p, nameCol: lastName });
    prevText = false;
  });
  return kinds;
}

export interface BudgetRow {
  table: string;
  ordinal: number;
  code: string | null;
  /** `subject` rows open a code; `detail` rows repeat the code of the subject above them. */
  role: 'subject' | 'detail' | 'total' | 'none';
  names: Map<number, string>;
  amounts: Map<string, { yuan: number; nameCol: number | null; ref: string }>;
  ref: string;
}

export interface ParsedBudget {
  lines: BudgetLine[];
  rows: BudgetRow[];
}

/** Stitches continued tables, reads every data row, and emits the long-form budget lines. */
export function parseBudgetTables(rows: Row[], defaultUnit: MoneyUnit, ctx: NormalizeContext): ParsedBudget {
  const tables = findBudgetTables(rows, defaultUnit);
  const merged: BudgetTable[] = [];
  for (const t of tables) {
    const prev = merged[merged.length - 1];
    // Continued on the next page: the same title again, or (a PDF repeating only the header
    // rows) no title at all above the same header, or no title and no header, just more rows
    // of the same width.
    const repeated = prev && (t.title === '' || prev.title === t.title) && sameHeader(prev.header, t.header);
    const bare = prev && t.title === '' && !repeated && widthOf([...t.header, ...t.data]) === widthOf([...prev.header, ...prev.data]);
    if (prev && (repeated || bare)) {
      prev.data.push(...(bare ? [...t.header, ...t.data] : t.data));
      ctx.add('TABLE_STITCHED', `table "${prev.title}" continues on a later page; joined${repeated ? ' after its repeated header' : ''}`, t.titleRef);
      continue;
    }
    merged.push({ ...t, data: [...t.data] });
  }
  const lines: BudgetLine[] = [];
  const parsedRows: BudgetRow[] = [];
  for (const t of merged) {
    if (t.title === '') continue;
    const width = Math.max(...[...t.header, ...t.data].map((r) => Math.max(0, ...r.cells.map((c) => c.col + 1))));
    const paths = columnPaths(t.header, width);
    const kinds = columnKinds(paths, t.data);
    const codes: string[] = [];
    const seenCodes = new Set<string>();
    t.data.forEach((row, idx) => {
      const ordinal = idx + 1;
      const cellAt = (c: number): Cell | undefined => row.cells.find((x) => x.col === c && x.text.trim() !== '');
      // Code: 类 / 款 / 项 cells, carried down from the rows above when left blank.
      const codeCols = kinds.map((k, c) => (k.kind === 'code' ? c : -1)).filter((c) => c >= 0);
      let deepest = -1;
      const explicit: boolean[] = [];
      codeCols.forEach((c, level) => {
        const t2 = cellAt(c)?.text.trim();
        explicit[level] = !!t2;
        if (t2) { codes[level] = t2.replace(/\s+/g, ''); codes.length = level + 1; deepest = level; }
      });
      const code = deepest >= 0 ? codes.slice(0, deepest + 1).join('') : null;
      const names = new Map<number, string>();
      kinds.forEach((k, c) => { if (k.kind === 'name') { const x = cellAt(c); if (x) names.set(c, canonicalText(x.text)); } });
      const amounts: BudgetRow['amounts'] = new Map();
      kinds.forEach((k, c) => {
        if (k.kind !== 'amount') return;
        const x = cellAt(c);
        if (!x) return;
        const m = parseMoney(x.text, t.unit);
        if ('yuan' in m) amounts.set(k.path, { yuan: m.yuan, nameCol: k.nameCol, ref: refOf(row, x) });
        else if ('unreadable' in m) ctx.add('VALUE_UNPARSED', `amount "${m.unreadable}" in table "${t.title}" is not a number`, refOf(row, x));
      });
      const firstName = [...names.values()][0] ?? '';
      const role: BudgetRow['role'] = code === null
        ? /^(合计|总计)$/.test(firstName.replace(/\s/g, '')) ? 'total' : 'none'
        : seenCodes.has(code) && explicit.every(Boolean) ? 'detail' : 'subject';
      if (code) seenCodes.add(code);
      parsedRows.push({ table: t.title, ordinal, code, role, names, amounts, ref: refOf(row) });
      for (const [path, a] of amounts) {
        const name = a.nameCol !== null ? names.get(a.nameCol) ?? null : firstName || null;
        lines.push({ table_title: t.title, row_ordinal: ordinal, code, name, column: path, amount_yuan: a.yuan, source_ref: a.ref });
      }
    });
  }
  return { lines, rows: parsedRows };
}

function widthOf(rows: Row[]): number {
  return Math.max(0, ...rows.map((r) => r.cells.length));
}

function sameHeader(a: Row[], b: Row[]): boolean {
  const text = (rs: Row[]) => rs.map((r) => nonEmptyCells(r).map((c) => c.text.replace(/\s+/g, '')).join('|')).join('\n');
  return text(a) === text(b);
}
