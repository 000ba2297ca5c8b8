// Nightly import: new files from an inbox (a renamed or re-sent file has a stored doc_id and is
// skipped), documents that failed for a transient reason read again, fresh CSVs, and a run
// summary beside them.
import { join } from 'node:path';
import { writeSummaryFile } from '../src/runs/summaryFile.js';
import { runSession, summaryLine } from '../src/runs/session.js';
import { exportCsvFrom } from '../src/store/exporter.js';
import { COMMON_OPTIONS, COMMON_USAGE, commonOpts, dirOpt, stringOpt } from './options.js';
import type { Outcome, Pipeline } from './types.js';

export const DEFAULT_OUT = 'data/csv';

export const nightly: Pipeline = {
  name: 'nightly',
  summary: 'ingest new files from an inbox, retry transient failures, export fresh CSVs',
  usage: `Usage: govtables run nightly --inbox DIR [--out DIR] [options]

Ingests the files in DIR that are not stored yet (same sha256 = same document, whatever its
name), reads again the documents that failed for a transient reason (a file that could not be
read), then writes the CSV files and run_summary.json to --out. One run per database at a time.

Options:
  --inbox DIR        folder to import (recursively)
  --out DIR          CSV folder (default ${DEFAULT_OUT})
${COMMON_USAGE}
  -h, --help         this help

Exit: 0 all documents ok or partial, 1 some failed, 2 bad usage, 3 internal error,
4 another run holds the database, 130 interrupted.`,
  options: { ...COMMON_OPTIONS, inbox: { type: 'string' }, out: { type: 'string' } },

  async run(values, io): Promise<Outcome> {
    const inbox = dirOpt(values, 'inbox');
    const out = stringOpt(values, 'out') ?? DEFAULT_OUT;
    const common = commonOpts(values, io.defaults.db, 2);
    const { summary } = await runSession({
      pipeline: 'nightly', ...common, paths: [inbox], retryTransient: true,
      args: { inbox, out, db: common.dbFile, concurrency: common.concurrency },
      signal: io.signal, stderr: io.stderr, display: 'lines',
      after: async (store) => ({ csv_dir: out, csv_rows: await store.read((r) => exportCsvFrom(r, out)) }),
    });
    writeSummaryFile(join(out, 'run_summary.json'), summary);
    io.stderr.write(`${summaryLine(summary)}\n`);
    if (summary.status === 'interrupted') return 'interrupted';
    return summary.failed + summary.unreadable > 0 ? 'failed-documents' : 'ok';
  },
};
