// Splitting a document's rows into forms: a form starts at its title line (a row with one
// cell that names a form), and runs to the next title.
import type { Cell, Row } from '../extract/rows.js';
import { refOf } from '../extract/rows.js';
import { tidy } from '../text/fold.js';
import { yearOf } from './values.js';

export interface Form {
  title: string;
  titleRef: string;
  /** Fiscal year printed in or just under the title, when there is one. */
  year: number | null;
  rows: Row[];
}

export function nonEmptyCells(row: Row): Cell[] {
  return row.cells.filter((c) => c.text.trim() !== '');
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
export function splitAtRows(rows: Row[], opensForm: (row: Row) => boolean): { preamble: Row[]; forms: Form[] } {
  const preamble: Row[] = [];
  const forms: Form[] = [];
  for (const row of rows) {
    if (opensForm(row)) forms.push({ title: '', titleRef: refOf(row), year: null, rows: [] });
    const current = forms[forms.length - 1];
    if (current) current.rows.push(row);
    else preamble.push(row);
  }
  return { preamble, forms };
}

/**
 * A form that holds several projects under one title (a department's heading over all its
 * projects, or two dumps run together): a project-name row after an indicator table, or one
 * naming another project than the form's first, opens the next form.
 */
export function splitAtRepeatedNames(form: Form, opensProject: (row: Row) => boolean, isTableHeader: (row: Row) => boolean): Form[] {
  const out: Form[] = [{ ...form, rows: [] }];
  let name: string | null = null;
  let table = false;
  for (const row of form.rows) {
    if (opensProject(row)) {
      const printed = projectNameOf(row);
      if (table || (name !== null && printed !== null && printed !== name)) {
        out.push({ title: form.title, titleRef: refOf(row), year: form.year, rows: [] });
        table = false;
        name = null;
      }
      name ??= printed;
    } else if (!table && isTableHeader(row)) {
      table = true;
    }
    out[out.length - 1]!.rows.push(row);
  }
  return out;
}

/** The name a project-name row prints (`项目名称 ⇥ X`, `项目名称：X`). */
function projectNameOf(row: Row): string | null {
  const cells = nonEmptyCells(row);
  const inline = /[:：]\s*(\S.*)$/s.exec(cells[0]!.text);
  const t = inline ? inline[1]! : cells[1]?.text ?? '';
  return tidy(t).replace(/\s+/g, '') || null;
}
