// Half-copied files. A copy cut short one night and the complete file the next have different
// doc_ids, and both would be stored, their budgets counted twice. A document whose bytes are
// exactly the first bytes of another is the shorter copy of it: the complete one supersedes
// it. Candidates are found by the hash of the first kilobyte and the size, then proven: the
// longer file's prefix of the shorter one's length must hash to the shorter one's doc_id.
import { createHash } from 'node:crypto';
import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import type { ExtractResult, Finding } from '../model/schema.js';
import { PIPELINE_VERSION } from '../version.js';
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from './db.js';

/** Bytes hashed to find candidates; shorter documents are too small to be told apart from a prefix. */
export const HEAD_BYTES = 1024;
/** Block size and hash bytes kept per block (blockHashesOf). */
const BLOCK = 4096;
const BLOCK_HASH = 8;

export interface StoredDoc {
  docId: string;
  path: string;
  byteSize: number;
}

/** The first 8 bytes of the sha256 of each whole 4 KiB block of `bytes`, concatenated. */
export function blockHashesOf(bytes: Uint8Array): Buffer {
  const n = Math.floor(bytes.length / BLOCK);
  const out = Buffer.alloc(n * BLOCK_HASH);
  for (let i = 0; i < n; i++) createHash('sha256').update(bytes.subarray(i * BLOCK, (i + 1) * BLOCK)).digest().copy(out, i * BLOCK_HASH, 0, BLOCK_HASH);
  return out;
}

export interface PrefixRelations {
  /** Stored documents whose bytes begin this one's: this one supersedes them. */
  supersedes: StoredDoc[];
  /** A stored document whose bytes this one's begin: this one is its short copy. */
  supersededBy: StoredDoc | null;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export function headShaOf(bytes: Uint8Array): string {
  return sha256(bytes.subarray(0, HEAD_BYTES));
}

/** sha256 of the first `n` bytes of the file at `path`, when it still holds the document `docId`. */
function storedPrefixSha(path: string, docId: string, size: number, n: number): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    if (!fstatSync(fd).isFile() || fstatSync(fd).size !== size) return null;
    const whole = createHash('sha256');
    const prefix = createHash('sha256');
    const buf = Buffer.allocUnsafe(1024 * 1024);
    let pos = 0;
    for (;;) {
      const got = readSync(fd, buf, 0, buf.length, pos);
      if (got === 0) break;
      const chunk = buf.subarray(0, got);
      whole.update(chunk);
      if (pos < n) prefix.update(chunk.subarray(0, Math.min(got, n - pos)));
      pos += got;
    }
    return whole.digest('hex') === docId ? prefix.digest('hex') : null;
  } finally {
    closeSync(fd);
  }
}

/** A stored document that may begin, or be begun by, a new one: same first kilobyte, another size. */
export interface PrefixCandidate extends StoredDoc {
  blocks: Buffer | null;
}

/** Candidates for `prefixRelations`: parameters are head sha, HEAD_BYTES, the size and the doc_id, in that order. */
export const PREFIX_CANDIDATES_SQL = `SELECT doc_id AS "docId", source_path AS path, byte_size AS "byteSize", block_hashes AS blocks FROM documents
  WHERE head_sha256 = ? AND byte_size > ? AND byte_size <> ? AND superseded_by IS NULL AND doc_id <> ?
  ORDER BY byte_size`;

export function prefixCandidateParams(bytes: Uint8Array, docId: string): unknown[] {
  return [headShaOf(bytes), HEAD_BYTES, bytes.length, docId];
}

// Asked once a document: the statement is prepared once a connection.
const candidateStatements = new WeakMap<Database, BetterSqlite3.Statement>();

export function prefixRelations(db: Database, bytes: Uint8Array, docId: string): PrefixRelations {
  if (bytes.length <= HEAD_BYTES) return { supersedes: [], supersededBy: null };
  let candidates = candidateStatements.get(db);
  if (!candidates) candidateStatements.set(db, (candidates = db.prepare(PREFIX_CANDIDATES_SQL)));
  const rows = candidates.all(...prefixCandidateParams(bytes, docId)) as PrefixCandidate[];
  return relationsAmong(rows, bytes, docId);
}

/** Which candidates this document supersedes, and which one supersedes it, proven by hashes. */
export function relationsAmong(rows: readonly PrefixCandidate[], bytes: Uint8Array, docId: string): PrefixRelations {
  const out: PrefixRelations = { supersedes: [], supersededBy: null };
  if (bytes.length <= HEAD_BYTES) return out;
  const prefixSha = new Map<number, string>();
  let mine: Buffer | null = null;
  for (const { blocks, ...r } of rows) {
    if (r.byteSize < bytes.length) {
      let h = prefixSha.get(r.byteSize);
      if (h === undefined) prefixSha.set(r.byteSize, (h = sha256(bytes.subarray(0, r.byteSize))));
      if (h === r.docId) out.supersedes.push(r);
    } else if (out.supersededBy === null) {
      // Read the longer file back only when its blocks begin with this one's.
      mine ??= blockHashesOf(bytes);
      if (blocks && !blocks.subarray(0, mine.length).equals(mine)) continue;
      if (storedPrefixSha(r.path, r.docId, r.byteSize, bytes.length) === docId) out.supersededBy = r;
    }
  }
  return out;
}

const short = (id: string) => id.slice(0, 12);

export function supersedesFinding(old: StoredDoc, size: number): Finding {
  return {
    project: null, severity: 'warning', code: 'DOCUMENT_SUPERSEDES',
    message: `supersedes ${old.path} (document ${short(old.docId)}): its ${old.byteSize} bytes are the first ${old.byteSize} of this file's ${size}, a copy cut short; its records were removed`,
    location: null,
  };
}

export function supersededMessage(path: string, size: number, by: StoredDoc): string {
  return `${path}: a copy cut short: its ${size} bytes are the first ${size} of ${by.path} (document ${short(by.docId)}, ${by.byteSize} bytes), which is stored; superseded by it, its records are not counted`;
}

/** The record of a short copy of a stored document: failed, no records, the reason named. */
export function supersededResult(docId: string, kind: ExtractResult['document']['source_kind'], path: string, bytes: Uint8Array, by: StoredDoc, now: () => Date = () => new Date()): ExtractResult {
  return {
    document: {
      doc_id: docId, source_path: path, source_kind: kind, variant: null, pages: 0, project_count: 0,
      status: 'failed', error: supersededMessage(path, bytes.length, by), pipeline_version: PIPELINE_VERSION,
      ingested_at: now().toISOString(), detection: null,
    },
    projects: [], budget_lines: [],
    findings: [{ project: null, severity: 'warning', code: 'DOCUMENT_SUPERSEDED', message: `superseded by ${by.path} (document ${short(by.docId)})`, location: null }],
  };
}
