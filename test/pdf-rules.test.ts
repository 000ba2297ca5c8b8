import { describe, expect, it } from 'vitest';
import { OP, operatorListToRules } from '../src/extract/pdf/rules.js';
import { textItemToBox } from '../src/extract/pdf/text.js';
import { repairIdeographs } from '../src/extract/pdf/ideographs.js';
import type { Matrix } from '../src/extract/pdf/matrix.js';

// pdf.js 5 encodes a path as [DrawOPS…] inside constructPath: moveTo 0, lineTo 1, closePath 4.
const rect = (x: number, y: number, w: number, h: number): number[] => [0, x, y, 1, x + w, y, 1, x + w, y + h, 1, x, y + h, 4];
const path = (paint: number, data: number[]): [number, unknown[]] => [OP.constructPath, [paint, [new Float32Array(data)], [0, 0, 0, 0]]];
const FILL = 22;
const STROKE = 20;
const END_PATH = 28;
/** A 200 × 100 page: user space y up, viewport y down. */
const VIEWPORT: Matrix = [1, 0, 0, -1, 0, 100];

function rules(ops: [number, unknown[] | null][], viewport: Matrix = VIEWPORT) {
  return operatorListToRules({ fnArray: ops.map((o) => o[0]), argsArray: ops.map((o) => o[1]) }, viewport);
}

describe('operatorListToRules', () => {
  it('turns thin filled rectangles into rules and ignores wide fills and clip paths', () => {
    const r = rules([
      path(FILL, rect(10, 80, 100, 0.5)), // horizontal rule
      path(FILL, rect(10, 20, 0.75, 60)), // vertical rule
      path(FILL, rect(0, 0, 200, 100)), // page background
      path(END_PATH, rect(5, 5, 190, 0.5)), // clip, not painted
    ]);
    expect(r.horizontal).toEqual([{ x0: 10, y0: 19.75, x1: 110, y1: 19.75 }]);
    expect(r.vertical).toEqual([{ x0: 10.375, y0: 20, x1: 10.375, y1: 80 }]);
  });

  it('turns each side of a stroked rectangle into a rule', () => {
    const r = rules([path(STROKE, rect(10, 10, 50, 20))]);
    expect(r.horizontal.map((s) => s.y0).sort((a, b) => a - b)).toEqual([70, 90]);
    expect(r.vertical.map((s) => s.x0).sort((a, b) => a - b)).toEqual([10, 60]);
  });

  it('follows the transformation matrix through save, restore and form XObjects', () => {
    const r = rules([
      [OP.save, null],
      [OP.transform, [2, 0, 0, 2, 10, 0]],
      path(STROKE, [0, 0, 10, 1, 20, 10]), // (10,20)–(50,20) in user space
      [OP.restore, null],
      [OP.paintFormXObjectBegin, [new Float32Array([1, 0, 0, 1, 0, 30]), null]],
      path(STROKE, [0, 0, 10, 1, 20, 10]), // (0,40)–(20,40)
      [OP.paintFormXObjectEnd, []],
      path(STROKE, [0, 0, 5, 1, 20, 5]), // identity again: (0,5)–(20,5)
    ]);
    expect(r.horizontal).toEqual([
      { x0: 10, y0: 80, x1: 50, y1: 80 },
      { x0: 0, y0: 60, x1: 20, y1: 60 },
      { x0: 0, y0: 95, x1: 20, y1: 95 },
    ]);
  });

  it('skips white rules, diagonals and annotation borders', () => {
    const r = rules([
      [OP.save, null],
      [OP.setFillRGBColor, ['#ffffff']],
      path(FILL, rect(10, 50, 100, 0.5)),
      [OP.restore, null],
      path(STROKE, [0, 0, 0, 1, 50, 50]),
      [OP.beginAnnotation, ['id', [0, 0, 1, 1], [1, 0, 0, 1, 0, 0], [1, 0, 0, 1, 0, 0], false]],
      path(STROKE, rect(20, 20, 40, 40)),
      [OP.endAnnotation, []],
      path(FILL, rect(10, 30, 100, 0.5)),
    ]);
    expect(r.horizontal).toEqual([{ x0: 10, y0: 69.75, x1: 110, y1: 69.75 }]);
    expect(r.vertical).toEqual([]);
  });

  it('applies /Rotate through the viewport', () => {
    // pdf.js viewport for /Rotate 90 on a 100 × 200 page: (x, y) → (y, x).
    const r = rules([path(FILL, rect(10, 20, 0.5, 60))], [0, 1, 1, 0, 0, 0]);
    expect(r.horizontal).toEqual([{ x0: 20, y0: 10.25, x1: 80, y1: 10.25 }]);
    expect(r.vertical).toEqual([]);
  });

  it('rejects an unknown setting', () => {
    expect(() => operatorListToRules({ fnArray: [], argsArray: [] }, VIEWPORT, { thickness: 2 } as never)).toThrow(/unknown rule setting "thickness"/);
  });
});

describe('text boxes', () => {
  it('puts a baseline-anchored item into top-left coordinates, rotated pages upright', () => {
    const item = { str: '项目', transform: [10, 0, 0, 10, 50, 60], width: 20, height: 10, fontName: 'f' };
    expect(textItemToBox(item, undefined, VIEWPORT)).toEqual([50, 32, 70, 42]);
    // Content drawn turned by 90° on a /Rotate 90 page reads left to right once rotated.
    const turned = { ...item, transform: [0, 10, -10, 0, 60, 50] };
    const box = textItemToBox(turned, undefined, [0, 1, 1, 0, 0, 0]);
    expect(box.map((v) => Math.round(v * 100) / 100)).toEqual([50, 52, 70, 62]);
  });

  it('repairs ideographs that fonts map to radical code points', () => {
    expect(repairIdeographs('项\u2F6C⼈\u2EA0群众')).toBe('项目人民群众');
    expect(repairIdeographs('≥95%，（万元）')).toBe('≥95%，（万元）');
  });
});
