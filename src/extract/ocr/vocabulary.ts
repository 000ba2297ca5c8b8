// Words these forms are written in, for correcting OCR: where a stretch of text is one
// character off a domain word (`历行节约`, `沱阳市`, `履盖率`, `文付改革`) and tesseract was
// unsure of that character (or of the one after it: it often blames the neighbour), the word is
// what was printed. Only words of three or more characters: a two-character word one character
// off is too often another real word (实现 ≠ 兑现); and the last character of a three-character
// word is never replaced (及时性 is not 及时率, 全覆盖与 is not 全覆盖率). Only CJK characters
// are replaced, never digits, Latin letters or punctuation. Real words that are one character
// off a listed one are listed too, so they read as themselves. Place names have stricter rules.

/** Budget, performance and medical-insurance vocabulary. */
const WORDS = `
覆盖率 知晓率 满意度 满意率 合格率 完成率 达标率 执行率 使用率 准确率 及时率 参保率 结算率 办结率 到位率 完好率
正确率 通过率 利用率 回收率 报销率 兑现率 处理率 响应率 运行率 可用率 故障率 审核率 核查率 抽查率 检查率 培训率
受益人数 参保人数 覆盖人数 服务人次 培训人次 激活人数 举报奖励 及时兑现 按时兑现 厉行节约 勤俭节约
电子凭证 医保电子凭证 医疗保障 医疗保险 医保基金 基金监管 基金安全 欺诈骗保 欺诈骗取 打击欺诈 骗取医保
支付方式 支付改革 支付方式改革 按病种付费 按病组付费 异地就医 直接结算 实时结算 即时结算 定点医疗机构 定点医药机构
定点零售药店 城乡居民 城镇职工 基本医疗保险 大病保险 医疗救助 长期护理保险 生育保险 信息系统 信息化建设 网络安全
信息安全 安全事件 运行维护 运维服务 系统运维 基础设施 政府采购 社会效益 经济效益 生态效益 可持续影响 服务对象
人脸识别 经办机构 经办服务 公共服务 便民服务 医药服务 集中采购 带量采购 医用耗材 价格管理 门诊统筹 门诊慢特病
住院费用 报销比例 待遇保障 健康扶贫 乡村振兴 巩固拓展 脱贫攻坚 困难群众 特困人员 低保对象 资助参保 防止返贫
人民群众 获得感 幸福感 安全感 高质量发展 社会稳定 专项资金 专项经费 工作经费 经费保障 财政拨款 一般公共预算
政府性基金 上年结转 事业收入 经营收入 附属单位 宣传活动 宣传资料 政策法规 专项治理 交叉检查 飞行检查 日常监管
审计费 专家费 办公设备 设备购置 维修维护 物业管理 差旅费 会议费 培训费 印刷费 邮电费 租赁费 劳务费 委托业务费
咨询费 公务用车 日常运转 人员经费 公用经费 项目支出 预算执行 绩效目标 绩效评价 医疗保障局 财政局 卫生健康委员会
人力资源和社会保障局 市场监督管理局 医疗服务 保障能力 能力提升 稽核检查 违法违规 违规行为 群众举报
兜底保障 社会救助 最低生活保障 特困供养 养老服务 居家养老 残疾人 义务教育 学前教育 学生资助 营养改善
农产品 质量安全 例行监测 监督抽查 畜禽产品 动物防疫 耕地保护 高标准农田 乡村建设 人居环境
及时性 时效性 准确性 规范性 完整性 安全性 稳定性 有效性 达成率 覆盖面 完成情况 完成时间 完成度 合格证 执行力
参保人员 受益人群 受益群众 服务人数 培训人数 医保资金 资金安全 资金监管 资金使用 服务人员 工作人员 覆盖范围
`.split(/\s+/).filter((w) => w.length >= 3);

/**
 * The places whose forms we read. A real place is too often one character off another (洛阳 and
 * 沁阳, 绵竹 and 绵阳), so a place name is corrected only where tesseract all but guessed the
 * character (`placeBelow`) and the two share a radical (code points within `SAME_RADICAL`).
 */
