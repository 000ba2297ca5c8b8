// A failed document's reason token, recovered from its stored error text. extractBytes keeps
// only ExtractError's message, not its `reason`, so the phrases each throw site uses are matched
// here; when DocumentInfo carries the token itself this table can go.
import { TRANSIENT_REASONS, type ExtractReason } from '../extract/errors.js';

/** ExtractReason, plus what extractBytes reports without an ExtractError, and a superseded short copy. */
export type FailureReason = ExtractReason | 'no-form' | 'superseded' | 'unknown';

// First match wins; each pattern is the fixed part of one message template.
const PATTERNS: readonly (readonly [RegExp, FailureReason])[] = [
  // A worker that died or was stopped, and a limit passed: never transient, so never re-read nightly.
  [/: decoder crashed \(/, 'crashed'],
  [/: exceeded the memory limit \(/, 'memory'],
  [/: timed out after \d+(\.\d+)? s/, 'timeout'],
  [/: over the limit [a-zA-Z]+ = /, 'limit'],
  [/: a copy cut short: /, 'superseded'],
  [/cannot read the file|OCR failed|the extraction worker did not start/, 'io'],
  [/the file is empty|holds only white space/, 'empty'],
  [/binary data, not a text dump/, 'binary'],
  [/not valid UTF-8 or GB18030/, 'encoding'],
  [/unrecognised layout/, 'unrecognised-layout'],
  [/but no form or budget table could be read/, 'no-form'],
  [/is encrypted in a way/, 'encrypted'],
  [/protected by a password/, 'password'],
  [/is truncated \(the file ends|ends in the middle of a character/, 'truncated'],
  [/no text layer/, 'no-text'],
  [/is not a PDF/, 'not-pdf'],
  [/a PDF with no pages|there is no page/, 'no-pages'],
  [/is a damaged PDF|unreadable TIFF|: (PNG|JPEG) .*(damaged|cut short)|the image decodes to/, 'corrupt'],
  [/not supported|did not start/, 'unsupported'],
];

export function failureReasonOf(error: string | null | undefined): FailureReason {
  if (!error) return 'unknown';
  for (const [re, reason] of PATTERNS) if (re.test(error)) return reason;
  return 'unknown';
}

export function isTransient(reason: string | null | undefined): boolean {
  return reason !== null && reason !== undefined && TRANSIENT_REASONS.has(reason as ExtractReason);
}
