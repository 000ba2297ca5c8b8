// How numbers look in the CSV files: plain decimals a spreadsheet and a regex both accept.
// Rounding works on the shortest decimal that round-trips to the double (what String(n)
// prints), not on the binary value, so 12345678.005 rounds up like a person would expect
// instead of down because the double is really 12345678.00499999….

/** Money is yuan to the fen. */
export const MONEY_DECIMALS = 2;
/** Indicator values, quantities and weights keep up to this many decimals. */
export const NUMBER_DECIMALS = 6;

export function formatMoney(n: number | null | undefined): string {
  return n === null || n === undefined ? '' : roundDecimal(n, MONEY_DECIMALS, 'formatMoney');
}

export function formatNumber(n: number | null | undefined): string {
  return n === null || n === undefined ? '' : roundDecimal(n, NUMBER_DECIMALS, 'formatNumber');
}

/** Years, ordinals, page counts: must already be whole numbers. */
export function formatInteger(n: number | bigint | null | undefined): string {
  if (n === null || n === undefined) return '';
  if (typeof n === 'bigint') return n.toString();
  if (!Number.isInteger(n)) throw new RangeError(`formatInteger: ${n} is not an integer`);
  return plainDecimal(n);
}

/** Half away from zero at `decimals`, trailing zeros dropped, never `-0`, never an exponent. */
function roundDecimal(n: number, decimals: number, who: string): string {
  if (!Number.isFinite(n)) throw new RangeError(`${who}: ${n} is not a finite number`);
  const plain = plainDecimal(Math.abs(n));
  const dot = plain.indexOf('.');
  const int = dot < 0 ? plain : plain.slice(0, dot);
  const frac = dot < 0 ? '' : plain.slice(dot + 1);
  // Most values already fit (18000, 4.63); the shortest form never ends in a fractional 0.
  if (frac.length <= decimals) return n < 0 ? `-${plain}` : plain;
  let scaled = BigInt(int + frac.slice(0, decimals));
  if (frac.charCodeAt(decimals) >= 0x35 /* '5' */) scaled += 1n;
  if (scaled === 0n) return '0';
  const digits = scaled.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const part = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return (n < 0 ? '-' : '') + whole + (part ? `.${part}` : '');
}

/** String(n) without its exponent form (used below 1e-6 and from 1e21). */
function plainDecimal(n: number): string {
  const s = String(n);
  const e = s.search(/e/i);
  if (e < 0) return s;
  const exp = Number(s.slice(e + 1));
  const mantissa = s.slice(0, e);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const [intPart = '', fracPart = ''] = mantissa.replace('-', '').split('.');
  const digits = intPart + fracPart;
  const point = intPart.length + exp;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
