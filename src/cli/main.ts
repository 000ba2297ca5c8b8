// The `govtables` command line: ingest, export, extract, run, report. Usage errors exit 2, a
// batch with a failed document exits 1, a crash exits 3; progress and messages go to stderr,
// data to stdout. PDFs and scans are read in worker processes built when a command starts.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_OCR_ENGINE, isOcrEngineName, OCR_ENGINES, type OcrEngineName } from '../extract/ocr/engine.js';
import { LimitsError, limitsFromEnv, type Limits } from '../limits.js';
import type { Variant } from '../model/schema.js';
import { VARIANTS } from '../model/schema.js';
import { ingestPaths, type DocEvent } from '../pipeline/ingest.js';
import { extractBytes, extractFile, failureMessage } from '../pipeline/extract.js';
import { extractText } from '../extract/text.js';
import { sniffKind } from '../pipeline/sniff.js';
import type { RunRow } from '../runs/ledger.js';
import { formatRows, formatRuns, parsePages, readStdin, recordsJsonl, rowsOnPages, runListing, STDIN_NAME } from './inspect.js';
import type { OcrMode } from '../pipeline/options.js';
import { printable } from '../pipeline/printable.js';
import { fileTypeOf, readInput } from '../pipeline/readInput.js';
import { GlobError, pathFilter } from '../pipeline/pathFilter.js';
import { createExtractors } from '../pipeline/runExtractors.js';
import { OutputFolderError } from '../store/atomicFile.js';
import { DatabaseRefusedError } from '../store/db.js';
import { exportCsvFrom } from '../store/exporter.js';
import { tableSheets, writeWorkbook } from '../store/xlsx.js';
import { dictionaryRows, exportedFiles } from '../runs/dictionary.js';
import { openStore, storeTarget } from '../store/store.js';
import { PIPELINE_VERSION } from '../version.js';
import { countFiles } from '../runs/engine.js';
import { DocCounter } from '../runs/progress.js';
import { DEFAULT_DB, EXIT, EXIT_INTERRUPTED, UsageError, type Command } from './exit.js';
import { withStopSignal } from './stop.js';
import { formatSummary } from './printSummary.js';
import { queueCommands } from './queueCommands.js';
import { runCommands } from './runCommands.js';

export { DEFAULT_DB, EXIT } from './exit.js';

