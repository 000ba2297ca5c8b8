// The `govtables` command line: ingest, export, extract. Usage errors exit 2, a batch with a
// failed document exits 1, a crash exits 3; progress and messages go to stderr, data to stdout.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Variant } from '../model/schema.js';
import { VARIANTS } from '../model/schema.js';
import { ingestPaths, type DocEvent } from '../pipeline/ingest.js';
import { closeExtractors, extractFile, type OcrMode } from '../pipeline/extract.js';
import { closeDb, openDb } from '../store/db.js';
import { exportCsv } from '../store/exporter.js';
import { PIPELINE_VERSION } from '../version.js';
import { formatSummary } from './printSummary.js';
import { registerRunCommands } from './runCommands.js';

export const EXIT = { ok: 0, failedDocuments: 1, usage: 2, internal: 3, locked: 4 } as const;
export const DEFAULT_DB = 'data/govtables.sqlite';

class UsageError extends Error {}

const HELP: Record<string, string> = {
  main: `govtables — budget performance-target forms (text dumps, PDFs, scans) to SQLite and CSV

Usage: govtables <command> [options]

Commands:
  ingest PATH...   parse files and folders (recursively) into the database
  export           write the database's tables as CSV files
  extract FILE     parse one file without a database and print its records
  run NAME         unattended pipelines: nightly, archive, analyst-csv
  report           the morning summary of a run (text, or an HTML page)

Run 'govtables <command> --help' for a command's options.
Exit codes: 0 success, 1 some document failed, 2 bad usage, 3 internal error,
4 another run holds the database's lock, 130 interrupted.`,
  ingest: `Usage: govtables ingest PATH... [--db FILE] [--concurrency N] [--ocr auto|always|never] [--variant NAME]

Parses every file under PATH (files and folders, recursively). A file already stored (same
sha256, whatever its name) is skipped. Progress goes to stderr, one line per document.

Options:
  --db FILE          SQLite database (default ${DEFAULT_DB}; created if missing)
  --concurrency N    files parsed at once (default 2)
  --ocr MODE         auto: OCR pages without a text layer (default); always; never
  --variant NAME     read every file as this form family (${VARIANTS.join(', ')})
  --quiet            no per-document lines, only the summary
  -h, --help         this help

Exit: 0 when every document ended ok or partial, 1 when any failed, 2 on bad usage.`,
  export: `Usage: govtables export --out DIR [--db FILE] [--bom]

Writes documents.csv, projects.csv, indicators.csv, cost_items.csv, funding.csv,
budget_lines.csv and findings.csv (UTF-8, RFC 4180, header row) into DIR.

Options:
  --db FILE    SQLite database (default ${DEFAULT_DB})
  --out DIR    folder to write (created if missing)
  --bom        start each file with a UTF-8 byte order mark (for Excel)
  -h, --help   this help`,
  extract: `Usage: govtables extract FILE [--json] [--variant NAME] [--ocr auto|always|never]

Parses one file without a database and prints its records: a readable summary, or with --json
{document, projects:[{…, indicators, cost_items, funding}], budget_lines, findings}.

Options:
  --json           print JSON
  --variant NAME   read the file as this form family (${VARIANTS.join(', ')})
  --ocr MODE       auto (default), always or never
  -h, --help       this help

Exit: 0 when the document was read (ok or partial), 1 when it failed.`,
};

type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

function parse(args: string[], options: ParseArgsConfig['options'], positionals: boolean): Parsed {
  try {
    const r = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: positionals, strict: true });
    return { values: r.values as Parsed['values'], positionals: r.positionals };
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

function variantOpt(v: unknown): Variant | undefined {
  if (v === undefined) return undefined;
  if (!VARIANTS.includes(v as Variant)) throw new UsageError(`--variant must be one of ${VARIANTS.join(', ')}, not "${String(v)}"`);
  return v as Variant;
}

function ocrOpt(v: unknown): OcrMode {
  if (v === undefined) return 'auto';
  if (v !== 'auto' && v !== 'always' && v !== 'never') throw new UsageError(`--ocr must be auto, always or never, not "${String(v)}"`);
  return v;
}

function intOpt(v: unknown, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`${name} must be a whole number from 1 to 64, not "${String(v)}"`);
  return n;
}

