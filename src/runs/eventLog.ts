// Where a run's per-document events go: a JSON-lines file for machines (`--log-json FILE`) and
// one readable line per document for people. The JSON file is appended with a synchronous
// write per event, so a run killed at any point leaves whole lines behind.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { printable } from '../pipeline/printable.js';
import type { RunEvent } from './engine.js';

export class JsonLog {
  private fd: number | null;

  constructor(readonly file: string, private readonly pipeline: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.fd = openSync(file, 'a');
  }

  event(ev: RunEvent): void {
    if (this.fd === null) return;
    const line = {
      ts: new Date().toISOString(), run_id: ev.run_id, pipeline: this.pipeline, path: ev.path, doc_id: ev.doc_id,
      outcome: ev.outcome, status: ev.status, reason: ev.reason, variant: ev.variant, projects: ev.projects,
      findings: ev.findings, error: ev.error, ms: Math.round(ev.ms),
    };
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
  }

  /** A line that is not about one document (run start and end). */
  note(kind: string, data: Record<string, unknown>): void {
    if (this.fd === null) return;
    writeSync(this.fd, `${JSON.stringify({ ts: new Date().toISOString(), pipeline: this.pipeline, event: kind, ...data })}\n`);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** One line per document for people; names and messages have their control characters escaped. */
export function humanLine(ev: RunEvent): string {
  return printable(rawLine(ev));
}

function rawLine(ev: RunEvent): string {
  if (ev.outcome === 'skipped') return `skipped ${ev.path}  (already stored)`;
  if (ev.outcome === 'ignored') return `skipped ${ev.path}  (${ev.error ?? 'not a regular file'})`;
  if (ev.outcome === 'unsupported') return `skipped ${ev.path}  (${ev.error ?? 'of no type govtables reads'})`;
  if (ev.outcome === 'interrupted') return `stopped ${ev.path}  (${ev.error ?? 'rolled back'})`;
  if (ev.outcome === 'unreadable' || ev.status === 'failed') return `failed  ${ev.path}  [${ev.reason ?? '?'}] ${ev.error ?? ''}`;
  const s = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${(ev.status ?? '').padEnd(7)} ${ev.path}  (${ev.variant ?? '-'}, ${s(ev.projects, 'project')}, ${s(ev.findings, 'finding')}${ev.outcome === 'replaced' ? ', re-read' : ''})`;
}
