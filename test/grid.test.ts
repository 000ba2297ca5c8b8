import { describe, expect, it } from 'vitest';
import type { Box } from '../src/extract/rows.js';
import type { Grid, Segment } from '../src/extract/grid/types.js';
import { assignTextToCells, segmentsToGrids } from '../src/extract/grid/lattice.js';
import { linesToParagraphs, readingText } from '../src/extract/grid/reading.js';
import { streamRows } from '../src/extract/grid/stream.js';

const h = (y: number, x0: number, x1: number): Segment => ({ x0, y0: y, x1, y1: y });
const v = (x: number, y0: number, y1: number): Segment => ({ x0: x, y0, x1: x, y1 });

/** Full rules of a plain grid. */
function ruled(xs: number[], ys: number[]): { hs: Segment[]; vs: Segment[] } {
  return {
    hs: ys.map((y) => h(y, xs[0]!, xs.at(-1)!)),
    vs: xs.map((x) => v(x, ys[0]!, ys.at(-1)!)),
  };
}

const spans = (g: Grid) => g.cells.map((c) => [c.row, c.col, c.rowSpan, c.colSpan]);

describe('segmentsToGrids', () => {
  it('finds a 3×3 grid', () => {
    const { hs, vs } = ruled([10, 60, 110, 160], [20, 40, 60, 80]);
    const grids = segmentsToGrids(hs, vs);
    expect(grids).toHaveLength(1);
    const g = grids[0]!;
    expect(g.xs).toEqual([10, 60, 110, 160]);
    expect(g.ys).toEqual([20, 40, 60, 80]);
    expect(g.cells).toHaveLength(9);
    expect(g.box).toEqual([10, 20, 160, 80]);
    expect(g.cells[4]).toEqual({ row: 1, col: 1, rowSpan: 1, colSpan: 1, box: [60, 40, 110, 60] });
  });

  it('gives a cell spanning two rows where the inner horizontal rule stops', () => {
    // Row rule at y=40 is missing in column 0: cell (0,0) spans rows 0–1.
    const hs = [h(20, 10, 160), h(40, 60, 160), h(60, 10, 160), h(80, 10, 160)];
    const vs = [10, 60, 110, 160].map((x) => v(x, 20, 80));
    const g = segmentsToGrids(hs, vs)[0]!;
    expect(spans(g)).toEqual([
      [0, 0, 2, 1],
      [0, 1, 1, 1],
      [0, 2, 1, 1],
      [1, 1, 1, 1],
      [1, 2, 1, 1],
      [2, 0, 1, 1],
      [2, 1, 1, 1],
      [2, 2, 1, 1],
    ]);
    expect(g.cells[0]!.box).toEqual([10, 20, 60, 60]);
  });

  it('gives a cell spanning two columns where the inner vertical rule stops', () => {
    // Column rule at x=110 is missing in row 1.
    const hs = [20, 40, 60, 80].map((y) => h(y, 10, 160));
    const vs = [v(10, 20, 80), v(60, 20, 80), v(110, 20, 40), v(110, 60, 80), v(160, 20, 80)];
    const g = segmentsToGrids(hs, vs)[0]!;
    expect(g.cells).toHaveLength(8);
    const merged = g.cells.find((c) => c.row === 1 && c.col === 1)!;
    expect(merged).toEqual({ row: 1, col: 1, rowSpan: 1, colSpan: 2, box: [60, 40, 160, 60] });
    expect(g.cells.some((c) => c.row === 1 && c.col === 2)).toBe(false);
  });

  it('keeps two tables on one page apart, top first', () => {
    const a = ruled([10, 100, 200], [300, 320, 340]);
    const b = ruled([50, 150], [20, 40, 60, 80]);
    const grids = segmentsToGrids([...a.hs, ...b.hs], [...a.vs, ...b.vs]);
    expect(grids.map((g) => g.box)).toEqual([
      [50, 20, 150, 80],
      [10, 300, 200, 340],
    ]);
    expect(grids.map((g) => g.cells.length)).toEqual([3, 4]);
  });

  it('snaps slightly misaligned rules and joins broken ones within tolerance', () => {
    const hs = [h(20.4, 10, 90), h(19.6, 91.5, 160), h(40, 9, 161), h(61.2, 10, 160)];
    const vs = [v(10.5, 20, 61), v(9.8, 18.5, 40), v(85, 21, 60), v(159.2, 20, 60.5)];
    const grids = segmentsToGrids(hs, vs);
    expect(grids).toHaveLength(1);
    const g = grids[0]!;
    expect(g.xs).toHaveLength(3);
    expect(g.ys.map(Math.round)).toEqual([20, 40, 61]);
    expect(g.xs[0]).toBeCloseTo(10.15, 5);
    expect(g.cells).toHaveLength(4);
    // With tight tolerances the same pieces stay apart: two left rules, and the right half of
    // the top rule (at 19.6, not joined) and the bottom rule (0.2 below the verticals' ends) no
    // longer count; the verticals reaching down to 61 make that an open side.
    const strict = segmentsToGrids(hs, vs, { snapTolerance: 0.1, joinTolerance: 0.1, intersectionTolerance: 0.1 });
    expect(strict.map((s) => [s.xs, s.ys])).toEqual([[[9.8, 10.5, 85, 159.2], [20.4, 40, 61]]]);
  });

  it('reads a grid drawn as one rectangle per cell', () => {
    const rects: Box[] = [];
    const xs = [10, 60, 110];
    const ys = [20, 40, 60];
    for (let r = 0; r < 2; r++) for (let c = 0; c < 2; c++) rects.push([xs[c]!, ys[r]!, xs[c + 1]!, ys[r + 1]!]);
    // A header cell over both columns, drawn as its own rectangle.
    rects.push([10, 0, 110, 20]);
    const hs: Segment[] = [];
    const vs: Segment[] = [];
    for (const [x0, y0, x1, y1] of rects) {
      hs.push(h(y0, x0, x1), h(y1, x0, x1));
      vs.push(v(x0, y0, y1), v(x1, y0, y1));
    }
    const g = segmentsToGrids(hs, vs)[0]!;
    expect(g.ys).toEqual([0, 20, 40, 60]);
    expect(spans(g)).toEqual([
      [0, 0, 1, 2],
      [1, 0, 1, 1],
      [1, 1, 1, 1],
      [2, 0, 1, 1],
      [2, 1, 1, 1],
    ]);
  });

  it('adds the open side of a table without outer vertical rules', () => {
    const hs = [20, 40, 60].map((y) => h(y, 0, 200));
    const vs = [v(80, 20, 60), v(140, 20, 60)];
    const g = segmentsToGrids(hs, vs)[0]!;
    expect(g.xs).toEqual([0, 80, 140, 200]);
    expect(g.cells).toHaveLength(6);
  });

  it('ignores lone rules and dots', () => {
    expect(segmentsToGrids([h(10, 0, 100), h(50, 0, 1)], [v(300, 0, 100)])).toEqual([]);
  });

  it('rejects an unknown setting', () => {
    expect(() => segmentsToGrids([], [], { snapTolerence: 2 } as never)).toThrow(/unknown grid setting "snapTolerence"/);
    expect(() => segmentsToGrids([], [], { snapTolerance: -1 })).toThrow(/finite number/);
  });
});

