// Table rules from pixels: a rule is a long, thin run of ink. Rows (and, on the transposed
// page, columns) are scanned for dark runs far longer than any glyph stroke, small breaks
// bridged; runs on neighbouring rows that overlap become one band; a thin band is a rule.
import type { Segment } from '../grid/types.js';
import type { BinaryImage } from './image.js';

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

/** Long dark runs along each row, breaks up to `gap` pixels bridged. */
export function binaryToRuns(img: BinaryImage, minLength: number, gap: number): Run[] {
  const runs: Run[] = [];
  const { width: w, height: h, data } = img;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let start = -1;
    let last = -1;
    for (let x = 0; x < w; x++) {
      if (!data[row + x]) continue;
      if (start >= 0 && x - last - 1 > gap) {
        if (last + 1 - start >= minLength) runs.push({ at: y, from: start, to: last + 1 });
        start = x;
      } else if (start < 0) start = x;
      last = x;
    }
    if (start >= 0 && last + 1 - start >= minLength) runs.push({ at: y, from: start, to: last + 1 });
  }
  return runs;
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

function transpose(img: BinaryImage): BinaryImage {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[x * h + y] = data[y * w + x]!;
  return { width: h, height: w, data: out };
}

/** Share of a band's length with ink just above or just below it. */
function neighbourInkOf(img: BinaryImage, b: Band, d: number): number {
  const above = b.first - 1 - d;
  const below = b.last + 1 + d;
  let n = 0;
  for (let x = b.from; x < b.to; x++) {
    const a = above >= 0 ? img.data[above * img.width + x]! : 0;
    const c = below < img.height ? img.data[below * img.width + x]! : 0;
    n += a | c;
  }
  return n / Math.max(1, b.to - b.from);
}

interface Candidate {
  seg: Segment;
  band: Band;
}

/** Thin, isolated bands as segments along their centre line, in scan coordinates (x along the scan). */
function scanToCandidates(img: BinaryImage, s: RuleSettings): Candidate[] {
  const out: Candidate[] = [];
  for (const b of runsToBands(binaryToRuns(img, s.shortLength, s.gap))) {
    if (b.last - b.first + 1 > s.maxThickness) continue;
    if (neighbourInkOf(img, b, s.neighbourGap) > s.maxNeighbourInk) continue;
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
  const t = transpose(img);
  const hc = scanToCandidates(img, s);
  const vc = scanToCandidates(t, s);
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
  for (let i = 0; i < data.length; i++) data[i] = img.data[i]! & (mask.data[i]! ^ 1);
  return { width: img.width, height: img.height, data };
}
