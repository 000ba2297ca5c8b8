// pdf.js operator list → ruling segments in top-left page coordinates.
// Tables are drawn as stroked lines, stroked rectangles, or (LibreOffice, Chromium/Skia) thin
// filled rectangles; all become axis-aligned segments. The current transformation matrix is
// followed through save/restore/transform and form XObjects, then the viewport transform
// (which carries /Rotate) takes the result to the upright page.
import type { Segment } from '../grid/types.js';
import { resolveSettings } from '../grid/settings.js';
import { apply, IDENTITY, multiply, type Matrix } from './matrix.js';

export interface RuleSettings {
  /** A filled shape no thicker than this (page units) is a rule, not a shaded area. */
  maxRuleThickness: number;
  /** A stroked piece whose ends differ across its length by at most this is axis-aligned. */
  axisTolerance: number;
  /** Paint lighter than this (0 black … 1 white) is background, not a rule. */
  maxRuleLightness: number;
}

export const DEFAULT_RULE_SETTINGS: Readonly<RuleSettings> = Object.freeze({
  maxRuleThickness: 2.5,
  axisTolerance: 1,
  maxRuleLightness: 0.9,
});

/** The pdf.js 5 operator codes read here (pdfjs-dist OPS); fixed so this step needs no pdf.js import. */
export const OP = Object.freeze({
  save: 10,
  restore: 11,
  transform: 12,
  setStrokeRGBColor: 58,
  setFillRGBColor: 59,
  paintFormXObjectBegin: 74,
  paintFormXObjectEnd: 75,
  beginAnnotation: 80,
  endAnnotation: 81,
  constructPath: 91,
  setStrokeTransparent: 92,
  setFillTransparent: 93,
});

/** Painting operators a constructPath carries as its first argument. */
const PAINT = Object.freeze({
  stroke: 20,
  closeStroke: 21,
  fill: 22,
  eoFill: 23,
  fillStroke: 24,
  eoFillStroke: 25,
  closeFillStroke: 26,
  closeEOFillStroke: 27,
});

const STROKES: ReadonlySet<number> = new Set([PAINT.stroke, PAINT.closeStroke, PAINT.fillStroke, PAINT.eoFillStroke, PAINT.closeFillStroke, PAINT.closeEOFillStroke]);
const FILLS: ReadonlySet<number> = new Set([PAINT.fill, PAINT.eoFill, PAINT.fillStroke, PAINT.eoFillStroke, PAINT.closeFillStroke, PAINT.closeEOFillStroke]);

/** pdf.js DrawOPS: the path encoding inside a constructPath. */
const DRAW = Object.freeze({ moveTo: 0, lineTo: 1, curveTo: 2, quadraticCurveTo: 3, closePath: 4 });

export interface OperatorList {
  fnArray: readonly number[];
  argsArray: readonly unknown[];
}

export interface Rules {
  horizontal: Segment[];
  vertical: Segment[];
}

interface State {
  ctm: Matrix;
  fillVisible: boolean;
  strokeVisible: boolean;
}

type Point = [number, number];
interface Subpath {
  points: Point[];
  /** Consecutive point pairs joined by a straight line (false where a curve was). */
  straight: boolean[];
  closed: boolean;
}

