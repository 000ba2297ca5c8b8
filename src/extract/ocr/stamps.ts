// Where a page's stamp ink was: counted while it is dropped out (rgbaToGrayAndStamps), asked of
// a cell's box after the page is deskewed. A cell read unsurely under a seal is a finding: the
// seal, not the print, may be what was read.
import type { PxRect } from './image.js';

/** Side of the squares stamp ink is counted in, pixels (a power of two). */
export const STAMP_BLOCK = 8;

/** Stamp-ink pixels of a page as loaded, per STAMP_BLOCK-pixel square, row-major. */
export interface StampInk {
  block: number;
  cols: number;
  rows: number;
  counts: Uint32Array;
  total: number;
}

/**
 * Stamp-ink pixels inside `r`, a box on the page turned by `turnDeg` (grayToDeskewed's angle;
 * 0 when it was not turned). The box's corners are turned back onto the page as loaded and each
 * square counts in the share of it their bounding box covers, so the count is one of a box a
 * little larger than `r` when the page was turned: enough to tell a cell under a seal.
 */
export function stampInkIn(ink: StampInk, pageWidth: number, pageHeight: number, turnDeg: number, r: PxRect): number {
  let { x0, y0, x1, y1 } = r;
  if (turnDeg !== 0) {
    // grayToDeskewed samples the page at the pixel turned by the angle about the centre.
    const a = (turnDeg * Math.PI) / 180;
    const [cos, sin, cx, cy] = [Math.cos(a), Math.sin(a), pageWidth / 2, pageHeight / 2];
    const xs: number[] = [];
    const ys: number[] = [];
    for (const [x, y] of [[r.x0, r.y0], [r.x1, r.y0], [r.x0, r.y1], [r.x1, r.y1]] as const) {
      xs.push(cx + (x - cx) * cos - (y - cy) * sin);
      ys.push(cy + (x - cx) * sin + (y - cy) * cos);
    }
    [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  }
  const b = ink.block;
  let n = 0;
  for (let by = Math.max(0, Math.floor(y0 / b)); by < Math.min(ink.rows, Math.ceil(y1 / b)); by++) {
    const fy = (Math.min(y1, (by + 1) * b) - Math.max(y0, by * b)) / b;
    for (let bx = Math.max(0, Math.floor(x0 / b)); bx < Math.min(ink.cols, Math.ceil(x1 / b)); bx++) {
      const c = ink.counts[by * ink.cols + bx]!;
      if (c === 0) continue;
      n += c * fy * ((Math.min(x1, (bx + 1) * b) - Math.max(x0, bx * b)) / b);
    }
  }
  return Math.round(n);
}
