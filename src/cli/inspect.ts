// Looking inside: the rows and cells an extractor produced for one file (`govtables rows`), the
// records of one file as JSON lines (`extract --format jsonl`), a file read from stdin (`-`),
// and the runs a database holds (`govtables runs`).
import { projectIdOf } from '../model/ids.js';
import type { ExtractResult } from '../model/schema.js';
import type { ExtractedDocument, Row } from '../extract/rows.js';
import { LimitError, OverLimit, type Limits } from '../limits.js';
import { printable } from '../pipeline/printable.js';
import type { RunRow } from '../runs/ledger.js';

/** The name a document read from stdin is given (its source_path). */
export const STDIN_NAME = 'stdin';

/** Reads stdin whole, no further than the size limit. */
export async function readStdin(limits: Limits, input: NodeJS.ReadableStream = process.stdin): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > limits.inputBytes) throw new Error(new LimitError(STDIN_NAME, new OverLimit('inputBytes', size, limits.inputBytes, `stdin holds more than ${limits.inputBytes} bytes`)).message);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** `1-3,5` → pages 1, 2, 3 and 5; null for no filter. */
export function parsePages(spec: string | undefined): ((page: number) => boolean) | null {
  if (spec === undefined) return null;
  const ranges = spec.split(',').map((part) => {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new Error(`--pages takes pages and ranges like 1-3,5, not "${spec}"`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || to < from) throw new Error(`--pages: "${part.trim()}" is not a range of pages from 1`);
    return [from, to] as const;
  });
  return (page) => ranges.some(([a, b]) => page >= a && page <= b);
}

export function rowsOnPages(doc: ExtractedDocument, keep: ((page: number) => boolean) | null): ExtractedDocument {
  return keep ? { ...doc, rows: doc.rows.filter((r) => keep(r.page)) } : doc;
}

const box = (b: readonly number[] | undefined) => (b ? `[${b.map((v) => Math.round(v)).join(',')}]` : '');

function rowHead(r: Row, k: number): string {
  const where = r.line !== undefined ? `line ${r.line}` : `p${r.page}`;
  return `${where} row ${k + 1}${r.box ? ` ${box(r.box)}` : ''}${r.cells.length === 0 ? '  (blank)' : ''}`;
}

/**
 * The rows as text: a line per row (its page or line, its box), then a line per cell (its
 * column, span, box, OCR confidence, notes) with the text, control characters escaped.
 */
export function formatRows(file: string, doc: ExtractedDocument): string {
  const out = [`${file}: ${doc.kind}${doc.ocrEngine ? ` read by ${doc.ocrEngine}` : ''}, ${doc.pages} page${doc.pages === 1 ? '' : 's'}, ${doc.rows.length} row${doc.rows.length === 1 ? '' : 's'}`];
  for (const n of doc.notes) out.push(`  note ${n.code}${n.location ? ` @ ${n.location}` : ''}: ${n.message}`);
  let page = 0;
  doc.rows.forEach((r, k) => {
    if (r.line === undefined && r.page !== page) out.push('', `— page ${r.page} —`);
    page = r.page;
    out.push(rowHead(r, k));
    for (const c of r.cells) {
      const span = (c.colSpan ?? 1) > 1 ? `-${c.col + (c.colSpan ?? 1)}` : '';
      const meta = [box(c.box), c.conf !== undefined ? `conf ${Math.round(c.conf)}` : '', c.stampInk ? `under a seal (${c.stampInk} px of stamp ink)` : '', c.continues ? 'continues' : ''].filter(Boolean).join(' ');
      out.push(`  c${c.col + 1}${span}${meta ? ` ${meta}` : ''}  ${JSON.stringify(c.text)}`);
      for (const n of c.notes ?? []) out.push(`      ${n.code}: ${n.message}`);
    }
  });
  return `${out.map(printable).join('\n')}\n`;
}

/**
 * A document's records as JSON lines, one record a line, named by the table the loader would
 * store it in, with the keys the exports use (project_id, doc_id) added.
 */
export function recordsJsonl(r: ExtractResult): string {
  const docId = r.document.doc_id;
  const lines: object[] = [{ table: 'documents', ...r.document }];
  for (const p of r.projects) {
    const { indicators, cost_items, funding, ...project } = p;
    const project_id = projectIdOf(docId, p.ordinal);
    lines.push({ table: 'projects', project_id, doc_id: docId, ...project });
    for (const i of indicators) lines.push({ table: 'indicators', project_id, ...i });
    for (const c of cost_items) lines.push({ table: 'cost_items', project_id, ...c });
    for (const f of funding) lines.push({ table: 'funding', project_id, ...f });
  }
  for (const b of r.budget_lines) lines.push({ table: 'budget_lines', doc_id: docId, ...b });
  for (const f of r.findings) lines.push({ table: 'findings', doc_id: docId, project_id: f.project ? projectIdOf(docId, f.project) : null, ...f });
  return lines.map((l) => `${JSON.stringify(l)}\n`).join('');
}

export interface RunListing {
  run_id: number;
  pipeline: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  files: number;
  skipped: number;
  ok: number;
  partial: number;
  failed: number;
  unreadable: number;
  findings: number;
  error: string | null;
}

export function runListing(r: RunRow): RunListing {
  const findings = Object.values(JSON.parse(r.findings_json || '{}') as Record<string, number>).reduce((a, n) => a + n, 0);
  return {
    run_id: r.run_id, pipeline: r.pipeline, status: r.status, started_at: r.started_at, ended_at: r.ended_at, files: r.files,
    skipped: r.skipped, ok: r.docs_ok, partial: r.docs_partial, failed: r.docs_failed, unreadable: r.unreadable, findings, error: r.error,
  };
}

const RUN_COLUMNS = ['run_id', 'pipeline', 'status', 'started_at', 'ended_at', 'files', 'ok', 'partial', 'failed', 'unreadable', 'skipped', 'findings'] as const;

/** The runs as an aligned table, numbers right-aligned. */
export function formatRuns(runs: readonly RunListing[]): string {
  if (runs.length === 0) return 'no runs recorded\n';
  const cells = runs.map((r) => RUN_COLUMNS.map((c) => String(r[c] ?? '-')));
  const widths = RUN_COLUMNS.map((c, k) => Math.max(c.length, ...cells.map((row) => row[k]!.length)));
  const numeric = (c: string) => !['pipeline', 'status', 'started_at', 'ended_at'].includes(c);
  const line = (row: readonly string[]) => row.map((v, k) => (numeric(RUN_COLUMNS[k]!) ? v.padStart(widths[k]!) : v.padEnd(widths[k]!))).join('  ').trimEnd();
  const out = [line(RUN_COLUMNS), ...cells.map(line)];
  runs.forEach((r) => { if (r.error) out.push(`run ${r.run_id}: ${r.error}`); });
  return `${out.map(printable).join('\n')}\n`;
}
