// Splitting a document's rows into forms: a form starts at its title line (a row with one
// cell that names a form), and runs to the next title.
import type { Cell, Row } from '../extract/rows.js';
import { refOf } from '../extract/rows.js';
import { tidy } from '../text/fold.js';
import { factsOf } from './rowFacts.js';
import { yearOf } from './values.js';

export interface Form {
  title: string;
  titleRef: string;
  /** Fiscal year printed in or just under the title, when there is one. */
  year: number | null;
  rows: Row[];
  /** The numbered heading the form stands under in a notice (`一、农村公路养护项目`). */
  heading?: string;
  /**
   * Head rows printed once above several forms (the department, the money unit): they fill
   * what the form itself leaves unsaid.
   */
  inherited?: Row[];
}

export function nonEmptyCells(row: Row): readonly Cell[] {
  const f = factsOf(row);
  return (f.cells ??= row.cells.filter((c) => c.text.trim() !== ''));
}

/** The text of a row that holds exactly one non-empty cell, else null. */
export function singleText(row: Row): string | null {
  const cells = nonEmptyCells(row);
  return cells.length === 1 ? cells[0]!.text.trim() : null;
}

/** `2022年市级预算项目支出绩效目标申报表 (运转类…)` → the title without the trailing remark. */
export function cleanTitle(text: string): string {
  return tidy(text).replace(/\s*[（(][^（()）]*[)）]\s*$/, '').trim() || tidy(text);
}

const LOOKAHEAD_FOR_YEAR = 3;

/**
 * Rows before the first title are the preamble (a report's narrative, budget tables); each
 * title opens a form. `isTitle` is the variant's own test of a title line.
 */
export function splitForms(rows: Row[], isTitle: (text: string) => boolean): { preamble: Row[]; forms: Form[] } {
  const preamble: Row[] = [];
  const forms: Form[] = [];
  let current: Form | null = null;
  rows.forEach((row, i) => {
    const single = singleText(row);
    if (single !== null && nonEmptyCells(row)[0]!.col === 0 && isTitle(single)) {
      let year = yearOf(single);
      for (let k = i + 1; year === null && k < rows.length && k <= i + LOOKAHEAD_FOR_YEAR + 2; k++) {
        const t = singleText(rows[k]!);
        if (t !== null && t.length < 20) year = yearOf(t);
        if (t === null && nonEmptyCells(rows[k]!).length > 1) break;
      }
      current = { title: cleanTitle(single), titleRef: refOf(row), year, rows: [] };
      forms.push(current);
      return;
    }
    if (current) current.rows.push(row);
    else preamble.push(row);
  });
  return { preamble, forms };
}

/**
 * For layouts without a recognisable title line: every row that prints a project-name label
 * opens a form. `isProjectNameRow` comes from the label dictionary.
 */
export function splitAtRows(rows: Row[], opensForm: (row: Row) => boolean, isTableHeader: (row: Row) => boolean, isSharedHead: (row: Row) => boolean): { preamble: Row[]; forms: Form[] } {
  const preamble: Row[] = [];
  const forms: Form[] = [];
  // A form opened by a heading takes the project-name row under it as its own.
  let underHeading = false;
  rows.forEach((row, i) => {
    const heading = numberedHeadingAt(rows, i, opensForm, isTableHeader);
    if (heading !== null) {
      forms.push({ title: '', titleRef: refOf(row), year: null, rows: [], heading });
      underHeading = true;
    } else if (opensForm(row)) {
      if (!underHeading) {
        const prev = forms[forms.length - 1];
        forms.push({ title: '', titleRef: refOf(row), year: null, rows: prev ? takeTrailingHead(prev.rows, isSharedHead) : [] });
      }
      underHeading = false;
    } else if (underHeading && isTableHeader(row)) {
      underHeading = false;
    }
    const open = forms[forms.length - 1];
    if (open) open.rows.push(row);
    else preamble.push(row);
  });
  return { preamble, forms };
}

const NUMBERED = /^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|\d{1,2}\s*[、．](?!\d))\s*(\S.{1,40})$/s;
const HEADING_LOOKAHEAD = 3;

