// Table rules from pixels: a rule is a long, thin run of ink. Rows (and columns) are scanned
// for dark runs far longer than any glyph stroke, small breaks bridged; runs on neighbouring
// rows (columns) that overlap become one band; a thin band is a rule.
import type { Segment } from '../grid/types.js';
import { nextInk, nextPaper, wordsOf, type BinaryImage } from './image.js';

export interface RuleSettings {
  /** Pixels. A free-standing rule is at least this long. */
  minLength: number;
  /** A shorter piece (down to this) is a rule only when both its ends meet long crossing rules: a one-row cell border. */
  shortLength: number;
  gap: number;
  maxThickness: number;
  /** Distance (pixels) beyond the band's edge where the paper beside a rule is sampled. */
  neighbourGap: number;
  /** A rule has paper on both sides; a run through a text line has ink beside most of it. */
  maxNeighbourInk: number;
  /** How near a short piece's end must come to a crossing rule. */
  snap: number;
}

export interface Run {
  /** Scan line (row for horizontal runs). */
  at: number;
  /** Half-open extent along the scan line. */
  from: number;
  to: number;
}

export interface Rules {
  horizontal: Segment[];
  vertical: Segment[];
  /** The pixels that belong to a rule, so text steps can ignore them. */
  mask: BinaryImage;
}

/** Long dark runs along each row, breaks up to `gap` (≥ 0) pixels bridged. */
export function binaryToRuns(img: BinaryImage, minLength: number, gap: number): Run[] {
  const runs: Run[] = [];
  const { width: w, height: h, data } = img;
  const words = wordsOf(data);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const end = row + w;
    let start = -1;
    let last = -1;
    // Whole stretches of ink at a time: inside one, no break can end a run.
    for (let i = nextInk(data, words, row, end); i < end; i = nextInk(data, words, i, end)) {
      const x = i - row;
      if (start >= 0 && x - last - 1 > gap) {
        if (last + 1 - start >= minLength) runs.push({ at: y, from: start, to: last + 1 });
        start = x;
      } else if (start < 0) start = x;
      i = nextPaper(data, i, end);
      last = i - 1 - row;
    }
    if (start >= 0 && last + 1 - start >= minLength) runs.push({ at: y, from: start, to: last + 1 });
  }
  return runs;
}

/**
 * `binaryToRuns` of the transposed page — runs down each column, `at` being the column — in
 * the same order, found in one pass along the rows: each column keeps its open run.
 */
export function binaryToColumnRuns(img: BinaryImage, minLength: number, gap: number): Run[] {
  const { width: w, height: h, data } = img;
  const words = wordsOf(data);
  const start = new Int32Array(w).fill(-1);
  const last = new Int32Array(w).fill(-1);
  const byColumn: Run[][] = Array.from({ length: w }, () => []);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const end = row + w;
    for (let i = nextInk(data, words, row, end); i < end; ) {
      const stop = nextPaper(data, i, end);
      for (; i < stop; i++) {
        const x = i - row;
        if (start[x]! >= 0 && y - last[x]! - 1 > gap) {
          if (last[x]! + 1 - start[x]! >= minLength) byColumn[x]!.push({ at: x, from: start[x]!, to: last[x]! + 1 });
          start[x] = y;
        } else if (start[x]! < 0) start[x] = y;
        last[x] = y;
      }
      i = nextInk(data, words, stop, end);
    }
  }
  for (let x = 0; x < w; x++) {
    if (start[x]! >= 0 && last[x]! + 1 - start[x]! >= minLength) byColumn[x]!.push({ at: x, from: start[x]!, to: last[x]! + 1 });
  }
  return byColumn.flat();
}

interface Band {
  first: number;
  last: number;
  from: number;
  to: number;
  runs: Run[];
}

/**
 * Runs on adjacent scan lines that overlap by half the shorter one are the same band. A band
 * can skip one scan line (a noise hole through a thin rule).
 */
export function runsToBands(runs: Run[]): Band[] {
  const done: Band[] = [];
  let active: Band[] = [];
  let line = -1;
  for (const r of runs) {
    if (r.at !== line) {
      line = r.at;
      const still: Band[] = [];
      for (const b of active) (b.last >= line - 2 ? still : done).push(b);
      active = still;
    }
    // A run can bridge bands that started apart (pieces of one slightly tilted rule): merge them.
    const hits = active.filter((b) => Math.min(b.to, r.to) - Math.max(b.from, r.from) >= Math.min(b.to - b.from, r.to - r.from) / 2);
    const home = hits[0];
    if (home) {
      for (const other of hits.slice(1)) {
        home.first = Math.min(home.first, other.first);
        home.from = Math.min(home.from, other.from);
        home.to = Math.max(home.to, other.to);
        home.runs.push(...other.runs);
      }
      if (hits.length > 1) active = active.filter((b) => !hits.includes(b) || b === home);
      home.last = r.at;
      home.from = Math.min(home.from, r.from);
      home.to = Math.max(home.to, r.to);
      home.runs.push(r);
    } else active.push({ first: r.at, last: r.at, from: r.from, to: r.to, runs: [r] });
  }
  return done.concat(active);
}

