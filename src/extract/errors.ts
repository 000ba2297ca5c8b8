// An input the pipeline cannot read. The message always names the file and says why in plain
// words; `reason` is a stable token scripts and the nightly retry logic can rely on.
export type ExtractReason =
  | 'empty' | 'binary' | 'encoding' | 'truncated' | 'not-pdf' | 'encrypted' | 'password'
  | 'no-pages' | 'corrupt' | 'no-text' | 'unsupported' | 'unrecognised-layout' | 'io'
  // Over a named limit; the worker reading it died (a native crash), ran out of memory, or took too long.
  | 'limit' | 'crashed' | 'memory' | 'timeout';

/** Reasons that may pass on a later run (a file still being written, a locked share). */
export const TRANSIENT_REASONS: ReadonlySet<ExtractReason> = new Set(['io']);

export class ExtractError extends Error {
  constructor(
    readonly file: string,
    readonly reason: ExtractReason,
    detail: string,
    readonly location: string | null = null,
  ) {
    super(`${file}${location ? ` (${location})` : ''}: ${detail}`);
    this.name = 'ExtractError';
  }
}
