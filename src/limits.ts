// What one document may cost before it is refused: every bound the pipeline enforces, named,
// with its default, in one place. A file over a limit is a `failed` document whose error names
// the limit and the value found; the batch goes on. Limits are checked before the work they
// bound (a file's size before it is read, an image's pixels from its header before it is
// decoded), so a small hostile file cannot make the process pay first and refuse later.
import { z } from 'zod';
import { ExtractError } from './extract/errors.js';

const MiB = 1024 * 1024;

const count = (dflt: number) => z.number().int().positive().default(dflt);
const seconds = (dflt: number) => z.number().positive().max(86_400).default(dflt);

export const Limits = z.object({
  /** Bytes of one input file; a larger file is hashed (streamed) and recorded, never read whole. */
  inputBytes: count(128 * MiB),
  /** Bytes of a text dump: a dump is about 30 KB a form, and its rows cost ~20× its bytes in memory. */
  textBytes: count(16 * MiB),
  /** Characters of one line of a text dump. */
  lineChars: count(100_000),
  /** Cells (TAB-separated fields) of one row of a text dump. */
  cellsPerRow: count(1_000),
  /** Pixels of one image (a PNG, a JPEG, a TIFF page, an image in a PDF, a rendered page), from its header. */
  pixelsPerImage: count(30_000_000),
  /** Pages of one document (PDF pages, TIFF directories). */
  pagesPerDocument: count(500),
  /** Bytes one compressed stream may inflate to (a PDF stream, a TIFF strip is held to its own size). */
  decodedBytesPerStream: count(256 * MiB),
  /** Seconds one page may take to read (text layer, decoding, OCR). */
  secondsPerPage: seconds(120),
  /** Seconds one document may take to read, all pages together. */
  secondsPerDocument: seconds(900),
  /** Resident memory of one extraction worker process (V8 heap, native decoders and OCR together), MB. */
  workerMemoryMb: count(640),
}).strict();

export type Limits = z.infer<typeof Limits>;
export type LimitName = keyof Limits;

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze(Limits.parse({}));

/** The environment variable that overrides limits: a JSON object of some of the names above. */
export const LIMITS_ENV = 'GOVTABLES_LIMITS';

export class LimitsError extends Error {
  override name = 'LimitsError';
}

/** Defaults overlaid with `given`; an unknown name or a bad value is an error, never ignored. */
export function limitsOf(given?: Partial<Limits> | null): Limits {
  const r = Limits.safeParse(given ?? {});
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new LimitsError(`limits: ${i.path.join('.') || '(object)'}: ${i.message} (known: ${Object.keys(DEFAULT_LIMITS).join(', ')})`);
  }
  return r.data;
}

/** Limits from GOVTABLES_LIMITS (JSON), over the defaults. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): Limits {
  const raw = env[LIMITS_ENV];
  if (raw === undefined || raw.trim() === '') return limitsOf();
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new LimitsError(`${LIMITS_ENV} is not JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new LimitsError(`${LIMITS_ENV} must be a JSON object of limit names and numbers`);
  return limitsOf(parsed as Partial<Limits>);
}

const UNITS: Partial<Record<LimitName, string>> = {
  inputBytes: 'bytes', textBytes: 'bytes', lineChars: 'characters', cellsPerRow: 'cells', pixelsPerImage: 'pixels',
  pagesPerDocument: 'pages', decodedBytesPerStream: 'bytes', secondsPerPage: 's', secondsPerDocument: 's', workerMemoryMb: 'MB',
};

/**
 * Something over a limit, found where the file name is not known (a decoder's loop); the
 * extractor boundary turns it into a LimitError that names the file.
 */
export class OverLimit extends Error {
  override name = 'OverLimit';
  constructor(readonly limit: LimitName, readonly found: number, readonly allowed: number, readonly what: string, readonly location: string | null = null) {
    super(`${what}: over the limit ${limit} = ${allowed}${UNITS[limit] ? ` ${UNITS[limit]}` : ''}`);
  }
}

/** A document over one of the limits: the error names the limit, its value and what was found. */
export class LimitError extends ExtractError {
  constructor(file: string, readonly over: OverLimit, location: string | null = over.location) {
    super(file, 'limit', over.message, location);
    this.name = 'LimitError';
  }
}

/** Throws OverLimit when `found` is over `limits[name]`. */
export function checkLimit(limits: Limits, name: LimitName, found: number, what: string, location: string | null = null): void {
  if (found > limits[name]) throw new OverLimit(name, found, limits[name], what, location);
}
