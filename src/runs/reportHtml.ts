// The morning report as one self-contained HTML page: inline CSS and inline SVG bar charts, no
// script, no web font, no request to anywhere, so it opens the same from a mail attachment.
// The page is Chinese (`lang="zh-CN"`) with a font stack of the CJK fonts Linux, macOS and
// Windows ship, so names print as characters, not boxes. What needs a person comes first:
// failures, then findings by severity (errors first) and code, each finding linking to its
// document (a PDF at its page) and naming its cell.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatMoney } from '../store/format.js';
import { scopeLine, SEVERITY_RANK, type Count, type FindingExample, type ReportData } from './report.js';

export const CHART = { width: 660, labelWidth: 290, row: 22, bar: 14, countGap: 6 } as const;

/** Severity colours, used for the charts' bars, the group headings and the badges. */
export const SEVERITY_COLOURS: Readonly<Record<string, string>> = { error: '#c62828', warning: '#e08a00', info: '#6b7f8e' };

const FONT_STACK = `"Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", system-ui, sans-serif`;

function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** 1234567 → 1,234,567; 1234567.5 → 1,234,567.50 (money) — thousands separators for people. */
export function grouped(n: number | null | undefined, money = false): string {
  if (n === null || n === undefined) return '';
  const plain = money ? formatMoney(n) : String(n);
  const [int = '', frac] = plain.replace('-', '').split('.');
  const sign = plain.startsWith('-') ? '-' : '';
  const withCommas = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  if (!money) return sign + withCommas + (frac ? `.${frac}` : '');
  return `${sign}${withCommas}.${(frac ?? '').padEnd(2, '0')}`;
}

/** A bar chart item; `severity` colours its bar. */
export interface ChartItem extends Count {
  severity?: string;
}

/** A horizontal bar chart; each bar's count is printed as text so it can be read and searched. */
export function barChart(id: string, title: string, items: readonly ChartItem[]): string {
  if (items.length === 0) return `<p class="none" id="${esc(id)}">${esc(title)}：无</p>`;
  const max = Math.max(...items.map((i) => i.n), 1);
  const plot = CHART.width - CHART.labelWidth - 60;
  const height = items.length * CHART.row + 8;
  const rows = items.map((it, k) => {
    const y = 4 + k * CHART.row;
    const w = Math.max(1, Math.round((it.n / max) * plot));
    return `<g class="bar${it.severity ? ` sev-${esc(it.severity)}` : ''}" data-key="${esc(it.key)}" data-count="${it.n}">` +
      `<text x="${CHART.labelWidth - 6}" y="${y + CHART.bar - 2}" text-anchor="end">${esc(it.key)}</text>` +
      `<rect x="${CHART.labelWidth}" y="${y}" width="${w}" height="${CHART.bar}"></rect>` +
      `<text class="count" x="${CHART.labelWidth + w + CHART.countGap}" y="${y + CHART.bar - 2}">${grouped(it.n)}</text></g>`;
  }).join('');
  return `<figure><figcaption>${esc(title)}</figcaption>` +
    `<svg id="${esc(id)}" xmlns="http://www.w3.org/2000/svg" width="${CHART.width}" height="${height}" viewBox="0 0 ${CHART.width} ${height}" role="img" aria-label="${esc(title)}">${rows}</svg></figure>`;
}

/** A cell of a table: text (escaped), or markup already built. */
type Cell = string | number | { html: string; num?: boolean };

function table(head: readonly string[], rows: readonly (readonly Cell[])[], cls = ''): string {
  if (rows.length === 0) return '<p class="none">无 (none)</p>';
  const td = (c: Cell) => (typeof c === 'object' ? `<td${c.num ? ' class="num"' : ''}>${c.html}</td>` : typeof c === 'number' ? `<td class="num">${grouped(c)}</td>` : `<td>${esc(c)}</td>`);
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('') + '</tbody></table>';
}

