// `govtables enqueue`, `worker` and `status`: the archive as jobs on a BullMQ queue in Redis,
// read by workers on any number of machines into one PostgreSQL store.
import { availableParallelism } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LimitsError, limitsFromEnv } from '../limits.js';
import { VARIANTS, type Variant } from '../model/schema.js';
import { printable } from '../pipeline/printable.js';
import { createExtractors } from '../pipeline/runExtractors.js';
import { displayRedis, isRedisUrl } from '../queue/connection.js';
import { enqueuePaths } from '../queue/enqueue.js';
import { closeQueue, openQueue } from '../queue/queue.js';
import { QueueSettingsError, queueSettingsFromEnv, QUEUE_ENV, type QueueSettings } from '../queue/settings.js';
import { queueStatus, statusText } from '../queue/status.js';
import { runWorker } from '../queue/worker.js';
import { DB_ENV, isPostgresTarget, openStore, storeTarget, type Store } from '../store/store.js';
import { EXIT, UsageError, type Command } from './exit.js';

const QUEUE_NOTE = `Queue settings (retries, back-off, lock and stall times, the queue's name) come from
${QUEUE_ENV}, a JSON object, e.g. ${QUEUE_ENV}='{"name":"province-2024","stalledSeconds":60}'.`;

const HELP = {
  enqueue: `Usage: govtables enqueue PATH... --queue redis://HOST:PORT [--db URL] [--ocr MODE] [--variant NAME] [--quiet]

Adds one job per file under PATH (files and folders, recursively) to the queue. The job's id is
the file's doc_id (sha256), so a file sent twice, under any name, is one job; with a store
(--db, or \$${DB_ENV}) files already stored are not queued. Every file is read once here to be
hashed. Paths are queued as absolute paths: the workers open them there, so the folder must be
mounted at the same path on every worker machine.

Options:
  --queue URL        the Redis the workers take jobs from (redis://host:port[/db])
  --db URL           the store, to leave out files it holds
  --ocr MODE         auto (default), always or never, for the workers
  --variant NAME     read every file as this form family (${VARIANTS.join(', ')})
  --quiet            no line per file, only the summary
  -h, --help         this help

${QUEUE_NOTE}
Exit: 0 every file queued or stored, 1 some could not be read, 2 bad usage, 3 Redis or the store unreachable.`,
  worker: `Usage: govtables worker --queue redis://HOST:PORT --db postgres://… [--concurrency N] [--quiet]

Takes documents from the queue, reads each in one of N extraction processes, stores it in the
PostgreSQL store and acknowledges the job. Start as many as you like, on any machine that can
read the queued paths and reach Redis and PostgreSQL. A file that cannot be read fails its job
once with the reason; the store or Redis being away is waited for (the job is tried again with
a doubling wait); a worker that dies leaves its jobs to another after the stall interval.
SIGTERM or Ctrl-C: the jobs in hand are finished, then the worker exits.

Options:
  --queue URL        Redis
  --db URL           the PostgreSQL store (default \$${DB_ENV})
  --concurrency N    extraction processes (default: one per core)
  --quiet            no line per document
  -h, --help         this help

${QUEUE_NOTE}`,
  status: `Usage: govtables status --queue redis://HOST:PORT [--failures N] [--sample S] [--json]

What the queue holds: jobs waiting, active, waiting for a retry, done and failed, the workers
connected, the rate (measured over S seconds, default 2, and over the last five minutes), and
the failed jobs with their reasons.

Options:
  --queue URL        Redis
  --failures N       failed jobs to list (default 10)
  --sample S         seconds to measure the rate over (0: do not measure)
  --json             print JSON
  -h, --help         this help

${QUEUE_NOTE}`,
} as const;

type Values = Record<string, string | boolean | undefined>;

function parse(args: string[], options: ParseArgsConfig['options'], positionals: boolean): { values: Values; positionals: string[] } {
  try {
    const r = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: positionals, strict: true });
    return { values: r.values as Values, positionals: r.positionals };
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

function queueUrlOpt(v: Values): string {
  const url = v.queue;
  if (typeof url !== 'string' || url === '') throw new UsageError('--queue redis://HOST:PORT is required');
  if (!isRedisUrl(url)) throw new UsageError(`--queue must be a redis:// URL, not "${url}"`);
  return url;
}

function settingsOpt(): QueueSettings {
  try {
    return queueSettingsFromEnv();
  } catch (err) {
    if (err instanceof QueueSettingsError) throw new UsageError(err.message);
    throw err;
  }
}

