// Progress of a long run on stderr: a redrawn bar with rate and ETA on a terminal, and plain
// lines a log file can keep (every so many files or seconds) otherwise.
import type { Tally } from './engine.js';

export const PROGRESS_SETTINGS = {
  /** A plain line at least every this many documents … */
  plainEveryFiles: 100,
  /** … or this many milliseconds, whichever comes first. */
  plainEveryMs: 5000,
  /** The bar is redrawn at most this often. */
  barEveryMs: 100,
  barWidth: 24,
} as const;

export interface ProgressSink {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

function duration(secs: number): string {
  if (!Number.isFinite(secs)) return '?';
  const s = Math.round(secs);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

function memory(): string {
  const m = process.memoryUsage();
  return `rss ${Math.round(m.rss / 1048576)} MB (js heap ${Math.round(m.heapUsed / 1048576)} MB)`;
}

export class Progress {
  private readonly t0 = Date.now();
  private total: number | null = null;
  private lastDraw = 0;
  private lastPlainAt = Date.now();
  private lastPlainDone = 0;
  private drawn = false;

  constructor(private readonly out: ProgressSink, private readonly label: string, private readonly tty = out.isTTY === true) {}

  setTotal(n: number): void {
    this.total = n;
  }

  /** Called after each document. */
  tick(t: Tally, done: number): void {
    const now = Date.now();
    if (this.tty) {
      if (now - this.lastDraw < PROGRESS_SETTINGS.barEveryMs) return;
      this.lastDraw = now;
      this.out.write(`\r${this.bar(t, done)}\x1b[K`);
      this.drawn = true;
    } else if (done - this.lastPlainDone >= PROGRESS_SETTINGS.plainEveryFiles || now - this.lastPlainAt >= PROGRESS_SETTINGS.plainEveryMs) {
      this.lastPlainAt = now;
      this.lastPlainDone = done;
      this.out.write(`${this.line(t, done)}\n`);
    }
  }

  /** A message that must not be overwritten by the bar. */
  log(line: string): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.out.write(`${line}\n`);
    this.drawn = false;
  }

  end(t: Tally, done: number): void {
    if (this.tty) {
      this.out.write(`\r${this.bar(t, done)}\x1b[K\n`);
      this.drawn = false;
    } else if (done !== this.lastPlainDone) this.out.write(`${this.line(t, done)}\n`);
  }

  private rate(done: number): number {
    return done / Math.max(0.001, (Date.now() - this.t0) / 1000);
  }

  private eta(done: number): string {
    if (this.total === null) return 'ETA ?';
    const rate = this.rate(done);
    return `ETA ${duration(rate > 0 ? Math.max(0, this.total - done) / rate : Infinity)}`;
  }

  private counts(t: Tally): string {
    return `ok ${t.ok}, partial ${t.partial}, failed ${t.failed + t.unreadable}, skipped ${t.skipped}`;
  }

  private bar(t: Tally, done: number): string {
    const w = PROGRESS_SETTINGS.barWidth;
    const frac = this.total ? Math.min(1, done / this.total) : 0;
    const filled = Math.round(frac * w);
    const of = this.total === null ? `${done}` : `${done}/${this.total}`;
    const text = `${this.label} [${'#'.repeat(filled)}${'-'.repeat(w - filled)}] ${of} ${this.rate(done).toFixed(1)} docs/s ${this.eta(done)}  ${this.counts(t)}`;
    const cols = this.out.columns ?? 0;
    return cols > 10 && text.length > cols - 1 ? text.slice(0, cols - 1) : text;
  }

  private line(t: Tally, done: number): string {
    const pct = this.total ? ` (${Math.floor((100 * done) / Math.max(1, this.total))}%)` : '';
    return `${this.label}: ${done}${this.total === null ? '' : `/${this.total}`} files${pct}, ${this.rate(done).toFixed(1)} docs/s, ${this.eta(done)}, ${this.counts(t)}, ${memory()}, ${duration((Date.now() - this.t0) / 1000)} elapsed`;
  }
}

/**
 * The `[n/N]` tag of a per-document line: the count so far and, once the walk has counted the
 * files, their total, the count padded to the total's width so the lines stay aligned.
 */
export class DocCounter {
  private n = 0;
  private total: number | null = null;

  setTotal(n: number): void {
    this.total = n;
  }

  next(): string {
    this.n++;
    if (this.total === null) return `[${this.n}]`;
    // A file added while the run goes on can take the count past the total.
    const total = Math.max(this.total, this.n);
    return `[${String(this.n).padStart(String(total).length)}/${total}]`;
  }
}
