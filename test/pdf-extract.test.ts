import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractPdf, PdfError, type PdfDocument } from '../src/extract/pdf/index.js';
import type { Row } from '../src/extract/rows.js';

const UNIT = 'fixtures/pdf-unit';
const read = (path: string): Uint8Array => new Uint8Array(readFileSync(path));

/** Rows as `col[+span]:text` strings; a blank row is ''. */
function shape(rows: readonly Row[]): string[] {
  return rows.map((r) => r.cells.map((c) => `${c.col}${(c.colSpan ?? 1) > 1 ? `+${c.colSpan}` : ''}:${c.text}`).join(' | '));
}

const SPAN_ROWS = [
  '0:项目支出绩效目标申报表',
  '',
  '0:单位：万元',
  '',
  '0:一级指标 | 1:二级指标 | 2:三级指标 | 3:指标值',
  '0:产出指标 | 1:数量指标 | 2:参保人数 | 3:>38万人',
  // 产出指标 spans two rows: it appears only in its first row, as in a text dump.
  '1:时效指标 | 2:完成时间 | 3:2021年12月31日',
  '0:总体目标 | 1+3:确保医保目录库与省异地就医平台保持一致，方便参保人异地就医在院结算，提高服务水平和群众满意度，切实提高人民群众获得感',
  '0:Total budget | 1:18,000.00 | 2: | 3:满意度≥95%',
  '',
  '0:填报人：苏斌',
  '',
];

describe('extractPdf on ruled tables', () => {
  it('rebuilds a LibreOffice table with a rowspan and a colspan', async () => {
    const doc = await extractPdf(read(`${UNIT}/span.libreoffice.pdf`), { file: 'span.libreoffice.pdf' });
    expect(doc.kind).toBe('pdf');
    expect(doc.pages).toBe(1);
    expect(doc.pagesWithoutText).toEqual([]);
    expect(doc.notes).toEqual([]);
    expect(shape(doc.rows)).toEqual(SPAN_ROWS);
    expect(doc.rows.every((r) => r.page === 1)).toBe(true);
    // Cells carry boxes inside their row's box, top-left origin on an A4 page.
    const header = doc.rows[4]!;
    for (const c of header.cells) {
      expect(c.box![1]).toBeCloseTo(header.box![1], 3);
      expect(c.box![3]).toBeCloseTo(header.box![3], 3);
    }
    expect(header.box![1]).toBeGreaterThan(doc.rows[2]!.box![3]);
    expect(header.box![3]).toBeLessThan(841.9);
  });

  it('reads the same table printed by Chromium (one text item per glyph, radical code points)', async () => {
    const doc = await extractPdf(read(`${UNIT}/span.chromium.pdf`));
    expect(shape(doc.rows)).toEqual(SPAN_ROWS);
  });

  it('continues a table on the next page after its repeated header row', async () => {
    const doc = await extractPdf(read(`${UNIT}/continued.libreoffice.pdf`));
    expect(doc.pages).toBe(2);
    const text = shape(doc.rows);
    const header = '0:序号 | 1:三级指标 | 2:指标值 | 3:指标方向性';
    expect(text.filter((t) => t === header)).toHaveLength(2);
    const numbers = doc.rows.filter((r) => /^\d+$/.test(r.cells[0]?.text ?? '')).map((r) => Number(r.cells[0]!.text));
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const secondHeader = text.lastIndexOf(header);
    expect(doc.rows[secondHeader]!.page).toBe(2);
    // Page 1 ends with row 36 and a blank row; page 2 opens with the header, then row 37.
    expect(text.slice(secondHeader - 2, secondHeader + 2)).toEqual(['0:36 | 1:指标名称第36项 | 2:≥36次 | 3:正向', '', header, '0:37 | 1:指标名称第37项 | 2:≥37次 | 3:正向']);
    expect(text.slice(0, 3)).toEqual(['0:绩效指标表', '', header]);
    expect(text.slice(-3)).toEqual(['', '0:说明：以上指标为年度指标', '']);
  });

  it.each(['rotate90', 'rotate270'])('reads a page with /Rotate (%s) upright', async (name) => {
    const doc = await extractPdf(read(`${UNIT}/${name}.pdf`));
    expect(shape(doc.rows)).toEqual(SPAN_ROWS);
    // The page is portrait once rotated: boxes lie within 595 × 842, title above the table.
    for (const r of doc.rows.filter((row) => row.box)) {
      expect(r.box![2]).toBeLessThanOrEqual(595.4);
      expect(r.box![3]).toBeLessThanOrEqual(841.9);
      expect(r.box![0]).toBeGreaterThanOrEqual(0);
    }
    expect(doc.rows[0]!.box![1]).toBeLessThan(doc.rows[4]!.box![1]);
  });
});

describe('extractPdf without rules and without text', () => {
  it('reads a borderless table by whitespace and lists the image-only page for OCR', async () => {
    const doc = await extractPdf(read(`${UNIT}/stream-and-scan.pdf`), { file: 'stream-and-scan.pdf' });
    expect(doc.pages).toBe(2);
    expect(doc.pagesWithoutText).toEqual([2]);
    expect(doc.notes).toEqual([{ code: 'PDF_PAGE_NO_TEXT', message: 'page 2 of stream-and-scan.pdf has no usable text layer', location: 'p2' }]);
    expect(shape(doc.rows)).toEqual([
      '0:部门收支总体情况表',
      '',
      '0:项目 | 1:本年预算 | 2:备注',
      '0:工资福利支出 | 1:120.50',
      '0:商品和服务支出 | 1:35.20 | 2:含结转',
      '0:合计 | 1:155.70',
      '0:单位：万元',
      '',
    ]);
    expect(doc.rows.every((r) => r.page === 1)).toBe(true);
  });
});

