// Stores documents in PostgreSQL with the loader's rules (loader.ts): a document wholly present
// or wholly absent, a stored doc_id skipped, foreign keys checked by the server. A batch is one
// transaction of a few statements whatever its size: one multi-row INSERT of the documents
// (ON CONFLICT DO NOTHING RETURNING tells which were new, also when another worker stores the
// same file at the same moment), then one COPY per child table. Should the server refuse a
// batch's data (a constraint), it is rolled back and its documents are stored one by one, so
// the refusal costs that one document only. A lost connection fails the whole batch: nothing
// of it was committed, and the caller tries again.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import { projectIdOf } from '../../model/ids.js';
import type { ExtractResult } from '../../model/schema.js';
import { failureReasonOf } from '../../runs/reasons.js';
import {
  COST_ITEM_FIELDS, FINDING_COLUMNS, FUNDING_FIELDS, INDICATOR_FIELDS, PROJECT_FIELDS, findingRow, partialReasonsText, DUPLICATE_FINDINGS_SQL, readOptionsText, storeError, supersedeTexts,
  type LoadOutcome, type StoreExtras,
} from '../loader.js';
import type { Pool, PoolClient } from './connect.js';
import { toPostgres } from './dialect.js';
import { isTransientStoreError } from './errors.js';

export interface LoadItem {
  result: ExtractResult;
  replace: boolean;
  extras: StoreExtras | undefined;
  runId: number | null;
}

const DOCUMENT_COLUMNS = [
  'doc_id', 'source_path', 'source_kind', 'variant', 'pages', 'project_count', 'status', 'error',
  'pipeline_version', 'ingested_at', 'detection_json', 'byte_size', 'head_sha256', 'block_hashes', 'run_id', 'failure_reason',
  'partial_reasons', 'read_options',
] as const;

interface ChildTable {
  name: string;
  columns: readonly string[];
}

const CHILDREN = {
  projects: { name: 'projects', columns: ['project_id', 'doc_id', 'ordinal', ...PROJECT_FIELDS] },
  indicators: { name: 'indicators', columns: ['project_id', ...INDICATOR_FIELDS] },
  cost_items: { name: 'cost_items', columns: ['project_id', ...COST_ITEM_FIELDS] },
  funding: { name: 'funding', columns: ['project_id', 'ordinal', ...FUNDING_FIELDS] },
  budget_lines: { name: 'budget_lines', columns: ['doc_id', 'table_title', 'row_ordinal', 'code', 'name', 'column', 'amount_yuan', 'source_ref'] },
  findings: { name: 'findings', columns: ['doc_id', ...FINDING_COLUMNS] },
} as const satisfies Record<string, ChildTable>;

type ChildName = keyof typeof CHILDREN;
/** A document's rows, ready to send: its documents row and its child rows by table. */
interface Prepared {
  item: LoadItem;
  doc: unknown[];
  rows: Record<ChildName, unknown[][]>;
}

function pick<T extends object>(row: T, fields: readonly (keyof T)[]): unknown[] {
  return fields.map((f) => row[f] ?? null);
}

