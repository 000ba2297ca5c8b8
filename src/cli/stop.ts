// Ctrl-C for the commands that read many documents. The first SIGINT (or SIGTERM) stops taking
// files and gives the documents in hand a short grace before their workers are stopped and they
// are rolled back; a second one exits at once (SQLite rolls back what was not committed).
import { STOP_SETTINGS } from '../pipeline/interrupted.js';
import { EXIT_INTERRUPTED } from './exit.js';

export async function withStopSignal<T>(cmd: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      process.stderr.write(`\ngovtables ${cmd}: ${sig} again, stopping now\n`);
      process.exit(EXIT_INTERRUPTED);
    }
    process.stderr.write(`\ngovtables ${cmd}: ${sig}, stopping: no new files; the documents in hand get ${STOP_SETTINGS.graceMs / 1000} s to finish, then are rolled back and read again next time (${sig} again to stop at once)\n`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await run(stop.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
