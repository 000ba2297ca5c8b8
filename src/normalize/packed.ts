// Cells that pack several indicators: `指标1:召开会议 指标2:召开培训` with `1: ≥1次 2: ≥2次`
// (Qinyang), or two names and two values side by side separated by a space (Lu'an).

export interface NameValue { name: string; value: string }

const NAME_MARK = /指标\s*(\d+)\s*[:：]/g;
// A list number starts the cell, follows a space, or directly follows the previous value's unit
// (`≥1次2: ≥2次` once a PDF dropped the space); never a decimal point (`1.5万`).
const VALUE_MARK = /(?:^|(?<=[^\d.]))(\d+)\s*[.:：、．](?!\d)\s*/g;
// OCR reads a list number's point as a comma now and then (`分钟3，≥90%`): taken only when the
// strict marks do not give one value per name and these do, since a comma also ends a clause (`≥3，≥5`).
const VALUE_MARK_OCR = /(?:^|(?<=[^\d.]))(\d+)\s*[.:：、．,，](?!\d)\s*/g;

/** `指标:厉行节约` → `厉行节约`; `指标:` alone → ``. */
export function stripIndicatorPrefix(name: string): string {
  return name.replace(/^\s*指标\s*\d*\s*[:：]\s*/, '').trim();
}

function splitAtMarks(text: string, re: RegExp, markGroup = 1): string[] | null {
  const marks = [...text.matchAll(re)];
  if (marks.length < 2) return null;
  if (!marks.every((m, i) => Number(m[markGroup]) === i + 1)) return null;
  return marks.map((m, i) => {
    const start = m.index! + m[0].length;
    const end = i + 1 < marks.length ? marks[i + 1]!.index! : text.length;
    return text.slice(start, end).trim();
  });
}

/**
 * One (name, value) per packed indicator; a cell that packs nothing comes back as it is.
 * `mismatch` is set when names and values were packed in different counts.
 */
export function splitPacked(name: string, value: string): { parts: NameValue[]; mismatch: boolean } {
  // Most cells pack nothing: no second 指标N mark, no space between names, no value printed twice.
  if (!/指标\s*\d/.test(name) && !/\S\s+\S/.test(name) && !/\s/.test(value) && !doubled(value)) {
    return { parts: [{ name: stripIndicatorPrefix(name), value: value.trim() }], mismatch: false };
  }
  const names = splitAtMarks(name, NAME_MARK);
  if (names) {
    const strict = splitAtMarks(value, VALUE_MARK);
    const loose = strict?.length === names.length ? null : splitAtMarks(value, VALUE_MARK_OCR);
    const values = loose?.length === names.length ? loose : strict;
    if (!values) return { parts: names.map((n) => ({ name: n, value: value.trim() })), mismatch: false };
    const mismatch = values.length !== names.length;
    return { parts: names.map((n, i) => ({ name: n, value: values[i] ?? '' })), mismatch };
  }
  const ws = splitOnSpaces(name, value) ?? splitRepeated(name, value);
  if (ws) return { parts: ws, mismatch: false };
  return { parts: [{ name: stripIndicatorPrefix(name), value: value.trim() }], mismatch: false };
}

/**
 * `提高定点医疗机构满意率 提高参保人员满意率` with `满意率95%以上… 满意率95%以上…`: as many
 * space-separated names as values, none of them a clause cut at a comma.
 */
function splitOnSpaces(name: string, value: string): NameValue[] | null {
  const ns = name.trim().split(/\s+/);
  const vs = value.trim().split(/\s+/);
  if (ns.length < 2 || ns.length !== vs.length) return null;
  const clause = /[,，、;；:：]$/;
  if (ns.some((n) => n.length < 4 || clause.test(n)) || vs.some((v) => clause.test(v))) return null;
  if (!ns.every((n) => /[\u3400-\u9fff]/.test(n))) return null;
  return ns.map((n, i) => ({ name: n, value: vs[i]! }));
}

/**
 * The same pair after a PDF or a scan lost the space: the value cell is one value printed twice
 * (`满意率95%以上、零核实投诉满意率95%以上、零核实投诉`), and the name cell splits where its two
 * halves look most alike — a shared opening and ending (`提高…满意率` | `提高…满意率`).
 */
function splitRepeated(name: string, value: string): NameValue[] | null {
  // Whatever spacing survived is layout here: compare without it.
  const v = value.replace(/\s+/g, '');
  const n = name.replace(/\s+/g, '');
  if (v.length < 8 || v.length % 2 !== 0) return null;
  const half = v.slice(0, v.length / 2);
  if (half + half !== v || !/[\u3400-\u9fff]/.test(half)) return null;
  let best: { at: number; score: number } | null = null;
  for (let at = 4; at <= n.length - 4; at++) {
    const a = n.slice(0, at);
    const b = n.slice(at);
    const score = commonPrefix(a, b) + commonSuffix(a, b);
    if (score >= 4 && (!best || score > best.score)) best = { at, score };
  }
  if (!best) return null;
  return [{ name: n.slice(0, best.at), value: half }, { name: n.slice(best.at), value: half }];
}

function doubled(value: string): boolean {
  const v = value.replace(/\s+/g, '');
  return v.length >= 8 && v.length % 2 === 0 && v.slice(0, v.length / 2) === v.slice(v.length / 2);
}

function commonPrefix(a: string, b: string): number {
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return k;
}

function commonSuffix(a: string, b: string): number {
  let k = 0;
  while (k < a.length && k < b.length && a[a.length - 1 - k] === b[b.length - 1 - k]) k++;
  return k;
}
