// What a normalizer carries while it reads one document: the file name for messages, the
// findings it raises, and the money unit in force.
import { FINDINGS, type FindingCode } from '../model/findings.js';
import type { Finding } from '../model/schema.js';
import type { MoneyUnit } from './values.js';

export class NormalizeContext {
  readonly findings: Finding[] = [];
  private seen = new Set<string>();

  constructor(readonly file: string, public unit: MoneyUnit) {}

  /** Raises a finding; its severity is the registry's (src/model/findings.ts), never the caller's. */
  add(code: FindingCode, message: string, location: string | null, project: number | null = null): void {
    // The same repair on the same cell is one finding, however often the cell is read.
    const key = `${code}|${location}|${message}|${project}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push({ project, severity: FINDINGS[code].severity, code, message, location });
  }
}
