// The ≥ / ≤ shape detector, on glyphs drawn here and on crops of the committed scans.
//
// Synthetic glyphs come from a small stroke font defined below, so no test needs a CJK font; the
// signs, digits and Latin letters are also drawn with DejaVu Sans when it is installed (it ships
// ≥ ≤ ≧ ≦ ⩾ ⩽), and with the stroke font when it is not, with the same assertions either way.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas, GlobalFonts, loadImage, type SKRSContext2D } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { grayToBinaryOtsu } from '../src/extract/ocr/binarize.js';
import { rgbaToGray, type BinaryImage, type PxRect } from '../src/extract/ocr/image.js';
import { findSignGlyphs, type Sign, type SignGlyph } from '../src/extract/ocr/signs.js';

// ---------------------------------------------------------------------------------------------
// Stroke font: polylines in em units, x from the pen position, y from the top of the em box
// (baseline near 0.8). Strokes are drawn `STROKE` em wide.

type Pt = [number, number];
interface StrokeGlyph {
  advance: number;
  strokes: Pt[][];
}

const STROKE = 0.075;

function ellipse(cx: number, cy: number, rx: number, ry: number): Pt[] {
  const out: Pt[] = [];
  for (let i = 0; i <= 24; i++) out.push([cx + rx * Math.cos((i * Math.PI) / 12), cy + ry * Math.sin((i * Math.PI) / 12)]);
  return out;
}

const mirrorX = (g: StrokeGlyph): StrokeGlyph => ({ advance: g.advance, strokes: g.strokes.map((s) => s.map(([x, y]) => [g.advance - x, y] as Pt)) });
const six: Pt[] = [[0.44, 0.12], [0.26, 0.12], [0.12, 0.3], [0.1, 0.6], [0.2, 0.78], [0.38, 0.8], [0.48, 0.66], [0.44, 0.48], [0.28, 0.44], [0.12, 0.52]];
const ge: StrokeGlyph = { advance: 0.64, strokes: [[[0.08, 0.16], [0.56, 0.38], [0.08, 0.6]], [[0.08, 0.77], [0.56, 0.77]]] };
const geqq: StrokeGlyph = { advance: 0.64, strokes: [[[0.08, 0.08], [0.56, 0.28], [0.08, 0.48]], [[0.08, 0.63], [0.56, 0.63]], [[0.08, 0.8], [0.56, 0.8]]] };
const geSlant: StrokeGlyph = { advance: 0.64, strokes: [[[0.08, 0.12], [0.56, 0.34], [0.08, 0.56]], [[0.56, 0.54], [0.08, 0.76]]] };
const gt: StrokeGlyph = { advance: 0.62, strokes: [[[0.08, 0.24], [0.54, 0.46], [0.08, 0.68]]] };
/** A ≥ whose bar touches the lower arm's tip, as blur joins them in a poor scan. */
const JOINED_GE = '\uE000';

