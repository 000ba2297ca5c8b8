// Characters that OCR and hurried typists put for one another in the forms' labels, read off
// the fixture scans, the dev notes and common tesseract chi_sim misreads. A substitution within
// a pair costs half an arbitrary one, so a short label with a known misread (`指标伹` for 指标值)
// is repaired where a label with an arbitrary wrong character is not.

const PAIRS = [
  // seen in this project's scans and files
  '项坝', '值伹', '标杯', '级圾', '厉历', '覆履', '平于', '末示', '沁沱', '支文', '邱抒',
  // visually close in the label vocabulary
  '项顶', '项须', '值植', '值直', '标栋', '级极', '级汲', '指措', '指揩', '名各', '称秤', '目日',
  '日曰', '人入', '入八', '已己', '未末', '士土', '太大', '夫天', '效郊', '益盆', '量最', '质盾',
  '时对', '度废', '满瞒', '意竟', '务各', '资姿', '金全', '额颔', '预顶', '算箅', '单甲', '位住',
  '管菅', '施旅', '负贞', '责贵', '电由', '话活', '续绩', '响晌', '济挤', '会合', '社杜', '众从',
  '持特', '影景', '划刘', '付什', '二三', '产严', '出山', '本木', '内肉', '性牲', '况祝', '期朋',
  '限垠', '间问', '审宙', '见贝', '核校', '部郜', '计汁', '划戈', '总忌', '体休', '年车', '度席',
  '成戌', '称标', '容客', '态杰', '象像', '益监', '类粪', '属周',
] as const;

const CLOSE = new Map<string, Set<string>>();
for (const [a, b] of PAIRS.map((p) => [...p] as [string, string])) {
  for (const [x, y] of [[a, b], [b, a]] as const) {
    let set = CLOSE.get(x);
    if (!set) CLOSE.set(x, (set = new Set()));
    set.add(y);
  }
}

/** Cost of reading `a` where `b` was printed: 0.5 for a known confusion, 1 otherwise. */
export function substitutionCost(a: string, b: string): number {
  return CLOSE.get(a)?.has(b) ? 0.5 : 1;
}
