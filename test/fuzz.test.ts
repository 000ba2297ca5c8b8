// Mutated seed dumps through extractBytes: whatever the bytes, the result is a document that is
// ok, partial or failed-with-a-reason, produced in bounded time, and its records fit the schema.
// Each case is rebuilt from its number alone, so a failure message is a complete reproducer.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ExtractResult } from '../src/model/schema.js';
import { extractBytes } from '../src/pipeline/extract.js';
import { encodeGb18030 } from './gb18030.js';
import { FIXED_NOW, FIXTURES, prng } from './helpers.js';

// FUZZ_CASES and FUZZ_SEED widen a local search; the suite runs the fixed 1,000.
const CASES = Number(process.env.FUZZ_CASES ?? 1000);
const BASE_SEED = Number(process.env.FUZZ_SEED ?? 20240501);
/** Per call; the seeds themselves take a few milliseconds. */
const MAX_MS = 2000;

const SEED_FILES = readdirSync(join(FIXTURES, 'text')).sort();
const SEEDS = SEED_FILES.map((f) => readFileSync(join(FIXTURES, 'text', f), 'utf8'));


type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);

// Text mutations keep a string; byte mutations come last because they may break the encoding.
const TEXT_MUTATIONS: Record<string, (s: string, r: Rand) => string> = {
  swapLines: (s, r) => {
    const lines = s.split('\n');
    const i = int(r, lines.length);
    const j = int(r, lines.length);
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    return lines.join('\n');
  },
  dropTabs: (s, r) => {
    const keep = r();
    return s.replace(/\t/g, () => (r() < keep ? '\t' : ''));
  },
  dropLines: (s, r) => {
    const lines = s.split('\n');
    const at = int(r, lines.length);
    lines.splice(at, 1 + int(r, 20));
    return lines.join('\n');
  },
  duplicateBlock: (s, r) => {
    const lines = s.split('\n');
    const at = int(r, lines.length);
    const block = lines.slice(at, at + 1 + int(r, 30));
    lines.splice(int(r, lines.length), 0, ...block);
    return lines.join('\n');
  },
  scrambleNumbers: (s, r) => s.replace(/\d+(\.\d+)?/g, (m) => (r() < 0.2 ? String(Math.floor(r() * 10 ** (1 + int(r, 12)))) : m)),
  oddCharacters: (s, r) => {
    const odd = ['≥', '≤', '《=', '%', '％', '：', '$\\geq$', '<p>', '</p>', '\f', '\r', '项目名称', '一级指标', '指标值', '万元', '—', '\u3000', '　'];
    let out = s;
    for (let k = 0, n = 1 + int(r, 20); k < n; k++) {
      const at = int(r, out.length);
      out = out.slice(0, at) + odd[int(r, odd.length)]! + out.slice(at);
    }
    return out;
  },
  empty: () => '',
  oneLine: (s) => s.replace(/\n/g, ' '),
};

const BYTE_MUTATIONS: Record<string, (b: Buffer, r: Rand) => Buffer> = {
  truncate: (b, r) => b.subarray(0, int(r, b.length + 1)),
  insertRandomBytes: (b, r) => {
    const parts: Buffer[] = [];
    let from = 0;
    for (let k = 0, n = 1 + int(r, 8); k < n; k++) {
      const at = from + int(r, Math.max(1, b.length - from));
      parts.push(b.subarray(from, at), Buffer.from(Array.from({ length: 1 + int(r, 6) }, () => int(r, 256))));
      from = at;
    }
    parts.push(b.subarray(from));
    return Buffer.concat(parts);
  },
  flipBytes: (b, r) => {
    const c = Buffer.from(b);
    for (let k = 0, n = 1 + int(r, 16); k < n && c.length; k++) c[int(r, c.length)] = int(r, 256);
    return c;
  },
  bom: (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]),
  utf16: (b) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')]),
};

interface Case {
  n: number;
  seed: string;
  steps: string[];
  bytes: Buffer;
}

function makeCase(n: number): Case {
  const r = prng(BASE_SEED + n);
  const s = int(r, SEEDS.length);
  const steps: string[] = [];
  let text = SEEDS[s]!;
  const textNames = Object.keys(TEXT_MUTATIONS);
  for (let k = 0, m = int(r, 3); k < m; k++) {
    const name = textNames[int(r, textNames.length)]!;
    steps.push(name);
    text = TEXT_MUTATIONS[name]!(text, r);
  }
  let bytes: Buffer;
  if (r() < 0.25) {
    try {
      bytes = encodeGb18030(text);
      steps.push('gb18030');
    } catch {
      bytes = Buffer.from(text);
      steps.push('gb18030 (not encodable, kept UTF-8)');
    }
  } else bytes = Buffer.from(text);
  const byteNames = Object.keys(BYTE_MUTATIONS);
  for (let k = 0, m = int(r, 2); k < m; k++) {
    const name = byteNames[int(r, byteNames.length)]!;
    steps.push(name);
    bytes = BYTE_MUTATIONS[name]!(bytes, r);
  }
  return { n, seed: SEED_FILES[s]!, steps, bytes };
}

describe('fuzz: extractBytes on mutated seed dumps', () => {
  test(`${CASES} cases: no throw, no hang, a valid status, failed ones say why`, async () => {
    const problems: string[] = [];
    const statuses: Record<string, number> = {};
    for (let n = 0; n < CASES; n++) {
      // Extraction is synchronous work; let the test runner's messages through now and then.
      if (n % 50 === 0) await new Promise((r) => setImmediate(r));
      const c = makeCase(n);
      const what = `case ${n} (seed ${c.seed}, BASE_SEED ${BASE_SEED}, mutations ${c.steps.join(' → ') || 'none'}, ${c.bytes.length} bytes)`;
      const t0 = performance.now();
      let result: ExtractResult;
      try {
        result = await extractBytes(c.bytes, `fuzz-${n}.txt`, { now: FIXED_NOW });
      } catch (err) {
        problems.push(`${what}: threw ${err instanceof Error ? (err.stack ?? err.message).split('\n').slice(0, 3).join(' | ') : String(err)}`);
        continue;
      }
      const ms = performance.now() - t0;
      const d = result.document;
      statuses[d.status] = (statuses[d.status] ?? 0) + 1;
      if (ms > MAX_MS) problems.push(`${what}: took ${ms.toFixed(0)} ms`);
      if (!['ok', 'partial', 'failed'].includes(d.status)) problems.push(`${what}: status ${String(d.status)}`);
      if (d.status === 'failed' && (typeof d.error !== 'string' || d.error.length === 0)) problems.push(`${what}: failed without an error`);
      const parsed = ExtractResult.safeParse(result);
      if (!parsed.success) problems.push(`${what}: result does not fit the schema: ${parsed.error.issues.slice(0, 2).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    process.stdout.write(`fuzz statuses: ${JSON.stringify(statuses)}\n`);
    expect(problems.slice(0, 15), `${problems.length} of ${CASES} cases misbehaved`).toEqual([]);
  }, 120_000);
});