const GLYPHS: Record<string, StrokeGlyph> = {
  '≥': ge,
  '≤': mirrorX(ge),
  '≧': geqq,
  '≦': mirrorX(geqq),
  '⩾': geSlant,
  '⩽': mirrorX(geSlant),
  [JOINED_GE]: { advance: 0.64, strokes: [[[0.08, 0.16], [0.56, 0.38], [0.08, 0.6]], [[0.06, 0.66], [0.56, 0.66]]] },
  '>': gt,
  '<': mirrorX(gt),
  '=': { advance: 0.62, strokes: [[[0.08, 0.36], [0.54, 0.36]], [[0.08, 0.58], [0.54, 0.58]]] },
  '-': { advance: 0.48, strokes: [[[0.08, 0.5], [0.4, 0.5]]] },
  _: { advance: 0.56, strokes: [[[0, 0.92], [0.56, 0.92]]] },
  ' ': { advance: 0.3, strokes: [] },
  '.': { advance: 0.3, strokes: [[[0.12, 0.77], [0.18, 0.77]]] },
  ':': { advance: 0.3, strokes: [[[0.12, 0.4], [0.18, 0.4]], [[0.12, 0.77], [0.18, 0.77]]] },
  '%': { advance: 0.66, strokes: [ellipse(0.16, 0.24, 0.1, 0.13), ellipse(0.48, 0.66, 0.1, 0.13), [[0.54, 0.1], [0.1, 0.8]]] },
  '0': { advance: 0.56, strokes: [ellipse(0.28, 0.45, 0.2, 0.35)] },
  '1': { advance: 0.56, strokes: [[[0.14, 0.24], [0.3, 0.1], [0.3, 0.8]], [[0.12, 0.8], [0.48, 0.8]]] },
  '2': { advance: 0.56, strokes: [[[0.1, 0.25], [0.2, 0.12], [0.35, 0.1], [0.46, 0.18], [0.46, 0.32], [0.1, 0.8], [0.5, 0.8]]] },
  '3': { advance: 0.56, strokes: [[[0.1, 0.12], [0.45, 0.12], [0.28, 0.4], [0.42, 0.45], [0.48, 0.6], [0.4, 0.76], [0.25, 0.8], [0.08, 0.74]]] },
  '4': { advance: 0.56, strokes: [[[0.38, 0.8], [0.38, 0.1], [0.06, 0.6], [0.52, 0.6]]] },
  '5': { advance: 0.56, strokes: [[[0.46, 0.1], [0.12, 0.1], [0.1, 0.42], [0.3, 0.38], [0.46, 0.48], [0.48, 0.65], [0.36, 0.78], [0.1, 0.76]]] },
  '6': { advance: 0.56, strokes: [six] },
  '7': { advance: 0.56, strokes: [[[0.08, 0.1], [0.5, 0.1], [0.22, 0.8]]] },
  '8': { advance: 0.56, strokes: [ellipse(0.28, 0.27, 0.16, 0.17), ellipse(0.28, 0.62, 0.2, 0.18)] },
  '9': { advance: 0.56, strokes: [six.map(([x, y]) => [0.56 - x, 0.9 - y] as Pt)] },
  A: { advance: 0.6, strokes: [[[0.05, 0.8], [0.3, 0.1], [0.55, 0.8]], [[0.15, 0.55], [0.45, 0.55]]] },
  K: { advance: 0.6, strokes: [[[0.1, 0.1], [0.1, 0.8]], [[0.52, 0.1], [0.1, 0.52]], [[0.24, 0.4], [0.54, 0.8]]] },
  Z: { advance: 0.6, strokes: [[[0.08, 0.1], [0.5, 0.1], [0.08, 0.8], [0.52, 0.8]]] },
  k: { advance: 0.56, strokes: [[[0.1, 0.05], [0.1, 0.8]], [[0.46, 0.35], [0.1, 0.62]], [[0.22, 0.53], [0.48, 0.8]]] },
  v: { advance: 0.56, strokes: [[[0.05, 0.35], [0.28, 0.8], [0.51, 0.35]]] },
  x: { advance: 0.56, strokes: [[[0.05, 0.35], [0.5, 0.8]], [[0.5, 0.35], [0.05, 0.8]]] },
  三: { advance: 1, strokes: [[[0.15, 0.15], [0.85, 0.15]], [[0.22, 0.48], [0.78, 0.48]], [[0.08, 0.85], [0.92, 0.85]]] },
  二: { advance: 1, strokes: [[[0.2, 0.25], [0.8, 0.25]], [[0.08, 0.8], [0.92, 0.8]]] },
  之: { advance: 1, strokes: [[[0.45, 0.05], [0.55, 0.15]], [[0.2, 0.3], [0.75, 0.3], [0.2, 0.75], [0.4, 0.85], [0.95, 0.88]]] },
  乏: { advance: 1, strokes: [[[0.65, 0.04], [0.3, 0.16]], [[0.2, 0.36], [0.75, 0.36], [0.2, 0.75], [0.4, 0.85], [0.95, 0.88]]] },
  生: {
    advance: 1,
    strokes: [[[0.3, 0.05], [0.12, 0.4]], [[0.2, 0.28], [0.85, 0.28]], [[0.25, 0.55], [0.78, 0.55]], [[0.08, 0.88], [0.92, 0.88]], [[0.5, 0.05], [0.5, 0.88]]],
  },
  过: {
    advance: 1,
    strokes: [
      [[0.4, 0.3], [0.95, 0.3]],
      [[0.78, 0.08], [0.78, 0.72], [0.7, 0.68]],
      [[0.55, 0.45], [0.62, 0.55]],
      [[0.12, 0.1], [0.2, 0.18]],
      [[0.05, 0.38], [0.25, 0.38], [0.2, 0.7], [0.35, 0.85], [0.98, 0.9]],
    ],
  },
  次: {
    advance: 1,
    strokes: [
      [[0.08, 0.2], [0.16, 0.3]],
      [[0.06, 0.72], [0.2, 0.5]],
      [[0.45, 0.05], [0.35, 0.35]],
      [[0.4, 0.25], [0.9, 0.25], [0.8, 0.4]],
      [[0.62, 0.3], [0.62, 0.5], [0.35, 0.92]],
      [[0.64, 0.52], [0.95, 0.92]],
    ],
  },
  分: {
    advance: 1,
    strokes: [
      [[0.38, 0.08], [0.1, 0.4]],
      [[0.62, 0.08], [0.92, 0.4]],
      [[0.25, 0.5], [0.75, 0.5], [0.72, 0.9], [0.6, 0.85]],
      [[0.45, 0.5], [0.4, 0.75], [0.2, 0.92]],
    ],
  },
  钟: {
    advance: 1,
    strokes: [
      [[0.2, 0.05], [0.05, 0.35]],
      [[0.1, 0.25], [0.35, 0.25]],
      [[0.08, 0.45], [0.35, 0.45]],
      [[0.2, 0.3], [0.2, 0.9], [0.35, 0.8]],
      [[0.45, 0.25], [0.9, 0.25], [0.9, 0.6], [0.45, 0.6], [0.45, 0.25]],
      [[0.68, 0.05], [0.68, 0.95]],
    ],
  },
};