/**
 * A numbered heading of a notice that a form follows (`一、农村公路养护项目` over a table or a
 * project-name row, within a few rows): the heading's text, without the number.
 */
export function numberedHeadingAt(rows: Row[], i: number, opensProject: (row: Row) => boolean, isTableHeader: (row: Row) => boolean): string | null {
  // Asked of every row: most do not open with a list number at all.
  const first = rows[i]!.cells.find((c) => c.text.trim() !== '');
  if (!first || !/^\s*[一二三四五六七八九十(（\d]/.test(first.text)) return null;
  const text = singleText(rows[i]!);
  if (text === null || /[。；;]/.test(text)) return null;
  const m = NUMBERED.exec(text);
  if (!m) return null;
  for (let k = i + 1, seen = 0; k < rows.length && seen < HEADING_LOOKAHEAD; k++) {
    const r = rows[k]!;
    if (nonEmptyCells(r).length === 0) continue;
    seen++;
    if (isTableHeader(r) || opensProject(r)) return tidy(m[1]!);
    if (singleText(r) !== null && NUMBERED.test(singleText(r)!)) return null;
  }
  return null;
}

/**
 * A form that holds several projects under one title (a department's heading over all its
 * projects, or two dumps run together): a project-name row after an indicator table, or one
 * naming another project than the form's first, opens the next form.
 */
export function splitAtRepeatedNames(form: Form, opensProject: (row: Row) => boolean, isTableHeader: (row: Row) => boolean, isSharedHead: (row: Row) => boolean): Form[] {
  const out: Form[] = [{ ...form, rows: [] }];
  let name: string | null = null;
  let table = false;
  let seenName = false;
  // What the form prints above its first project (the department, the unit) is every project's.
  const shared: Row[] = [];
  form.rows.forEach((row, i) => {
    // A numbered heading after a table opens the next project's form, as a name row does.
    const heading = numberedHeadingAt(form.rows, i, opensProject, isTableHeader);
    const current = out[out.length - 1]!;
    if (heading !== null && !table && !seenName && current.heading === undefined) {
      // The first project's heading, under the form's title.
      current.heading = heading;
    } else if (heading !== null && table) {
      out.push({ title: form.title, titleRef: refOf(row), year: form.year, rows: [], heading, inherited: [...(form.inherited ?? []), ...shared] });
      table = false;
      name = null;
      seenName = true;
    } else if (opensProject(row)) {
      const printed = projectNameOf(row);
      if (table || (name !== null && printed !== null && printed !== name)) {
        const prev = out[out.length - 1]!;
        out.push({ title: form.title, titleRef: refOf(row), year: form.year, rows: takeTrailingHead(prev.rows, isSharedHead), inherited: [...(form.inherited ?? []), ...shared] });
        table = false;
        name = null;
      }
      seenName = true;
      name ??= printed;
    } else if (!table && isTableHeader(row)) {
      table = true;
    } else if (!seenName && isSharedHead(row)) {
      shared.push(row);
    }
    out[out.length - 1]!.rows.push(row);
  });
  return out;
}

/**
 * The rows at the end of one form that head the next: its department and unit lines (and the
 * blank or lone-cell lines among them), printed after the last table and before the next
 * project's name. They are taken off `rows`.
 */
function takeTrailingHead(rows: Row[], isSharedHead: (row: Row) => boolean): Row[] {
  let k = rows.length;
  let any = false;
  while (k > 0) {
    const r = rows[k - 1]!;
    const head = isSharedHead(r);
    if (!(head || nonEmptyCells(r).length === 0 || singleText(r) !== null)) break;
    any ||= head;
    k--;
  }
  if (!any) return [];
  // Only from the first department line on: a lone line before it (a note under the table) stays.
  while (k < rows.length && !isSharedHead(rows[k]!)) k++;
  return rows.splice(k);
}

/** The name a project-name row prints (`项目名称 ⇥ X`, `项目名称：X`). */
function projectNameOf(row: Row): string | null {
  const cells = nonEmptyCells(row);
  const inline = /[:：]\s*(\S.*)$/s.exec(cells[0]!.text);
  const t = inline ? inline[1]! : cells[1]?.text ?? '';
  return tidy(t).replace(/\s+/g, '') || null;
}