const HELP: Record<string, string> = {
  main: `govtables — budget performance-target forms (text dumps, PDFs, scans) to SQLite and CSV

Usage: govtables <command> [options]

Commands:
  ingest PATH...   parse files and folders (recursively) into the database
  export           write the database's tables as CSV files
  extract FILE     parse one file without a database and print its records
  rows FILE        the rows and cells an extractor read from one file, with their locations
  run NAME         unattended pipelines: nightly, archive, analyst-csv
  report           the morning summary of a run (text, JSON, or an HTML page)
  runs             the runs a database holds, with their counts
  reparse          read again what the database holds (an older release's documents, failed ones)
  enqueue PATH...  queue files for workers (BullMQ on Redis)
  worker           read queued files into a PostgreSQL store; run on any number of machines
  status           what a queue holds, its workers and its rate

Run 'govtables <command> --help' for a command's options.
Exit codes: 0 success, 1 some document failed, 2 bad usage, 3 internal error,
4 another run holds the database's lock, 130 interrupted.`,
  ingest: `Usage: govtables ingest PATH... [--db FILE] [--concurrency N] [--ocr auto|always|never] [--ocr-engine NAME] [--variant NAME] [--reparse] [--include GLOB] [--exclude GLOB]

Parses every file under PATH (files and folders, recursively). A file already stored (same
sha256, whatever its name) is skipped, unless it failed and the options that failed it changed
(stored with --ocr never, read now with --ocr auto): then it is read again and its record
replaced. A file of no type govtables reads (a ZIP, a JSON file) is listed as skipped with what
it is. Progress goes to stderr, one line per document, [n/N] once the files are counted.
Ctrl-C stops within a few seconds (exit 130): no new file, the documents in hand get 2 s, then
are rolled back and read again next time.

Options:
  --db FILE|URL      SQLite database (default \$GOVTABLES_DB, else ${DEFAULT_DB}; created if
                     missing), or a postgres:// URL (its schema is created or brought up to date)
  --concurrency N    files parsed at once (default 2)
  --ocr MODE         auto: OCR pages without a text layer (default); always; never
  --ocr-engine NAME  the engine that reads scanned cells: ${OCR_ENGINES.join(' or ')} (default ${DEFAULT_OCR_ENGINE})
  --variant NAME     read every file as this form family (${VARIANTS.join(', ')})
  --include GLOB     read only the files below a folder matching GLOB (repeatable): *.pdf,
                     2021/**, {*.pdf,*.txt}; a pattern without / matches the file name
  --exclude GLOB     leave out files and folders matching GLOB (repeatable)
  --quiet            no per-document lines, only the summary
  --reparse          read files already stored again, replacing each one's records in one
                     transaction (see also 'govtables reparse', which reads the recorded paths)
  -h, --help         this help

Exit: 0 when every document ended ok or partial, 1 when any failed, 2 on bad usage, 130 when
stopped by Ctrl-C.`,
  export: `Usage: govtables export [--out DIR] [--xlsx FILE] [--db FILE] [--bom]

Writes documents.csv, projects.csv, indicators.csv, cost_items.csv, funding.csv,
budget_lines.csv and findings.csv (UTF-8, RFC 4180, header row) into DIR, and/or one Excel
workbook: a sheet per table (numbers and money as numbers, dates as dates, header frozen,
columns sized to their content) and the data dictionary as a last sheet.

Options:
  --db FILE|URL  SQLite database, or a postgres:// URL (default \$GOVTABLES_DB, else ${DEFAULT_DB})
  --out DIR      folder to write the CSV files to (created if missing)
  --xlsx FILE    workbook to write (.xlsx; replaced whole)
  --bom          start each CSV file with a UTF-8 byte order mark (for Excel)
  -h, --help     this help`,
  extract: `Usage: govtables extract FILE|- [--format text|json|jsonl] [--variant NAME] [--ocr auto|always|never] [--ocr-engine NAME]

Parses one file (- reads it from stdin) without a database and prints its records: a readable
summary (text, the default); with --format json (or --json) one object
{document, projects:[{…, indicators, cost_items, funding}], budget_lines, findings}; with
--format jsonl one record a line, {"table": "documents"|"projects"|"indicators"|"cost_items"|
"funding"|"budget_lines"|"findings", …its fields}, children carrying project_id or doc_id.

Options:
  --format F       text (default), json or jsonl
  --json           the same as --format json
  --variant NAME   read the file as this form family (${VARIANTS.join(', ')})
  --ocr MODE       auto (default), always or never
  --ocr-engine NAME  the engine that reads scanned cells: ${OCR_ENGINES.join(' or ')} (default ${DEFAULT_OCR_ENGINE})
  -h, --help       this help

Exit: 0 when the document was read (ok or partial), 1 when it failed.`,
  rows: `Usage: govtables rows FILE|- [--json] [--pages LIST] [--ocr auto|always|never] [--ocr-engine NAME]

Prints the rows and cells an extractor read from one file (- reads it from stdin), before any
form is recognised: per row its page (or line, in a text dump) and box, per cell its column,
span, box [x0,y0,x1,y1] in PDF points (pixels for an image), OCR confidence and notes, then its
text. The first thing to look at when a table is read wrong.

Options:
  --json           print {kind, pages, rows:[{page, line?, box?, cells:[{text, col, colSpan?, box?, conf?, notes?, stampInk?}]}], notes}
  --pages LIST     only these pages, e.g. 1-3,5 (the whole file is still read)
  --ocr MODE       auto (default), always or never
  --ocr-engine NAME  the engine that reads scanned cells: ${OCR_ENGINES.join(' or ')} (default ${DEFAULT_OCR_ENGINE});
                   the JSON's "ocrEngine" says which one read them
  -h, --help       this help

Exit: 0 when the file was read, 1 when it could not be, 2 on bad usage.`,
  runs: `Usage: govtables runs [--db FILE] [--json] [--limit N]

Lists the runs the database holds, newest first: pipeline, status, start and end, files seen,
documents ok / partial / failed, unreadable files, files already stored, findings.

Options:
  --db FILE|URL  SQLite database, or a postgres:// URL (default \$GOVTABLES_DB, else ${DEFAULT_DB})
  --json         print a JSON array
  --limit N      the newest N runs (default 50)
  -h, --help     this help`,
};