const SIGN_OF: Record<string, Sign> = { '≥': '≥', '≧': '≥', '⩾': '≥', [JOINED_GE]: '≥', '≤': '≤', '≦': '≤', '⩽': '≤' };
/** Characters DejaVu Sans draws; CJK always comes from the stroke font. */
const FONT_CHARS = /[≥≤≧≦⩾⩽<>=\-_ .:%0-9A-Za-z]/;
const DEJAVU = GlobalFonts.families.some((f) => f.family === 'DejaVu Sans') ? 'DejaVu Sans' : null;

// ---------------------------------------------------------------------------------------------
// Typesetting, degrading and binarizing

interface Degrade {
  name: string;
  blur?: number;
  rotateDeg?: number;
  noise?: boolean;
  jpeg?: boolean;
}

const CLEAN: Degrade = { name: 'clean' };
const DEGRADES: Degrade[] = [
  CLEAN,
  { name: 'blur', blur: 0.6 },
  { name: 'skew +0.8°', rotateDeg: 0.8 },
  { name: 'skew -0.8°', rotateDeg: -0.8, blur: 0.4 },
  { name: 'noise', noise: true, blur: 0.4 },
  { name: 'jpeg', jpeg: true, blur: 0.3 },
];

interface Typeset {
  ink: BinaryImage;
  /** Where each comparator was drawn, in image pixels. */
  signs: { sign: Sign; box: PxRect }[];
}

interface Extra {
  /** Draw a straight line, in em units relative to the first line's top-left text origin. */
  lines?: { from: Pt; to: Pt; width: number }[];
}

function drawStrokes(ctx: SKRSContext2D, g: StrokeGlyph, x: number, y: number, em: number): PxRect {
  const half = (STROKE * em) / 2;
  const box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  ctx.lineWidth = STROKE * em;
  ctx.lineCap = 'butt';
  ctx.lineJoin = 'round';
  for (const s of g.strokes) {
    ctx.beginPath();
    s.forEach(([px, py], i) => {
      const X = x + px * em;
      const Y = y + py * em;
      if (i === 0) ctx.moveTo(X, Y);
      else ctx.lineTo(X, Y);
      box.x0 = Math.min(box.x0, X - half);
      box.x1 = Math.max(box.x1, X + half);
      box.y0 = Math.min(box.y0, Y - half);
      box.y1 = Math.max(box.y1, Y + half);
    });
    ctx.stroke();
  }
  return box;
}