/**
 * Share of a band's length with ink just beyond either side of it. `vertical`: the band runs
 * down columns (its scan lines are columns, positions along them rows).
 */
function neighbourInkOf(img: BinaryImage, b: Band, d: number, vertical: boolean): number {
  const { width: w, height: h, data } = img;
  const lines = vertical ? w : h;
  const lineStep = vertical ? 1 : w;
  const posStep = vertical ? w : 1;
  const before = b.first - 1 - d;
  const after = b.last + 1 + d;
  let n = 0;
  for (let x = b.from; x < b.to; x++) {
    const a = before >= 0 ? data[before * lineStep + x * posStep]! : 0;
    const c = after < lines ? data[after * lineStep + x * posStep]! : 0;
    n += a | c;
  }
  return n / Math.max(1, b.to - b.from);
}

interface Candidate {
  seg: Segment;
  band: Band;
}

/**
 * Thin, isolated bands as segments along their centre line, in scan coordinates (x along the
 * scan): scanning rows, or with `vertical` columns.
 */
function scanToCandidates(img: BinaryImage, s: RuleSettings, vertical: boolean): Candidate[] {
  const out: Candidate[] = [];
  const runs = vertical ? binaryToColumnRuns(img, s.shortLength, s.gap) : binaryToRuns(img, s.shortLength, s.gap);
  for (const b of runsToBands(runs)) {
    if (b.last - b.first + 1 > s.maxThickness) continue;
    if (neighbourInkOf(img, b, s.neighbourGap, vertical) > s.maxNeighbourInk) continue;
    const mid = (b.first + b.last) / 2;
    out.push({ seg: { x0: b.from, y0: mid, x1: b.to, y1: mid }, band: b });
  }
  return out;
}

/** Does a long crossing rule (in the other orientation, swapped to scan coordinates) pass through (x, y)? */
function meets(x: number, y: number, crossing: readonly Segment[], snap: number): boolean {
  return crossing.some((c) => Math.abs(c.y0 - x) <= snap && y >= c.x0 - snap && y <= c.x1 + snap);
}

/** Keeps long candidates, and short ones whose both ends meet a long crossing rule. */
function candidatesToRules(own: readonly Candidate[], other: readonly Candidate[], s: RuleSettings): Candidate[] {
  const long = (c: Candidate): boolean => c.seg.x1 - c.seg.x0 >= s.minLength;
  const crossing = other.filter(long).map((c) => c.seg);
  return own.filter((c) => long(c) || (meets(c.seg.x0, c.seg.y0, crossing, s.snap) && meets(c.seg.x1, c.seg.y0, crossing, s.snap)));
}

export function binaryToRules(img: BinaryImage, s: RuleSettings): Rules {
  const hc = scanToCandidates(img, s, false);
  const vc = scanToCandidates(img, s, true);
  const mask = new Uint8Array(img.width * img.height);
  const horizontal: Segment[] = [];
  for (const { seg, band } of candidatesToRules(hc, vc, s)) {
    horizontal.push(seg);
    for (const r of band.runs) for (let x = r.from; x < r.to; x++) mask[r.at * img.width + x] = img.data[r.at * img.width + x]!;
  }
  const vertical: Segment[] = [];
  for (const { seg, band } of candidatesToRules(vc, hc, s)) {
    vertical.push({ x0: seg.y0, y0: seg.x0, x1: seg.y1, y1: seg.x1 });
    for (const r of band.runs) for (let y = r.from; y < r.to; y++) mask[y * img.width + r.at] = img.data[y * img.width + r.at]!;
  }
  return { horizontal, vertical, mask: { width: img.width, height: img.height, data: mask } };
}
/** Ink that is not rule: the page with its rules wiped. */
export function binaryWithoutRules(img: BinaryImage, mask: BinaryImage): BinaryImage {
  const data = new Uint8Array(img.data.length);
  inkNotRuleInto(img.data, mask.data, data);
  return { width: img.width, height: img.height, data };
}

/** `binaryWithoutRules` done in place, for a binary image nobody else holds. */
export function wipeRules(img: BinaryImage, mask: BinaryImage): void {
  inkNotRuleInto(img.data, mask.data, img.data);
}

/** out = ink & not rule, pixel by pixel; `out` may be `ink` itself. */
function inkNotRuleInto(ink: Uint8Array, rule: Uint8Array, out: Uint8Array): void {
  const n = ink.length;
  let i = 0;
  // Four pixels a word where all planes start word-aligned (they do when freshly allocated).
  if (ink.byteOffset % 4 === 0 && rule.byteOffset % 4 === 0 && out.byteOffset % 4 === 0) {
    const words = n >> 2;
    const ink32 = new Uint32Array(ink.buffer, ink.byteOffset, words);
    const rule32 = new Uint32Array(rule.buffer, rule.byteOffset, words);
    const out32 = new Uint32Array(out.buffer, out.byteOffset, words);
    for (let k = 0; k < words; k++) out32[k] = ink32[k]! & (rule32[k]! ^ 0x01010101);
    i = words * 4;
  }
  for (; i < n; i++) out[i] = ink[i]! & (rule[i]! ^ 1);
}
