// Option values shared by the pipelines, checked once here so each pipeline reads as its steps.
import { statSync } from 'node:fs';
import { LimitsError, limitsFromEnv, type Limits } from '../src/limits.js';
import { isOcrEngineName, OCR_ENGINES, DEFAULT_OCR_ENGINE, type OcrEngineName } from '../src/extract/ocr/engine.js';
import type { OcrMode } from '../src/pipeline/options.js';
import { GlobError, pathFilter, type PathFilter } from '../src/pipeline/pathFilter.js';
import { OptionError, type Options, type Values } from './types.js';

export const COMMON_OPTIONS: Options = {
  db: { type: 'string' },
  concurrency: { type: 'string' },
  wait: { type: 'string' },
  'log-json': { type: 'string' },
  ocr: { type: 'string' },
  'ocr-engine': { type: 'string' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
};

export function stringOpt(v: Values, name: string): string | undefined {
  const x = v[name];
  if (x === undefined) return undefined;
  if (typeof x !== 'string' || x === '') throw new OptionError(`--${name} needs a value`);
  return x;
}

export function requiredOpt(v: Values, name: string, what: string): string {
  const x = stringOpt(v, name);
  if (x === undefined) throw new OptionError(`--${name} ${what} is required`);
  return x;
}

export function dirOpt(v: Values, name: string): string {
  const dir = requiredOpt(v, name, 'DIR');
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new OptionError(`--${name} ${dir}: no such folder`);
  }
  if (!isDir) throw new OptionError(`--${name} ${dir}: not a folder`);
  return dir;
}

export function intOpt(v: Values, name: string, dflt: number, min: number, max: number): number {
  const x = stringOpt(v, name);
  if (x === undefined) return dflt;
  const n = Number(x);
  if (!Number.isInteger(n) || n < min || n > max) throw new OptionError(`--${name} must be a whole number from ${min} to ${max}, not "${x}"`);
  return n;
}

export function ocrOpt(v: Values): OcrMode {
  const x = stringOpt(v, 'ocr') ?? 'auto';
  if (x !== 'auto' && x !== 'always' && x !== 'never') throw new OptionError(`--ocr must be auto, always or never, not "${x}"`);
  return x;
}

export function ocrEngineOpt(v: Values): OcrEngineName | undefined {
  const x = stringOpt(v, 'ocr-engine');
  if (x === undefined) return undefined;
  if (!isOcrEngineName(x)) throw new OptionError(`--ocr-engine must be ${OCR_ENGINES.join(' or ')}, not "${x}"`);
  return x;
}

/** The limits from GOVTABLES_LIMITS; a bad value is a usage error. */
export function limitsOpt(): Limits {
  try {
    return limitsFromEnv();
  } catch (err) {
    if (err instanceof LimitsError) throw new OptionError(err.message);
    throw err;
  }
}

/** The options every ingesting pipeline shares, read from `v`. */
export function commonOpts(v: Values, defaultDb: string, defaultConcurrency: number) {
  return {
    dbFile: stringOpt(v, 'db') ?? defaultDb,
    concurrency: intOpt(v, 'concurrency', defaultConcurrency, 1, 64),
    waitSeconds: intOpt(v, 'wait', 0, 0, 86_400),
    logJson: stringOpt(v, 'log-json'),
    ocr: ocrOpt(v),
    ocrEngine: ocrEngineOpt(v),
    limits: limitsOpt(),
    filter: filterOpt(v),
  };
}

/** --include / --exclude (each may be given several times); a bad glob is a usage error. */
export function filterOpt(v: Values): PathFilter | null {
  const list = (name: string) => {
    const x = v[name];
    return x === undefined ? [] : Array.isArray(x) ? x : [String(x)];
  };
  try {
    return pathFilter(list('include'), list('exclude'));
  } catch (err) {
    if (err instanceof GlobError) throw new OptionError(`--include/--exclude: ${err.message}`);
    throw err;
  }
}

export const COMMON_USAGE = `  --db FILE|URL      SQLite database, or a postgres:// URL (default $GOVTABLES_DB, else data/govtables.sqlite)
  --concurrency N    files read at once
  --wait SECONDS     if another run holds the database, wait up to this long (default 0: exit 4)
  --log-json FILE    append one JSON line per document event to FILE
  --ocr MODE         auto (default), always or never
  --ocr-engine NAME  the engine that reads scanned cells: ${OCR_ENGINES.join(' or ')} (default ${DEFAULT_OCR_ENGINE})
  --include GLOB     read only files matching GLOB below the folder (repeatable; \`*.pdf\`,
                     \`2021/**\`; a pattern without / matches the file name)
  --exclude GLOB     leave out files and folders matching GLOB (repeatable)`;
