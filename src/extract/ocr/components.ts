// Ink as row runs joined into 8-connected components: the one labelling speck removal and the
// sign detector share. A run is [x0, x1) on row y; runs come top to bottom, left to right.
import { nextInk, nextPaper, wordsOf, type BinaryImage } from './image.js';

export interface RunComponents {
  count: number;
  y: Int32Array;
  x0: Int32Array;
  /** Exclusive. */
  x1: Int32Array;
  /** Each run's component, as the index of its root run. */
  comp: Int32Array;
}

/** Maximal runs of ink along each row, top to bottom and left to right; x1 is exclusive. */
export function binaryToRowRuns(img: BinaryImage): { y: Int32Array; x0: Int32Array; x1: Int32Array; count: number } {
  const { width: w, height: h, data } = img;
  const words = wordsOf(data);
  let cap = 1024;
  let y: Int32Array = new Int32Array(cap);
  let x0: Int32Array = new Int32Array(cap);
  let x1: Int32Array = new Int32Array(cap);
  let count = 0;
  for (let row = 0; row < h; row++) {
    const base = row * w;
    const end = base + w;
    for (let i = nextInk(data, words, base, end); i < end; i = nextInk(data, words, i, end)) {
      if (count === cap) {
        cap *= 2;
        y = grown(y, cap);
        x0 = grown(x0, cap);
        x1 = grown(x1, cap);
      }
      y[count] = row;
      x0[count] = i - base;
      i = nextPaper(data, i, end);
      x1[count++] = i - base;
    }
  }
  return { y, x0, x1, count };
}

function grown(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** Row runs with their components: runs on consecutive rows that touch, diagonally too, are one. */
export function binaryToRunComponents(img: BinaryImage): RunComponents {
  const { y: runY, x0: runX0, x1: runX1, count } = binaryToRowRuns(img);
  const parent = new Int32Array(count);
  for (let i = 0; i < count; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  let prevStart = 0;
  let prevEnd = 0;
  for (let start = 0; start < count; ) {
    const y = runY[start]!;
    let end = start;
    while (end < count && runY[end] === y) end++;
    if (prevEnd > prevStart && runY[prevStart] === y - 1) {
      // Both rows' runs are sorted by x: those of the row above that end left of a run cannot
      // touch it or any run after it, so a single pointer walks the row above.
      let first = prevStart;
      for (let id = start; id < end; id++) {
        const x0 = runX0[id]!;
        const x1 = runX1[id]!;
        while (first < prevEnd && runX1[first]! < x0) first++;
        for (let p = first; p < prevEnd && runX0[p]! <= x1; p++) {
          const a = find(p);
          const b = find(id);
          if (a !== b) parent[a] = b;
        }
      }
    }
    prevStart = start;
    prevEnd = end;
    start = end;
  }
  const comp = new Int32Array(count);
  for (let i = 0; i < count; i++) comp[i] = find(i);
  return { count, y: runY, x0: runX0, x1: runX1, comp };
}
