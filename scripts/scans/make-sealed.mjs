#!/usr/bin/env node
// Builds the sealed scans in fixtures/scan-sealed/ from the gray scans in fixtures/scan/: each
// page as it comes out of the scanner, with official seals stamped on it as offices stamp them —
// a red round seal (公章: thick ring, thin inner ring, star, lettering round the rim and a line
// under the star) and a blue rectangular 已审核 stamp with its date — multiplied onto the page as
// ink on paper is, over the head fields and over the indicator table. Writes the colour pages as
// PNG or JPEG (its resolution kept) or as a PDF of JPEG pages (as a colour scanner writes), and
// manifest.json saying which page each seal is on and where. Needs Debian poppler-utils
// (pdfimages) and fonts-noto-cjk. CI never runs this: its outputs are committed.
//
//   node scripts/scans/make-sealed.mjs [--only NAME,NAME…]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { createCanvas, GlobalFonts, loadImage } from '@napi-rs/canvas';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const inDir = join(root, 'fixtures', 'scan');
const outDir = join(root, 'fixtures', 'scan-sealed');

const FONT = '/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc';

// Seal ink as scanned: a red 公章 and a blue stamp pad's ink. Both are far from the black and
// gray of print in chroma, as real stamp ink is.
const RED = [215, 40, 45];
const BLUE = [40, 70, 200];
// An over-inked seal pressed hard: so much ink that even its red channel is dark, as a seal
// on a fresh pad comes out. Its strokes stay gray after drop-out.
const DARK_RED = [120, 8, 18];

// Every output is one entry: its source scan, and per page the seals on it. Positions and sizes
// are fractions of the page's width (x, sizes) and height (y), so they mean the same at any dpi;
// `over` says what the seal covers, for the manifest and for whoever reads a test that fails.
// A 4.2 cm seal is 0.2 of an A4 page's width.
const OUTPUTS = [
  {
    name: 'form-200-sealed.png', from: 'form-200.png', kind: 'png',
    pages: [[
      { kind: 'round', x: 0.5, y: 0.13, r: 0.1, colour: RED, text: '绵阳市财政局', centre: '预算专用章', over: '项目名称 and 总体目标 (head fields)' },
      { kind: 'round', x: 0.76, y: 0.33, r: 0.1, colour: RED, text: '绵阳市卫生健康委员会', centre: '财务专用章', over: 'indicator table: 指标值 column of 产出指标' },
      { kind: 'box', x: 0.4, y: 0.345, w: 0.22, h: 0.075, colour: BLUE, lines: ['已审核', '2026.03.15'], over: 'indicator table: 二级/三级指标 columns of 效益指标' },
    ]],
  },
  {
    name: 'var-luan-300-sealed.pdf', from: 'var-luan-300.pdf', kind: 'pdf', dpi: 300, quality: 80,
    pages: [[
      { kind: 'round', x: 0.42, y: 0.14, r: 0.1, colour: RED, text: '六安市财政局', centre: '预算专用章', over: 'head fields (项目名称, 主管部门)' },
      { kind: 'round', x: 0.7, y: 0.67, r: 0.1, colour: RED, text: '六安市教育体育局', centre: '财务专用章', over: 'indicator table: 效益指标 rows, 指标值 columns' },
      { kind: 'box', x: 0.18, y: 0.7, w: 0.22, h: 0.075, colour: BLUE, lines: ['已审核', '2026.04.02'], over: 'indicator table: 二级/三级指标 columns' },
    ]],
  },
  // One seal pressed too hard over small text: what is under it can no longer be read surely.
  {
    name: 'form-200-heavy-seal.jpg', from: 'form-200.png', kind: 'jpeg', quality: 90,
    pages: [[
      { kind: 'round', x: 0.76, y: 0.33, r: 0.1, colour: DARK_RED, weight: 2.2, text: '绵阳市卫生健康委员会', centre: '财务专用章', over: 'indicator table: 指标值 column of 产出指标, over-inked' },
    ]],
  },
];

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so a rebuilt file is the same file. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const css = ([r, g, b]) => `rgb(${r}, ${g}, ${b})`;

