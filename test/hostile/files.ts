// The hostile and broken inputs of the issue "broken and hostile input", made by code: each one
// small on disk (except where size is the point) and each built the way an attacker or an
// unlucky copy would build it. Shared by test/hostile.test.ts and scripts/hostile/nightly.ts.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync, deflateSync } from 'node:zlib';
import { FIXTURES } from '../helpers.js';

// ---- images ----------------------------------------------------------------------------------

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function ihdr(width: number, height: number, colour = 0): Buffer {
  const h = Buffer.alloc(13);
  h.writeUInt32BE(width, 0);
  h.writeUInt32BE(height, 4);
  h[8] = 8;
  h[9] = colour;
  return h;
}

/** Deterministic noise. */
export function noise(n: number, seed = 7): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** A PNG of gray pixels from `pixel(x, y)`. */
export function grayPng(width: number, height: number, pixel: (x: number, y: number) => number): Buffer {
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = pixel(x, y);
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr(width, height)), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))]);
}

export const randomAfterPngSignature = () => Buffer.concat([PNG_SIGNATURE, noise(4000)]);
export const randomAfterJpegSignature = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), noise(4000, 11)]);

/** The fixture scan PNG with one byte of its IHDR header flipped. */
export function pngHeaderByteFlipped(): Buffer {
  const b = Buffer.from(readFileSync(join(FIXTURES, 'scan', 'form-200.png')));
  b[18] = b[18]! ^ 0x40;
  return b;
}

/** A valid PNG whose header claims `w` × `h` pixels, with a token of image data. */
export function pngClaiming(w: number, h: number): Buffer {
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr(w, h)), pngChunk('IDAT', deflateSync(Buffer.alloc(1000))), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A real w × h black PNG: its rows are zeros, which deflate to almost nothing (20000 × 20000 is ~400 KB). */
export function realBlackPng(w: number, h: number): Buffer {
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr(w, h)), pngChunk('IDAT', zeroDeflate((w + 1) * h)), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A baseline JPEG header (SOI, APP0, SOF0) claiming `w` × `h`, then noise. */
export function jpegClaiming(w: number, h: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x0b, 0x08, (h >> 8) & 0xff, h & 0xff, (w >> 8) & 0xff, w & 0xff, 0x01, 0x01, 0x11, 0x00]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00]), noise(2000, 5), Buffer.from([0xff, 0xd9])]);
}

// ---- TIFF --------------------------------------------------------------------------------------

interface TiffPage { width: number; height: number; compression: number; strip: Buffer }

/** A little-endian baseline TIFF of 8-bit gray pages, one strip each. */
export function tiff(pages: readonly TiffPage[]): Buffer {
  const parts: Buffer[] = [];
  let at = 8;
  const header = Buffer.from([0x49, 0x49, 42, 0, 0, 0, 0, 0]);
  parts.push(header);
  const ENTRIES = 8;
  const ifdSize = 2 + ENTRIES * 12 + 4;
  const offsets: number[] = [];
  // Layout: [strip, ifd] per page.
  for (const p of pages) {
    const stripAt = at;
    at += p.strip.length + (p.strip.length & 1);
    offsets.push(at);
    const ifd = Buffer.alloc(ifdSize);
    ifd.writeUInt16LE(ENTRIES, 0);
    const entry = (i: number, tag: number, type: number, value: number) => {
      const o = 2 + i * 12;
      ifd.writeUInt16LE(tag, o);
      ifd.writeUInt16LE(type, o + 2);
      ifd.writeUInt32LE(1, o + 4);
      if (type === 3) ifd.writeUInt16LE(value, o + 8);
      else ifd.writeUInt32LE(value, o + 8);
    };
    entry(0, 256, 4, p.width);
    entry(1, 257, 4, p.height);
    entry(2, 258, 3, 8);
    entry(3, 259, 3, p.compression);
    entry(4, 262, 3, 1);
    entry(5, 273, 4, stripAt);
    entry(6, 278, 4, p.height);
    entry(7, 279, 4, p.strip.length);
    at += ifdSize;
    parts.push(p.strip, Buffer.alloc(p.strip.length & 1), ifd);
  }
  // Chain the directories.
  const out = Buffer.concat(parts);
  out.writeUInt32LE(offsets[0] ?? 0, 4);
  offsets.forEach((o, i) => out.writeUInt32LE(offsets[i + 1] ?? 0, o + 2 + ENTRIES * 12));
  return out;
}

/** The 138-byte TIFF: one directory claiming `w` × `h` pixels and no image data to speak of. */
export function tiffHeaderClaiming(w: number, h: number): Buffer {
  return tiff([{ width: w, height: h, compression: 1, strip: Buffer.alloc(16) }]);
}

/** A 100 × 100 page whose one Deflate strip inflates to `inflated` bytes (a deflate bomb). */
export function deflateBombTiff(inflated = 512 * 1024 * 1024): Buffer {
  return tiff([{ width: 100, height: 100, compression: 8, strip: zeroDeflate(inflated) }]);
}

/** A zlib stream of exactly `n` zero bytes, from one compressed megabyte repeated (fast, and small). */
export function zeroDeflate(n: number): Buffer {
  const MB = 1024 * 1024;
  const full = Math.floor(n / MB);
  const block = deflateRawSync(Buffer.alloc(MB), { finishFlush: constants.Z_FULL_FLUSH, level: 9 });
  const last = deflateRawSync(Buffer.alloc(n - full * MB), { finishFlush: constants.Z_FINISH, level: 9 });
  // adler32 of n zeros: a stays 1, b gains 1 a byte.
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE((((n % 65521) << 16) | 1) >>> 0);
  return Buffer.concat([Buffer.from([0x78, 0xda]), ...Array.from({ length: full }, () => block), last, trailer]);
}

