// The OCR value repair: what tesseract misreads in these forms' values.
import { describe, expect, it } from 'vitest';
import { repairOcrValue } from '../src/extract/ocr/repair.js';

describe('OCR value repair', () => {
  it.each([
    ['满意度之95%', '满意度≥95%'],
    ['参保人持卡结算，满意度宇95%', '参保人持卡结算，满意度≥95%'],
    ['之90%', '≥90%'],
    ['1O0%', '100%'],
    ['9 5 %', '95%'],
    ['数量:1.00.,单位:项', '数量:1.00,单位:项'],
    ['办公费，国家〈省)异地就医', '办公费，国家（省）异地就医'],
    ['三90%', '≥90%'],
    ['1.三90% 2. <60分钟3.三90%', '1.≥90% 2. <60分钟3.≥90%'],
    ['100%4', '100%'],
    ['1009%0', '100%'],
    ['19%0', '19%'],
    ['25态元', '25万元'],
    ['进“步夯实技术基础', '进一步夯实技术基础'],
    ['主管部门:;', '主管部门:'],
    ['《绵阳市基本医疗保险异地就医管理暂行办法》〈绵人社办[2018]96号)文件', '《绵阳市基本医疗保险异地就医管理暂行办法》（绵人社办[2018]96号）文件'],
  ])('%s → %s', (raw, fixed) => {
    expect(repairOcrValue(raw)).toBe(fixed);
  });
  it('leaves correct text alone', () => {
    for (const t of ['≥95%', '《=2500万', '总之，完成任务', '1.00项', '办公费（省）', '第三3号', '三级指标', '50%以上', '109%', '状态元素', '“医保”服务', '标准：如下']) expect(repairOcrValue(t)).toBe(t);
  });
});
