// Folding for matching only: printed text is never replaced by its folded form in the output.

/**
 * NFKC (full-width → half-width, ideographic space → space), whitespace removed, and the
 * traditional forms of the characters labels are written with read as simplified: forms from
 * Hong Kong-built templates and OCR models trained on both scripts print `一級指標` for 一级指标.
 */
export function fold(text: string): string {
  const s = nfkc(text).replace(/[\s\u00a0\u3000]+/g, '');
  return TRADITIONAL_RE.test(s) ? s.replace(TRADITIONAL_RE_G, (c) => TRADITIONAL[c]!) : s;
}

/**
 * Traditional → simplified for the characters the labels are written with (matching only).
 * Written as simplified-traditional pairs.
 */
const TRADITIONAL: Record<string, string> = Object.fromEntries(
  [...'级級标標项項资資预預质質数數时時济濟会會满滿应應对對务務实實际際单單计計划劃号號绩績门門费費额額经經营營态態续續响響产產种種达達报報规規范範价價值値负負责責联聯电電话話业業类類属屬编編码碼称稱体體总總结結转轉财財专專户戶银銀贷貸补補况況发發区區县縣乡鄉镇鎮现現进進过過还還条條长長间間问問题題审審见見签簽盖蓋书書员員处處录錄卫衛医醫疗療险險关關开開办辦机機构構设設备備购購买買运運输輸维維护護网網络絡证證评評单単'.matchAll(/(.)(.)/gu)].map((m) => [m[2]!, m[1]!]),
);
const TRADITIONAL_RE = new RegExp(`[${Object.keys(TRADITIONAL).join('')}]`);
const TRADITIONAL_RE_G = new RegExp(TRADITIONAL_RE.source, 'g');

/**
 * Characters NFKC rewrites that Chinese forms print: full-width, small and vertical forms, Kangxi
 * radicals and kanbun, letterlike symbols (℃), super- and subscripts, circled and parenthesised
 * numbers, compatibility ideographs, ligatures.
 */
const COMPAT = /[\u00a0-\u00ff\u2000-\u218f\u2329\u232a\u2460-\u24ff\u2f00-\u2fdf\u3000\u3131-\u319f\u3200-\u33ff\uf900-\ufaff\ufb00-\ufb06\ufe10-\ufe1f\ufe30-\ufe6f\uff00-\uffef]/;

/**
 * NFKC where the text has a form it changes; the text itself where not. NFKC is the costly
 * step of folding, and most texts hold no such form.
 */
export function nfkc(text: string): string {
  return COMPAT.test(text) ? text.normalize('NFKC') : text;
}

/** Trim and collapse runs of whitespace; keeps the characters as printed. */
export function tidy(text: string): string {
  // Asked of every cell more than once: a text with no run of spaces and no edge space is tidy.
  return /[\s\u00a0\u3000]{2}|[\t\n\r\f\v\u00a0\u3000]|^\s|\s$/.test(text) ? text.replace(/[\s\u00a0\u3000]+/g, ' ').trim() : text;
}

/** Whitespace between two CJK characters is layout, not content (`产出 指标` is `产出指标`). */
export function joinCjkSpaces(text: string): string {
  return text.replace(/([\u3400-\u9fff\uff00-\uffef])\s+(?=[\u3400-\u9fff\uff00-\uffef])/g, '$1');
}

/**
 * The one spacing every output text gets, whatever the source: a space only between two Latin
 * letters or digits (`ORACLE 2`), none next to CJK text or punctuation. Dumps keep the spaces a
 * converter typed, PDFs lose them; this makes both read the same.
 */
export function canonicalText(text: string): string {
  const t = tidy(text);
  // Most texts have no space left once tidied: nothing to decide.
  if (!t.includes(' ')) return t;
  return t.replace(/ (?=.)/g, (m, offset: number, s: string) =>
    /[A-Za-z0-9]/.test(s[offset - 1] ?? '') && /[A-Za-z0-9]/.test(s[offset + 1] ?? '') ? m : '');
}

/**
 * Edit distance with a caller's substitution cost (insertions and deletions cost 1), bounded:
 * returns a value above max as soon as it is certain to exceed it.
 */
export function weightedEditDistance(a: string, b: string, subCost: (x: string, y: string) => number, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const x = a[i - 1]!;
      const y = b[j - 1]!;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x === y ? 0 : subCost(x, y)));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}
