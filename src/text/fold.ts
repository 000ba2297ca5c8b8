// Folding for matching only: printed text is never replaced by its folded form in the output.

/** NFKC (full-width → half-width, ideographic space → space), colons unified, whitespace removed. */
export function fold(text: string): string {
  // NFKC is the costly step and changes only compatibility forms: skip it when there are none.
  const t = COMPAT.test(text) ? text.normalize('NFKC') : text;
  return t.replace(/[\s\u00a0\u3000]+/g, '');
}

/** Characters NFKC rewrites in these documents: full-width forms, Kangxi radicals, ligatures. */
const COMPAT = /[\u00a0-\u00ff\u2000-\u206f\u2150-\u218f\u2460-\u24ff\u2f00-\u2fdf\u3000\u3200-\u33ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/;

/** Trim and collapse runs of whitespace; keeps the characters as printed. */
export function tidy(text: string): string {
  return text.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}

/** Whitespace between two CJK characters is layout, not content (`产出 指标` is `产出指标`). */
export function joinCjkSpaces(text: string): string {
  return text.replace(/([\u3400-\u9fff\uff00-\uffef])\s+(?=[\u3400-\u9fff\uff00-\uffef])/g, '$1');
}

/** Levenshtein distance, bounded: returns max+1 as soon as it is certain to exceed max. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The one spacing every output text gets, whatever the source: a space only between two Latin
 * letters or digits (`ORACLE 2`), none next to CJK text or punctuation. Dumps keep the spaces a
 * converter typed, PDFs lose them; this makes both read the same.
 */
export function canonicalText(text: string): string {
  return tidy(text).replace(/ (?=.)/g, (m, offset: number, s: string) =>
    /[A-Za-z0-9]/.test(s[offset - 1] ?? '') && /[A-Za-z0-9]/.test(s[offset + 1] ?? '') ? m : '');
}
