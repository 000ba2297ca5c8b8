// Re-reading what the database holds: documents stored by an older release (--outdated), or
// those that failed (--failed), read again from the paths recorded with them, each replacing its
// records in one transaction. A recorded path that is gone is reported unreadable; one whose
// bytes changed since is left alone (ingest stores it as the new document it is). The run
// records every document it read again, with the status and release it had (run_rereads).
import { reparseSelectSql } from '../src/runs/rereads.js';
import { runSession, summaryLine } from '../src/runs/session.js';
import { openStore } from '../src/store/store.js';
import { PIPELINE_VERSION } from '../src/version.js';
import { COMMON_OPTIONS, COMMON_USAGE, commonOpts } from './options.js';
import type { Outcome, Pipeline } from './types.js';

export const reparse: Pipeline = {
  name: 'reparse',
  summary: 're-read stored documents (an older release\'s, or failed ones) from their recorded paths',
  usage: `Usage: govtables reparse [--outdated] [--failed] [options]

Reads again the documents the database holds, from the paths recorded when they were stored,
and replaces each one's records in one transaction. With neither flag, every document.

Options:
  --outdated         documents stored by another release than ${PIPELINE_VERSION}
  --failed           documents stored as failed (read again with this release and --ocr)
${COMMON_USAGE}
  -h, --help         this help

Exit: 0 all documents ok or partial, 1 some failed or could not be found, 2 bad usage,
3 internal error, 4 another run holds the database, 130 interrupted.`,
  options: { ...COMMON_OPTIONS, outdated: { type: 'boolean' }, failed: { type: 'boolean' } },

  async run(values, io): Promise<Outcome> {
    const common = commonOpts(values, io.defaults.db, 2);
    const selection = { outdated: values.outdated === true, failed: values.failed === true };
    const { sql, params } = reparseSelectSql(selection, PIPELINE_VERSION);
    const store = await openStore(common.dbFile, { readonly: true });
    let docs: { doc_id: string; source_path: string }[];
    try {
      docs = await store.read((r) => r.all<{ doc_id: string; source_path: string }>(sql, params));
    } finally {
      await store.close();
    }
    const paths = [...new Set(docs.map((d) => d.source_path))];
    io.stderr.write(`reparse: ${docs.length} document${docs.length === 1 ? '' : 's'} to read again from ${paths.length} recorded path${paths.length === 1 ? '' : 's'}\n`);
    const { summary } = await runSession({
      pipeline: 'reparse', ...common, paths, reparse: true, onlyDocIds: new Set(docs.map((d) => d.doc_id)),
      args: { ...selection, db: common.dbFile, concurrency: common.concurrency, ocr: common.ocr ?? 'auto' },
      signal: io.signal, stderr: io.stderr, display: 'lines',
    });
    io.stderr.write(`${summaryLine(summary)}\n`);
    if (summary.status === 'interrupted') return 'interrupted';
    return summary.failed + summary.unreadable > 0 ? 'failed-documents' : 'ok';
  },
};
