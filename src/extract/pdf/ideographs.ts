// Fonts whose Unicode map sends a glyph to a Kangxi-radical, radical-supplement or compatibility
// code point (Chromium with Noto CJK does this for 目, 一, 人, 民 …) print the ordinary
// ideograph, so the text is repaired to what is printed. Kangxi radicals and compatibility
// ideographs have NFKC/NFC equivalents; the radical supplement mostly does not, so its
// simplified-Chinese forms are listed (after Unicode's EquivalentUnifiedIdeograph data).
const RADICAL_SUPPLEMENT: Readonly<Record<string, string>> = Object.freeze({
  '\u2E85': '亻', '\u2E86': '冂', '\u2E8F': '尣', '\u2E90': '尢', '\u2E92': '巳', '\u2E93': '幺',
  '\u2E94': '彑', '\u2E96': '忄', '\u2E98': '扌', '\u2E99': '攵', '\u2E9B': '旡', '\u2E9D': '月',
  '\u2E9F': '母', '\u2EA0': '民', '\u2EA1': '氵', '\u2EA3': '灬', '\u2EA4': '爫', '\u2EA6': '丬',
  '\u2EA8': '犭', '\u2EA9': '王', '\u2EAB': '罒', '\u2EAC': '示', '\u2EAD': '礻', '\u2EAE': '竹',
  '\u2EAF': '糹', '\u2EB0': '纟', '\u2EB2': '罒', '\u2EB9': '耂', '\u2EBB': '聿', '\u2EBE': '艹',
  '\u2EC2': '衤', '\u2EC3': '覀', '\u2EC4': '西', '\u2EC5': '见', '\u2EC6': '角', '\u2EC8': '讠',
  '\u2EC9': '贝', '\u2ECB': '车', '\u2ECC': '辶', '\u2ECD': '辶', '\u2ECF': '阝', '\u2ED1': '長',
  '\u2ED3': '长', '\u2ED4': '门', '\u2ED6': '阝', '\u2ED7': '雨', '\u2ED8': '青', '\u2ED9': '韦',
  '\u2EDA': '页', '\u2EDB': '风', '\u2EDC': '飞', '\u2EDD': '食', '\u2EE0': '饣', '\u2EE2': '马',
  '\u2EE3': '骨', '\u2EE4': '鬼', '\u2EE5': '鱼', '\u2EE6': '鸟', '\u2EE7': '卤', '\u2EE8': '麦',
  '\u2EE9': '黄', '\u2EEA': '黾', '\u2EEC': '齐', '\u2EEE': '齿', '\u2EF0': '龙', '\u2EF3': '龟',
});

const MISMAPPED = /[\u2E80-\u2FDF\uF900-\uFAFF]/gu;

export function repairIdeographs(text: string): string {
  return text.replace(MISMAPPED, (ch) => RADICAL_SUPPLEMENT[ch] ?? ch.normalize('NFKC'));
}