/** A round seal centred at (cx, cy), radius r pixels: rings, star, rim lettering, a line under the star. */
function roundSeal(ctx, seal, cx, cy, r) {
  const w = seal.weight ?? 1;
  ctx.strokeStyle = css(seal.colour);
  ctx.fillStyle = css(seal.colour);
  ctx.lineWidth = r * 0.06 * w;
  ctx.beginPath();
  ctx.arc(cx, cy, r, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.lineWidth = r * 0.015 * w;
  ctx.beginPath();
  ctx.arc(cx, cy, r * 0.9, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.beginPath();
  for (let k = 0; k < 10; k++) {
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    const rr = k % 2 === 0 ? r * 0.28 : r * 0.11;
    ctx.lineTo(cx + rr * Math.cos(a), cy + rr * Math.sin(a));
  }
  ctx.closePath();
  ctx.fill();
  // The lettering runs clockwise over the top, each character upright to the rim.
  const chars = [...seal.text];
  const size = r * 0.26;
  ctx.font = `bold ${Math.round(size)}px "Noto Serif CJK SC"`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const span = Math.min(Math.PI * 1.35, chars.length * 0.36);
  chars.forEach((ch, k) => {
    const a = -Math.PI / 2 - span / 2 + (span * (k + 0.5)) / chars.length;
    ctx.save();
    ctx.translate(cx + r * 0.7 * Math.cos(a), cy + r * 0.7 * Math.sin(a));
    ctx.rotate(a + Math.PI / 2);
    if (w > 1) {
      ctx.lineWidth = size * 0.08 * w;
      ctx.strokeText(ch, 0, 0);
    }
    ctx.fillText(ch, 0, 0);
    ctx.restore();
  });
  ctx.font = `bold ${Math.round(size * 0.85)}px "Noto Serif CJK SC"`;
  if (w > 1) {
    ctx.lineWidth = size * 0.08 * w;
    ctx.strokeText(seal.centre, cx, cy + r * 0.5);
  }
  ctx.fillText(seal.centre, cx, cy + r * 0.5);
}

/** A rectangular stamp: double border, its lines of text centred. */
function boxStamp(ctx, seal, x0, y0, w, h) {
  ctx.strokeStyle = css(seal.colour);
  ctx.fillStyle = css(seal.colour);
  ctx.lineWidth = h * 0.06;
  ctx.strokeRect(x0, y0, w, h);
  ctx.lineWidth = h * 0.02;
  ctx.strokeRect(x0 + h * 0.09, y0 + h * 0.09, w - h * 0.18, h - h * 0.18);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const n = seal.lines.length;
  seal.lines.forEach((line, k) => {
    ctx.font = `bold ${Math.round((h * 0.62) / n)}px "Noto Serif CJK SC"`;
    ctx.fillText(line, x0 + w / 2, y0 + (h * (k + 0.5)) / n);
  });
}

/**
 * The stamps on a white layer of their own, multiplied onto the page afterwards. Ink is uneven
 * (a stamp leaves pale flecks where the pad was dry): the flecks are paler spots in this layer,
 * so they lighten the stamp and leave the print under it as it was.
 */
function stampLayer(width, height, seals, rand) {
  const layer = createCanvas(width, height);
  const ctx = layer.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  for (const s of seals) {
    if (s.kind === 'round') roundSeal(ctx, s, s.x * width, s.y * height, s.r * width);
    else boxStamp(ctx, s, (s.x - s.w / 2) * width, s.y * height - (s.h * width) / 2, s.w * width, s.h * width);
  }
  ctx.fillStyle = 'rgba(255, 255, 255, 0.55)';
  for (const s of seals) {
    const [cx, cy, reach] = s.kind === 'round' ? [s.x * width, s.y * height, s.r * width] : [s.x * width, s.y * height, (s.w * width) / 2];
    const flecks = Math.round(reach * 0.8);
    for (let k = 0; k < flecks; k++) {
      const a = rand() * 2 * Math.PI;
      const d = Math.sqrt(rand()) * reach;
      ctx.beginPath();
      ctx.arc(cx + d * Math.cos(a), cy + d * Math.sin(a), 1 + rand() * reach * 0.012, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
  return layer;
}

/** A gray page image with its seals multiplied on: the colour page as a scanner sees it. */
async function sealedPage(imageBytes, seals, seed) {
  const img = await loadImage(imageBytes);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, img.width, img.height);
  ctx.drawImage(img, 0, 0);
  ctx.globalCompositeOperation = 'multiply';
  ctx.drawImage(stampLayer(img.width, img.height, seals, prng(seed)), 0, 0);
  return canvas;
}

/** A PNG chunk: length, type, data, CRC of type and data. */
function pngChunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** The PNG with a pHYs chunk saying `dpi` (the canvas encoder writes none) right after IHDR. */
function pngWithDpi(png, dpi) {
  const ihdrEnd = 8 + 12 + png.readUInt32BE(8);
  const phys = Buffer.alloc(9);
  const ppm = Math.round(dpi / 0.0254);
  phys.writeUInt32BE(ppm, 0);
  phys.writeUInt32BE(ppm, 4);
  phys[8] = 1;
  return Buffer.concat([png.subarray(0, ihdrEnd), pngChunk('pHYs', phys), png.subarray(ihdrEnd)]);
}

/** The JPEG with its JFIF header saying `dpi` (the canvas encoder writes an aspect ratio only). */
function jpegWithDpi(jpeg, dpi) {
  if (jpeg.readUInt16BE(2) !== 0xffe0 || jpeg.toString('latin1', 6, 11) !== 'JFIF\0') throw new Error('the encoder wrote no JFIF header');
  const out = Buffer.from(jpeg);
  out[13] = 1;
  out.writeUInt16BE(dpi, 14);
  out.writeUInt16BE(dpi, 16);
  return out;
}

/** Resolution from a PNG pHYs chunk in pixels per metre. */
function pngDpi(png) {
  for (let p = 8; p + 8 <= png.length; p += 12 + png.readUInt32BE(p)) {
    const type = png.toString('latin1', p + 4, p + 8);
    if (type === 'pHYs' && png[p + 16] === 1) return Math.round(png.readUInt32BE(p + 8) * 0.0254);
    if (type === 'IDAT') break;
  }
  throw new Error('the source PNG states no resolution');
}

/**
 * JPEG pages as a PDF, one image per page drawn at `dpi`, as img2pdf writes them: the JPEG
 * bytes as they are (DCTDecode, DeviceRGB), so the page is exactly the JPEG.
 */
function jpegsToPdf(pages, dpi) {
  const objs = [];
  const add = (body) => { objs.push(body); return objs.length; };
  const catalog = add(null);
  const pagesObj = add(null);
  const kids = [];
  for (const { jpeg, width, height } of pages) {
    const img = add(Buffer.concat([
      Buffer.from(`<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`, 'latin1'),
      jpeg, Buffer.from('\nendstream', 'latin1'),
    ]));
    const w = ((width * 72) / dpi).toFixed(2);
    const h = ((height * 72) / dpi).toFixed(2);
    const content = `q\n${w} 0 0 ${h} 0 0 cm\n/Im0 Do\nQ`;
    const contents = add(Buffer.from(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`, 'latin1'));
    kids.push(add(Buffer.from(`<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /XObject << /Im0 ${img} 0 R >> >> /Contents ${contents} 0 R >>`, 'latin1')));
  }
  objs[catalog - 1] = Buffer.from(`<< /Type /Catalog /Pages ${pagesObj} 0 R >>`, 'latin1');
  objs[pagesObj - 1] = Buffer.from(`<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`, 'latin1');
  const parts = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0].length;
  const offsets = [];
  objs.forEach((body, i) => {
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    offsets.push(offset);
    parts.push(obj);
    offset += obj.length;
  });
  const xref = [`xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objs.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

/** The page JPEGs of an image-only PDF, in page order, as the file holds them. */
function pdfJpegs(pdf, work) {
  const base = join(work, 'page');
  execFileSync('pdfimages', ['-j', pdf, base]);
  return readdirSync(work).filter((f) => f.startsWith('page-') && f.endsWith('.jpg')).sort().map((f) => readFileSync(join(work, f)));
}

/** Where each seal is, in the page's pixels, for the manifest. */
function placed(seal, width, height) {
  const base = { kind: seal.kind, colour: `rgb(${seal.colour.join(',')})`, over: seal.over };
  if (seal.kind === 'round') {
    return { ...base, centre: [Math.round(seal.x * width), Math.round(seal.y * height)], radius: Math.round(seal.r * width), text: seal.text, centre_text: seal.centre, ...(seal.weight ? { weight: seal.weight } : {}) };
  }
  const [w, h] = [seal.w * width, seal.h * width];
  const [x0, y0] = [seal.x * width - w / 2, seal.y * height - h / 2];
  return { ...base, box: [x0, y0, x0 + w, y0 + h].map(Math.round), lines: seal.lines };
}

async function main() {
  const i = process.argv.indexOf('--only');
  const only = i > 0 && process.argv[i + 1] ? new Set(process.argv[i + 1].split(',')) : null;
  GlobalFonts.registerFromPath(FONT, 'Noto Serif CJK SC');
  mkdirSync(outDir, { recursive: true });
  const manifestPath = join(outDir, 'manifest.json');
  const manifest = only ? JSON.parse(readFileSync(manifestPath, 'utf8')) : { made_by: 'scripts/scans/make-sealed.mjs', outputs: {} };
  let seed = 1;
  for (const o of OUTPUTS) {
    const first = seed;
    seed += o.pages.length;
    if (only && !only.has(o.name)) continue;
    const source = join(inDir, o.from);
    const target = join(outDir, o.name);
    const work = mkdtempSync(join(tmpdir(), 'govtables-sealed-'));
    const pagesOut = [];
    try {
      if (o.kind === 'jpeg' || o.kind === 'png') {
        const bytes = readFileSync(source);
        const canvas = await sealedPage(bytes, o.pages[0], first);
        const dpi = pngDpi(bytes);
        writeFileSync(target, o.kind === 'png' ? pngWithDpi(canvas.toBuffer('image/png'), dpi) : jpegWithDpi(canvas.toBuffer('image/jpeg', o.quality), dpi));
        pagesOut.push({ page: 1, width: canvas.width, height: canvas.height, seals: o.pages[0].map((s) => placed(s, canvas.width, canvas.height)) });
      } else {
        const jpegs = pdfJpegs(source, work);
        if (jpegs.length !== o.pages.length) throw new Error(`${o.from} has ${jpegs.length} page images, the entry names ${o.pages.length}`);
        const pages = [];
        for (const [k, jpeg] of jpegs.entries()) {
          const canvas = await sealedPage(jpeg, o.pages[k], first + k);
          pages.push({ jpeg: canvas.toBuffer('image/jpeg', o.quality), width: canvas.width, height: canvas.height });
          pagesOut.push({ page: k + 1, width: canvas.width, height: canvas.height, seals: o.pages[k].map((s) => placed(s, canvas.width, canvas.height)) });
        }
        writeFileSync(target, jpegsToPdf(pages, o.dpi));
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    manifest.outputs[o.name] = { from: `fixtures/scan/${o.from}`, pages: pagesOut };
    console.log(`${o.name}\t${statSync(target).size} bytes`);
  }
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

await main();
