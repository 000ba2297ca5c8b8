// Shared by the tests: repo paths, golden-file normalisation, a temp folder per test.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExtractResult } from '../src/model/schema.js';
import { LAYOUT_CODES } from '../src/validate/index.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = join(ROOT, 'fixtures');
export const FIXED_NOW = () => new Date('2026-01-01T00:00:00.000Z');

export function tempDir(prefix = 'govtables-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The parts of a result a golden file pins: no clock, no version, no machine path. */
export function goldenView(r: ExtractResult): unknown {
  const { ingested_at: _a, pipeline_version: _b, source_path: _c, ...document } = r.document;
  return { ...r, document };
}

/** The records themselves, with where-they-came-from and layout findings stripped: equal across source kinds. */
export function recordsView(r: ExtractResult): unknown {
  const strip = <T extends object>(o: T): Omit<T, 'source_ref' | 'value_ref'> => {
    const { source_ref: _s, value_ref: _v, ...rest } = o as T & { source_ref?: unknown; value_ref?: unknown };
    return rest;
  };
  return {
    variant: r.document.variant,
    status: r.document.status,
    projects: r.projects.map((p) => ({
      ...strip(p),
      indicators: p.indicators.map(strip),
      cost_items: p.cost_items.map(strip),
      funding: p.funding.map(strip),
    })),
    budget_lines: r.budget_lines.map(strip),
    findings: r.findings.filter((f) => !LAYOUT_CODES.has(f.code)).map(({ location: _l, ...f }) => f).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  };
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32): the same sequence on every platform. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface StartedCli {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  stderr: () => string;
}

/** The CLI in a child process of its own (signals, kills, runs side by side), stderr collected. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): StartedCli {
  const child = spawn(process.execPath, [join(ROOT, 'bin/govtables.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stderr: err }));
  });
  return { child, done, stderr: () => err };
}

/** Waits, polling, until `cond` holds; fails after `ms`. */
export async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