/** Draws one glyph at pen (x, top y) and returns its advance and ink box. */
function drawChar(ctx: SKRSContext2D, ch: string, x: number, y: number, em: number, font: string | null): { advance: number; box: PxRect } {
  if (font && FONT_CHARS.test(ch)) {
    ctx.font = `${em}px "${font}"`;
    ctx.textBaseline = 'alphabetic';
    const baseline = y + 0.8 * em;
    ctx.fillText(ch, x, baseline);
    const m = ctx.measureText(ch);
    return {
      advance: m.width,
      box: { x0: x - m.actualBoundingBoxLeft, x1: x + m.actualBoundingBoxRight, y0: baseline - m.actualBoundingBoxAscent, y1: baseline + m.actualBoundingBoxDescent },
    };
  }
  const g = GLYPHS[ch];
  if (!g) throw new Error(`no stroke glyph for ${ch}`);
  return { advance: g.advance * em, box: drawStrokes(ctx, g, x, y, em) };
}

function rotatedBox(b: PxRect, cx: number, cy: number, deg: number): PxRect {
  const a = (deg * Math.PI) / 180;
  const pts = [
    [b.x0, b.y0],
    [b.x1, b.y0],
    [b.x0, b.y1],
    [b.x1, b.y1],
  ].map(([x, y]) => [cx + (x! - cx) * Math.cos(a) - (y! - cy) * Math.sin(a), cy + (x! - cx) * Math.sin(a) + (y! - cy) * Math.cos(a)] as const);
  return {
    x0: Math.min(...pts.map((p) => p[0])),
    x1: Math.max(...pts.map((p) => p[0])),
    y0: Math.min(...pts.map((p) => p[1])),
    y1: Math.max(...pts.map((p) => p[1])),
  };
}

/** Deterministic noise: ±24 gray levels everywhere and a sprinkle of dark and light pixels. */
function addNoise(gray: Uint8Array): void {
  let seed = 12345;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let i = 0; i < gray.length; i++) {
    const r = rnd();
    let v = gray[i]! + Math.round((rnd() - 0.5) * 48);
    if (r < 0.002) v = 0;
    else if (r > 0.998) v = 255;
    gray[i] = Math.max(0, Math.min(255, v));
  }
}

async function typeset(lines: string[], em: number, d: Degrade, font: string | null, extra: Extra = {}): Promise<Typeset> {
  const lead = 1.5 * em;
  const pad = Math.round(0.6 * em);
  const width = Math.ceil(pad * 2 + Math.max(...lines.map((l) => [...l].length)) * em);
  const height = Math.ceil(pad * 2 + (lines.length - 1) * lead + em);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, width, height);
  const cx = width / 2;
  const cy = height / 2;
  if (d.blur) ctx.filter = `blur(${d.blur}px)`;
  if (d.rotateDeg) {
    ctx.translate(cx, cy);
    ctx.rotate((d.rotateDeg * Math.PI) / 180);
    ctx.translate(-cx, -cy);
  }
  ctx.fillStyle = 'black';
  ctx.strokeStyle = 'black';
  const signs: Typeset['signs'] = [];
  lines.forEach((line, i) => {
    let x = pad;
    const y = pad + i * lead;
    for (const ch of line) {
      const { advance, box } = drawChar(ctx, ch, x, y, em, font);
      const sign = SIGN_OF[ch];
      if (sign) signs.push({ sign, box: d.rotateDeg ? rotatedBox(box, cx, cy, d.rotateDeg) : box });
      x += advance;
    }
  });
  for (const l of extra.lines ?? []) {
    ctx.lineWidth = l.width * em;
    ctx.beginPath();
    ctx.moveTo(pad + l.from[0] * em, pad + l.from[1] * em);
    ctx.lineTo(pad + l.to[0] * em, pad + l.to[1] * em);
    ctx.stroke();
  }
  let rgba = ctx.getImageData(0, 0, width, height).data;
  if (d.jpeg) {
    const img = await loadImage(canvas.toBuffer('image/jpeg', 55));
    const c2 = createCanvas(width, height);
    c2.getContext('2d').drawImage(img, 0, 0);
    rgba = c2.getContext('2d').getImageData(0, 0, width, height).data;
  }
  const gray = rgbaToGray(rgba, width, height);
  if (d.noise) addNoise(gray);
  return { ink: grayToBinaryOtsu({ width, height, data: gray, dpi: 300 }), signs };
}

