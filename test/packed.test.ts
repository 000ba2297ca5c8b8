// Cells that pack several indicators.
import { describe, expect, it } from 'vitest';
import { splitPacked, stripIndicatorPrefix } from '../src/normalize/packed.js';

describe('packed indicator cells', () => {
  it('splits 指标1:… 指标2:… with numbered values', () => {
    expect(splitPacked('指标1:召开医保工作会议 指标2:召开医保工作培训', '1: ≥1次 2: ≥2次')).toEqual({
      parts: [{ name: '召开医保工作会议', value: '≥1次' }, { name: '召开医保工作培训', value: '≥2次' }], mismatch: false,
    });
    expect(splitPacked('指标1:a率 指标2:b时间 指标3:c率', '1. ≥90% 2. ≤60分钟 3. ≥90%').parts.map((p) => p.value)).toEqual(['≥90%', '≤60分钟', '≥90%']);
    // OCR read the last list number's point as a comma; a comma inside a value is no mark.
    expect(splitPacked('指标1:a率 指标2:b时间 指标3:c率', '1.≥90% 2.≤60分钟3，≥90%').parts.map((p) => p.value)).toEqual(['≥90%', '≤60分钟', '≥90%']);
    expect(splitPacked('指标1:a 指标2:b', '1:≥3，≥5 2:≥8').parts.map((p) => p.value)).toEqual(['≥3，≥5', '≥8']);
  });
  it('gives a shared value to every packed name', () => {
    expect(splitPacked('指标1:参保群众政策知晓率 指标2:跨省异地就医直接结算率', '≥90%').parts).toEqual([
      { name: '参保群众政策知晓率', value: '≥90%' }, { name: '跨省异地就医直接结算率', value: '≥90%' },
    ]);
  });
  it('flags different counts of names and values', () => {
    expect(splitPacked('指标1:a项 指标2:b项 指标3:c项', '1. 1次 2. 2次').mismatch).toBe(true);
  });
  it('splits two names and two values side by side', () => {
    expect(splitPacked('提高定点医疗机构满意率 提高参保人员满意率', '满意率95%以上、零核实投诉 满意率95%以上、零核实投诉').parts).toHaveLength(2);
  });
  it('splits the pair again when a PDF lost the space: one value printed twice', () => {
    expect(splitPacked('提高定点医疗机构满意率提高参保人员满意率', '满意率95%以上、零核实投诉满意率95%以上、零核实投诉').parts).toEqual([
      { name: '提高定点医疗机构满意率', value: '满意率95%以上、零核实投诉' }, { name: '提高参保人员满意率', value: '满意率95%以上、零核实投诉' },
    ]);
    expect(splitPacked('保障定点医疗机构医药费按时结算', '及时及时').parts).toHaveLength(1);
    expect(splitPacked('定期检查', '100%100%').parts).toHaveLength(1);
  });
  it('leaves clauses and decimals alone', () => {
    expect(splitPacked('严格统一执行慢性病标准, 探索慢性病网上申报评审,', '100%').parts).toHaveLength(1);
    expect(splitPacked('网络畅通', '1.00项').parts).toEqual([{ name: '网络畅通', value: '1.00项' }]);
  });
  it('strips the 指标: prefix; 指标: alone is empty', () => {
    expect(stripIndicatorPrefix('指标: 单病种病种数')).toBe('单病种病种数');
    expect(stripIndicatorPrefix('指标:')).toBe('');
  });
});
