// Every seed's records equal its golden file (checked by hand against the dump once).
// UPDATE_GOLDEN=1 rewrites the files after a reviewed change.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFile } from '../src/pipeline/extract.js';
import { ExtractResult } from '../src/model/schema.js';
import { FIXED_NOW, FIXTURES, goldenView } from './helpers.js';

const seeds = readdirSync(join(FIXTURES, 'text')).filter((f) => f.endsWith('.txt')).sort();
const EXPECTED_PROJECTS: Record<string, [string, number]> = {
  '000_6f0229354a83724c.txt': ['mianyang', 9],
  '001_5e2b26b8bb821a85.txt': ['luan', 3],
  '002_3903fb4e2e6b4dba.txt': ['suining', 6],
  '003_3f6deaa4e70e764f.txt': ['qinyang', 4],
  '004_24ca01b87d61eeb2.txt': ['hongshan', 1],
};

describe('golden records of the seed dumps', () => {
  it('covers the five seeds', () => {
    expect(seeds).toEqual(Object.keys(EXPECTED_PROJECTS));
  });
  for (const seed of seeds) {
    it(seed, async () => {
      const result = await extractFile(join(FIXTURES, 'text', seed), { now: FIXED_NOW });
      ExtractResult.parse(result);
      const [variant, count] = EXPECTED_PROJECTS[seed]!;
      expect(result.document.variant).toBe(variant);
      expect(result.projects).toHaveLength(count);
      const golden = join(FIXTURES, 'expected', `${basename(seed, '.txt')}.json`);
      const view = goldenView(result);
      if (process.env.UPDATE_GOLDEN) writeFileSync(golden, `${JSON.stringify(view, null, 2)}\n`);
      expect(view).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
    });
  }
});
