// Prints a generated form (print.ts's rows, with what each row is) as an HTML page of ruled tables
// the way bureaus' PDFs are made: real rowspan / colspan, head fields on the table's grid, header
// rows in <thead> (repeated on every page a table crosses) or not, two-row headers. LibreOffice
// prints the page (scripts/fixtures/make-generated-pdfs.mjs), and test/pdf-generated.test.ts reads
// the PDF and judges it against print.ts's expected records, unchanged: nothing this file adds or
// merges changes a fact (every cell prints the dump's text; a merged cell holds the one text its
// group printed; a 上年 column or a super-header row carries no target).
//
// What differs from the dump, by HTML dimension (HTML_DIMENSIONS, drawn per document):
//   tables        `two`: head fields in a table of their own, the indicator table below; `one`: one
//                 table for the whole form, head rows spread over the indicator table's columns
//   merge         `rowspan`: a level-1 / level-2 / block label printed once for its group is one
//                 merged cell (the dump's carried-down and centred labels); `none`: ruled empty cells
//   valueHeader2  `priorCurrent`: an annual table's value heading spans two sub-columns, 上年 (last
//                 year's actual, not a target) and 本年 (the target)
//   sideHeader    side by side: `flat` one header row; `grouped` 中长期 / 年度 headings over each
//                 half; `shared` one level-2 and name column with 指标值 over 中长期 | 年度 (only
//                 where both halves print the same names and level 2 on every row)
//   blockSpan     the block column (绩效指标) as one cell over header and body, or over the body
//   thead         header rows in <thead>; `off` also when the text layout's pageBreak is `bare`
//   font          Noto Serif CJK SC or Noto Sans CJK SC
// The dump's pageBreak (a form feed inside a table) becomes a real page break: the script pushes the
// form down the page (an empty paragraph with a top margin, `spacers`) until LibreOffice breaks the
// indicator table across two pages, with the header repeated (thead) or not. Gap and pad cells of
// the dump's head rows become colspans; form feeds between projects become page breaks.
import { prng } from '../helpers.js';
import type { Presentation } from './model.js';
import type { ColumnRole, HeadCell, Printed, RowInfo, SheetRow } from './print.js';
import * as V from './vocabulary.js';

export const HTML_DIMENSIONS = {
  tables: ['two', 'one'],
  merge: ['rowspan', 'none'],
  valueHeader2: ['flat', 'priorCurrent'],
  sideHeader: ['flat', 'grouped', 'shared'],
  blockSpan: ['headerAndBody', 'body'],
  thead: ['on', 'off'],
  font: ['serif', 'sans'],
} as const satisfies Record<string, readonly string[]>;

export type HtmlDimension = keyof typeof HTML_DIMENSIONS;
export type HtmlLayout = { [D in HtmlDimension]: (typeof HTML_DIMENSIONS)[D][number] };

/** Draws the HTML dimensions from `seed`; `fix` pins some (`dimension → value`). */
export function htmlLayout(seed: number, fix: Partial<Record<string, string>> = {}): HtmlLayout {
  const rand = prng(seed ^ 0x5eed);
  const out: Record<string, string> = {};
  for (const [d, values] of Object.entries(HTML_DIMENSIONS) as [HtmlDimension, readonly string[]][]) {
    const pinned = fix[d];
    if (pinned !== undefined && !values.includes(pinned)) throw new Error(`html ${d}: unknown value "${pinned}" (one of ${values.join(', ')})`);
    // Merged level cells are what real PDFs mostly have: three in four.
    const drawn = d === 'merge' ? (rand() < 0.75 ? values[0]! : values[1]!) : values[Math.floor(rand() * values.length)]!;
    out[d] = pinned ?? drawn;
  }
  return out as HtmlLayout;
}

/** Where the script looks for a form's indicator rows in the PDF, to see which pages they landed on. */
export interface FormMarks {
  project: number;
  /** The name cell of each indicator row of the form, in order (rows without a name left out). */
  names: string[];
  /** The dump breaks a table of this form across a page: the PDF must too. */
  needsBreak: boolean;
  /** Indices into `names`: the rows of the table that must cross a page. */
  breakRows: [number, number] | null;
}

