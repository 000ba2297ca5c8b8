// Backlog import: the nightly engine over a folder of any size. The walk is streamed and only
// counters are kept; each document is its own transaction and stored doc_ids are skipped, so
// after a crash or Ctrl-C the same command resumes where the last one stopped.
import { summaryFileFor, writeSummaryFile } from '../src/runs/summaryFile.js';
import { runSession, summaryLine } from '../src/runs/session.js';
import { COMMON_OPTIONS, COMMON_USAGE, commonOpts, dirOpt } from './options.js';
import type { Outcome, Pipeline } from './types.js';

export const archive: Pipeline = {
  name: 'archive',
  summary: 'import a large backlog folder; resumable, with progress',
  usage: `Usage: govtables run archive --from DIR [options]

Ingests every file under DIR. Progress goes to stderr: a bar with rate and ETA on a terminal,
a plain line every 100 files or 5 seconds otherwise. Safe to stop: Ctrl-C takes no new file,
gives the documents in hand 2 s to finish and rolls back the rest, and exits 130; run the
same command again to resume. The run's summary is written beside the database, named by
it and the run (DB.run-N.json).

Options:
  --from DIR         folder to import (recursively)
${COMMON_USAGE}
  -h, --help         this help

Exit: 0 all documents ok or partial, 1 some failed, 2 bad usage, 3 internal error,
4 another run holds the database, 130 interrupted.`,
  options: { ...COMMON_OPTIONS, from: { type: 'string' } },

  async run(values, io): Promise<Outcome> {
    const from = dirOpt(values, 'from');
    const common = commonOpts(values, io.defaults.db, 4);
    const { summary } = await runSession({
      pipeline: 'archive', ...common, paths: [from], retryTransient: true,
      args: { from, db: common.dbFile, concurrency: common.concurrency },
      signal: io.signal, stderr: io.stderr, display: 'bar',
    });
    const file = summaryFileFor(common.dbFile, summary.run_id);
    writeSummaryFile(file, summary);
    io.stderr.write(`${summaryLine(summary)}\nsummary: ${file}\n`);
    if (summary.status === 'interrupted') return 'interrupted';
    return summary.failed + summary.unreadable > 0 ? 'failed-documents' : 'ok';
  },
};
