// pdf.js's legacy build replaces Array.prototype.push with a slower polyfill when it loads: the
// pipeline loads it only for the first PDF, and puts the engine's push back. Checked in a fresh
// process (the build in dist/), where nothing else has loaded pdf.js before.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { PDFJS_CONSTANTS } from '../src/extract/pdf/pdfjs.js';
import { FIXTURES, ROOT } from './helpers.js';

const PROBE = `
const push = Array.prototype.push;
const { extractBytes } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/src/pipeline/extract.js')).href)});
const { readFileSync } = await import('node:fs');
const out = { afterImport: Array.prototype.push === push };
const text = await extractBytes(readFileSync(${JSON.stringify(join(FIXTURES, 'text', '004_24ca01b87d61eeb2.txt'))}), 't.txt');
out.afterText = Array.prototype.push === push;
out.pdfjsLoadedByText = globalThis.pdfjsWorker !== undefined;
const pdf = await extractBytes(readFileSync(${JSON.stringify(join(FIXTURES, 'pdf', '004_24ca01b87d61eeb2.chromium.pdf'))}), 'p.pdf');
out.afterPdf = Array.prototype.push === push;
out.pdfjsLoadedByPdf = globalThis.pdfjsWorker !== undefined;
out.status = [text.document.status, pdf.document.status];
console.log(JSON.stringify(out));
`;

describe('pdf.js is loaded only for PDFs, and leaves the built-ins as they were', () => {
  it("a text dump does not load it; a PDF does, and push is the engine's own after both", () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      afterImport: true, afterText: true, pdfjsLoadedByText: false, afterPdf: true, pdfjsLoadedByPdf: true, status: ['ok', 'ok'],
    });
  }, 60_000);

  it("the constants read without loading it are pdf.js's own", () => {
    expect(PDFJS_CONSTANTS.PasswordResponses).toEqual({ ...pdfjs.PasswordResponses });
    for (const [k, v] of Object.entries(PDFJS_CONSTANTS.ImageKind)) expect([k, v]).toEqual([k, (pdfjs.ImageKind as Record<string, number>)[k]]);
    for (const [k, v] of Object.entries(PDFJS_CONSTANTS.OPS)) expect([k, v]).toEqual([k, (pdfjs.OPS as Record<string, number>)[k]]);
  });
});