export interface HtmlPage {
  html: string;
  /** `html.dimension=value` for what shaped the page (the dump's own tags are in Printed.tags). */
  tags: string[];
  forms: FormMarks[];
}

export interface HtmlOptions {
  /** Points of empty space before each project's form (index: project). */
  spacers?: readonly number[];
}

// ------------------------------------------------------------------ cells and tables

interface Cell {
  text: string;
  cs: number;
  rs: number;
  th: boolean;
  cls: string;
}

/** A grid row: a cell where one starts, null where a span covers the position. */
type GridRow = (Cell | null)[];

interface Table {
  widths: number[];
  rows: GridRow[];
  /** Leading rows that go in <thead>. */
  thead: number;
}

const cell = (text: string, opts: Partial<Cell> = {}): Cell => ({ text, cs: 1, rs: 1, th: false, cls: '', ...opts });

/** Cell spans over columns of `widths` that come closest to the cells' `shares` of the width, each at least one column. */
function spread(shares: number[], widths: number[]): number[] {
  const total = widths.reduce((a, b) => a + b, 0);
  const bounds = [0];
  for (const w of widths) bounds.push(bounds[bounds.length - 1]! + w / total);
  const shareTotal = shares.reduce((a, b) => a + b, 0);
  const spans: number[] = [];
  let at = 0;
  let cum = 0;
  shares.forEach((s, i) => {
    cum += s / shareTotal;
    const left = shares.length - 1 - i;
    let end = widths.length - left;
    if (left > 0) {
      let best = at + 1;
      for (let b = at + 1; b <= widths.length - left; b++) if (Math.abs(bounds[b]! - cum) < Math.abs(bounds[best]! - cum)) best = b;
      end = best;
    }
    spans.push(end - at);
    at = end;
  });
  return spans;
}

/** One grid row of `cells` spread over the table's columns. */
function spreadRow(cells: Cell[], shares: number[], widths: number[]): GridRow {
  const spans = spread(shares, widths);
  const row: GridRow = [];
  cells.forEach((c, i) => {
    row.push({ ...c, cs: spans[i]! });
    for (let k = 1; k < spans[i]!; k++) row.push(null);
  });
  return row;
}

