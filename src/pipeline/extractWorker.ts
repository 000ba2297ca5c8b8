// A worker thread that extracts documents for the batch ingest: the main thread reads files and
// writes the database, the workers parse, so a batch keeps every core busy.
import { parentPort } from 'node:worker_threads';
import { closeExtractors, extractBytes, type ExtractOptions } from './extract.js';

export interface ExtractTask { id: number; bytes: Uint8Array; path: string; opts: Omit<ExtractOptions, 'now'> }

const port = parentPort;
if (port) {
  port.on('message', (task: ExtractTask | 'close') => {
    if (task === 'close') {
      void closeExtractors().finally(() => port.close());
      return;
    }
    extractBytes(task.bytes, task.path, task.opts).then(
      (result) => port.postMessage({ id: task.id, result }),
      (err: unknown) => port.postMessage({ id: task.id, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}
