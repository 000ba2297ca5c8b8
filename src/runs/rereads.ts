// What a run read again: each document stored before and replaced by this run, with the status
// and release it had, so a re-read archive says what changed. runs.re_read is their count. The
// SQL is run by both stores (PostgreSQL through its dialect).
import type { DocStatus } from '../model/schema.js';

export interface Reread {
  docId: string;
  path: string;
  previousStatus: DocStatus;
  previousVersion: string;
  status: DocStatus;
}

export const RECORD_REREAD_SQL = [
  `INSERT INTO run_rereads (run_id, doc_id, source_path, previous_status, previous_version, status) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (run_id, doc_id) DO UPDATE SET status = excluded.status`,
  'UPDATE runs SET re_read = (SELECT count(*) FROM run_rereads WHERE run_id = ?) WHERE run_id = ?',
] as const;

export function rereadParams(runId: number, r: Reread): [unknown[], unknown[]] {
  return [[runId, r.docId, r.path, r.previousStatus, r.previousVersion, r.status], [runId, runId]];
}

/** Which stored documents `govtables reparse` reads again. */
export interface ReparseSelection {
  /** Stored by another release than this one. */
  outdated: boolean;
  /** Stored as failed (a short copy superseded by its complete one excepted: its bytes are in that one). */
  failed: boolean;
}

/** The documents to read again with their recorded paths; neither flag: every document. */
export function reparseSelectSql(s: ReparseSelection, version: string): { sql: string; params: Record<string, unknown> } {
  const terms = [s.outdated ? 'pipeline_version <> @version' : null, s.failed ? `status = 'failed'` : null].filter(Boolean);
  const where = terms.length ? `(${terms.join(' OR ')})` : '1 = 1';
  return {
    sql: `SELECT doc_id, source_path FROM documents WHERE ${where} AND coalesce(failure_reason, '') <> 'superseded' ORDER BY source_path, doc_id`,
    params: s.outdated ? { version } : {},
  };
}
