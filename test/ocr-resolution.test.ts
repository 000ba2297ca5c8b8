// Resolution from the page, not the file: the same 200 dpi scan wrapped as a PNG that says 200
// dpi, as PDFs that say 96 (what img2pdf writes for an image without a density) and 72, and as
// a PNG that says nothing, gives the same records; the files that are wrong or silent say so.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExtractResult } from '../src/model/schema.js';
import { extractBytes } from '../src/pipeline/extract.js';
import { inProcessExtractors } from '../src/pipeline/extractors.js';
import { pageSizeToPaperFits, pageToResolution } from '../src/extract/ocr/resolution.js';
import { bytesToPageSource } from '../src/extract/ocr/pageImages.js';
import { FIXTURES, recordsView } from './helpers.js';

const extractors = inProcessExtractors({ ocrWorkers: 2 });
afterAll(() => extractors.close());

/** A PNG's chunks, with pHYs replaced by `dpi` (or dropped when null). */
function pngWithDpi(png: Uint8Array, dpi: number | null): Uint8Array {
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const parts: Uint8Array[] = [png.subarray(0, 8)];
  let p = 8;
  while (p + 8 <= png.length) {
    const len = dv.getUint32(p);
    const type = String.fromCharCode(...png.subarray(p + 4, p + 8));
    if (type === 'IHDR' && dpi !== null) {
      parts.push(png.subarray(p, p + 12 + len));
      const body = new Uint8Array(13);
      const bv = new DataView(body.buffer);
      body.set([0x70, 0x48, 0x59, 0x73]);
      bv.setUint32(4, Math.round(dpi / 0.0254));
      bv.setUint32(8, Math.round(dpi / 0.0254));
      body[12] = 1;
      const chunk = new Uint8Array(21);
      const cv = new DataView(chunk.buffer);
      cv.setUint32(0, 9);
      chunk.set(body, 4);
      cv.setUint32(17, crc32(body));
      parts.push(chunk);
    } else if (type !== 'pHYs') parts.push(png.subarray(p, p + 12 + len));
    p += 12 + len;
  }
  return Buffer.concat(parts);
}

/** A one-page PDF holding `gray` as its only image, the page sized so the image is `dpi`. */
function grayToPdf(gray: { width: number; height: number; data: Uint8Array }, dpi: number): Uint8Array {
  const w = (gray.width * 72) / dpi;
  const h = (gray.height * 72) / dpi;
  const image = deflateSync(gray.data);
  const content = Buffer.from(`q ${w.toFixed(3)} 0 0 ${h.toFixed(3)} 0 0 cm /Im0 Do Q`);
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w.toFixed(3)} ${h.toFixed(3)}] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>`),
    Buffer.concat([Buffer.from(`<< /Length ${content.length} >>\nstream\n`), content, Buffer.from('\nendstream')]),
    Buffer.concat([Buffer.from(`<< /Type /XObject /Subtype /Image /Width ${gray.width} /Height ${gray.height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length ${image.length} >>\nstream\n`), image, Buffer.from('\nendstream')]),
  ];
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  const offsets: number[] = [];
  let at = chunks[0]!.length;
  objects.forEach((o, i) => {
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), o, Buffer.from('\nendobj\n')]);
    offsets.push(at);
    chunks.push(obj);
    at += obj.length;
  });
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`));
  return Buffer.concat(chunks);
}

describe('resolution from the page', () => {
  it('knows a standard sheet by its pixel size, a little grown by the skew', () => {
    // The fixture and dev-set scans: A4 at 200 and 300 dpi, rotated under a degree.
    expect(pageSizeToPaperFits(1668, 2349)[0]).toEqual({ paper: 'A4', dpi: 200 });
    expect(pageSizeToPaperFits(2525, 3540)[0]).toEqual({ paper: 'A4', dpi: 300 });
    expect(pageSizeToPaperFits(3300, 2550)[0]).toEqual({ paper: 'Letter landscape', dpi: 300 });
    // A crop of a page is no sheet.
    expect(pageSizeToPaperFits(1668, 420)).toEqual([]);
  });

  it('keeps the file\'s value when it agrees, or when the page is no sheet; says why otherwise', () => {
    expect(pageToResolution(2525, 3540, 300, 300)).toEqual({ dpi: 300, guessed: null });
    expect(pageToResolution(1668, 420, 200, 300)).toEqual({ dpi: 200, guessed: null });
    const wrong = pageToResolution(2525, 3540, 96, 300);
    expect(wrong.dpi).toBe(300);
    expect(wrong.guessed).toMatch(/says 96 dpi \(a page of 26\.3 × 36\.9 in\); read at 300 dpi: 2525 × 3540 pixels is A4 at 300 dpi/);
    expect(pageToResolution(1668, 2349, null, 300)).toMatchObject({ dpi: 200, guessed: expect.stringMatching(/states no resolution; read at 200 dpi/) });
    expect(pageToResolution(1668, 420, null, 300)).toMatchObject({ dpi: 300, guessed: expect.stringMatching(/300 dpi assumed/) });
  });

  it('reads a scan that says 200, 96, 72 or nothing into the same records', async () => {
    const png = readFileSync(join(FIXTURES, 'scan', 'form-200.png'));
    const src = await bytesToPageSource(png, 'form-200.png', { renderDpi: 300, defaultDpi: 300 });
    const gray = await src.load(1);
    await src.close();
    expect(gray.dpi).toBe(200);
    const variants: [string, Uint8Array][] = [
      ['png-200.png', pngWithDpi(png, 200)],
      ['pdf-96.pdf', grayToPdf(gray, 96)],
      ['pdf-72.pdf', grayToPdf(gray, 72)],
      ['png-none.png', pngWithDpi(png, null)],
    ];
    const results: ExtractResult[] = [];
    for (const [name, bytes] of variants) results.push(await extractBytes(bytes, name, { extractors }));
    const [truth, ...others] = results;
    expect(truth!.document.status).toBe('ok');
    expect(truth!.document.variant).toBe('mianyang');
    expect(truth!.projects[0]!.indicators.length).toBeGreaterThanOrEqual(6);
    expect(truth!.findings.filter((f) => f.code === 'SCAN_RESOLUTION_GUESSED')).toEqual([]);
    const view = (r: ExtractResult) => {
      const v = recordsView(r) as { findings: { code: string }[] };
      return { ...v, findings: v.findings.filter((f) => f.code !== 'SCAN_RESOLUTION_GUESSED') };
    };
    others.forEach((r, i) => {
      const name = variants[i + 1]![0];
      expect(view(r), name).toEqual(view(truth!));
      const said = r.findings.filter((f) => f.code === 'SCAN_RESOLUTION_GUESSED');
      expect(said, name).toHaveLength(1);
      expect(said[0]!.message, name).toMatch(/read at 200 dpi/);
      expect(said[0]!.location).toBe('p1');
    });
  }, 180_000);
});
