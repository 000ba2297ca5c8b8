// Identifiers the contract fixes: doc_id is the sha256 of the file's bytes, project_id is
// `<first 12 hex of doc_id>-<ordinal>`.
import { createHash } from 'node:crypto';

export function docIdOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function projectIdOf(docId: string, ordinal: number): string {
  return `${docId.slice(0, 12)}-${ordinal}`;
}