function countOpt(v: unknown, name: string, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, not "${String(v)}"`);
  return n;
}

function ocrOpt(v: unknown): 'auto' | 'always' | 'never' {
  if (v === undefined) return 'auto';
  if (v !== 'auto' && v !== 'always' && v !== 'never') throw new UsageError(`--ocr must be auto, always or never, not "${String(v)}"`);
  return v;
}

async function enqueue(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    queue: { type: 'string' }, db: { type: 'string' }, ocr: { type: 'string' }, variant: { type: 'string' }, quiet: { type: 'boolean' },
  }, true);
  if (values.help) { console.log(HELP.enqueue); return EXIT.ok; }
  if (positionals.length === 0) throw new UsageError('enqueue needs at least one PATH');
  const url = queueUrlOpt(values);
  const settings = settingsOpt();
  const ocr = ocrOpt(values.ocr);
  const variant = values.variant as Variant | undefined;
  if (variant !== undefined && !VARIANTS.includes(variant)) throw new UsageError(`--variant must be one of ${VARIANTS.join(', ')}, not "${variant}"`);
  // A store only when one is named: enqueue never creates the default SQLite file. A new
  // PostgreSQL database is given its schema here as a worker would (the cluster's first command).
  const target = typeof values.db === 'string' ? values.db : process.env[DB_ENV]?.trim() || undefined;
  const store = target ? await openStore(target, { readonly: !isPostgresTarget(target) }) : undefined;
  const queue = openQueue(url, settings, { failFast: true });
  const started = Date.now();
  try {
    const s = await enqueuePaths(queue, positionals, {
      settings, ocr, variant: variant ?? null, ...(store ? { store } : {}),
      onFile: (ev) => {
        if (!values.quiet || ev.outcome === 'unreadable') process.stderr.write(`${printable(`${ev.outcome.padEnd(10)} ${ev.error ?? ev.path}`)}\n`);
      },
    });
    process.stderr.write(`${s.files} files in ${((Date.now() - started) / 1000).toFixed(1)} s: ${s.queued} queued on ${displayRedis(url)} (queue ${settings.name}), ${s.duplicate} already queued, ${s.stored} already stored, ${s.unreadable} unreadable${s.ignored ? `, ${s.ignored} not regular files` : ''}\n`);
    return s.unreadable > 0 ? EXIT.failedDocuments : EXIT.ok;
  } finally {
    await closeQueue(queue);
    await store?.close();
  }
}

async function worker(args: string[]): Promise<number> {
  const { values } = parse(args, { queue: { type: 'string' }, db: { type: 'string' }, concurrency: { type: 'string' }, quiet: { type: 'boolean' } }, false);
  if (values.help) { console.log(HELP.worker); return EXIT.ok; }
  const url = queueUrlOpt(values);
  const settings = settingsOpt();
  const target = storeTarget(values.db as string | undefined, '');
  if (!isPostgresTarget(target)) throw new UsageError(`a worker needs a store every machine reaches: --db postgres://… (or ${DB_ENV}), not "${target || '(none)'}"`);
  const concurrency = countOpt(values.concurrency, '--concurrency', availableParallelism(), 1, 64);
  let limits;
  try { limits = limitsFromEnv(); } catch (err) { if (err instanceof LimitsError) throw new UsageError(err.message); throw err; }
  const store: Store = await openStore(target);
  const extractors = createExtractors({ limits, workers: concurrency, isolate: true });
  const stop = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (stop.signal.aborted) process.exit(EXIT.ok);
    process.stderr.write(`govtables worker: ${sig}, finishing the jobs in hand (${sig} again to stop at once)\n`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.stderr.write(`govtables worker ${process.pid}: queue ${settings.name} on ${displayRedis(url)}, store ${store.name}, ${concurrency} extraction process${concurrency === 1 ? '' : 'es'}\n`);
  try {
    const s = await runWorker({
      queueUrl: url, store, settings, limits, extractors, extractorCount: concurrency, signal: stop.signal,
      onEvent: (ev) => {
        if (values.quiet && ev.outcome !== 'failed') return;
        if (ev.outcome === 'retaken') { process.stderr.write(`${printable(`retaken job ${ev.jobId}: ${ev.error}`)}\n`); return; }
        const what = ev.outcome === 'stored' ? ev.status : ev.outcome === 'retry' ? `retry (try ${ev.attempt}): ${ev.error}` : ev.outcome === 'failed' ? ev.error : 'already stored';
        process.stderr.write(`${printable(`${ev.outcome.padEnd(7)} ${ev.path}  (${what})`)}\n`);
      },
      onTrouble: (m) => process.stderr.write(`${printable(`govtables worker: ${m} (retrying)`)}\n`),
    });
    process.stderr.write(`govtables worker ${process.pid} stopped: ${s.stored} stored, ${s.skipped} already stored, ${s.failed} failed, ${s.retried} to be tried again\n`);
    return EXIT.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await extractors.close();
    await store.close();
  }
}

async function status(args: string[]): Promise<number> {
  const { values } = parse(args, { queue: { type: 'string' }, failures: { type: 'string' }, sample: { type: 'string' }, json: { type: 'boolean' } }, false);
  if (values.help) { console.log(HELP.status); return EXIT.ok; }
  const url = queueUrlOpt(values);
  const settings = settingsOpt();
  const failures = countOpt(values.failures, '--failures', 10, 0, 10_000);
  const sampleSeconds = countOpt(values.sample, '--sample', 2, 0, 600);
  const queue = openQueue(url, settings, { failFast: true });
  try {
    const s = await queueStatus(queue, { failures, sampleSeconds });
    process.stdout.write(values.json ? `${JSON.stringify(s, null, 2)}\n` : statusText(s, displayRedis(url)));
    return EXIT.ok;
  } finally {
    await closeQueue(queue);
  }
}

export function queueCommands(): Record<'enqueue' | 'worker' | 'status', Command> {
  return {
    enqueue: { help: HELP.enqueue, run: enqueue },
    worker: { help: HELP.worker, run: worker },
    status: { help: HELP.status, run: status },
  };
}