function docLine(ev: DocEvent): string {
  const status = ev.outcome === 'skipped' ? 'skipped' : ev.status ?? 'failed';
  const what = ev.outcome === 'skipped' ? 'already stored' : ev.error ? ev.error : `${ev.variant ?? '-'}, ${ev.projects} project${ev.projects === 1 ? '' : 's'}, ${ev.findings} finding${ev.findings === 1 ? '' : 's'}`;
  return `${status.padEnd(7)} ${ev.path}  (${what})`;
}

async function ingest(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    db: { type: 'string' }, concurrency: { type: 'string' }, ocr: { type: 'string' }, variant: { type: 'string' }, quiet: { type: 'boolean' },
  }, true);
  if (values.help) { console.log(HELP.ingest); return EXIT.ok; }
  if (positionals.length === 0) throw new UsageError('ingest needs at least one PATH');
  const db = openDb(String(values.db ?? DEFAULT_DB));
  const started = Date.now();
  let n = 0;
  try {
    const summary = await ingestPaths(db, positionals, {
      concurrency: intOpt(values.concurrency, '--concurrency', 2),
      ocr: ocrOpt(values.ocr),
      variant: variantOpt(values.variant),
      onDocument: (ev) => {
        n++;
        if (!values.quiet || ev.status === 'failed' || ev.outcome === 'unreadable') process.stderr.write(`[${n}] ${docLine(ev)}\n`);
      },
    });
    const secs = (Date.now() - started) / 1000;
    process.stderr.write(`${summary.files} files in ${secs.toFixed(1)} s: ${summary.inserted} stored (${summary.ok} ok, ${summary.partial} partial, ${summary.failed} failed), ${summary.skipped} already stored\n`);
    return summary.failed > 0 ? EXIT.failedDocuments : EXIT.ok;
  } finally {
    closeDb(db);
  }
}

async function exportCmd(args: string[]): Promise<number> {
  const { values } = parse(args, { db: { type: 'string' }, out: { type: 'string' }, bom: { type: 'boolean' } }, false);
  if (values.help) { console.log(HELP.export); return EXIT.ok; }
  if (!values.out) throw new UsageError('export needs --out DIR');
  const db = openDb(String(values.db ?? DEFAULT_DB));
  try {
    const counts = exportCsv(db, String(values.out), { bom: values.bom === true });
    process.stderr.write(`wrote ${Object.entries(counts).map(([t, c]) => `${t}.csv (${c})`).join(', ')} to ${String(values.out)}\n`);
    return EXIT.ok;
  } finally {
    closeDb(db);
  }
}

async function extract(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, variant: { type: 'string' }, ocr: { type: 'string' } }, true);
  if (values.help) { console.log(HELP.extract); return EXIT.ok; }
  if (positionals.length !== 1) throw new UsageError('extract takes exactly one FILE');
  const result = await extractFile(positionals[0]!, { variant: variantOpt(values.variant), ocr: ocrOpt(values.ocr) });
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatSummary(result));
  if (result.document.status === 'failed') process.stderr.write(`${result.document.error}\n`);
  return result.document.status === 'failed' ? EXIT.failedDocuments : EXIT.ok;
}

export const COMMANDS: Record<string, (args: string[]) => Promise<number>> = { ingest, export: exportCmd, extract };

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') { console.log(HELP.main); return cmd === undefined ? EXIT.usage : EXIT.ok; }
  if (cmd === '--version') { console.log(PIPELINE_VERSION); return EXIT.ok; }
  const run = COMMANDS[cmd];
  if (!run) { process.stderr.write(`govtables: unknown command "${cmd}"\n\n${HELP.main}\n`); return EXIT.usage; }
  try {
    return await run(rest);
  } catch (err) {
    await closeExtractors().catch(() => undefined);
    if (err instanceof UsageError) {
      process.stderr.write(`govtables ${cmd}: ${err.message}\n\n${HELP[cmd] ?? HELP.main}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`govtables ${cmd}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.internal;
  } finally {
    await closeExtractors();
  }
}

export function registerCommand(name: string, help: string, run: (args: string[]) => Promise<number>): void {
  COMMANDS[name] = run;
  HELP[name] = help;
}
registerRunCommands(registerCommand);
