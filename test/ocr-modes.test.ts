// --ocr never | auto | always on PDFs: a mixed PDF (a text page and a scanned page) reads both
// pages in auto mode and only the text page with OCR off; an image-only PDF with OCR off fails
// with that reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExtractError } from '../src/extract/errors.js';
import { DEFAULT_LIMITS } from '../src/limits.js';
import { extractBytes } from '../src/pipeline/extract.js';
import { inProcessExtractors } from '../src/pipeline/extractors.js';
import { extractPdfSource } from '../src/pipeline/pdfSource.js';
import { createScanReader } from '../src/pipeline/scanSource.js';
import { FIXTURES } from './helpers.js';

const scans = createScanReader(DEFAULT_LIMITS, 2);
const deps = { limits: DEFAULT_LIMITS, ocrPages: scans.read };
const extractors = inProcessExtractors();
afterAll(async () => { await scans.close(); await extractors.close(); });

const mixed = readFileSync(join(FIXTURES, 'pdf-unit', 'stream-and-scan.pdf'));
const pagesOf = (rows: { page: number; cells: unknown[] }[]) => [...new Set(rows.filter((r) => r.cells.length > 0).map((r) => r.page))];

describe('--ocr modes', () => {
  it('never: only the text layer; the scanned page is noted', async () => {
    const d = await extractPdfSource(mixed, 'mixed.pdf', { ocr: 'never' }, deps);
    expect(d.kind).toBe('pdf');
    expect(pagesOf(d.rows)).toEqual([1]);
    expect(d.notes.map((n) => n.code)).toEqual(['PDF_PAGE_NO_TEXT']);
  });
  it('auto: the text page from its text layer, the scanned page by OCR', async () => {
    const d = await extractPdfSource(mixed, 'mixed.pdf', { ocr: 'auto' }, deps);
    expect(d.kind).toBe('pdf');
    expect(pagesOf(d.rows)).toEqual([1, 2]);
    expect(d.notes.map((n) => n.code)).not.toContain('PDF_PAGE_NO_TEXT');
    expect(d.rows.some((r) => r.page === 2 && r.cells.some((c) => c.conf !== undefined))).toBe(true);
  }, 60_000);
  it('never on an image-only PDF: failed, saying OCR is off', async () => {
    const bytes = readFileSync(join(FIXTURES, 'scan', 'form-300.pdf'));
    await expect(extractPdfSource(bytes, 'scan.pdf', { ocr: 'never' }, deps)).rejects.toThrow(ExtractError);
    const r = await extractBytes(bytes, 'scan.pdf', { ocr: 'never', extractors });
    expect(r.document.status).toBe('failed');
    expect(r.document.error).toMatch(/scan.pdf: has no text layer on any page, and OCR is off \(--ocr never\)/);
  });
});
