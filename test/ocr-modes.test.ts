// --ocr never | auto | always on PDFs: a mixed PDF (a text page and a scanned page) reads both
// pages in auto mode and only the text page with OCR off; an image-only PDF with OCR off fails
// with that reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExtractError } from '../src/extract/errors.js';
import { closeExtractors, extractBytes } from '../src/pipeline/extract.js';
import { extractPdfSource } from '../src/pipeline/pdfSource.js';
import { FIXTURES } from './helpers.js';

afterAll(() => closeExtractors());

const mixed = readFileSync(join(FIXTURES, 'pdf-unit', 'stream-and-scan.pdf'));
const pagesOf = (rows: { page: number; cells: unknown[] }[]) => [...new Set(rows.filter((r) => r.cells.length > 0).map((r) => r.page))];

describe('--ocr modes', () => {
  it('never: only the text layer; the scanned page is noted', async () => {
    const d = await extractPdfSource(mixed, 'mixed.pdf', 'never');
    expect(d.kind).toBe('pdf');
    expect(pagesOf(d.rows)).toEqual([1]);
    expect(d.notes.map((n) => n.code)).toEqual(['PDF_PAGE_NO_TEXT']);
  });
  it('auto: the text page from its text layer, the scanned page by OCR', async () => {
    const d = await extractPdfSource(mixed, 'mixed.pdf', 'auto');
    expect(d.kind).toBe('pdf');
    expect(pagesOf(d.rows)).toEqual([1, 2]);
    expect(d.notes.map((n) => n.code)).not.toContain('PDF_PAGE_NO_TEXT');
    expect(d.rows.some((r) => r.page === 2 && r.cells.some((c) => c.conf !== undefined))).toBe(true);
  }, 60_000);
  it('never on an image-only PDF: failed, saying OCR is off', async () => {
    const bytes = readFileSync(join(FIXTURES, 'scan', 'form-300.pdf'));
    await expect(extractPdfSource(bytes, 'scan.pdf', 'never')).rejects.toThrow(ExtractError);
    const r = await extractBytes(bytes, 'scan.pdf', { ocr: 'never' });
    expect(r.document.status).toBe('failed');
    expect(r.document.error).toMatch(/scan.pdf: has no text layer on any page, and OCR is off \(--ocr never\)/);
  });
});
