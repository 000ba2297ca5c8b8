// Documents read in worker processes, so that what a native decoder or OCR does to a process
// (a segfault, gigabytes of memory, a loop) ends one document instead of the run.
// Each worker is a forked Node process with a V8 heap ceiling; a watchdog here polls its
// resident memory (native allocations included) and times its document and its pages. A
// worker that dies or is stopped fails its document with the reason, and the next document
// gets a fresh worker.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ExtractError, type ExtractReason } from '../extract/errors.js';
import type { ExtractedDocument } from '../extract/rows.js';
import { OverLimit, type Limits } from '../limits.js';
import type { ChildJob, ChildReply, WireError } from './childProtocol.js';
import { Interrupted } from './interrupted.js';
import type { ExtractResult } from '../model/schema.js';
import type { DocumentOptions, Extractors, WorkerStats } from './extractors.js';
import type { ReadOptions } from './options.js';
import { DEFAULT_OCR_ENGINE, type OcrEngineName } from '../extract/ocr/engine.js';

/** How often a busy worker's resident memory is read. */
export const WATCH_INTERVAL_MS = 50;
/** How long a closing worker may take to end its OCR threads before it is killed. */
const CLOSE_GRACE_MS = 5000;
/** The tail of a worker's stderr kept to tell a V8 heap overflow from another death. */
const STDERR_TAIL = 8192;
/** Signals of a native fault, as opposed to a stop from outside. */
const CRASH_SIGNALS: ReadonlySet<string> = new Set(['SIGSEGV', 'SIGILL', 'SIGBUS', 'SIGFPE', 'SIGABRT', 'SIGTRAP', 'SIGSYS']);

const HERE = fileURLToPath(import.meta.url);

/**
 * The worker's compiled entry point. From compiled code it sits beside this module; from the
 * TypeScript sources (tests) it is the build's copy, which the test set-up compiles first.
 */
export function childEntry(): string | null {
  const sibling = HERE.replace(/childPool\.(ts|js)$/, 'extractChild.js');
  if (HERE.endsWith('.js')) return existsSync(sibling) ? sibling : null;
  const built = fileURLToPath(new URL('../../dist/src/pipeline/extractChild.js', import.meta.url));
  return existsSync(built) ? built : null;
}