function lightness(hex: unknown): number {
  if (typeof hex !== 'string' || !/^#[0-9a-f]{6}$/i.test(hex)) return 0;
  const n = Number.parseInt(hex.slice(1), 16);
  return (0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
}

/** Decodes a pdf.js path buffer into subpaths of page points. */
export function decodePath(data: ArrayLike<number>, m: Readonly<Matrix>): Subpath[] {
  const out: Subpath[] = [];
  let cur: Subpath | undefined;
  const at = (i: number): Point => apply(m, data[i]!, data[i + 1]!);
  for (let i = 0; i < data.length; ) {
    const op = data[i++];
    if (op === DRAW.moveTo) {
      cur = { points: [at(i)], straight: [], closed: false };
      out.push(cur);
      i += 2;
    } else if (op === DRAW.lineTo || op === DRAW.curveTo || op === DRAW.quadraticCurveTo) {
      const n = op === DRAW.lineTo ? 2 : op === DRAW.curveTo ? 6 : 4;
      const end = at(i + n - 2);
      if (!cur) {
        cur = { points: [end], straight: [], closed: false };
        out.push(cur);
      } else {
        // Control points still bound a fill; they are kept as extra non-straight points.
        for (let k = 0; k < n - 2; k += 2) {
          cur.points.push(at(i + k));
          cur.straight.push(false);
        }
        cur.points.push(end);
        cur.straight.push(op === DRAW.lineTo);
      }
      i += n;
    } else if (op === DRAW.closePath) {
      if (cur) cur.closed = true;
    } else {
      break; // Unknown encoding: stop rather than misread the rest.
    }
  }
  return out;
}

function pieceToSegment(a: Point, b: Point, s: RuleSettings, into: Rules): void {
  const dx = Math.abs(a[0] - b[0]);
  const dy = Math.abs(a[1] - b[1]);
  if (dy <= s.axisTolerance && dx > dy) into.horizontal.push({ x0: Math.min(a[0], b[0]), y0: (a[1] + b[1]) / 2, x1: Math.max(a[0], b[0]), y1: (a[1] + b[1]) / 2 });
  else if (dx <= s.axisTolerance && dy > dx) into.vertical.push({ x0: (a[0] + b[0]) / 2, y0: Math.min(a[1], b[1]), x1: (a[0] + b[0]) / 2, y1: Math.max(a[1], b[1]) });
}

/** Each straight piece of a stroked outline is a rule if it runs along an axis. */
export function strokeToSegments(path: readonly Subpath[], s: RuleSettings, into: Rules): void {
  for (const sp of path) {
    for (let i = 1; i < sp.points.length; i++) if (sp.straight[i - 1]) pieceToSegment(sp.points[i - 1]!, sp.points[i]!, s, into);
    if (sp.closed && sp.points.length > 2) pieceToSegment(sp.points.at(-1)!, sp.points[0]!, s, into);
  }
}

/** A filled subpath is a rule when its bounding box is thin: the rule runs along its middle. */
export function fillToSegments(path: readonly Subpath[], s: RuleSettings, into: Rules): void {
  for (const sp of path) {
    const xs = sp.points.map((p) => p[0]);
    const ys = sp.points.map((p) => p[1]);
    const x0 = Math.min(...xs);
    const x1 = Math.max(...xs);
    const y0 = Math.min(...ys);
    const y1 = Math.max(...ys);
    const w = x1 - x0;
    const h = y1 - y0;
    if (h <= s.maxRuleThickness && w > s.maxRuleThickness && w > h) into.horizontal.push({ x0, y0: (y0 + y1) / 2, x1, y1: (y0 + y1) / 2 });
    else if (w <= s.maxRuleThickness && h > s.maxRuleThickness && h > w) into.vertical.push({ x0: (x0 + x1) / 2, y0, x1: (x0 + x1) / 2, y1 });
  }
}

export function operatorListToRules(ops: OperatorList, viewport: Readonly<Matrix>, settings?: Partial<RuleSettings>): Rules {
  const s = resolveSettings('rule', DEFAULT_RULE_SETTINGS, settings);
  const rules: Rules = { horizontal: [], vertical: [] };
  let state: State = { ctm: [...IDENTITY] as Matrix, fillVisible: true, strokeVisible: true };
  const stack: State[] = [];
  let annotationDepth = 0;
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const args = ops.argsArray[i] as unknown[] | null;
    switch (fn) {
      case OP.save:
        stack.push(state);
        state = { ...state };
        break;
      case OP.restore:
        state = stack.pop() ?? state;
        break;
      case OP.transform:
        if (args && args.length >= 6) state.ctm = multiply(state.ctm, args as number[]);
        break;
      case OP.paintFormXObjectBegin: {
        stack.push(state);
        state = { ...state };
        const matrix = args?.[0] as ArrayLike<number> | null | undefined;
        if (matrix && matrix.length >= 6) state.ctm = multiply(state.ctm, matrix);
        break;
      }
      case OP.paintFormXObjectEnd:
        state = stack.pop() ?? state;
        break;
      case OP.setFillRGBColor:
        state.fillVisible = lightness(args?.[0]) <= s.maxRuleLightness;
        break;
      case OP.setStrokeRGBColor:
        state.strokeVisible = lightness(args?.[0]) <= s.maxRuleLightness;
        break;
      case OP.setFillTransparent:
        state.fillVisible = false;
        break;
      case OP.setStrokeTransparent:
        state.strokeVisible = false;
        break;
      // Form-field and link borders are not part of the printed tables.
      case OP.beginAnnotation:
        annotationDepth++;
        break;
      case OP.endAnnotation:
        annotationDepth = Math.max(annotationDepth - 1, 0);
        break;
      case OP.constructPath: {
        if (annotationDepth > 0 || !args) break;
        const paint = args[0] as number;
        const data = (args[1] as unknown[] | undefined)?.[0] as ArrayLike<number> | null | undefined;
        if (!data || data.length === 0) break;
        const strokes = STROKES.has(paint);
        const fills = FILLS.has(paint);
        if (!(strokes && state.strokeVisible) && !(fills && state.fillVisible)) break;
        const path = decodePath(data, multiply(viewport, state.ctm));
        if (paint === PAINT.closeStroke || paint === PAINT.closeFillStroke || paint === PAINT.closeEOFillStroke) path.forEach((sp) => (sp.closed = true));
        if (strokes && state.strokeVisible) strokeToSegments(path, s, rules);
        if (fills && state.fillVisible) fillToSegments(path, s, rules);
        break;
      }
      default:
        break;
    }
  }
  return rules;
}