function expectSigns(got: SignGlyph[], want: Typeset['signs'], what: string, tol = 3): void {
  expect(got.map((g) => g.sign).join(''), what).toBe(want.map((w) => w.sign).join(''));
  got.forEach((g, i) => {
    const w = want[i]!.box;
    for (const k of ['x0', 'x1', 'y0', 'y1'] as const) {
      expect(Math.abs(g.box[k] - w[k]), `${what}: sign ${i} ${k} ${g.box[k]} vs drawn ${w[k].toFixed(1)}`).toBeLessThanOrEqual(tol);
    }
  });
}

// ---------------------------------------------------------------------------------------------

const POSITIVE = ['≥1次', '≤60分钟', '1.≥90%', '2.≤60分钟', '≧5', '≦3', '⩾95%', '⩽3', '≥95%'];
const NEGATIVE = ['=100%', '>5', '<3', '0123456789', '三二之乏生过', '-_=', 'AKZkvx', '2.<60分钟', '>=5', '次分钟'];
/** Em sizes in pixels: text 18–50 px high, as 9–12 pt text at 200 and 300 dpi comes out. */
const EMS = [24, 32, 44, 60];

describe('findSignGlyphs on hand-built glyphs', () => {
  it.each(POSITIVE.flatMap((s) => EMS.map((em) => [s, em] as const)))('finds the sign in %s at em %i px', async (text, em) => {
    for (const d of DEGRADES) {
      const t = await typeset([text], em, d, null);
      expectSigns(findSignGlyphs(t.ink), t.signs, `${text} em ${em} ${d.name}`);
    }
  });

  it.each(NEGATIVE.flatMap((s) => EMS.map((em) => [s, em] as const)))('finds nothing in %s at em %i px', async (text, em) => {
    for (const d of DEGRADES) {
      const t = await typeset([text], em, d, null);
      expect(findSignGlyphs(t.ink), `${text} em ${em} ${d.name}`).toEqual([]);
    }
  });
});

describe(`findSignGlyphs on ${DEJAVU ?? 'hand-built (DejaVu Sans missing)'} glyphs`, () => {
  it.each(POSITIVE.flatMap((s) => EMS.map((em) => [s, em] as const)))('finds the sign in %s at em %i px', async (text, em) => {
    for (const d of DEGRADES.slice(0, 4)) {
      const t = await typeset([text], em, d, DEJAVU);
      expectSigns(findSignGlyphs(t.ink), t.signs, `${text} em ${em} ${d.name}`);
    }
  });

  it.each(NEGATIVE.flatMap((s) => EMS.map((em) => [s, em] as const)))('finds nothing in %s at em %i px', async (text, em) => {
    for (const d of DEGRADES.slice(0, 4)) {
      const t = await typeset([text], em, d, DEJAVU);
      expect(findSignGlyphs(t.ink), `${text} em ${em} ${d.name}`).toEqual([]);
    }
  });
});

