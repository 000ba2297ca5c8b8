// Every fixture PDF (two producers × five families) gives the records of its dump's golden file,
// where-they-came-from and layout findings aside.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExtractResult } from '../src/model/schema.js';
import { extractFile } from '../src/pipeline/extract.js';
import { FIXTURES, recordsView } from './helpers.js';

const SEEDS = ['000_6f0229354a83724c', '001_5e2b26b8bb821a85', '002_3903fb4e2e6b4dba', '003_3f6deaa4e70e764f', '004_24ca01b87d61eeb2'];
const PRODUCERS = ['chromium', 'libreoffice'];


/** Paths where two record views differ; arrays of different lengths differ as a whole. */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [path];
    return a.flatMap((x, i) => differences(x, b[i], `${path}[${i}]`));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return [path];
}

describe('fixture PDFs give the records of their dumps', () => {
  for (const seed of SEEDS) {
    const golden = recordsView(JSON.parse(readFileSync(join(FIXTURES, 'expected', `${seed}.json`), 'utf8')) as ExtractResult);
    for (const producer of PRODUCERS) {
      const name = `${seed}.${producer}`;
      it(name, async () => {
        const result = await extractFile(join(FIXTURES, 'pdf', `${name}.pdf`));
        expect(result.document.source_kind).toBe('pdf');
        expect(result.document.status).not.toBe('failed');
        const diff = differences(golden, recordsView(result));
        console.log(`${name}: ${diff.length === 0 ? 'identical records' : `${diff.length} difference(s): ${diff.join(', ')}`}`);
        expect(diff).toEqual([]);
        expect(result.projects.flatMap((p) => p.indicators).every((i) => /^p\d+ \[/.test(i.source_ref ?? ''))).toBe(true);
      }, 60_000);
    }
  }
});
