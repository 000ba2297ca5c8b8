// What a normalizer carries while it reads one document: the file name for messages, the
// findings it raises, and the money unit in force.
import type { Finding, Severity } from '../model/schema.js';
import type { MoneyUnit } from './values.js';

export class NormalizeContext {
  readonly findings: Finding[] = [];
  private seen = new Set<string>();

  constructor(readonly file: string, public unit: MoneyUnit) {}

  add(severity: Severity, code: string, message: string, location: string | null, project: number | null = null): void {
    // The same repair on the same cell is one finding, however often the cell is read.
    const key = `${code}|${location}|${message}|${project}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push({ project, severity, code, message, location });
  }
}