/** Resident memory of a process, MB, from /proc (null where there is none). */
export function rssMbOf(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

interface Job {
  msg: ChildJob;
  ro: ReadOptions;
  /** Sent again once already because its worker died while starting. */
  restarted?: boolean;
  resolve: (answer: ExtractedDocument | ExtractResult) => void;
  reject: (err: Error) => void;
}

interface Slot {
  child: ChildProcess;
  /** The worker has loaded its modules: its job's clock may start. */
  ready: boolean;
  job: Job | null;
  /** Why the pool stopped this worker, when it did (`interrupted`: the run was stopped). */
  stopped: { reason: ExtractReason | 'interrupted'; detail: string; location: string | null } | null;
  stderr: string;
  rssMb: number;
  page: number | null;
  timers: NodeJS.Timeout[];
}

export interface ChildPoolOptions {
  limits: Limits;
  /** Worker processes at most (one document each at a time). */
  size: number;
  /** The compiled worker entry (default: childEntry()). */
  entry?: string;
  /** The engine the workers read scans with (default: DEFAULT_OCR_ENGINE). */
  ocrEngine?: OcrEngineName;
}

export class ChildPool implements Extractors {
  readonly limits: Limits;
  private readonly size: number;
  private readonly entry: string;
  readonly ocrEngine: OcrEngineName;
  private readonly slots = new Set<Slot>();
  private readonly idle: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private aborted = false;
  private watch: NodeJS.Timeout | null = null;
  private readonly counters: WorkerStats = { started: 0, lost: 0, peakRssMb: 0, peakTotalRssMb: 0 };

  constructor(opts: ChildPoolOptions) {
    const entry = opts.entry ?? childEntry();
    if (!entry) throw new Error('the extraction worker is not built (npm run build)');
    this.entry = entry;
    this.limits = opts.limits;
    this.size = Math.max(1, opts.size);
    this.ocrEngine = opts.ocrEngine ?? DEFAULT_OCR_ENGINE;
  }

  stats(): WorkerStats {
    return { ...this.counters };
  }

  read(kind: 'pdf' | 'scan', bytes: Uint8Array, file: string, ro: ReadOptions): Promise<ExtractedDocument> {
    return this.submit({ type: 'read', id: this.nextId++, kind, bytes, file, ocr: ro.ocr }, ro) as Promise<ExtractedDocument>;
  }

  extractDocument(bytes: Uint8Array, file: string, opts: DocumentOptions): Promise<ExtractResult> {
    const msg: ChildJob = { type: 'extract', id: this.nextId++, bytes, file, ocr: opts.ocr, variant: opts.variant ?? null, nowIso: opts.nowIso ?? null };
    return this.submit(msg, { ocr: opts.ocr }) as Promise<ExtractResult>;
  }

  private submit(msg: ChildJob, ro: ReadOptions): Promise<ExtractedDocument | ExtractResult> {
    if (this.aborted) return Promise.reject(new Interrupted(msg.file));
    if (this.closed) return Promise.reject(new Error('the extraction pool is closed'));
    return new Promise((resolve, reject) => {
      const job: Job = { msg, ro, resolve, reject };
      const slot = this.idle.pop() ?? (this.slots.size < this.size ? this.spawn() : null);
      if (slot) this.dispatch(slot, job);
      else this.queue.push(job);
    });
  }

  private spawn(): Slot {
    const heapMb = Math.max(128, this.limits.workerMemoryMb);
    const child = fork(this.entry, [], {
      execArgv: [`--max-old-space-size=${heapMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, GOVTABLES_WORKER_LIMITS: JSON.stringify(this.limits), GOVTABLES_WORKER_OCR_ENGINE: this.ocrEngine },
    });
    this.counters.started++;
    const slot: Slot = { child, ready: false, job: null, stopped: null, stderr: '', rssMb: 0, page: null, timers: [] };
    this.slots.add(slot);
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      slot.stderr = (slot.stderr + d).slice(-STDERR_TAIL);
    });
    child.on('message', (m: ChildReply) => this.onReply(slot, m));
    child.on('exit', (code, signal) => this.onExit(slot, code, signal));
    child.on('error', () => { /* 'exit' follows and says how it ended */ });
    return slot;
  }

  private dispatch(slot: Slot, job: Job): void {
    slot.job = job;
    slot.page = null;
    slot.child.ref();
    (slot.child.channel as { ref?: () => void } | undefined)?.ref?.();
    this.startWatch();
    // A new worker's start-up (loading pdf.js) is not the document's time: the clock starts when it is ready.
    if (slot.ready) this.armDocumentTimer(slot);
    slot.child.send(job.msg);
  }

  private armDocumentTimer(slot: Slot): void {
    const { secondsPerDocument } = this.limits;
    slot.timers.push(setTimeout(() => this.stop(slot, 'timeout', `timed out after ${secondsPerDocument} s (limit secondsPerDocument)`, null), secondsPerDocument * 1000));
  }

  /** Each page's clock starts when the worker says it has started the page. */
  private armPageTimer(slot: Slot): void {
    const { secondsPerPage } = this.limits;
    const page = slot.page;
    const t = setTimeout(() => {
      const where = page === null ? null : `page ${page}`;
      this.stop(slot, 'timeout', `timed out after ${secondsPerPage} s${where ? ` on ${where}` : ''} (limit secondsPerPage)`, where);
    }, secondsPerPage * 1000);
    // The page timer is the second one; the document timer stays.
    if (slot.timers.length > 1) clearTimeout(slot.timers.pop());
    slot.timers.push(t);
  }

  private onReply(slot: Slot, m: ChildReply): void {
    const job = slot.job;
    if (m.type === 'ready') {
      slot.ready = true;
      if (job && slot.timers.length === 0) this.armDocumentTimer(slot);
      return;
    }
    if (!job || m.id !== job.msg.id) return;
    if (m.type === 'page') {
      slot.page = m.page;
      this.armPageTimer(slot);
      job.ro.onPage?.(m.page);
      return;
    }
    this.finish(slot);
    if (m.type === 'done') job.resolve(m.doc);
    else if (m.type === 'result') job.resolve(m.result);
    else job.reject(fromWire(m.error, job.msg.file));
    this.release(slot);
  }

  /** The job is over (answered or lost): its timers go. */
  private finish(slot: Slot): void {
    for (const t of slot.timers) clearTimeout(t);
    slot.timers = [];
    slot.job = null;
  }

  private release(slot: Slot): void {
    if (!this.slots.has(slot)) return;
    const next = this.queue.shift();
    if (next) {
      this.dispatch(slot, next);
      return;
    }
    // An idle worker does not keep the process alive.
    slot.child.unref();
    (slot.child.channel as { unref?: () => void } | undefined)?.unref?.();
    this.idle.push(slot);
    if (this.closed) this.closeSlot(slot);
  }

  /** Kills a busy worker for a reason of ours (memory, time); its exit fails the document. */
  private stop(slot: Slot, reason: ExtractReason | 'interrupted', detail: string, location: string | null): void {
    if (!slot.job || slot.stopped) return;
    slot.stopped = { reason, detail, location };
    slot.child.kill('SIGKILL');
  }

  private onExit(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    this.slots.delete(slot);
    const i = this.idle.indexOf(slot);
    if (i >= 0) this.idle.splice(i, 1);
    const job = slot.job;
    this.finish(slot);
    if (job && !slot.ready && !slot.stopped && !this.closed) {
      // A worker that dies before it has loaded never saw the document: that is not the
      // document's failure. It is tried once more on a fresh worker, then failed as transient.
      if (!job.restarted) {
        job.restarted = true;
        this.queue.unshift(job);
      } else {
        const why = slot.stderr.split('\n').find((l) => /Error|error/.test(l))?.trim() ?? '';
        job.reject(new ExtractError(job.msg.file, 'io', `the extraction worker did not start (${signal ?? `exit code ${code ?? '?'}`})${why ? `: ${why.slice(0, 200)}` : ''}`));
      }
    } else if (job) {
      if (slot.stopped?.reason !== 'interrupted') this.counters.lost++;
      job.reject(this.deathError(slot, job.msg.file, code, signal));
    }
    // The queue is served by a fresh worker.
    if (!this.closed && this.queue.length > 0 && this.slots.size < this.size) this.dispatch(this.spawn(), this.queue.shift()!);
    if (this.slots.size === 0) this.stopWatch();
  }

  private deathError(slot: Slot, file: string, code: number | null, signal: NodeJS.Signals | null): Error {
    if (slot.stopped?.reason === 'interrupted') return new Interrupted(file);
    if (slot.stopped) return new ExtractError(file, slot.stopped.reason, slot.stopped.detail, slot.stopped.location);
    const where = slot.page === null ? null : `page ${slot.page}`;
    if (/heap out of memory|Reached heap limit|Allocation failed|Cannot allocate memory|std::bad_alloc/i.test(slot.stderr)) {
      return new ExtractError(file, 'memory', `exceeded the memory limit (${this.limits.workerMemoryMb} MB, limit workerMemoryMb)`, where);
    }
    if (signal) return new ExtractError(file, 'crashed', `decoder crashed (${signal})${CRASH_SIGNALS.has(signal) ? '' : ': the worker was stopped from outside'}`, where);
    return new ExtractError(file, 'crashed', `decoder crashed (exit code ${code ?? '?'})`, where);
  }

  /** One timer for all busy workers: reads their memory, stops one over the limit. */
  private startWatch(): void {
    if (this.watch) return;
    this.watch = setInterval(() => {
      let total = 0;
      for (const slot of this.slots) {
        const pid = slot.child.pid;
        const mb = pid === undefined ? null : rssMbOf(pid);
        if (mb === null) continue;
        slot.rssMb = mb;
        total += mb;
        if (mb > this.counters.peakRssMb) this.counters.peakRssMb = Math.round(mb);
        if (slot.job && mb > this.limits.workerMemoryMb) {
          const where = slot.page === null ? null : `page ${slot.page}`;
          this.stop(slot, 'memory', `exceeded the memory limit (${this.limits.workerMemoryMb} MB, limit workerMemoryMb; ${Math.round(mb)} MB in use)`, where);
        }
      }
      if (total > this.counters.peakTotalRssMb) this.counters.peakTotalRssMb = Math.round(total);
    }, WATCH_INTERVAL_MS);
    this.watch.unref();
  }

  private stopWatch(): void {
    if (this.watch) clearInterval(this.watch);
    this.watch = null;
  }

  private closeSlot(slot: Slot): void {
    if (!slot.child.connected) return;
    // Waiting for its exit must keep this process alive, or it would end before the worker does.
    slot.child.ref();
    (slot.child.channel as { ref?: () => void } | undefined)?.ref?.();
    slot.child.send({ type: 'close' });
    setTimeout(() => slot.child.kill('SIGKILL'), CLOSE_GRACE_MS).unref();
  }

  /**
   * The run was stopped: documents waiting for a worker, and those being read, end as
   * Interrupted (never stored); the busy workers are killed. The pool stays usable for close().
   */
  abort(): void {
    this.aborted = true;
    for (const job of this.queue.splice(0)) job.reject(new Interrupted(job.msg.file));
    for (const slot of this.slots) if (slot.job) this.stop(slot, 'interrupted', 'the run was stopped', null);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the extraction pool is closed'));
    const exits = [...this.slots].map((slot) => new Promise<void>((done) => {
      if (slot.child.exitCode !== null || slot.child.signalCode !== null) { done(); return; }
      slot.child.once('exit', () => done());
      if (!slot.job) this.closeSlot(slot);
    }));
    await Promise.all(exits);
    this.stopWatch();
  }
}

/** The worker's error as the caller would have seen it in-process. */
function fromWire(e: WireError, file: string): Error {
  if (e.kind === 'limit') return new OverLimit(e.limit, e.found, e.allowed, e.what, e.location);
  if (e.kind === 'extract') return Object.assign(new ExtractError(file, e.reason, '', e.location), { message: e.message });
  return new Error(e.message);
}