type Parsed = { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] };

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

function ocrEngineOpt(v: unknown): OcrEngineName | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !isOcrEngineName(v)) throw new UsageError(`--ocr-engine must be ${OCR_ENGINES.join(' or ')}, not "${String(v)}"`);
  return v;
}

function intOpt(v: unknown, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`${name} must be a whole number from 1 to 64, not "${String(v)}"`);
  return n;
}

function limitsOpt(): Limits {
  try {
    return limitsFromEnv();
  } catch (err) {
    if (err instanceof LimitsError) throw new UsageError(err.message);
    throw err;
  }
}

function docLine(ev: DocEvent): string {
  const status = ev.outcome === 'skipped' || ev.outcome === 'ignored' || ev.outcome === 'unsupported' ? 'skipped' : ev.outcome === 'interrupted' ? 'stopped' : ev.status ?? 'failed';
  const again = ev.outcome === 'replaced' && ev.previous ? `re-read, was ${ev.previous.status}: ` : '';
  const what = ev.outcome === 'skipped' ? 'already stored' : again + (ev.error ? ev.error : `${ev.variant ?? '-'}, ${ev.projects} project${ev.projects === 1 ? '' : 's'}, ${ev.findings} finding${ev.findings === 1 ? '' : 's'}`);
  return printable(`${status.padEnd(7)} ${ev.path}  (${what})`);
}

