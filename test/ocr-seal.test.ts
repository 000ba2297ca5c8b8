// Red official seals (公章) stamped over a form: one over the head fields, one over the
// indicator table, multiplied onto the page as ink on paper is. The colour drop-out reads the
// seal's red as paper, so the sealed page gives the records of the same page without seals.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesToPageSource } from '../src/extract/ocr/pageImages.js';
import type { ExtractResult } from '../src/model/schema.js';
import { extractBytes } from '../src/pipeline/extract.js';
import { inProcessExtractors } from '../src/pipeline/extractors.js';
import { FIXTURES, recordsView } from './helpers.js';

const extractors = inProcessExtractors({ ocrWorkers: 2 });
afterAll(() => extractors.close());

/** A seal: a thick ring, an inner ring, a star and strokes of its lettering, in seal red. */
function stamp(ctx: ReturnType<ReturnType<typeof createCanvas>['getContext']>, cx: number, cy: number, r: number): void {
  ctx.strokeStyle = 'rgb(215, 40, 45)';
  ctx.fillStyle = 'rgb(215, 40, 45)';
  ctx.lineWidth = r * 0.07;
  ctx.beginPath();
  ctx.arc(cx, cy, r, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.lineWidth = r * 0.02;
  ctx.beginPath();
  ctx.arc(cx, cy, r * 0.88, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.beginPath();
  for (let k = 0; k < 10; k++) {
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    const rr = k % 2 === 0 ? r * 0.3 : r * 0.12;
    ctx.lineTo(cx + rr * Math.cos(a), cy + rr * Math.sin(a));
  }
  ctx.closePath();
  ctx.fill();
  // Lettering round the rim and a line below the star: short strokes where characters go.
  ctx.lineWidth = r * 0.035;
  for (let k = 0; k < 14; k++) {
    const a = Math.PI * (0.85 + (1.3 * k) / 13);
    for (const d of [-0.05, 0.05]) {
      ctx.beginPath();
      ctx.moveTo(cx + r * 0.72 * Math.cos(a + d), cy + r * 0.72 * Math.sin(a + d));
      ctx.lineTo(cx + r * 0.6 * Math.cos(a - d), cy + r * 0.6 * Math.sin(a - d));
      ctx.stroke();
    }
  }
  for (let k = 0; k < 5; k++) ctx.fillRect(cx - r * 0.45 + k * r * 0.19, cy + r * 0.42, r * 0.12, r * 0.16);
}

/** The page as an RGB PNG, with seals (centre x, y and radius in pixels) multiplied on. */
function pageToPng(gray: { width: number; height: number; data: Uint8Array }, seals: [number, number, number][]): Buffer {
  const canvas = createCanvas(gray.width, gray.height);
  const ctx = canvas.getContext('2d');
  const id = ctx.createImageData(gray.width, gray.height);
  gray.data.forEach((v, i) => id.data.set([v, v, v, 255], i * 4));
  ctx.putImageData(id, 0, 0);
  ctx.globalCompositeOperation = 'multiply';
  for (const [x, y, r] of seals) stamp(ctx, x, y, r);
  return canvas.toBuffer('image/png');
}

describe('red seals over a scanned form', () => {
  it('a seal over the head fields and one over the indicator table leave the records as they were', async () => {
    // Mianyang's 申报表 at 200 dpi: 项目名称 and 总体目标 at the top, the indicator table below.
    const src = await bytesToPageSource(readFileSync(join(FIXTURES, 'scan', 'form-200.png')), 'form-200.png', { renderDpi: 300, defaultDpi: 300 });
    const gray = await src.load(1);
    await src.close();
    const plain = pageToPng(gray, []);
    // A 4 cm seal is 315 pixels across at 200 dpi.
    const sealed = pageToPng(gray, [[820, 300, 158], [1250, 760, 158]]);
    const results: ExtractResult[] = [];
    for (const [name, bytes] of [['plain.png', plain], ['sealed.png', sealed]] as const) results.push(await extractBytes(bytes, name, { extractors }));
    const [want, got] = results as [ExtractResult, ExtractResult];
    expect(want.document.status).toBe('ok');
    expect(want.projects[0]!.project_name).toBe('网络维护费及基本医疗磁卡成本费');
    expect(want.projects[0]!.indicators.length).toBeGreaterThanOrEqual(6);
    expect(recordsView(got)).toEqual(recordsView(want));
  }, 180_000);
});