/** The rows of one document; throws (a finding naming a project the document lacks) before anything is sent. */
function prepare(item: LoadItem): Prepared {
  const { result, extras, runId } = item;
  const d = result.document;
  const doc = [
    d.doc_id, d.source_path, d.source_kind, d.variant ?? null, d.pages, d.project_count, d.status, d.error ?? null,
    d.pipeline_version, d.ingested_at, d.detection ? JSON.stringify(d.detection) : null, extras?.byteSize ?? null,
    extras?.headSha ?? null, extras?.blockHashes ?? null, runId,
    // SQLite's run trigger (runs/ledger.ts) sets the reason token; here it is written with the row.
    d.status === 'failed' ? failureReasonOf(d.error) : null,
    partialReasonsText(d.partial_reasons), readOptionsText(extras?.readOptions),
  ];
  const rows: Record<ChildName, unknown[][]> = { projects: [], indicators: [], cost_items: [], funding: [], budget_lines: [], findings: [] };
  const ordinals = new Set<number>();
  for (const p of result.projects) {
    const projectId = projectIdOf(d.doc_id, p.ordinal);
    ordinals.add(p.ordinal);
    rows.projects.push([projectId, d.doc_id, p.ordinal, ...pick(p, PROJECT_FIELDS)]);
    for (const i of p.indicators) rows.indicators.push([projectId, ...pick(i, INDICATOR_FIELDS)]);
    for (const c of p.cost_items) rows.cost_items.push([projectId, ...pick(c, COST_ITEM_FIELDS)]);
    p.funding.forEach((f, k) => rows.funding.push([projectId, k + 1, ...pick(f, FUNDING_FIELDS)]));
  }
  for (const b of result.budget_lines) rows.budget_lines.push([d.doc_id, b.table_title, b.row_ordinal, b.code ?? null, b.name ?? null, b.column, b.amount_yuan, b.source_ref ?? null]);
  for (const f of result.findings) rows.findings.push([d.doc_id, ...findingRow(d.doc_id, f, ordinals)]);
  return { item, doc, rows };
}

/** One value in COPY's text format. PostgreSQL text cannot hold NUL: it is stored as U+FFFD. */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : String(v);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Buffer.isBuffer(v)) return `\\\\x${v.toString('hex')}`;
  return String(v).replace(/[\\\n\r\t\0]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : '\uFFFD'));
}

function nul(v: unknown): unknown {
  return typeof v === 'string' && v.includes('\0') ? v.replaceAll('\0', '\uFFFD') : v;
}

const quoted = (cols: readonly string[]) => cols.map((c) => `"${c}"`).join(', ');

async function copyRows(client: PoolClient, table: ChildTable, rows: readonly unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const text = rows.map((r) => r.map(copyValue).join('\t')).join('\n') + '\n';
  const stream = client.query(copyStreams.from(`COPY ${table.name} (${quoted(table.columns)}) FROM STDIN`));
  await pipeline(Readable.from([Buffer.from(text)]), stream);
}

/** Rows per INSERT statement (PostgreSQL takes at most 65,535 parameters). */
const DOCS_PER_INSERT = 1000;

/** Inserts the documents rows that are new; returns the doc_ids inserted. */
async function insertDocuments(client: PoolClient, docs: readonly unknown[][]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let i = 0; i < docs.length; i += DOCS_PER_INSERT) {
    const part = docs.slice(i, i + DOCS_PER_INSERT);
    const values: unknown[] = [];
    const tuples = part.map((row) => `(${row.map((v) => { values.push(nul(v)); return `$${values.length}`; }).join(', ')})`);
    const r = await client.query<{ doc_id: string }>(
      `INSERT INTO documents (${quoted(DOCUMENT_COLUMNS)}) VALUES ${tuples.join(', ')} ON CONFLICT (doc_id) DO NOTHING RETURNING doc_id`,
      values,
    );
    for (const x of r.rows) inserted.add(x.doc_id);
  }
  return inserted;
}

async function copyChildren(client: PoolClient, docs: readonly Prepared[]): Promise<void> {
  for (const name of Object.keys(CHILDREN) as ChildName[]) {
    await copyRows(client, CHILDREN[name], docs.flatMap((p) => p.rows[name]));
  }
  // After every document of the batch is in: two copies in one batch find each other once.
  for (const p of docs) {
    if (!p.item.result.projects.some((x) => x.form_key)) continue;
    for (const sql of DUPLICATE_FINDINGS_SQL) {
      const q = toPostgres(sql, { doc: p.item.result.document.doc_id });
      await client.query(q.text, q.values);
    }
  }
}

async function inTransaction<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  // A connection cut between two statements (a server restart) is reported by the next one;
  // the event itself must not end the process.
  const onError = () => { broken = true; };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    broken = isTransientStoreError(err);
    await client.query('ROLLBACK').catch(() => { broken = true; });
    throw err;
  } finally {
    // A connection that failed is dropped rather than handed to the next batch.
    client.off('error', onError);
    client.release(broken);
  }
}

