// Mutated images, TIFFs and PDFs through the isolated extractors (worker processes, as a run
// reads them): whatever the bytes, each case ends ok, partial or failed with a reason, within
// its time limit, and this process lives on. Cases are rebuilt from their number alone, so a
// failure message is a complete reproducer (FUZZ_DECODER_CASES and FUZZ_SEED widen a search).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { limitsOf } from '../src/limits.js';
import { ExtractResult } from '../src/model/schema.js';
import { ChildPool } from '../src/pipeline/childPool.js';
import { extractBytes } from '../src/pipeline/extract.js';
import { FIXED_NOW, FIXTURES, prng } from './helpers.js';
import * as F from './hostile/files.js';

const CASES = Number(process.env.FUZZ_DECODER_CASES ?? 320);
const BASE_SEED = Number(process.env.FUZZ_SEED ?? 20240601);
const LIMITS = limitsOf({ secondsPerDocument: 30, secondsPerPage: 20 });

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);

/** A small ruled form-like page: rules and blocks, so layout has work but OCR little. */
function pagePixel(x: number, y: number): number {
  if (y % 40 < 2 || x % 90 < 2) return 0;
  return (x + 3 * y) % 97 < 8 && y % 40 > 12 && y % 40 < 28 ? 40 : 255;
}

function jpegOf(w: number, h: number): Buffer {
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#000';
  for (let y = 0; y < h; y += 40) ctx.fillRect(0, y, w, 2);
  for (let x = 0; x < w; x += 90) ctx.fillRect(x, 0, 2, h);
  return c.encodeSync('jpeg', 80);
}

const W = 360;
const H = 200;

function grayRaw(w: number, h: number): Buffer {
  const raw = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw[y * w + x] = pagePixel(x, y);
  return raw;
}

const SEEDS: Record<string, Buffer> = {
  png: F.grayPng(W, H, pagePixel),
  jpeg: jpegOf(W, H),
  // Two pages: a Deflate strip and an uncompressed one.
  tiff: F.tiff([
    { width: W, height: H, compression: 8, strip: deflateSync(grayRaw(W, H)) },
    { width: 40, height: 30, compression: 1, strip: Buffer.alloc(1200, 255) },
  ]),
  pdf: readFileSync(join(FIXTURES, 'pdf-unit', 'span.libreoffice.pdf')),
  pdf2: readFileSync(join(FIXTURES, 'pdf-unit', 'continued.libreoffice.pdf')),
};

/** Where a format's header keeps its size (byte offsets of big- or little-endian fields). */
const SIZE_FIELDS: Record<string, (b: Buffer, r: Rand) => void> = {
  png: (b, r) => { b.writeUInt32BE(1 + int(r, 0x7fffffff), 16); b.writeUInt32BE(1 + int(r, 0x7fffffff), 20); },
  jpeg: (b, r) => {
    const sof = b.indexOf(Buffer.from([0xff, 0xc0]));
    if (sof > 0) { b.writeUInt16BE(int(r, 65536), sof + 5); b.writeUInt16BE(int(r, 65536), sof + 7); }
  },
  tiff: (b, r) => {
    const ifd = b.readUInt32LE(4);
    if (ifd + 40 < b.length) { b.writeUInt32LE(int(r, 2 ** 32), ifd + 2 + 8); b.writeUInt32LE(int(r, 2 ** 32), ifd + 2 + 12 + 8); }
  },
  pdf: (b, r) => {
    const s = b.toString('latin1');
    const m = [...s.matchAll(/\/(Width|Height|Length|Count) (\d+)/g)];
    const hit = m[int(r, Math.max(1, m.length))];
    if (hit) {
      const v = String(10 ** (1 + int(r, 9)));
      b.write(v.slice(0, hit[2]!.length).padStart(hit[2]!.length, '9'), hit.index! + hit[1]!.length + 2, 'latin1');
    }
  },
};

