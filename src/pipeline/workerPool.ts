// A fixed pool of extraction worker threads. Tasks queue until a worker is free; a worker that
// dies takes only its own document down (it becomes a failed document) and is replaced.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ExtractResult } from '../model/schema.js';
import type { ExtractOptions } from './extract.js';
import type { ExtractTask } from './extractWorker.js';

interface Pending { task: ExtractTask; resolve: (r: ExtractResult) => void; reject: (e: Error) => void }

const WORKER_FILE = fileURLToPath(new URL('./extractWorker.js', import.meta.url));

/** Workers run compiled code; from TypeScript sources (tests) extraction stays in-process. */
export function workersAvailable(): boolean {
  return existsSync(WORKER_FILE);
}

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

export class ExtractPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  private spawn(): Worker {
    // Each worker runs OCR with a single tesseract worker: the pool itself is the parallelism.
    const w = new Worker(WORKER_FILE, { env: { ...process.env, GOVTABLES_OCR_WORKERS: '1' } });
    w.on('message', (msg: { id: number; result?: ExtractResult; error?: string }) => {
      const p = this.busy.get(w);
      if (!p || p.task.id !== msg.id) return;
      this.busy.delete(w);
      if (msg.result) p.resolve(msg.result);
      else p.reject(new Error(msg.error ?? 'worker failed'));
      this.release(w);
    });
    const died = (why: string) => {
      const p = this.busy.get(w);
      this.busy.delete(w);
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
      if (p) p.reject(new Error(`the extraction worker stopped (${why}) while reading ${p.task.path}`));
      if (!this.closed) this.release(this.spawn());
    };
    w.on('error', (err) => died(err.message));
    w.on('exit', (code) => { if (!this.closed || this.busy.has(w)) died(`exit code ${code}`); });
    w.unref();
    return w;
  }

  private release(w: Worker): void {
    const next = this.queue.shift();
    if (next) this.dispatch(w, next);
    else this.idle.push(w);
  }

  private dispatch(w: Worker, p: Pending): void {
    this.busy.set(w, p);
    w.ref();
    w.postMessage(p.task, [p.task.bytes.buffer as ArrayBuffer]);
  }

  run(bytes: Uint8Array, path: string, opts: ExtractOptions): Promise<ExtractResult> {
    if (this.closed) return Promise.reject(new Error('the extraction pool is closed'));
    const { now: _now, ...cloneable } = opts;
    // The bytes are transferred to the worker: give it its own copy.
    const task: ExtractTask = { id: this.nextId++, bytes: new Uint8Array(bytes), path, opts: cloneable };
    return new Promise((resolve, reject) => {
      const p: Pending = { task, resolve, reject };
      const w = this.idle.pop();
      if (w) this.dispatch(w, p);
      else this.queue.push(p);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle, ...this.busy.keys()];
    await Promise.all(all.map((w) => new Promise<void>((done) => {
      w.once('exit', () => done());
      w.postMessage('close');
      setTimeout(() => void w.terminate(), 5000).unref();
    })));
  }
}