describe('findSignGlyphs layout', () => {
  it('reports signs top line first, then left to right', async () => {
    for (const em of [26, 40]) {
      const t = await typeset(['1.≥90% 2.≤60', '分钟 3.', '≥90% ≦5'], em, CLEAN, null);
      expect(t.signs.map((s) => s.sign).join('')).toBe('≥≤≥≤');
      expectSigns(findSignGlyphs(t.ink), t.signs, `em ${em}`);
    }
  });

  it('finds a lone sign filling the crop', async () => {
    const t = await typeset(['≥'], 30, CLEAN, null);
    expectSigns(findSignGlyphs(t.ink), t.signs, 'lone ≥');
  });

  it('finds a sign whose bar blur has joined to the arm tip', async () => {
    for (const em of [24, 40]) {
      const t = await typeset([`${JOINED_GE}9`], em, { name: 'blur', blur: 0.5 }, null);
      expectSigns(findSignGlyphs(t.ink), t.signs, `joined em ${em}`);
    }
  });

  it('does not take a stroke of the next line for a bar', async () => {
    for (const em of [26, 40]) {
      const t = await typeset(['<3 >5', '二三-='], em, CLEAN, null);
      expect(findSignGlyphs(t.ink)).toEqual([]);
    }
  });

  it('does not take an underline or a rule fragment for a bar', async () => {
    for (const em of [26, 40]) {
      const under = await typeset(['<5 >6 次'], em, CLEAN, null, { lines: [{ from: [0, 0.8], to: [3.4, 0.8], width: 0.06 }] });
      expect(findSignGlyphs(under.ink), `underline em ${em}`).toEqual([]);
      const rule = await typeset(['>5'], em, CLEAN, null, { lines: [{ from: [-0.5, 0.9], to: [6, 0.9], width: 0.04 }] });
      expect(findSignGlyphs(rule.ink), `rule em ${em}`).toEqual([]);
    }
  });

  it('does not take a bar far below the chevron', async () => {
    const t = await typeset(['>5'], 30, CLEAN, null, { lines: [{ from: [0.08, 1.5], to: [0.56, 1.5], width: STROKE }] });
    expect(findSignGlyphs(t.ink)).toEqual([]);
  });

  it('ignores a sign-shaped speck beside much taller text', async () => {
    const canvas = createCanvas(200, 120);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = 'white';
    ctx.fillRect(0, 0, 200, 120);
    ctx.strokeStyle = 'black';
    drawStrokes(ctx, GLYPHS['生']!, 10, 10, 100);
    drawStrokes(ctx, GLYPHS['≥']!, 120, 60, 16);
    const gray = rgbaToGray(ctx.getImageData(0, 0, 200, 120).data, 200, 120);
    expect(findSignGlyphs(grayToBinaryOtsu({ width: 200, height: 120, data: gray, dpi: 300 }))).toEqual([]);
  });

  it('handles blank, full and empty images', () => {
    expect(findSignGlyphs({ width: 40, height: 30, data: new Uint8Array(1200) })).toEqual([]);
    expect(findSignGlyphs({ width: 40, height: 30, data: new Uint8Array(1200).fill(1) })).toEqual([]);
    expect(findSignGlyphs({ width: 0, height: 0, data: new Uint8Array(0) })).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Crops of the committed scans (fixtures/scan), as the OCR step cuts them: the cell at page
// pixel (x0, y0) of the named page, re-encoded as 8-bit gray PNG. `-lines…` crops keep only some
// text lines of the cell to keep the files small. Boxes were checked against the images.

interface CropCase {
  file: string;
  what: string;
  signs: { sign: Sign; x0: number; y0: number; x1: number; y1: number }[];
}

const CROPS: CropCase[] = [
  {
    file: 'qinyang-p1-2085-1931.png',
    what: 'qinyang-300 p1: 1. ≥90% / 2. ≤60 / 分钟 3. / ≥90%',
    signs: [
      { sign: '≥', x0: 71, y0: 25, x1: 96, y1: 48 },
      { sign: '≤', x0: 71, y0: 87, x1: 96, y1: 110 },
      { sign: '≥', x0: 20, y0: 226, x1: 46, y1: 249 },
    ],
  },
  {
    file: 'qinyang-p1-1222-1686.png',
    what: 'qinyang-300 p1: 1: ≥1 次 2: / ≥2 次',
    signs: [
      { sign: '≥', x0: 69, y0: 28, x1: 95, y1: 51 },
      { sign: '≥', x0: 18, y0: 104, x1: 44, y1: 127 },
    ],
  },
  { file: 'qinyang-p2-1210-279.png', what: 'qinyang-300 p2: ≥95%', signs: [{ sign: '≥', x0: 18, y0: 25, x1: 44, y1: 48 }] },
  { file: 'suining-p1-817-2261.png', what: 'suining-300 p1 指标性质: ≥', signs: [{ sign: '≥', x0: 18, y0: 18, x1: 43, y1: 41 }] },
  { file: 'suining-p1-817-2919.png', what: 'suining-300 p1 指标性质: ≤', signs: [{ sign: '≤', x0: 19, y0: 18, x1: 44, y1: 41 }] },
  { file: 'suining-p2-805-276.png', what: 'suining-300 p2 指标性质: ≥', signs: [{ sign: '≥', x0: 19, y0: 18, x1: 44, y1: 41 }] },
  { file: 'hongshan-p2-1729-1212.png', what: 'hongshan-300 p2: ⩾2次 (slanted bar)', signs: [{ sign: '≥', x0: 18, y0: 20, x1: 48, y1: 52 }] },
  { file: 'hongshan-p2-1729-1824.png', what: 'hongshan-300 p2: ⩾90% (slanted bar)', signs: [{ sign: '≥', x0: 18, y0: 18, x1: 48, y1: 50 }] },
  { file: 'form200-p2-1050-895.png', what: 'form-200 p2 (200 dpi): 参保人持卡结算，满意度⩾95%', signs: [{ sign: '≥', x0: 304, y0: 14, x1: 324, y1: 35 }] },
  { file: 'suining-p1-817-2429.png', what: 'suining-300 p1 指标性质: 等于', signs: [] },
  { file: 'suining-p1-596-2429.png', what: 'suining-300 p1: 经办机构人脸识别覆盖率', signs: [] },
  { file: 'qinyang-p1-877-2575.png', what: 'qinyang-300 p1: 指标:厉行节约,控制成本', signs: [] },
  { file: 'qinyang-p1-594-3156.png', what: 'qinyang-300 p1: 生态效益指标', signs: [] },
  { file: 'form200-p2-463-426.png', what: 'form-200 p2 (200 dpi): 三级指标', signs: [] },
  { file: 'form200-p2-266-426.png', what: 'form-200 p2 (200 dpi): 二级指标', signs: [] },
  { file: 'hongshan-p2-1904-1824-line1.png', what: 'hongshan-300 p2: 通过问卷调查的方式,', signs: [] },
  { file: 'luan-p1-1223-1666.png', what: "lu'an-300 p1: >38万人 (a bare >)", signs: [] },
  { file: 'luan-p1-1223-1919-lines2-4.png', what: "lu'an-300 p1: 参保人数>38万 / 人; 居民医保参 / 保人数>508万", signs: [] },
];

async function loadCrop(file: string): Promise<BinaryImage> {
  const img = await loadImage(readFileSync(join(import.meta.dirname, '../fixtures/ocr-unit', file)));
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const gray = rgbaToGray(ctx.getImageData(0, 0, img.width, img.height).data, img.width, img.height);
  return grayToBinaryOtsu({ width: img.width, height: img.height, data: gray, dpi: 300 });
}

describe('findSignGlyphs on scanned crops', () => {
  it.each(CROPS.map((c) => [c.what, c] as const))('%s', async (_, c) => {
    const got = findSignGlyphs(await loadCrop(c.file));
    expect(got.map((g) => g.sign)).toEqual(c.signs.map((s) => s.sign));
    got.forEach((g, i) => {
      const w = c.signs[i]!;
      for (const k of ['x0', 'x1', 'y0', 'y1'] as const) expect(Math.abs(g.box[k] - w[k]), `sign ${i} ${k}`).toBeLessThanOrEqual(2);
    });
  });

  it('keeps finding them when the 300 dpi crops are scanned at 200 dpi', async () => {
    for (const c of CROPS.filter((k) => k.file.startsWith('qinyang') || k.file.startsWith('suining') || k.file.startsWith('hongshan'))) {
      const img = await loadImage(readFileSync(join(import.meta.dirname, '../fixtures/ocr-unit', c.file)));
      const w = Math.round((img.width * 2) / 3);
      const h = Math.round((img.height * 2) / 3);
      const canvas = createCanvas(w, h);
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0, w, h);
      const gray = rgbaToGray(ctx.getImageData(0, 0, w, h).data, w, h);
      const got = findSignGlyphs(grayToBinaryOtsu({ width: w, height: h, data: gray, dpi: 200 }));
      expect(got.map((g) => g.sign), c.what).toEqual(c.signs.map((s) => s.sign));
    }
  });
});