/** A path named alone that cannot be read is bad usage, said before anything is opened. */
async function checkLonePath(p: string): Promise<void> {
  let s;
  try {
    s = await stat(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${printable(p)}: no such file or folder` : `${printable(p)}: cannot read it (${code ?? String(err)})`);
  }
  if (!s.isDirectory() && !s.isFile()) throw new UsageError(`${printable(p)} is ${fileTypeOf(s)}, not a file or folder`);
  try {
    await access(p, constants.R_OK | (s.isDirectory() ? constants.X_OK : 0));
  } catch (err) {
    throw new UsageError(`${printable(p)}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

async function ingest(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    db: { type: 'string' }, concurrency: { type: 'string' }, ocr: { type: 'string' }, 'ocr-engine': { type: 'string' }, variant: { type: 'string' }, quiet: { type: 'boolean' },
    reparse: { type: 'boolean' },
    include: { type: 'string', multiple: true }, exclude: { type: 'string', multiple: true },
  }, true);
  if (values.help) { console.log(HELP.ingest); return EXIT.ok; }
  if (positionals.length === 0) throw new UsageError('ingest needs at least one PATH');
  const concurrency = intOpt(values.concurrency, '--concurrency', 2);
  const ocr = ocrOpt(values.ocr);
  const ocrEngine = ocrEngineOpt(values['ocr-engine']);
  const variant = variantOpt(values.variant);
  const limits = limitsOpt();
  let filter;
  try {
    filter = pathFilter((values.include as string[] | undefined) ?? [], (values.exclude as string[] | undefined) ?? []);
  } catch (err) {
    if (err instanceof GlobError) throw new UsageError(`--include/--exclude: ${err.message}`);
    throw err;
  }
  if (positionals.length === 1) await checkLonePath(positionals[0]!);
  const store = await openStore(storeTarget(values.db as string | undefined, DEFAULT_DB));
  const started = Date.now();
  const counter = new DocCounter();
  const counting = new AbortController();
  countFiles(positionals, counting.signal, filter).then((n) => counter.setTotal(n), () => undefined);
  const extractors = createExtractors({ limits, workers: Math.max(1, Math.min(concurrency, availableParallelism())), isolate: true, ...(ocrEngine ? { ocrEngine } : {}) });
  try {
    const summary = await withStopSignal('ingest', (signal) => ingestPaths(store, positionals, {
      concurrency, ocr, variant, extractors, limits, signal, filter, reparse: values.reparse === true,
      onDocument: (ev) => {
        const tag = counter.next();
        if (!values.quiet || ev.status === 'failed' || ev.outcome === 'unreadable' || ev.outcome === 'ignored' || ev.outcome === 'unsupported') process.stderr.write(`${tag} ${docLine(ev)}\n`);
      },
    }));
    const secs = (Date.now() - started) / 1000;
    process.stderr.write(`${summary.files} files in ${secs.toFixed(1)} s: ${summary.inserted} stored (${summary.ok} ok, ${summary.partial} partial, ${summary.failed} failed` +
      `${summary.replaced ? `; ${summary.replaced} re-read` : ''}), ${summary.skipped} already stored` +
      `${summary.ignored ? `, ${summary.ignored} not regular files (skipped)` : ''}` +
      `${summary.unsupported ? `, ${summary.unsupported} of no type read (skipped)` : ''}` +
      `${filter?.excluded ? `, ${filter.excluded} left out by --include/--exclude` : ''}` +
      `${summary.interrupted ? `, ${summary.interrupted} in hand rolled back` : ''}\n`);
    return summary.stopped ? EXIT_INTERRUPTED : summary.failed > 0 ? EXIT.failedDocuments : EXIT.ok;
  } finally {
    counting.abort();
    await extractors.close();
    await store.close();
  }
}

async function exportCmd(args: string[]): Promise<number> {
  const { values } = parse(args, { db: { type: 'string' }, out: { type: 'string' }, bom: { type: 'boolean' }, xlsx: { type: 'string' } }, false);
  if (values.help) { console.log(HELP.export); return EXIT.ok; }
  if (!values.out && !values.xlsx) throw new UsageError('export needs --out DIR, --xlsx FILE or both');
  if (values.xlsx !== undefined && !String(values.xlsx).toLowerCase().endsWith('.xlsx')) throw new UsageError(`--xlsx names the workbook to write, a .xlsx file, not "${printable(String(values.xlsx))}"`);
  // An export only reads: opened read-only, the database is never migrated or switched to WAL.
  const store = await openStore(storeTarget(values.db as string | undefined, DEFAULT_DB), { readonly: true });
  try {
    // One snapshot for the CSV files and the workbook, so they agree.
    await store.read(async (r) => {
      if (values.out) {
        const counts = await exportCsvFrom(r, String(values.out), { bom: values.bom === true });
        process.stderr.write(`wrote ${Object.entries(counts).map(([t, c]) => `${t}.csv (${c})`).join(', ')} to ${printable(String(values.out))}\n`);
      }
      if (values.xlsx) {
        const counts = await writeWorkbook(String(values.xlsx), tableSheets(r), { dictionary: dictionaryRows(exportedFiles().filter((f) => f.file !== 'findings_summary.csv')) });
        process.stderr.write(`wrote ${printable(String(values.xlsx))}: ${Object.entries(counts).map(([t, c]) => `${t} (${c})`).join(', ')}\n`);
      }
    });
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

type ExtractFormat = 'text' | 'json' | 'jsonl';

function formatOpt(v: unknown, json: boolean): ExtractFormat {
  if (v === undefined) return json ? 'json' : 'text';
  if (v !== 'text' && v !== 'json' && v !== 'jsonl') throw new UsageError(`--format must be text, json or jsonl, not "${String(v)}"`);
  if (json && v !== 'json') throw new UsageError(`--json and --format ${v} disagree`);
  return v;
}

async function extract(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, format: { type: 'string' }, variant: { type: 'string' }, ocr: { type: 'string' }, 'ocr-engine': { type: 'string' } }, true);
  if (values.help) { console.log(HELP.extract); return EXIT.ok; }
  if (positionals.length !== 1) throw new UsageError('extract takes exactly one FILE (or - for stdin)');
  const file = positionals[0]!;
  const format = formatOpt(values.format, values.json === true);
  const variant = variantOpt(values.variant);
  const ocr = ocrOpt(values.ocr);
  const ocrEngine = ocrEngineOpt(values['ocr-engine']);
  const limits = limitsOpt();
  const stdin = file === '-' ? await readStdin(limits) : null;
  if (!stdin) await checkLonePath(file);
  // One worker process: a decoder that crashes or runs away ends the document, not the command.
  const extractors = createExtractors({ limits, workers: 1, isolate: true, ...(ocrEngine ? { ocrEngine } : {}) });
  let result;
  try {
    result = stdin ? await extractBytes(stdin, STDIN_NAME, { variant, ocr, extractors, limits }) : await extractFile(file, { variant, ocr, extractors, limits });
  } finally {
    await extractors.close();
  }
  process.stdout.write(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : format === 'jsonl' ? recordsJsonl(result) : formatSummary(result));
  if (result.document.status === 'failed') process.stderr.write(`${printable(result.document.error ?? '')}\n`);
  return result.document.status === 'failed' ? EXIT.failedDocuments : EXIT.ok;
}

async function rows(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, pages: { type: 'string' }, ocr: { type: 'string' }, 'ocr-engine': { type: 'string' } }, true);
  if (values.help) { console.log(HELP.rows); return EXIT.ok; }
  if (positionals.length !== 1) throw new UsageError('rows takes exactly one FILE (or - for stdin)');
  const file = positionals[0]!;
  const ocr = ocrOpt(values.ocr);
  const ocrEngine = ocrEngineOpt(values['ocr-engine']);
  const limits = limitsOpt();
  let keep;
  try {
    keep = parsePages(values.pages as string | undefined);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let bytes: Buffer;
  if (file === '-') bytes = await readStdin(limits);
  else {
    await checkLonePath(file);
    const input = await readInput(file, limits);
    if (input.kind !== 'bytes') {
      process.stderr.write(`${printable(input.kind === 'error' ? `${file}: ${input.error}` : input.kind === 'skipped' ? `${file}: ${input.reason}` : input.error)}\n`);
      return EXIT.failedDocuments;
    }
    bytes = input.bytes;
  }
  const name = file === '-' ? STDIN_NAME : file;
  const kind = sniffKind(bytes);
  let doc;
  const extractors = kind === 'text' ? null : createExtractors({ limits, workers: 1, isolate: true, ...(ocrEngine ? { ocrEngine } : {}) });
  try {
    doc = kind === 'text' ? extractText(bytes, name, limits) : await extractors!.read(kind, bytes, name, { ocr });
  } catch (err) {
    process.stderr.write(`${printable(failureMessage(err, name))}\n`);
    return EXIT.failedDocuments;
  } finally {
    await extractors?.close();
  }
  doc = rowsOnPages(doc, keep);
  process.stdout.write(values.json ? `${JSON.stringify(doc, null, 2)}\n` : formatRows(name, doc));
  return EXIT.ok;
}

