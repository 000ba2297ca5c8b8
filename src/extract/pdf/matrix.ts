// PDF affine matrices [a b c d e f]: a point (x, y) maps to (a·x + c·y + e, b·x + d·y + f).

export type Matrix = [number, number, number, number, number, number];

export const IDENTITY: Readonly<Matrix> = Object.freeze([1, 0, 0, 1, 0, 0]) as Readonly<Matrix>;

/** `outer ∘ inner`: apply `inner` first (pdf.js's Util.transform(outer, inner)). */
export function multiply(outer: Readonly<Matrix>, inner: Readonly<ArrayLike<number>>): Matrix {
  const [a, b, c, d, e, f] = outer;
  const i0 = inner[0]!;
  const i1 = inner[1]!;
  const i2 = inner[2]!;
  const i3 = inner[3]!;
  const i4 = inner[4]!;
  const i5 = inner[5]!;
  return [a * i0 + c * i1, b * i0 + d * i1, a * i2 + c * i3, b * i2 + d * i3, a * i4 + c * i5 + e, b * i4 + d * i5 + f];
}

export function apply(m: Readonly<Matrix>, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}