/** A TIFF of `n` 1 × 1 pages. */
export function tinyPagesTiff(n: number): Buffer {
  return tiff(Array.from({ length: n }, () => ({ width: 1, height: 1, compression: 1, strip: Buffer.from([0xff]) })));
}

// ---- PDF ---------------------------------------------------------------------------------------

/** A PDF from its objects' bodies (object i + 1 is bodies[i]); object 1 is the catalog. */
export function pdf(bodies: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let at = parts[0]!.length;
  const offsets: number[] = [];
  bodies.forEach((b, i) => {
    offsets.push(at);
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), typeof b === 'string' ? Buffer.from(b, 'latin1') : b, Buffer.from('\nendobj\n')]);
    parts.push(obj);
    at += obj.length;
  });
  const xref = [`xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`));
  return Buffer.concat(parts);
}

function stream(dict: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`), data, Buffer.from('\nendstream')]);
}

/** One page whose content stream inflates to `inflated` bytes of zeros. */
export function flateBombPdf(inflated = 300 * 1024 * 1024): Buffer {
  return pdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>',
    stream('/Filter /FlateDecode', zeroDeflate(inflated)),
  ]);
}

/** `n` A4 pages with nothing on them (no text layer, so read by OCR). */
export function blankPagesPdf(n: number): Buffer {
  const kids = Array.from({ length: n }, (_, i) => `${3 + 2 * i} 0 R`).join(' ');
  const bodies: (string | Buffer)[] = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${n} >>`];
  for (let i = 0; i < n; i++) {
    bodies.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${4 + 2 * i} 0 R /Resources << >> >>`);
    // A hairline box: the page is drawn (so rendered and read), but holds no text.
    bodies.push(stream('', Buffer.from('0.5 w 72 72 m 523 72 l S')));
  }
  return pdf(bodies);
}

// ---- text --------------------------------------------------------------------------------------

/** A file of `bytes` bytes of short text lines, written in pieces (never whole in memory). */
export function writeTextLines(file: string, bytes: number): void {
  const line = Buffer.from('项目名称\t某某项目\t一级指标\t产出指标\n');
  const piece = Buffer.concat(Array.from({ length: Math.ceil((1024 * 1024) / line.length) }, () => line));
  const fd = openSync(file, 'w');
  try {
    for (let n = 0; n < bytes; n += piece.length) writeSync(fd, piece, 0, Math.min(piece.length, bytes - n));
  } finally {
    closeSync(fd);
  }
}

export function seedDump(name = '004_24ca01b87d61eeb2.txt'): Buffer {
  return readFileSync(join(FIXTURES, 'text', name));
}

/** A dump whose first kilobyte mentions a PDF header (it was pasted from a conversion log). */
export function dumpMentioningPdf(): Buffer {
  return Buffer.concat([Buffer.from('转换说明：原文件为 %PDF-1.7 格式，已导出为文本。\n\n'), seedDump('002_3903fb4e2e6b4dba.txt')]);
}

/** Two dumps joined by `cat`, the first without its final newline. */
export function concatenatedDumps(): Buffer {
  const a = seedDump('004_24ca01b87d61eeb2.txt');
  const b = seedDump('002_3903fb4e2e6b4dba.txt');
  return Buffer.concat([a.subarray(0, a.at(-1) === 0x0a ? a.length - 1 : a.length), b]);
}

// ---- paths that are not files ------------------------------------------------------------------

export function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

/** `dir/loop/a → b`, `b → c`, `c → a`-style folder links: each leads back to the others. */
export function symlinkLoop(dir: string): void {
  const root = join(dir, 'loop');
  mkdirSync(join(root, 'a'), { recursive: true });
  mkdirSync(join(root, 'b'));
  mkdirSync(join(root, 'c'));
  symlinkSync('../b', join(root, 'a', 'to-b'));
  symlinkSync('../c', join(root, 'b', 'to-c'));
  symlinkSync('../a', join(root, 'c', 'to-a'));
  writeFileSync(join(root, 'a', 'inside.txt'), seedDump('003_3f6deaa4e70e764f.txt'));
}

/** A name that is not UTF-8 (GBK bytes of 绩效, as an old Windows share writes them). */
export const NON_UTF8_NAME = Buffer.from([0xbc, 0xa8, 0xd0, 0xa7, 0x2e, 0x74, 0x78, 0x74]);

const SEED_NAMES = ['000_6f0229354a83724c.txt', '001_5e2b26b8bb821a85.txt', '002_3903fb4e2e6b4dba.txt', '003_3f6deaa4e70e764f.txt', '004_24ca01b87d61eeb2.txt'];

/** The n-th good dump: a seed with its first project renamed everywhere, so each doc_id differs. */
export function goodDump(n: number): Buffer {
  const seed = seedDump(SEED_NAMES[n % SEED_NAMES.length]).toString('utf8');
  const name = /项目名称[:：]?\t+([^\t\n]+)/.exec(seed)![1]!;
  return Buffer.from(seed.split(name).join(`${name}${n}号`));
}
