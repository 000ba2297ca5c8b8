// The readable form of one document's records, for `govtables extract FILE` without --json.
import type { ExtractResult } from '../model/schema.js';
import { printable } from '../pipeline/printable.js';

const num = (n: number | null) => (n === null ? '' : String(n));

export function formatSummary(r: ExtractResult): string {
  const d = r.document;
  const out: string[] = [];
  out.push(`${d.source_path}: ${d.status}${d.variant ? `, ${d.variant}` : ''}, ${d.pages} page(s), ${d.project_count} project(s)`);
  if (d.error) out.push(`  error: ${d.error}`);
  if (d.detection && !d.detection.forced) out.push(`  detected with confidence ${d.detection.confidence}: ${d.detection.evidence.join('; ')}`);
  for (const p of r.projects) {
    out.push('', `#${p.ordinal} ${p.project_name ?? '(no name)'}  [${p.form_title}] ${p.fiscal_year ?? ''}`);
    out.push(`  agency ${p.agency ?? '-'}; annual ${num(p.annual_budget_yuan) || '-'} yuan; period ${num(p.period_budget_yuan) || '-'} yuan`);
    for (const i of p.indicators) {
      const target = i.comparator ? ` → ${i.comparator} ${num(i.value_num)} ${i.value_unit ?? ''}`.trimEnd() : '';
      out.push(`  ${String(i.ordinal).padStart(2)} ${i.horizon.padEnd(6)} ${i.level1 ?? '?'}/${i.level2 ?? '?'}  ${i.name ?? ''}: ${i.value_text ?? ''}${target}`);
    }
    for (const c of p.cost_items) out.push(`  cost ${c.item ?? ''}: ${num(c.amount_yuan)} yuan (${c.source})`);
    for (const f of p.funding) out.push(`  funding ${f.horizon} ${f.source}: ${num(f.amount_yuan)} yuan`);
  }
  if (r.budget_lines.length) out.push('', `${r.budget_lines.length} budget lines in ${new Set(r.budget_lines.map((b) => b.table_title)).size} tables`);
  if (r.findings.length) {
    out.push('', 'findings:');
    for (const f of r.findings) out.push(`  ${f.severity.padEnd(7)} ${f.code}${f.project ? ` (#${f.project})` : ''}: ${f.message}${f.location ? ` @ ${f.location}` : ''}`);
  }
  return `${out.map(printable).join('\n')}\n`;
}