const MUTATIONS: Record<string, (b: Buffer, r: Rand, kind: string) => Buffer> = {
  truncate: (b, r) => b.subarray(0, int(r, b.length)),
  flipBits: (b, r) => {
    const c = Buffer.from(b);
    for (let k = 0, n = 1 + int(r, 16); k < n; k++) { const i = int(r, c.length); c[i] = c[i]! ^ (1 << int(r, 8)); }
    return c;
  },
  flipHeaderBytes: (b, r) => {
    const c = Buffer.from(b);
    for (let k = 0, n = 1 + int(r, 4); k < n; k++) c[int(r, Math.min(c.length, 64))] = int(r, 256);
    return c;
  },
  inflateHeader: (b, r, kind) => { const c = Buffer.from(b); SIZE_FIELDS[kind.replace(/\d$/, '')]!(c, r); return c; },
  insertNoise: (b, r) => { const at = int(r, b.length); return Buffer.concat([b.subarray(0, at), F.noise(1 + int(r, 200), int(r, 1e6)), b.subarray(at)]); },
  duplicateRange: (b, r) => { const at = int(r, b.length); const len = int(r, 2000); return Buffer.concat([b.subarray(0, at), b.subarray(at, at + len), b.subarray(at)]); },
  noiseAfterSignature: (b, r) => Buffer.concat([b.subarray(0, 8), F.noise(b.length - 8, int(r, 1e6))]),
};

interface Case { n: number; kind: string; steps: string[]; bytes: Buffer }

function makeCase(n: number): Case {
  const r = prng(BASE_SEED + n);
  const kinds = Object.keys(SEEDS);
  const kind = kinds[n % kinds.length]!;
  let bytes = SEEDS[kind]!;
  const names = Object.keys(MUTATIONS);
  const steps: string[] = [];
  for (let k = 0, m = 1 + int(r, 2); k < m; k++) {
    const name = names[int(r, names.length)]!;
    steps.push(name);
    bytes = MUTATIONS[name]!(bytes, r, kind);
  }
  return { n, kind, steps, bytes };
}

const pool = new ChildPool({ limits: LIMITS, size: 2 });
afterAll(() => pool.close());

describe('fuzz: decoders in worker processes', () => {
  test(`${CASES} mutated images, TIFFs and PDFs: a valid status, a reason when failed, within the time limit, this process alive`, async () => {
    const problems: string[] = [];
    const statuses: Record<string, number> = {};
    const crashes: string[] = [];
    const t0 = performance.now();
    // Two at a time, as a run with two workers reads them.
    const run = async (n: number) => {
      const c = makeCase(n);
      const what = `case ${n} (${c.kind}, BASE_SEED ${BASE_SEED}, ${c.steps.join(' → ')}, ${c.bytes.length} bytes)`;
      const start = performance.now();
      let result: ExtractResult;
      try {
        result = await extractBytes(c.bytes, `fuzz-${n}.${c.kind}`, { now: FIXED_NOW, extractors: pool, ocr: 'auto' });
      } catch (err) {
        problems.push(`${what}: threw ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      const s = (performance.now() - start) / 1000;
      const d = result.document;
      const key = d.status === 'failed' ? `failed: ${/crashed|memory|timed out|limit/.exec(d.error ?? '')?.[0] ?? 'read'}` : d.status;
      statuses[key] = (statuses[key] ?? 0) + 1;
      if (key === 'failed: crashed') crashes.push(what);
      if (s > LIMITS.secondsPerDocument + 10) problems.push(`${what}: took ${s.toFixed(1)} s`);
      if (d.status === 'failed' && !d.error) problems.push(`${what}: failed without an error`);
      if (!ExtractResult.safeParse(result).success) problems.push(`${what}: result does not fit the schema`);
    };
    for (let n = 0; n < CASES; n += 2) await Promise.all([run(n), ...(n + 1 < CASES ? [run(n + 1)] : [])]);
    const stats = pool.stats();
    process.stdout.write(`fuzz decoders: ${CASES} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${JSON.stringify(statuses)}, workers ${JSON.stringify(stats)}\n${crashes.map((c) => `  native crash (isolated): ${c}\n`).join('')}`);
    expect(problems.slice(0, 15), `${problems.length} of ${CASES} cases misbehaved`).toEqual([]);
    expect(stats.peakRssMb).toBeLessThanOrEqual(LIMITS.workerMemoryMb + 200);
  }, 600_000);
});
