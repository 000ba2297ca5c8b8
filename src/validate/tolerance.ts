// How far two amounts may differ and still agree: printed amounts are rounded, so a sum of n
// rounded amounts may drift by up to half a printed digit each.
export const TOLERANCE = {
  /** Amounts printed in 元 with fen: sums agree to within a yuan. */
  yuan: 1,
  /** Half of the last printed digit of an amount in 万元 with two decimals, in yuan. */
  wanHalfDigit: 50,
} as const;

export function agrees(a: number, b: number, tolerance: number = TOLERANCE.yuan): boolean {
  return Math.abs(a - b) <= tolerance;
}

export function fmt(n: number): string {
  return String(Math.round(n * 100) / 100);
}