/** A minimal well-formed PDF whose page tree is empty. */
function pdfWithoutPages(): Uint8Array {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>'];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

async function failure(bytes: Uint8Array, file: string): Promise<PdfError> {
  try {
    await extractPdf(bytes, { file });
  } catch (err) {
    expect(err).toBeInstanceOf(PdfError);
    return err as PdfError;
  }
  throw new Error(`${file} was read without an error`);
}

describe('extractPdf errors', () => {
  const good = read(`${UNIT}/span.libreoffice.pdf`);

  it('says a cut file is truncated', async () => {
    for (const cut of [Math.floor(good.length / 2), good.length - 8]) {
      const err = await failure(good.slice(0, cut), 'cut.pdf');
      expect(err.reason).toBe('truncated');
      expect(err.message).toMatch(/^cut\.pdf is truncated/);
    }
  });

  it('says a non-PDF is not a PDF', async () => {
    const err = await failure(new TextEncoder().encode('项目名称\t网络维护费\n'), 'dump.txt');
    expect(err.reason).toBe('not-pdf');
    expect(err.message).toBe('dump.txt is not a PDF (it does not start with a %PDF header)');
  });

  it('says a PDF with a user password needs it', async () => {
    const err = await failure(read(`${UNIT}/encrypted-user-password.pdf`), 'locked.pdf');
    expect(err.reason).toBe('password');
    expect(err.message).toMatch(/^locked\.pdf is protected by a password/);
  });

  it('reads a PDF encrypted with an owner password only', async () => {
    const doc = await extractPdf(read(`${UNIT}/encrypted-owner-only.pdf`));
    expect(shape(doc.rows).slice(0, 3)).toEqual(['0:部门收支总体情况表', '', '0:项目 | 1:本年预算 | 2:备注']);
  });

  it('says a PDF without pages has none', async () => {
    const err = await failure(pdfWithoutPages(), 'empty.pdf');
    expect(err.reason).toBe('no-pages');
    expect(err.message).toBe('empty.pdf is a PDF with no pages');
  });

  it('says a damaged PDF is corrupt', async () => {
    const bytes = good.slice();
    // Overwrite everything between the header and the trailer.
    for (let i = 16; i < bytes.length - 16; i++) bytes[i] = (i * 7) & 0xff;
    const err = await failure(bytes, 'damaged.pdf');
    expect(err.reason).toBe('corrupt');
    expect(err.message).toMatch(/^damaged\.pdf is a damaged PDF that could not be read/);
  });

  it('leaves the caller’s bytes usable and rejects unknown settings', async () => {
    const bytes = read(`${UNIT}/span.libreoffice.pdf`);
    const length = bytes.length;
    await extractPdf(bytes);
    expect(bytes.length).toBe(length);
    await expect(extractPdf(bytes, { grid: { snapTolerence: 1 } as never })).rejects.toThrow(/unknown grid setting "snapTolerence"/);
    await expect(extractPdf(bytes, { rules: { maxThickness: 1 } as never })).rejects.toThrow(/unknown rule setting "maxThickness"/);
    await expect(extractPdf(bytes, { filename: 'x.pdf' } as never)).rejects.toThrow(/unknown PDF option "filename"/);
  });
});

// The seed fixtures, printed from HTML tables made from the text dumps, where they exist.
const SEED = '002_3903fb4e2e6b4dba';
const seedPdfs = ['chromium', 'libreoffice'].map((engine) => `fixtures/pdf/${SEED}.${engine}.pdf`).filter((p) => existsSync(p));

/** Non-empty cell texts, whitespace removed, as a multiset. */
function bag(texts: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of texts) {
    const k = t.replace(/\s+/gu, '');
    if (k !== '') m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

function overlap(a: Map<string, number>, b: Map<string, number>): number {
  let n = 0;
  for (const [k, v] of a) n += Math.min(v, b.get(k) ?? 0);
  return n;
}

const size = (m: Map<string, number>): number => [...m.values()].reduce((s, v) => s + v, 0);

describe.skipIf(seedPdfs.length === 0)(`seed ${SEED} as PDF against its text dump`, () => {
  it.each(seedPdfs)('%s has the dump’s cell texts', async (path) => {
    const dump = readFileSync(`fixtures/text/${SEED}.txt`, 'utf8')
      .split('\n')
      .flatMap((line) => line.split('\t'));
    const doc: PdfDocument = await extractPdf(read(path), { file: path });
    const fromDump = bag(dump);
    const fromPdf = bag(doc.rows.flatMap((r) => r.cells.map((c) => c.text)));
    const common = overlap(fromDump, fromPdf);
    const recall = common / size(fromDump);
    const precision = common / size(fromPdf);
    console.log(`${path}: ${common} of ${size(fromDump)} dump cells found (recall ${recall.toFixed(3)}), ${size(fromPdf)} PDF cells (precision ${precision.toFixed(3)})`);
    expect(doc.pagesWithoutText).toEqual([]);
    expect(recall).toBeGreaterThanOrEqual(0.97);
    expect(precision).toBeGreaterThanOrEqual(0.97);
  }, 60_000);
});
