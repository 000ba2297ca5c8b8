// A run's summary as a JSON file, written under a fresh name and renamed, so a reader (a
// dashboard, the next morning's script) never sees half a file.
import { writeFileAtomic } from '../store/atomicFile.js';

export function writeSummaryFile(file: string, summary: object): void {
  writeFileAtomic(file, `${JSON.stringify(summary, null, 2)}\n`);
}