/** Merges the cells at column `c` of rows `from..to` (one width, one row high) into one holding the group's one printed text. */
function mergeDown(rows: GridRow[], c: number, from: number, to: number): void {
  if (to <= from || c < 0) return;
  const cs = rows[from]![c]?.cs ?? 0;
  const texts = rows.slice(from, to + 1).map((r) => r[c]?.text ?? '').filter((t) => t !== '');
  // Two texts in one group (a repeated label) are not one merged cell.
  if (!cs || texts.length > 1 || rows.slice(from, to + 1).some((r) => !r[c] || r[c]!.cs !== cs || r[c]!.rs !== 1)) return;
  const top = rows[from]![c]!;
  top.text = texts[0] ?? '';
  top.rs = to - from + 1;
  for (let r = from + 1; r <= to; r++) rows[r]![c] = null;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A ruled table `span` pixels wide (Writer's HTML import takes column widths in pixels, not fractional percentages). */
function renderTable(t: Table, span: number): string {
  const total = t.widths.reduce((a, b) => a + b, 0);
  const out = ['<table border="1" cellspacing="0" cellpadding="3" width="100%">', '<colgroup>'];
  for (const w of t.widths) out.push(`<col width="${Math.max(8, Math.round((span * w) / total))}">`);
  out.push('</colgroup>');
  const tr = (r: GridRow) => `<tr>${r.filter((c): c is Cell => c !== null).map((c) => {
    const tag = c.th ? 'th' : 'td';
    // Writer's HTML import honours the align attribute, not a class's text-align.
    const attrs = [c.cs > 1 ? ` colspan="${c.cs}"` : '', c.rs > 1 ? ` rowspan="${c.rs}"` : '', c.cls ? ` class="${c.cls}" align="center"` : ''].join('');
    return `<${tag}${attrs}>${esc(c.text)}</${tag}>`;
  }).join('')}</tr>`;
  if (t.thead > 0) out.push('<thead>', ...t.rows.slice(0, t.thead).map(tr), '</thead>');
  out.push('<tbody>', ...t.rows.slice(t.thead).map(tr), '</tbody>', '</table>');
  return out.join('\n');
}

// ------------------------------------------------------------------ column widths

const WIDTH: Record<string, number> = {
  block: 7, seq: 4, level1: 9, level2: 10, name: 18, value: 13, unit: 6, prior: 11,
  'level2@annual': 10, 'name@annual': 18, 'value@annual': 13,
  explain: 13, criteria: 14, remark: 6, score: 5, weight: 5, valueType: 6, standard: 8,
};

type Col = ColumnRole | 'prior';

const LEVEL_COLS = new Set<Col>(['level1', 'level2', 'level2@annual', 'block']);

// ------------------------------------------------------------------ head rows

/** A head, money or goal row as cells with their shares of the width (labels narrow, values wide). */
function headCells(row: SheetRow): { cells: Cell[]; shares: number[] } {
  const info = row.info;
  const cells: Cell[] = [];
  const shares: number[] = [];
  if (info.kind === 'head' || info.kind === 'goal') {
    info.cells.forEach((role: HeadCell, i) => {
      if (role === 'gap' || role === 'pad') return;
      const text = row.cells[i]!;
      cells.push(cell(text, { cls: role === 'label' ? 'l' : '' }));
      shares.push(role === 'label' ? 1 : role === 'inline' ? 4 : 2.4);
    });
  } else if (info.kind === 'money') {
    row.cells.forEach((text, i) => {
      cells.push(cell(text, { cls: i % 2 === 1 || i === 0 ? 'l' : '' }));
      shares.push(i === 0 ? 1.1 : i % 2 === 1 ? 1.2 : 1.4);
    });
  }
  return { cells, shares };
}

/** Review rows: their printed cells, an empty cell folded into the one before it. */
function reviewCells(row: SheetRow): { cells: Cell[]; shares: number[] } {
  const cells: Cell[] = [];
  const shares: number[] = [];
  row.cells.forEach((text, i) => {
    if (text === '' && cells.length) {
      shares[shares.length - 1]! += 1;
      return;
    }
    cells.push(cell(text, { cls: i === 0 ? 'l' : '' }));
    shares.push(i === 0 ? 1.5 : 1);
  });
  return { cells, shares };
}

/** Rows of money blocks and head rows laid on a grid; the money block's label merged over its three lines. */
function headGrid(rows: SheetRow[], widths: number[], merge: boolean): GridRow[] {
  const grid: GridRow[] = [];
  rows.forEach((r) => {
    const { cells, shares } = headCells(r);
    grid.push(spreadRow(cells, shares, widths));
  });
  if (merge) {
    rows.forEach((r, i) => {
      if (r.info.kind === 'money' && r.info.line === 0 && rows[i + 2]?.info.kind === 'money') mergeDown(grid, 0, i, i + 2);
    });
  }
  return grid;
}

// ------------------------------------------------------------------ the indicator table

const PRIOR_LABELS = ['上年实际值', '上年度实际水平', '上年实际完成值'];
const CURRENT_LABELS = ['本年目标值', '本年度计划水平', '本年度指标值'];

/** Last year's actual value beside this year's target: a plain number near the target, or `/`. */
function priorText(p: Presentation | null, rand: () => number): string {
  if (!p) return '';
  const e = p.expect;
  if (e.comparator === null || rand() < 0.15) return rand() < 0.5 ? '/' : '—';
  const unit = p.unitCell !== '' ? '' : e.unit.normalize('NFKC');
  const n = e.num;
  // As many decimals as the target has (a count stays whole), one more for a rate.
  const places = Math.min(2, (String(n).split('.')[1] ?? '').length + (unit === '%' ? 1 : 0));
  const scale = 10 ** places;
  const raw = unit === '%' ? Math.max(0, n - 1 - rand() * 4) : n * (0.8 + rand() * 0.15);
  return `${Math.round(raw * scale) / scale}${unit}`;
}

interface Built {
  table: Table;
  tags: string[];
}

type HeaderStyle = 'flat' | 'prior' | 'grouped' | 'shared';

interface Plan {
  /** The dump's columns. */
  src: ColumnRole[];
  /** The table's columns. */
  cols: Col[];
  widths: number[];
  header: HeaderStyle;
  tags: string[];
}

type TableInfo = Extract<RowInfo, { kind: 'header' | 'indicator' }>;

const cellAt = (src: readonly ColumnRole[], r: SheetRow, c: ColumnRole) => r.cells[src.indexOf(c)] ?? '';

/** The columns and header style of a project's indicator table. */
function planTable(rows: SheetRow[], L: HtmlLayout): Plan {
  const tags: string[] = [];
  const first = rows.find((r) => r.info.kind === 'header' || r.info.kind === 'indicator')!.info as TableInfo;
  const src = first.cols;
  const tables = new Set(rows.flatMap((r) => (r.info.kind === 'header' || r.info.kind === 'indicator' ? [r.info.table] : [])));
  const inds = rows.filter((r) => r.info.kind === 'indicator');
  const at = (r: SheetRow, c: ColumnRole) => cellAt(src, r, c);
  let header: HeaderStyle = 'flat';
  if (first.horizon === 'both') {
    header = L.sideHeader;
    if (header === 'shared') {
      const same = inds.every((r) => at(r, 'level2') === at(r, 'level2@annual') && at(r, 'name') === at(r, 'name@annual')
        && (at(r, 'name') === '' || (at(r, 'value') !== '' && at(r, 'value@annual') !== '')));
      if (!same) header = 'grouped';
    }
    tags.push(`html.sideHeader=${header}`);
  } else if (first.horizon === 'annual' && tables.size === 1) {
    if (L.valueHeader2 === 'priorCurrent') header = 'prior';
    tags.push(`html.valueHeader2=${L.valueHeader2}`);
  }
  const cols: Col[] = header === 'shared'
    ? src.filter((c) => c !== 'level2@annual' && c !== 'name@annual')
    : header === 'prior' ? src.flatMap((c): Col[] => (c === 'value' ? ['prior', 'value'] : [c])) : [...src];
  return { src, cols, widths: cols.map((c) => WIDTH[c] ?? 8), header, tags };
}

/** The value heading over 上年 | 本年: the dump's, unless it names this year (`年度指标值` over last year's column). */
function headerText(v: string): string {
  return V.HEADER_VALUE_ANNUAL_ONLY.has(v.replace(/\s+/g, '')) ? '指标值' : v;
}

/** A project's indicator table(s) as one ruled table: head rows (`lead`), header rows, block label rows, indicator rows, review rows. */
function indicatorTable(plan: Plan, rows: SheetRow[], review: SheetRow[], L: HtmlLayout, levels: string, rand: () => number, lead: GridRow[]): Built {
  const tags = [...plan.tags];
  const { src, cols, widths, header } = plan;
  const tableIds = new Set(rows.flatMap((r) => (r.info.kind === 'header' || r.info.kind === 'indicator' ? [r.info.table] : [])));
  const at = (r: SheetRow, c: ColumnRole) => cellAt(src, r, c);
  const W = cols.length;
  const grid: GridRow[] = [];
  const meta: { kind: RowInfo['kind']; table: number; l1Key: string; l2Key: string; headerRows: number }[] = [];
  const priorLabel = PRIOR_LABELS[Math.floor(rand() * PRIOR_LABELS.length)]!;
  const currentLabel = CURRENT_LABELS[Math.floor(rand() * CURRENT_LABELS.length)]!;
  const periodSuper = (t: string) => `${t.replace(/\s+/g, '').replace(/指标值$/, '')}绩效指标`;

  const textOf = (r: SheetRow, c: Col) => (c === 'prior' ? '' : at(r, c));
  const lvl = (c: Col) => (LEVEL_COLS.has(c) ? 'c' : '');

  for (const r of rows) {
    const info = r.info;
    if (info.kind === 'header') {
      if (info.repeat) continue; // the dump's copy after a page break: a thead repeats it, a bare break has none
      const h = (c: Col) => cell(textOf(r, c), { th: true });
      if (header === 'flat') {
        grid.push(cols.map(h));
        meta.push({ kind: 'header', table: info.table, l1Key: '', l2Key: '', headerRows: 1 });
        continue;
      }
      const top: GridRow = [];
      const bottom: GridRow = [];
      if (header === 'prior') {
        for (const c of cols) {
          if (c === 'prior') {
            top.push(cell(headerText(at(r, 'value')), { th: true, cs: 2 }));
            bottom.push(cell(priorLabel, { th: true }));
          } else if (c === 'value') {
            top.push(null);
            bottom.push(cell(currentLabel, { th: true }));
          } else {
            top.push(cell(textOf(r, c), { th: true, rs: 2 }));
            bottom.push(null);
          }
        }
      } else if (header === 'grouped') {
        for (const c of cols) {
          if (c === 'level2') top.push(cell(periodSuper(at(r, 'value')), { th: true, cs: 3 }));
          else if (c === 'level2@annual') top.push(cell('年度绩效指标', { th: true, cs: 3 }));
          else if (c === 'name' || c === 'value' || c === 'name@annual' || c === 'value@annual') top.push(null);
          else {
            top.push(cell(textOf(r, c), { th: true, rs: 2 }));
            bottom.push(null);
            continue;
          }
          bottom.push(cell(textOf(r, c), { th: true }));
        }
      } else {
        for (const c of cols) {
          if (c === 'value') {
            top.push(cell('指标值', { th: true, cs: 2 }));
            bottom.push(cell(at(r, 'value'), { th: true }));
          } else if (c === 'value@annual') {
            top.push(null);
            bottom.push(cell(at(r, 'value@annual'), { th: true }));
          } else {
            top.push(cell(textOf(r, c), { th: true, rs: 2 }));
            bottom.push(null);
          }
        }
      }
      grid.push(top, bottom);
      meta.push({ kind: 'header', table: info.table, l1Key: '', l2Key: '', headerRows: 2 }, { kind: 'header', table: info.table, l1Key: '', l2Key: '', headerRows: 0 });
    } else if (info.kind === 'blockLabel') {
      grid.push([cell(r.cells[0]!, { cs: W, cls: 'c' }), ...Array<null>(W - 1).fill(null)]);
      meta.push({ kind: 'blockLabel', table: info.table, l1Key: '', l2Key: '', headerRows: 0 });
    } else if (info.kind === 'indicator') {
      grid.push(cols.map((c) => (c === 'prior' ? cell(priorText(info.value, rand)) : cell(at(r, c as ColumnRole), { cls: lvl(c) }))));
      meta.push({ kind: 'indicator', table: info.table, l1Key: info.l1Key, l2Key: info.l2Key, headerRows: 0 });
    }
  }

  // Merged cells: level groups, and the block column over each block.
  if (L.merge === 'rowspan') {
    tags.push('html.merge=rowspan');
    const groups = (c: number, key: (m: (typeof meta)[number]) => string) => {
      for (let i = 0; i < meta.length;) {
        if (meta[i]!.kind !== 'indicator') {
          i++;
          continue;
        }
        let j = i;
        while (j + 1 < meta.length && meta[j + 1]!.kind === 'indicator' && meta[j + 1]!.table === meta[i]!.table && key(meta[j + 1]!) === key(meta[i]!)) j++;
        mergeDown(grid, c, i, j);
        i = j + 1;
      }
    };
    if (levels !== 'repeated') groups(cols.indexOf('level1'), (m) => m.l1Key);
    if (levels === 'carried' || levels === 'l1middle') {
      groups(cols.indexOf('level2'), (m) => m.l2Key);
      if (cols.includes('level2@annual')) groups(cols.indexOf('level2@annual'), (m) => m.l2Key);
    }
    const b = cols.indexOf('block');
    if (b >= 0) {
      tags.push(`html.blockSpan=${L.blockSpan}`);
      for (const id of tableIds) {
        const idx = meta.map((m, i) => (m.table === id && (m.kind === 'indicator' || m.kind === 'header') ? i : -1)).filter((i) => i >= 0);
        const body = idx.filter((i) => meta[i]!.kind === 'indicator');
        if (!body.length) continue;
        if (L.blockSpan === 'headerAndBody') {
          const head = idx.filter((i) => meta[i]!.kind === 'header' && meta[i]!.headerRows > 0);
          const from = head.length ? head[0]! : body[0]!;
          // A two-row header's block cell already spans both rows: give its text to the body, then join them.
          const top = grid[from]![b];
          if (top && top.rs > 1) {
            top.rs = 1;
            grid[from + 1]![b] = cell('', { th: true });
          }
          for (let r = from; r <= body[body.length - 1]!; r++) if (grid[r]![b]) grid[r]![b]!.th = false;
          mergeDown(grid, b, from, body[body.length - 1]!);
          if (grid[from]![b]) grid[from]![b]!.cls = 'c';
        } else mergeDown(grid, b, body[0]!, body[body.length - 1]!);
      }
    }
  } else tags.push('html.merge=none');

  // The lead (head rows in the same table) goes on top, spread over this table's columns.
  const all: GridRow[] = [...lead, ...grid];
  for (const r of review) {
    const { cells, shares } = reviewCells(r);
    all.push(spreadRow(cells, shares, widths));
  }
  // Header rows in <thead>: the first header of the table, when nothing stands above it.
  let thead = 0;
  if (L.thead === 'on' && !lead.length && meta[0]?.kind === 'header') thead = meta[0].headerRows;
  tags.push(`html.thead=${thead > 0 ? 'on' : 'off'}`);
  return { table: { widths, rows: all, thead }, tags };
}

// ------------------------------------------------------------------ the page

const TABLE_SLOT = '\u0000table';

const PARAGRAPH: Partial<Record<RowInfo['kind'], string>> = {
  attachment: 'att', agencyLine: 'meta', unitLine: 'unit', footer: 'meta',
};

function css(font: string, landscape: boolean): string {
  return `
@page { size: ${landscape ? '297mm 210mm' : '210mm 297mm'}; margin: 18mm 15mm 18mm 15mm; }
body { font-family: "${font}"; font-size: 10pt; color: #000; }
h1 { font-family: "${font}"; font-size: 15pt; font-weight: bold; text-align: center; margin: 0 0 4pt 0; }
p { font-family: "${font}"; margin: 2pt 0; }
p.sub { text-align: center; font-size: 11pt; margin: 0 0 6pt 0; }
p.unit { text-align: right; }
p.sp { margin-bottom: 0; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 6pt 0; border: 1px solid #000; }
td, th { font-family: "${font}"; border: 1px solid #000; padding: 2pt 3pt; font-size: 9pt; vertical-align: middle; text-align: left; line-height: 1.3; }
th { text-align: center; font-weight: bold; }
td.c, td.l { text-align: center; }
thead { display: table-header-group; }
`;
}

/** The page for `printed` in layout `L`. */
export function printHtml(printed: Printed, L: HtmlLayout, opts: HtmlOptions = {}): HtmlPage {
  const rand = prng(printed.text.length * 7919 + printed.rows.length);
  const levels = printed.tags.find((t) => t.startsWith('levels='))?.slice(7) ?? 'carried';
  const pageBreak = printed.tags.find((t) => t.startsWith('pageBreak='))?.slice(10) ?? 'none';
  // The dump's break says whether the header is printed again on the new page.
  const thead = pageBreak === 'repeatHeader' ? 'on' : pageBreak === 'bare' ? 'off' : L.thead;
  // A repeated header is a row group of its own: no cell spans from it into the body.
  const layout: HtmlLayout = { ...L, thead, blockSpan: thead === 'on' ? 'body' : L.blockSpan };
  const font = layout.font === 'serif' ? 'Noto Serif CJK SC' : 'Noto Sans CJK SC';
  const tags = new Set<string>([`html.font=${layout.font}`]);
  const projects = [...new Set(printed.rows.map((r) => r.project))];
  const body: string[] = [];
  const forms: FormMarks[] = [];
  const tablesOut: Table[] = [];
  let landscape = false;

  for (const k of projects) {
    const rows = printed.rows.filter((r) => r.project === k);
    const out: string[] = [];
    const spacer = opts.spacers?.[k] ?? 0;
    const breakBefore = k > 0 && rows[0]!.pageBreakBefore;
    if (spacer > 0 || breakBefore) {
      out.push(`<p class="sp" style="${breakBefore ? 'page-break-before: always; ' : ''}margin-top: ${spacer.toFixed(0)}pt"><br></p>`);
    }
    const headRows = rows.filter((r) => r.info.kind === 'head' || r.info.kind === 'money' || r.info.kind === 'goal');
    const tableRows = rows.filter((r) => r.info.kind === 'header' || r.info.kind === 'indicator' || r.info.kind === 'blockLabel');
    const review = rows.filter((r) => r.info.kind === 'review');
    const firstTable = rows.findIndex((r) => r.info.kind === 'head' || r.info.kind === 'money' || r.info.kind === 'goal' || r.info.kind === 'header' || r.info.kind === 'blockLabel');
    // Paragraphs above the form: attachment, title lines, 填报单位 line, unit line.
    let titleDone = false;
    rows.slice(0, firstTable < 0 ? rows.length : firstTable).forEach((r) => {
      if (r.info.kind === 'title') {
        out.push(titleDone ? `<p class="sub">${esc(r.cells[0]!)}</p>` : `<h1>${esc(r.cells[0]!)}</h1>`);
        titleDone = true;
      } else if (PARAGRAPH[r.info.kind]) out.push(`<p class="${PARAGRAPH[r.info.kind]}">${esc(r.cells[0]!)}</p>`);
    });
    if (tableRows.length) {
      const plan = planTable(tableRows, layout);
      if (plan.cols.length >= 9) landscape = true;
      // Head rows share the indicator table only where they fit on its columns.
      const widest = Math.max(0, ...headRows.map((r) => headCells(r).cells.length));
      const one = layout.tables === 'one' && layout.thead === 'off' && widest <= plan.cols.length;
      tags.add(`html.tables=${one ? 'one' : 'two'}`);
      let lead: GridRow[] = [];
      if (headRows.length && one) lead = headGrid(headRows, plan.widths, layout.merge === 'rowspan');
      else if (headRows.length) {
        const widths = Array<number>(12).fill(1);
        tablesOut.push({ widths, rows: headGrid(headRows, widths, layout.merge === 'rowspan'), thead: 0 });
        out.push(TABLE_SLOT);
      }
      const built = indicatorTable(plan, tableRows, review, layout, levels, rand, lead);
      built.tags.forEach((t) => tags.add(t));
      tablesOut.push(built.table);
      out.push(TABLE_SLOT);
      // The rows the PDF is searched for, and whether the dump broke one of this form's tables.
      const names: string[] = [];
      const byTable = new Map<number, number[]>();
      for (const r of tableRows) {
        if (r.info.kind !== 'indicator') continue;
        const name = r.cells[r.info.cols.indexOf('name')] || r.cells[r.info.cols.indexOf('name@annual')] || '';
        if (!name) continue;
        if (!byTable.has(r.info.table)) byTable.set(r.info.table, []);
        byTable.get(r.info.table)!.push(names.length);
        names.push(name);
      }
      const broken = [...new Set(tableRows.filter((r) => r.pageBreakBefore && (r.info.kind === 'indicator' || r.info.kind === 'header')).map((r) => (r.info as { table: number }).table))];
      const target = broken.map((t) => byTable.get(t)).find((ix) => ix && ix.length >= 2);
      forms.push({ project: k, names, needsBreak: broken.length > 0, breakRows: target ? [target[0]!, target[target.length - 1]!] : null });
    } else forms.push({ project: k, names: [], needsBreak: false, breakRows: null });
    // Review rows without an indicator table cannot happen; footer lines below the form.
    rows.filter((r) => r.info.kind === 'footer').forEach((r) => out.push(`<p class="meta">${esc(r.cells[0]!)}</p>`));
    body.push(...out);
  }
  tags.add(`html.orientation=${landscape ? 'landscape' : 'portrait'}`);
  // Tables are rendered once the page's width is known.
  let slot = 0;
  const span = landscape ? 730 : 480;
  const filled = body.map((b) => (b === TABLE_SLOT ? renderTable(tablesOut[slot++]!, span) : b));
  const html = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>generated form</title>
<style>${css(font, landscape)}</style>
</head>
<body>
${filled.join('\n')}
</body>
</html>
`;
  return { html, tags: [...tags].sort(), forms };
}
