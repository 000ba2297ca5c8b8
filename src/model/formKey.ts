// One key per form, whatever file it came from: the same 申报表 published as a dump and as a PDF
// (or scanned) gives two projects, and an analyst summing budgets must count it once. The key is
// what a form says about itself — where, which year, who, what — folded so that spacing, width,
// punctuation and a stray traditional form do not tell two prints of one form apart.
import { fold } from '../text/fold.js';
import type { Project } from './schema.js';

function part(s: string | number | null | undefined): string {
  if (s === null || s === undefined) return '';
  return fold(String(s).normalize('NFKC')).replace(/[\s\p{P}\p{S}_]+/gu, '');
}

/** Null for a form without a project name: nothing names it well enough to match another. */
export function formKeyOf(p: Pick<Project, 'province' | 'region' | 'fiscal_year' | 'agency' | 'project_name'>): string | null {
  const name = part(p.project_name);
  if (name === '') return null;
  return [part(p.province), part(p.region), part(p.fiscal_year), part(p.agency), name].join('|');
}