/** The page of a location (`p3 [..]`, `page 3`), for a link into a PDF. */
export function pageOf(location: string | null): number | null {
  const m = /(?:^|[\s;(])p(?:age\s*)?(\d+)\b/i.exec(location ?? '');
  return m ? Number(m[1]) : null;
}

/** A link to the document as a file (resolved where the report is made), a PDF at the finding's page. */
export function documentHref(sourcePath: string, sourceKind: string, location: string | null): string {
  const url = pathToFileURL(resolve(sourcePath)).href;
  const page = pageOf(location);
  return sourceKind !== 'text' && page !== null ? `${url}#page=${page}` : url;
}

function findingRow(e: FindingExample): Cell[] {
  const href = documentHref(e.source_path, e.source_kind, e.location);
  return [
    { html: `<a class="doc" href="${esc(href)}" title="${esc(e.doc_id)}">${esc(e.source_path)}</a>` },
    { html: e.location ? `<a class="cell" href="${esc(href)}">${esc(e.location)}</a>` : '<span class="none">—</span>' },
    e.project_id ?? '',
    e.message,
  ];
}

const STYLE = `body{font:14px/1.5 ${FONT_STACK};margin:2em auto;max-width:1040px;color:#222;padding:0 1em}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}h3{font-size:1em;margin:1.2em 0 .3em}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:3px 6px;border-bottom:1px solid #eee;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.5em 1em}.card b{font-size:1.4em;display:block}
#count-failed,#count-unreadable{border-color:${SEVERITY_COLOURS.error}}
svg text{font:12px ${FONT_STACK};fill:#222}svg rect{fill:#4a78b5}.none{color:#777}figure{margin:1em 0}figcaption{font-weight:600}
.charts{display:flex;gap:2em;flex-wrap:wrap}.muted{color:#666}
.badge{display:inline-block;color:#fff;border-radius:3px;padding:0 .45em;font-size:12px;margin-right:.4em}
${Object.entries(SEVERITY_COLOURS).map(([s, c]) => `svg g.sev-${s} rect{fill:${c}}.sev-${s} .badge,.badge.sev-${s}{background:${c}}h3.sev-${s}{color:${c}}section.sev-${s}{border-left:4px solid ${c};padding-left:.8em}`).join('\n')}
details{margin:.4em 0}summary{cursor:pointer}summary code{font-weight:600}a{color:#1a5fb4}`;

const SEVERITY_NAMES: Record<string, string> = { error: '错误 error', warning: '警告 warning', info: '提示 info' };

export function reportHtml(r: ReportData): string {
  const status = (k: string) => r.documentsByStatus.find((c) => c.key === k)?.n ?? 0;
  const card = (label: string, n: number, id: string) => `<div class="card" id="${id}"><b>${grouped(n)}</b>${esc(label)}</div>`;
  const findingCounts: ChartItem[] = r.findingGroups.map((g) => ({ key: g.code, n: g.n, severity: g.severity }));
  const severities = [...new Set(r.findingGroups.map((g) => g.severity))].sort((a, b) => SEVERITY_RANK(a) - SEVERITY_RANK(b));
  const findingSections = severities.map((sev) => {
    const groups = r.findingGroups.filter((g) => g.severity === sev);
    const total = groups.reduce((a, g) => a + g.n, 0);
    return `<section class="sev-${esc(sev)}" id="findings-${esc(sev)}"><h3 class="sev-${esc(sev)}">${esc(SEVERITY_NAMES[sev] ?? sev)} · ${grouped(total)}</h3>` +
      groups.map((g) => `<details id="code-${esc(g.code)}"${sev === 'info' ? '' : ' open'}><summary><span class="badge sev-${esc(sev)}">${esc(sev)}</span><code>${esc(g.code)}</code> × ${grouped(g.n)}${g.meaning ? ` — ${esc(g.meaning.replaceAll('`', ''))}` : ''}</summary>` +
        table(['文件 file', '位置 cell', '项目 project', '内容 message'], g.examples.map(findingRow), 'findings') +
        (g.n > g.examples.length ? `<p class="muted">前 ${g.examples.length} 条，共 ${grouped(g.n)} 条 (first ${g.examples.length} of ${grouped(g.n)})</p>` : '') +
        '</details>').join('') + '</section>';
  }).join('');
  const parts = [
    '<!doctype html>',
    `<html lang="zh-CN"><head><meta charset="utf-8"><title>govtables 运行报告</title><style>${STYLE}</style></head><body>`,
    `<h1 id="title">govtables 运行报告 · run report</h1><p class="muted">${esc(r.database)} · ${esc(scopeLine(r))} · generated ${esc(r.generatedAt)}</p>`,
    r.run?.error ? `<p><span class="badge sev-error">error</span><b>运行错误 run error:</b> ${esc(r.run.error)}</p>` : '',
    '<div class="cards">',
    card('ok', status('ok'), 'count-ok'), card('partial', status('partial'), 'count-partial'), card('failed', status('failed'), 'count-failed'),
    card('unreadable', r.run?.unreadable ?? 0, 'count-unreadable'), card('already stored', r.run?.skipped ?? 0, 'count-skipped'),
    card('new projects', r.projects, 'count-projects'),
    '</div>',
    `<h2 id="failures">失败 Failures (${grouped(r.failureCount)})</h2>`,
    table(['原因 reason', '文件 file', '错误 error'], r.failures.map((f) => [f.reason, f.path, f.error])),
    `<h2 id="findings">问题 Findings (${grouped(r.findingGroups.reduce((a, g) => a + g.n, 0))})</h2>`,
    findingSections || '<p class="none">无 (none)</p>',
    '<div class="charts">',
    barChart('chart-findings', '按代码 Findings by code', findingCounts),
    barChart('chart-variants', '按版式 Documents by variant', r.documentsByVariant),
    '</div>',
    `<h2 id="projects">新项目 New projects (${grouped(r.projects)})</h2>`,
    table(['项目 project', '名称 name', '版式 variant', '地区 region', '年度 year', '年度预算（元） annual budget (yuan)', '文件 file'],
      r.newProjects.map((p) => [p.project_id, p.project_name ?? '', p.variant, p.region ?? '', p.fiscal_year === null ? '' : String(p.fiscal_year),
        { html: esc(grouped(p.annual_budget_yuan, true)), num: true }, p.source_path])),
    `<p class="muted">数据库 Database: ${grouped(r.totals.documents)} documents, ${grouped(r.totals.projects)} projects${r.totals.forms < r.totals.projects ? ` (${grouped(r.totals.forms)} forms, each counted once)` : ''}, ${grouped(r.totals.findings)} findings, ${grouped(r.totals.runs)} runs.</p>`,
    '</body></html>',
  ];
  return `${parts.join('\n')}\n`;
}