const PLACES = new Set(`
绵阳市 六安市 遂宁市 沁阳市 焦作市 武汉市 洪山区 四川省 安徽省 河南省 湖北省
涪城区 游仙区 安州区 江油市 三台县 盐亭县 梓潼县 北川羌族自治县 平武县
金安区 裕安区 叶集区 霍邱县 舒城县 金寨县 霍山县 船山区 安居区 射洪市 蓬溪县 大英县
武昌区 江汉区 江岸区 硚口区 汉阳区 青山区 东西湖区 江夏区 黄陂区 新洲区 蔡甸区 汉南区
解放区 山阳区 中站区 马村区 修武县 博爱县 武陟县 孟州市
`.split(/\s+/).filter((w) => w.length >= 3));

/** Ideographs are ordered by radical, then strokes: within this many code points, the same radical. */
const SAME_RADICAL = 200;

const CJK = /^[\u3400-\u9fff]$/u;

/** A place name's character is corrected only when read with less confidence than this. */
const PLACE_BELOW = 30;

/** `word` with position i masked → the words it could be. */
const MASKED = new Map<string, string[]>();
for (const word of new Set([...WORDS, ...PLACES])) {
  const chars = [...word];
  chars.forEach((_, i) => {
    const key = maskAt(chars, i);
    MASKED.set(key, [...(MASKED.get(key) ?? []), word]);
  });
}
const LENGTHS = [...new Set([...WORDS, ...PLACES].map((w) => [...w].length))].sort((a, b) => b - a);

function maskAt(chars: readonly string[], i: number): string {
  return chars.map((c, j) => (j === i ? '\u0000' : c)).join('');
}

export interface VocabularyFix {
  /** The stretch as read, and the word it was corrected to. */
  read: string;
  word: string;
}

/**
 * `text` with each stretch that is one CJK character off a vocabulary word corrected where the
 * character (or the one after it) was read with confidence below `below`. `confs` holds one
 * confidence per character of `text`.
 */
export function correctWithVocabulary(text: string, confs: readonly number[], below: number, placeBelow = PLACE_BELOW): { text: string; fixes: VocabularyFix[] } {
  const chars = [...text];
  if (chars.length < 3 || !confs.some((c) => c < below)) return { text, fixes: [] };
  const weak = (i: number, limit = below) => i < chars.length && (confs[i] ?? 100) < limit;
  const fixes: VocabularyFix[] = [];
  // Longest words first, left to right; a corrected stretch is not corrected again.
  const taken = new Uint8Array(chars.length);
  for (const len of LENGTHS) {
    for (let start = 0; start + len <= chars.length; start++) {
      if (taken.subarray(start, start + len).some((t) => t === 1)) continue;
      const window = chars.slice(start, start + len);
      const fix = oneOff(window, (i, place) => (place ? weak(start + i, placeBelow) : weak(start + i) || (i + 1 < len && weak(start + i + 1))));
      if (!fix) continue;
      fixes.push({ read: window.join(''), word: fix });
      [...fix].forEach((c, i) => {
        chars[start + i] = c;
      });
      taken.fill(1, start, start + len);
    }
  }
  return { text: chars.join(''), fixes };
}

/**
 * The vocabulary word `window` is one CJK character off, at a position `unsure` accepts; null
 * when there is none or `window` is a word itself. Where several words fit, the one whose
 * character is nearest in code point wins when clearly nearest: the ideographs are ordered by
 * radical, so 沱 and 泥 (氵) are near 沁 and far from 绵.
 */
function oneOff(window: readonly string[], unsure: (i: number, place: boolean) => boolean): string | null {
  const candidates: { word: string; distance: number }[] = [];
  const read = window.join('');
  for (let i = 0; i < window.length; i++) {
    const words = MASKED.get(maskAt(window, i)) ?? [];
    if (words.includes(read)) return null;
    if (!CJK.test(window[i]!) || (i === window.length - 1 && window.length < 4)) continue;
    for (const word of words) {
      const c = [...word][i]!;
      const distance = Math.abs(c.codePointAt(0)! - window[i]!.codePointAt(0)!);
      const place = PLACES.has(word);
      if (!CJK.test(c) || !unsure(i, place) || (place && distance > SAME_RADICAL)) continue;
      candidates.push({ word, distance });
    }
  }
  if (candidates.length <= 1) return candidates[0]?.word ?? null;
  candidates.sort((a, b) => a.distance - b.distance);
  return candidates[0]!.distance * 4 < candidates[1]!.distance ? candidates[0]!.word : null;
}
