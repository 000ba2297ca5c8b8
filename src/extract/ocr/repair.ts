// What tesseract gets wrong in these forms' values, repaired before any normalizer reads them:
// the ≥ sign (read as 之 or 宇; `《=` is left to the value parser, which reads it as printed), letters and specks in numbers (O for 0, l for 1,
// `1.00.`), and round brackets read as angle ones.
// Full-width forms are left as printed: the normalizers fold them for matching. Labels are repaired later by the shared dictionary.

const RULES: [RegExp, string][] = [
  // A comparator misread as a CJK look-alike, directly before a number.
  [/(^|[^\u3400-\u9fff])[之宇](?=\s*\d)/g, '$1≥'],
  [/(度|率|值|数|为|：|:)[之宇二三](?=\s*\d)/g, '$1≥'],
  // Letters inside numbers.
  [/(?<=\d)[Oo](?=[\d%.])/g, '0'],
  [/(?<=\d)[lI|](?=[\d%.])/g, '1'],
  // `95 %`, `1 2 0 0`: spaces tesseract puts inside a number.
  [/(?<=\d) +(?=[\d%])/g, ''],
  // `1.00.,`: a speck read as a second decimal point.
  [/(\d\.\d+)\.(?=[,，])/g, '$1'],
  // `〈省)`, `《绵人社办…)`: a round opening bracket read as an angle one, betrayed by its closer.
  [/[〈《]([^〈《〉》()（）]*)[)）]/g, '（$1）'],
];

/** Returns the repaired text, or the text itself when nothing needed repair. */
export function repairOcrValue(text: string): string {
  let out = text;
  for (const [re, rep] of RULES) out = out.replace(re, rep);
  return out;
}
