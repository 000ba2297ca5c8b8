// What a pipeline is: a name, its options, and a `run` that composes library steps. The CLI
// (`govtables run NAME`) parses the options, supplies the defaults and maps the outcome to an
// exit code; a pipeline never touches process state itself.
import type { ParseArgsConfig } from 'node:util';
import type { ProgressSink } from '../src/runs/progress.js';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface PipelineIO {
  stdout: { write(s: string): unknown };
  stderr: ProgressSink;
  /** Aborted on Ctrl-C: stop taking new files, finish the ones in hand. */
  signal: AbortSignal;
  defaults: { db: string };
}

/** ok: every document read; failed-documents: some document failed; interrupted: stopped early. */
export type Outcome = 'ok' | 'failed-documents' | 'interrupted';

export interface Pipeline {
  name: string;
  /** One line for `govtables run --help`. */
  summary: string;
  usage: string;
  options: Options;
  run(values: Values, io: PipelineIO): Promise<Outcome>;
}

/** A bad option value; the CLI prints it with the pipeline's usage and exits 2. */
export class OptionError extends Error {
  override name = 'OptionError';
}