async function runsCmd(args: string[]): Promise<number> {
  const { values } = parse(args, { db: { type: 'string' }, json: { type: 'boolean' }, limit: { type: 'string' } }, false);
  if (values.help) { console.log(HELP.runs); return EXIT.ok; }
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a whole number from 1, not "${String(values.limit)}"`);
  const store = await openStore(storeTarget(values.db as string | undefined, DEFAULT_DB), { readonly: true });
  try {
    const list = (await store.read((r) => r.all<RunRow>(`SELECT * FROM runs ORDER BY run_id DESC LIMIT ${limit}`))).map(runListing);
    process.stdout.write(values.json ? `${JSON.stringify(list, null, 2)}\n` : formatRuns(list));
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

const COMMANDS: Record<string, Command> = {
  ingest: { help: HELP.ingest!, run: ingest },
  export: { help: HELP.export!, run: exportCmd },
  extract: { help: HELP.extract!, run: extract },
  rows: { help: HELP.rows!, run: rows },
  runs: { help: HELP.runs!, run: runsCmd },
  ...runCommands(),
  ...queueCommands(),
};

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') { console.log(HELP.main); return cmd === undefined ? EXIT.usage : EXIT.ok; }
  if (cmd === '--version') { console.log(PIPELINE_VERSION); return EXIT.ok; }
  const command = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!command) { process.stderr.write(`govtables: unknown command "${printable(cmd)}"\n\n${HELP.main}\n`); return EXIT.usage; }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`govtables ${cmd}: ${err.message}\n\n${command.help}\n`);
      return EXIT.usage;
    }
    // A database that is not govtables', or an output folder that holds other files: the
    // user named the wrong thing, and nothing was changed.
    if (err instanceof DatabaseRefusedError || err instanceof OutputFolderError) {
      process.stderr.write(`govtables ${cmd}: ${printable(err.message)}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`govtables ${cmd}: ${printable(err instanceof Error ? err.message : String(err))}\n`);
    return EXIT.internal;
  }
}
