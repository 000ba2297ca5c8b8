// What tesseract gets wrong in these forms' values, repaired before any normalizer reads them:
// the ≥ sign (read as 之, 宇 or 三; `《=` is left to the value parser, which reads it as printed), letters and specks in numbers (O for 0, l for 1,
// `1.00.`, `100%4`), 万 and 一 read as look-alikes, specks after a label's colon, and round brackets read as angle ones.
// Full-width forms are left as printed: the normalizers fold them for matching. Labels are repaired later by the shared dictionary.

const RULES: [RegExp, string | ((...m: string[]) => string)][] = [
  // A comparator misread as a CJK look-alike, directly before a number.
  [/(^|[^\u3400-\u9fff])[之宇](?=\s*\d)/g, '$1≥'],
  // …or as 三 where no CJK text precedes it (a cell's start, after `1.`): a CJK numeral is
  // never written straight against an Arabic number.
  [/(^|[^\u3400-\u9fff\d])三(?=\d)/g, '$1≥'],
  [/(度|率|值|数|为|：|:)[之宇二三](?=\s*\d)/g, '$1≥'],
  // A dash between digits (`0825－2261234`) read as the CJK numeral 一, which never stands there.
  [/(?<=\d)一(?=\d)/g, '-'],
  // 人 as a unit right after a target or a slash (`≥3000人`, `元/人·月`) read as its look-alikes
  // 入 or 内, which never stand there; the middle dot of 人·月 read as a quote.
  [/(?<=[≥≤<>＞＜]\s*[\d.]+|\/)[入内](?=$|\s|[·"'“”‘’/、，,;；]|\d+\s*[:：.])/g, '人'],
  [/(?<=人)["'“”‘’](?=月|次|天|年)/g, '·'],
  // Letters inside numbers.
  [/(?<=\d)[Oo](?=[\d%.])/g, '0'],
  [/(?<=\d)[lI|](?=[\d%.])/g, '1'],
  // `95 %`, `1 2 0 0`: spaces tesseract puts inside a number.
  [/(?<=\d) +(?=[\d%])(?!\d+\s*[.:：、])/g, ''],
  // `100%4`, `100%6`, `1009%0`: the percent sign's lower ring read as an extra glyph after it, and
  // sometimes its upper ring as a 9 before it (betrayed by the tail and a rate above 100).
  [/(?<![\d.])(\d+?)(9?)%(?:[0oO](?![\d.%])|[46](?=\s|$))/g, (_m: string, n: string, nine: string) => (nine && Number(n + nine) > 100 && Number(n) <= 100 ? `${n}%` : `${n}${nine}%`)],
  // `25态元`: 万 read as a look-alike right after a number, before 元.
  [/(?<=\d\s*)[态方](?=元)/g, '万'],
  // `进“步`: 一 read as an opening quote, betrayed by CJK on both sides and no closing quote after.
  [/(?<=[\u3400-\u9fff])“(?=[\u3400-\u9fff])(?![^“”]*”)/g, '一'],
  // `主管部门:;`: a speck after a label's closing colon.
  [/([:：])[;；,，.。'‘’]+$/g, '$1'],
  // `1.00.,`: a speck read as a second decimal point.
  [/(\d\.\d+)\.(?=[,，])/g, '$1'],
  // `〈省)`, `《绵人社办…)`: a round opening bracket read as an angle one, betrayed by its closer.
  [/[〈《]([^〈《〉》()（）]*)[)）]/g, '（$1）'],
];

/** A numbered list of options (`1.一般项目 … 2.重点项目 …`): where checkboxes are printed. */
const OPTION_LIST = /\d+\s*[.、]\s*[\u3400-\u9fff][^]*\d+\s*[.、]\s*[\u3400-\u9fff]/;

// Checkbox squares read as the characters they look like: a filled box as 图 or 国, an empty one as
// 口, when one stands after an option and before the next option's number or the end.
const CHECKBOX_RULES: [RegExp, string][] = [
  [/(?<=[\u3400-\u9fff])\s*[图国](?=\s*(?:\d+\s*[.、]|$))/g, ' ■'],
  [/(?<=[\u3400-\u9fff])\s*口(?=\s*(?:\d+\s*[.、]|$))/g, ' □'],
];

/** Returns the repaired text, or the text itself when nothing needed repair. */
export function repairOcrValue(text: string): string {
  let out = text;
  for (const [re, rep] of RULES) out = typeof rep === 'string' ? out.replace(re, rep) : out.replace(re, rep as (...m: string[]) => string);
  if (OPTION_LIST.test(out)) for (const [re, rep] of CHECKBOX_RULES) out = out.replace(re, rep);
  return out;
}
