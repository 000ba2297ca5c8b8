// The morning report as one self-contained HTML page: inline CSS and inline SVG bar charts, no
// script, no font, no request to anywhere, so it opens the same from a mail attachment.
import { formatMoney } from '../store/format.js';
import { scopeLine, type Count, type ReportData } from './report.js';

export const CHART = { width: 660, labelWidth: 290, row: 22, bar: 14, countGap: 6 } as const;

function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A horizontal bar chart; each bar's count is printed as text so it can be read and searched. */
export function barChart(id: string, title: string, items: readonly Count[]): string {
  if (items.length === 0) return `<p class="none" id="${esc(id)}">${esc(title)}: none</p>`;
  const max = Math.max(...items.map((i) => i.n), 1);
  const plot = CHART.width - CHART.labelWidth - 60;
  const height = items.length * CHART.row + 8;
  const rows = items.map((it, k) => {
    const y = 4 + k * CHART.row;
    const w = Math.max(1, Math.round((it.n / max) * plot));
    return `<g class="bar" data-key="${esc(it.key)}" data-count="${it.n}">` +
      `<text x="${CHART.labelWidth - 6}" y="${y + CHART.bar - 2}" text-anchor="end">${esc(it.key)}</text>` +
      `<rect x="${CHART.labelWidth}" y="${y}" width="${w}" height="${CHART.bar}"></rect>` +
      `<text class="count" x="${CHART.labelWidth + w + CHART.countGap}" y="${y + CHART.bar - 2}">${it.n}</text></g>`;
  }).join('');
  return `<figure><figcaption>${esc(title)}</figcaption>` +
    `<svg id="${esc(id)}" xmlns="http://www.w3.org/2000/svg" width="${CHART.width}" height="${height}" viewBox="0 0 ${CHART.width} ${height}" role="img" aria-label="${esc(title)}">${rows}</svg></figure>`;
}

function table(head: readonly string[], rows: readonly (readonly unknown[])[]): string {
  if (rows.length === 0) return '<p class="none">none</p>';
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('') + '</tbody></table>';
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:980px;color:#222;padding:0 1em}
h1{font-size:1.4em;margin-bottom:.2em}h2{font-size:1.1em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:3px 6px;border-bottom:1px solid #eee;vertical-align:top}
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.5em 1em}.card b{font-size:1.4em;display:block}
svg text{font:12px system-ui,sans-serif;fill:#222}svg rect{fill:#4a78b5}.none{color:#777}figure{margin:1em 0}figcaption{font-weight:600}
.charts{display:flex;gap:2em;flex-wrap:wrap}.muted{color:#666}`;

export function reportHtml(r: ReportData): string {
  const status = (k: string) => r.documentsByStatus.find((c) => c.key === k)?.n ?? 0;
  const card = (label: string, n: number, id: string) => `<div class="card" id="${id}"><b>${n}</b>${esc(label)}</div>`;
  const findingCounts: Count[] = aggregate(r.findingsByCode.map((f) => ({ key: f.code, n: f.n })));
  const parts = [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>govtables report</title><style>${STYLE}</style></head><body>`,
    `<h1>govtables report</h1><p class="muted">${esc(r.database)} · ${esc(scopeLine(r))} · generated ${esc(r.generatedAt)}</p>`,
    r.run?.error ? `<p><b>Run error:</b> ${esc(r.run.error)}</p>` : '',
    '<div class="cards">',
    card('ok', status('ok'), 'count-ok'), card('partial', status('partial'), 'count-partial'), card('failed', status('failed'), 'count-failed'),
    card('unreadable', r.run?.unreadable ?? 0, 'count-unreadable'), card('already stored', r.run?.skipped ?? 0, 'count-skipped'),
    card('new projects', r.projects, 'count-projects'),
    '</div>',
    '<div class="charts">',
    barChart('chart-findings', 'Findings by code', findingCounts),
    barChart('chart-variants', 'Documents by variant', r.documentsByVariant),
    '</div>',
    `<h2>New projects (${r.projects})</h2>`,
    table(['project', 'name', 'variant', 'region', 'year', 'annual budget (yuan)', 'file'],
      r.newProjects.map((p) => [p.project_id, p.project_name ?? '', p.variant, p.region ?? '', p.fiscal_year ?? '', formatMoney(p.annual_budget_yuan), p.source_path])),
    '<h2>Findings by code</h2>',
    table(['code', 'severity', 'count'], r.findingsByCode.map((f) => [f.code, f.severity, f.n])),
    '<h2>Top findings</h2>',
    table(['severity', 'code', 'message', 'location', 'project source_ref', 'file'],
      r.topFindings.map((f) => [f.severity, f.code, f.message, f.location ?? '', f.source_ref ?? '', f.source_path])),
    `<h2>Failures (${r.failureCount})</h2>`,
    table(['reason', 'file', 'error'], r.failures.map((f) => [f.reason, f.path, f.error])),
    `<p class="muted">Database: ${r.totals.documents} documents, ${r.totals.projects} projects, ${r.totals.findings} findings, ${r.totals.runs} runs.</p>`,
    '</body></html>',
  ];
  return `${parts.join('\n')}\n`;
}

function aggregate(items: readonly Count[]): Count[] {
  const m = new Map<string, number>();
  for (const i of items) m.set(i.key, (m.get(i.key) ?? 0) + i.n);
  return [...m].map(([key, n]) => ({ key, n })).sort((a, b) => b.n - a.n || (a.key < b.key ? -1 : 1));
}
