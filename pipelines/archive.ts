// Backlog import: the nightly engine over a folder of any size. The walk is streamed and only
// counters are kept; each document is its own transaction and stored doc_ids are skipped, so
// after a crash or Ctrl-C the same command resumes where the last one stopped.
import { isRedisUrl } from '../src/queue/connection.js';
import { runQueuedArchive } from '../src/queue/archive.js';
import { QueueSettingsError, queueSettingsFromEnv } from '../src/queue/settings.js';
import { summaryFileFor, writeSummaryFile } from '../src/runs/summaryFile.js';
import { runSession, summaryLine, type RunSummary } from '../src/runs/session.js';
import { isPostgresTarget, openStore } from '../src/store/store.js';
import { COMMON_OPTIONS, COMMON_USAGE, commonOpts, dirOpt, stringOpt } from './options.js';
import { OptionError, type Outcome, type Pipeline, type PipelineIO, type Values } from './types.js';

export const archive: Pipeline = {
  name: 'archive',
  summary: 'import a large backlog folder; resumable, with progress',
  usage: `Usage: govtables run archive --from DIR [options]

Ingests every file under DIR. Progress goes to stderr: a bar with rate and ETA on a terminal,
a plain line every 100 files or 5 seconds otherwise. Safe to stop: Ctrl-C takes no new file,
gives the documents in hand 2 s to finish and rolls back the rest, and exits 130; run the
same command again to resume. The run's summary is written beside the database, named by
it and the run (DB.run-N.json).

With --queue, the files are queued for \`govtables worker\` processes on any number of machines
(the store must then be PostgreSQL, and DIR mounted at the same path on every worker): this
process follows their progress until the queue is empty and closes the run. Ctrl-C stops
following; the queued jobs stay for the workers.

Options:
  --from DIR         folder to import (recursively)
  --queue URL        queue the files on this Redis (redis://host:port) for workers
${COMMON_USAGE}
  -h, --help         this help

Exit: 0 all documents ok or partial, 1 some failed, 2 bad usage, 3 internal error,
4 another run holds the database, 130 interrupted.`,
  options: { ...COMMON_OPTIONS, from: { type: 'string' }, queue: { type: 'string' } },

  async run(values, io): Promise<Outcome> {
    const from = dirOpt(values, 'from');
    const common = commonOpts(values, io.defaults.db, 4);
    if (stringOpt(values, 'queue') !== undefined) return queued(values, io, from, common);
    const { summary } = await runSession({
      pipeline: 'archive', ...common, paths: [from], retryTransient: true,
      args: { from, db: common.dbFile, concurrency: common.concurrency },
      signal: io.signal, stderr: io.stderr, display: 'bar',
    });
    return finish(summary, common.dbFile, io);
  },
};

function finish(summary: RunSummary, dbFile: string, io: PipelineIO): Outcome {
  const file = summaryFileFor(dbFile, summary.run_id);
  writeSummaryFile(file, summary);
  io.stderr.write(`${summaryLine(summary)}\nsummary: ${file}\n`);
  if (summary.status === 'interrupted') return 'interrupted';
  return summary.failed + summary.unreadable > 0 ? 'failed-documents' : 'ok';
}

async function queued(values: Values, io: PipelineIO, from: string, common: ReturnType<typeof commonOpts>): Promise<Outcome> {
  const url = stringOpt(values, 'queue')!;
  if (!isRedisUrl(url)) throw new OptionError(`--queue must be a redis:// URL, not "${url}"`);
  if (!isPostgresTarget(common.dbFile)) throw new OptionError(`--queue needs a store every worker reaches: --db postgres://… (or $GOVTABLES_DB), not "${common.dbFile}"`);
  let settings;
  try { settings = queueSettingsFromEnv(); } catch (err) { if (err instanceof QueueSettingsError) throw new OptionError(err.message); throw err; }
  const store = await openStore(common.dbFile);
  try {
    const summary = await runQueuedArchive({
      store, queueUrl: url, settings, from, ocr: common.ocr, waitSeconds: common.waitSeconds,
      args: { from, db: store.name, queue: settings.name }, signal: io.signal, stderr: io.stderr,
    });
    return finish(summary, common.dbFile, io);
  } finally {
    await store.close();
  }
}
