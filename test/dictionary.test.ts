// One source for finding codes: the README's table, the analyst dataset's README and
// findings_summary.csv are the registry (src/model/findings.ts), and what the data dictionary
// says `partial` means is what the pipeline does. UPDATE_DOCS=1 rewrites the README's table
// after a reviewed change to the registry.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FINDINGS, PARTIAL_CODES } from '../src/model/findings.js';
import { extractBytes } from '../src/pipeline/extract.js';
import { COLUMN_DICTIONARY, dictionaryMarkdown, findingCodesMarkdown } from '../src/runs/dictionary.js';
import { partialReasons } from '../src/validate/findingTargets.js';

const README = join(fileURLToPath(new URL('..', import.meta.url)), 'README.md');
const START = '<!-- finding codes: generated from src/model/findings.ts -->';
const END = '<!-- end of finding codes -->';

describe('the finding-code registry is the one source', () => {
  it("the README's table is the registry's", () => {
    const text = readFileSync(README, 'utf8');
    const a = text.indexOf(START);
    const b = text.indexOf(END);
    expect(a, 'README marks its table').toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    const table = text.slice(a + START.length, b).trim();
    if (process.env.UPDATE_DOCS) writeFileSync(README, `${text.slice(0, a + START.length)}\n${findingCodesMarkdown()}\n${text.slice(b)}`);
    else expect(table).toBe(findingCodesMarkdown());
    // Every code, once, with its severity and partial flag.
    for (const [code, spec] of Object.entries(FINDINGS)) {
      const line = findingCodesMarkdown().split('\n').filter((l) => l.startsWith(`| \`${code}\` |`));
      expect(line, code).toHaveLength(1);
      expect(line[0]).toContain(`| ${spec.severity} | ${spec.partial ? 'yes' : ''} |`);
    }
  });

  it('the analyst dataset README carries the table', () => {
    expect(dictionaryMarkdown('t', [])).toContain(findingCodesMarkdown());
  });

  it("the data dictionary's `partial` is the registry's: the codes in partial_reasons, error empty", async () => {
    const status = COLUMN_DICTIONARY.documents!.status![0];
    expect(status).toMatch(/partial \(records were read, but part of the document could not be/);
    expect(status).not.toMatch(/error findings/);
    expect(COLUMN_DICTIONARY.documents!.partial_reasons![0]).toMatch(/codes that made it partial/);
    // A form whose indicator table has no value column: partial, and it says why.
    const dump = [
      '项目支出绩效目标申报表', '项目名称\t档案整理', '实施单位\t某某局', '项目资金（万元）\t10',
      '一级指标\t二级指标\t三级指标', '产出指标\t数量指标\t整理卷数', '\t质量指标\t合格率',
    ].join('\n');
    const r = await extractBytes(Buffer.from(dump), 'form.txt');
    expect(r.document.status).toBe('partial');
    expect(r.document.error).toBeNull();
    expect(r.document.partial_reasons).toEqual(partialReasons(r.findings));
    expect(r.document.partial_reasons!.length).toBeGreaterThan(0);
    for (const code of r.document.partial_reasons!) expect(PARTIAL_CODES.has(code), code).toBe(true);
    // …and only those: every partial code raised is listed.
    expect(new Set(r.findings.filter((f) => PARTIAL_CODES.has(f.code)).map((f) => f.code))).toEqual(new Set(r.document.partial_reasons));
  });
});
