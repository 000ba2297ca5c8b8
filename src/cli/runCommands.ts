// `govtables run NAME` (the pipelines in pipelines/) and `govtables report`, as commands main.ts
// lists beside its own.
import { parseArgs } from 'node:util';
import { PIPELINES } from '../../pipelines/index.js';
import { OptionError, type Outcome, type Pipeline, type Values } from '../../pipelines/types.js';
import { LockHeldError } from '../runs/lock.js';
import { NoSuchRunError, reportData, reportText } from '../runs/report.js';
import { reportHtml } from '../runs/reportHtml.js';
import { printable } from '../pipeline/printable.js';
import { openStore, storeTarget } from '../store/store.js';
import { writeFileAtomic } from '../store/atomicFile.js';
import { DEFAULT_DB, EXIT, EXIT_INTERRUPTED, type Command } from './exit.js';
import { withStopSignal } from './stop.js';

export { EXIT_INTERRUPTED } from './exit.js';

export function runCommands(): Record<'run' | 'report' | 'reparse', Command> {
  // `govtables reparse` is the pipeline of that name, offered as a command of its own.
  const reparse = PIPELINES.get('reparse')!;
  return {
    run: { help: runHelp(), run: runCommand },
    report: { help: reportHelp(), run: reportCommand },
    reparse: { help: reparse.usage, run: (args) => runCommand(['reparse', ...args]) },
  };
}

function runHelp(): string {
  const names = [...PIPELINES.values()].map((p) => `  ${p.name.padEnd(12)} ${p.summary}`).join('\n');
  return `Usage: govtables run NAME [options]

Pipelines:
${names}

Run 'govtables run NAME --help' for a pipeline's options.`;
}

function reportHelp(): string {
  return `Usage: govtables report [--db FILE] [--run ID] [--json] [--html FILE]

A one-page summary of a run (default: the latest): documents by status and variant, new
projects, findings by code with the top ones and where they are, failures with their reasons.
Plain text on stdout (--json: the same as one JSON object); --html also writes a
self-contained page with bar charts.

Options:
  --db FILE|URL  SQLite database, or a postgres:// URL (default \$GOVTABLES_DB, else ${DEFAULT_DB})
  --run ID      report on this run instead of the latest
  --json        print the report as JSON (run, documentsByStatus, documentsByVariant, newProjects,
                findingsByCode, findingGroups, failures, totals …) instead of text
  --html FILE   also write the report as an HTML page
  -h, --help    this help`;
}

function usageError(cmd: string, message: string, usage: string): number {
  process.stderr.write(`govtables ${cmd}: ${message}\n\n${usage}\n`);
  return EXIT.usage;
}

function parseFor(options: Pipeline['options'], args: string[]): Values {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: false, strict: true }).values as Values;
  } catch (err) {
    throw new OptionError(err instanceof Error ? err.message : String(err));
  }
}

const OUTCOME_EXIT: Record<Outcome, number> = { ok: 0, 'failed-documents': 1, interrupted: EXIT_INTERRUPTED };

async function runCommand(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(`${runHelp()}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const pipeline = PIPELINES.get(name);
  if (!pipeline) return usageError('run', `unknown pipeline "${name}"`, runHelp());
  const cmd = `run ${name}`;
  try {
    const values = parseFor(pipeline.options, rest);
    if (values.help) {
      process.stdout.write(`${pipeline.usage}\n`);
      return EXIT.ok;
    }
    const outcome = await withStopSignal(cmd, (signal) => pipeline.run(values, { stdout: process.stdout, stderr: process.stderr, signal, defaults: { db: storeTarget(undefined, DEFAULT_DB) } }));
    return OUTCOME_EXIT[outcome];
  } catch (err) {
    if (err instanceof OptionError) return usageError(cmd, err.message, pipeline.usage);
    if (err instanceof LockHeldError) {
      process.stderr.write(`govtables ${cmd}: ${err.message}\n`);
      return EXIT.locked;
    }
    throw err;
  }
}

async function reportCommand(args: string[]): Promise<number> {
  let values: Values;
  try {
    values = parseFor({ db: { type: 'string' }, run: { type: 'string' }, html: { type: 'string' }, json: { type: 'boolean' } }, args);
  } catch (err) {
    return usageError('report', (err as Error).message, reportHelp());
  }
  if (values.help) {
    process.stdout.write(`${reportHelp()}\n`);
    return EXIT.ok;
  }
  let runId: number | undefined;
  if (values.run !== undefined) {
    runId = Number(values.run);
    if (!Number.isInteger(runId) || runId < 1) return usageError('report', `--run must be a run number, not "${String(values.run)}"`, reportHelp());
  }
  const dbFile = storeTarget(typeof values.db === 'string' ? values.db : undefined, DEFAULT_DB);
  // A report only reads: the database is opened read-only and never migrated or switched to WAL.
  const store = await openStore(dbFile, { readonly: true });
  try {
    const data = await store.read((r) => reportData(r, store.name, runId));
    process.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : reportText(data));
    if (typeof values.html === 'string') {
      writeFileAtomic(values.html, reportHtml(data));
      process.stderr.write(`wrote ${printable(values.html)}\n`);
    }
    return EXIT.ok;
  } catch (err) {
    if (err instanceof NoSuchRunError) return usageError('report', err.message, reportHelp());
    throw err;
  } finally {
    await store.close();
  }
}
