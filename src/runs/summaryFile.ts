// A run's summary as a JSON file, written under a fresh name and renamed, so a reader (a
// dashboard, the next morning's script) never sees half a file.
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../store/atomicFile.js';
import { isPostgresTarget } from '../store/store.js';

export function writeSummaryFile(file: string, summary: object): void {
  writeFileAtomic(file, `${JSON.stringify(summary, null, 2)}\n`);
}

/**
 * Where a run's summary goes when no folder is named: beside a SQLite file, named by the file
 * and the run (`data/a.sqlite.run-3.json`), so two databases in one folder never overwrite
 * each other's summaries; for a PostgreSQL store, in the working folder, named by its host and
 * database.
 */
export function summaryFileFor(dbTarget: string, runId: number): string {
  if (!isPostgresTarget(dbTarget)) return join(dirname(dbTarget), `${basename(dbTarget)}.run-${runId}.json`);
  let name = 'postgres';
  try {
    const u = new URL(dbTarget);
    name = `postgres-${u.hostname || 'local'}${u.port ? `-${u.port}` : ''}-${u.pathname.replace(/^\//, '') || 'default'}`;
  } catch { /* a URL pg reads but URL does not: the plain name */ }
  return `${name.replace(/[^\w.-]+/g, '_')}.run-${runId}.json`;
}