/** The batch's plain documents in one transaction; outcomes in the order given. */
async function loadPlain(pool: Pool, docs: readonly Prepared[]): Promise<LoadOutcome[]> {
  const inserted = await inTransaction(pool, async (c) => {
    const ids = await insertDocuments(c, docs.map((p) => p.doc));
    // The same bytes twice in one batch: the first is stored, the second skipped, as in SQLite.
    const taken = new Set<string>();
    const fresh = docs.filter((p) => {
      const id = p.item.result.document.doc_id;
      if (!ids.has(id) || taken.has(id)) return false;
      taken.add(id);
      return true;
    });
    await copyChildren(c, fresh);
    return new Set(fresh);
  });
  return docs.map((p) => (inserted.has(p) ? 'inserted' : 'skipped'));
}

/** One document in its own transaction: a replacement, a supersession, or one of a refused batch. */
async function loadOne(pool: Pool, p: Prepared): Promise<LoadOutcome> {
  const { result, replace, extras } = p.item;
  const d = result.document;
  return inTransaction(pool, async (c) => {
    let outcome: LoadOutcome = 'inserted';
    if (replace) {
      const del = await c.query('DELETE FROM documents WHERE doc_id = $1', [d.doc_id]);
      if ((del.rowCount ?? 0) > 0) outcome = 'replaced';
    }
    const ids = await insertDocuments(c, [p.doc]);
    if (!ids.has(d.doc_id)) return 'skipped';
    for (const old of extras?.supersedes ?? []) {
      const t = supersedeTexts(old, d.doc_id, d.source_path);
      const marked = await c.query(
        `UPDATE documents SET status = 'failed', project_count = 0, error = $1, failure_reason = 'superseded', superseded_by = $2
          WHERE doc_id = $3 AND superseded_by IS NULL`,
        [nul(t.error), d.doc_id, old.docId],
      );
      if ((marked.rowCount ?? 0) === 0) continue;
      for (const table of ['projects', 'budget_lines', 'findings']) await c.query(`DELETE FROM ${table} WHERE doc_id = $1`, [old.docId]);
      await c.query(`INSERT INTO findings (doc_id, project_id, severity, code, message, location) VALUES ($1, NULL, 'warning', 'DOCUMENT_SUPERSEDED', $2, NULL)`, [old.docId, nul(t.finding)]);
    }
    await copyChildren(c, [p]);
    return outcome;
  });
}

/**
 * Stores `items`: an outcome or an Error (that document could not be stored) per item. Rejects
 * when the store cannot be reached or the connection is lost: then none of them is committed.
 */
export async function loadBatch(pool: Pool, items: readonly LoadItem[]): Promise<(LoadOutcome | Error)[]> {
  const out: (LoadOutcome | Error)[] = new Array(items.length);
  const plain: { at: number; p: Prepared }[] = [];
  const single: { at: number; p: Prepared }[] = [];
  items.forEach((item, at) => {
    let p: Prepared;
    try {
      p = prepare(item);
    } catch (err) {
      out[at] = storeError(item.result, err);
      return;
    }
    (item.replace || (item.extras?.supersedes?.length ?? 0) > 0 ? single : plain).push({ at, p });
  });
  if (plain.length) {
    try {
      const outcomes = await loadPlain(pool, plain.map((x) => x.p));
      plain.forEach((x, k) => { out[x.at] = outcomes[k]!; });
    } catch (err) {
      if (isTransientStoreError(err)) throw err;
      // The server refused something in the batch: each document alone, so only that one fails.
      single.unshift(...plain);
    }
  }
  single.sort((a, b) => a.at - b.at);
  for (const { at, p } of single) {
    try {
      out[at] = await loadOne(pool, p);
    } catch (err) {
      if (isTransientStoreError(err)) throw err;
      out[at] = storeError(p.item.result, err);
    }
  }
  return out;
}
