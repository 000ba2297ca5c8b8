// Messages between the extraction pool and its worker processes (advanced serialization, so
// bytes and rows cross as structured clones).
import type { ExtractReason } from '../extract/errors.js';
import type { ExtractedDocument } from '../extract/rows.js';
import type { LimitName } from '../limits.js';
import type { ExtractResult, Variant } from '../model/schema.js';
import type { OcrMode } from './options.js';

/** Rows of a PDF or scan (`read`), or a whole document's records, any kind (`extract`). */
export type ChildJob =
  | { type: 'read'; id: number; kind: 'pdf' | 'scan'; bytes: Uint8Array; file: string; ocr: OcrMode }
  | { type: 'extract'; id: number; bytes: Uint8Array; file: string; ocr: OcrMode; variant: Variant | null; nowIso: string | null };

/** An error as data: an ExtractError, a limit passed, or anything else. */
export type WireError =
  | { kind: 'extract'; message: string; reason: ExtractReason; location: string | null }
  | { kind: 'limit'; message: string; limit: LimitName; found: number; allowed: number; what: string; location: string | null }
  | { kind: 'other'; message: string };

export type ChildReply =
  | { id: number; type: 'ready'; pid: number }
  | { id: number; type: 'page'; page: number }
  | { id: number; type: 'done'; doc: ExtractedDocument }
  | { id: number; type: 'result'; result: ExtractResult }
  | { id: number; type: 'error'; error: WireError };