describe('assignTextToCells', () => {
  const g = segmentsToGrids(...Object.values(ruled([0, 100, 200], [0, 50, 100])) as [Segment[], Segment[]])[0]!;

  it('joins CJK lines without a separator and Latin lines with a space, left to right per line', () => {
    const texts = assignTextToCells(g, [
      { text: '项目支出', box: [5, 5, 45, 15] },
      { text: '绩效目标', box: [5, 17, 45, 27] },
      { text: '表', box: [47, 5, 57, 15] },
      { text: 'annual', box: [105, 5, 140, 15] },
      { text: 'budget', box: [105, 17, 140, 27] },
      { text: '≥95%', box: [5, 60, 40, 70] },
      { text: 'Total', box: [105, 60, 130, 70] },
      { text: '2021', box: [135, 60, 160, 70] },
    ]);
    expect(texts).toEqual(['项目支出表绩效目标', 'annual budget', '≥95%', 'Total 2021']);
  });

  it('puts text lying on a rule into the nearest cell', () => {
    expect(assignTextToCells(g, [{ text: 'x', box: [90, 52, 99, 60] }])).toEqual(['', '', 'x', '']);
  });
});

describe('readingText', () => {
  it('does not add a space where a hyphenated date wraps', () => {
    expect(
      readingText([
        { text: '2021-01-', box: [0, 0, 40, 10] },
        { text: '01至2021', box: [0, 12, 40, 22] },
      ]),
    ).toBe('2021-01-01至2021');
  });
});

describe('linesToParagraphs', () => {
  it('joins wrapped lines back into paragraphs and keeps headings, list items and short lines apart', () => {
    const paras = linesToParagraphs(
      [
        { text: '一、收入支出预算总体情况说明', box: [50, 0, 200, 10] },
        { text: '我单位2020年收入总计141.47万元，支出', box: [70, 15, 498, 25] }, // indented first line, wrapped
        { text: '总计141.47万元。', box: [50, 30, 150, 40] },
        { text: '1、拟订医疗保险制度并组织', box: [70, 45, 499, 55] },
        { text: '2、组织拟订基金监督管理办法。', box: [70, 60, 300, 70] }, // an enumerator opens its own paragraph
        { text: '2022年市级预算项目支出绩效目标申报表(运转类中的其他运转类和特定', box: [60, 75, 490, 85] },
        { text: '目标类)', box: [255, 90, 295, 100] }, // centred continuation of a wrapped title
      ],
      500,
    );
    expect(paras.map((p) => p.text)).toEqual([
      '一、收入支出预算总体情况说明',
      '我单位2020年收入总计141.47万元，支出总计141.47万元。',
      '1、拟订医疗保险制度并组织',
      '2、组织拟订基金监督管理办法。',
      '2022年市级预算项目支出绩效目标申报表(运转类中的其他运转类和特定目标类)',
    ]);
    expect(paras[1]!.box).toEqual([50, 15, 498, 40]);
  });
});

describe('streamRows', () => {
  it('splits cells at wide gaps and aligns columns across lines', () => {
    const rows = streamRows([
      { text: '部门收支总体情况表', box: [150, 10, 300, 22] },
      { text: '项目', box: [20, 50, 44, 62] },
      { text: '金额', box: [200, 50, 224, 62] },
      { text: '备注', box: [320, 50, 344, 62] },
      { text: '工资福利支出', box: [20, 66, 92, 78] },
      { text: '120.5', box: [205, 66, 235, 78] },
      { text: '合计', box: [20, 82, 44, 94] },
      { text: '300', box: [210, 82, 228, 94] },
      { text: '含结转', box: [318, 82, 354, 94] },
      { text: '第1页', box: [200, 400, 230, 412] },
    ]);
    const simple = rows.map((r) => r.cells.map((c) => `${c.col}:${c.text}`));
    expect(simple).toEqual([['0:部门收支总体情况表'], [], ['0:项目', '1:金额', '2:备注'], ['0:工资福利支出', '1:120.5'], ['0:合计', '1:300', '2:含结转'], [], ['0:第1页']]);
  });
});
