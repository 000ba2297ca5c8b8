// A small baseline-TIFF reader for the multi-page scans @napi-rs/canvas cannot decode: strips
// (not tiles), 1/8-bit gray or 8-bit RGB, uncompressed, PackBits, LZW or Deflate, with the
// horizontal predictor. CCITT fax and JPEG-in-TIFF are reported as unsupported, by name.
import { inflateSync } from 'node:zlib';
import { OverLimit } from '../../limits.js';
import type { GrayImage } from './image.js';

export class TiffError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TiffError';
  }
}

const COMPRESSION_NAMES: Record<number, string> = {
  2: 'CCITT RLE',
  3: 'CCITT Group 3 fax',
  4: 'CCITT Group 4 fax',
  6: 'old-style JPEG',
  7: 'JPEG',
  34712: 'JPEG 2000',
};

interface Ifd {
  tags: Map<number, number[]>;
  next: number;
}

/** What a TIFF may hold before it is refused (pixels per page, pages), from its directories. */
export interface TiffLimits {
  pixelsPerImage: number;
  pagesPerDocument: number;
  decodedBytesPerStream: number;
}

const NO_LIMITS: TiffLimits = { pixelsPerImage: Infinity, pagesPerDocument: Infinity, decodedBytesPerStream: Infinity };

export function isTiff(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 42 && bytes[3] === 0) ||
    (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && bytes[3] === 42));
}

function viewOf(bytes: Uint8Array): { dv: DataView; le: boolean } {
  return { dv: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), le: bytes[0] === 0x49 };
}

const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };

function readIfd(bytes: Uint8Array, offset: number): Ifd {
  const { dv, le } = viewOf(bytes);
  if (offset + 2 > bytes.length) throw new TiffError(`directory offset ${offset} beyond end of file`);
  const n = dv.getUint16(offset, le);
  const tags = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const e = offset + 2 + i * 12;
    const tag = dv.getUint16(e, le);
    const type = dv.getUint16(e + 2, le);
    const count = dv.getUint32(e + 4, le);
    const size = TYPE_SIZES[type] ?? 1;
    const at = size * count <= 4 ? e + 8 : dv.getUint32(e + 8, le);
    const values: number[] = [];
    // Strip tables and rationals are all this reader needs; byte arrays (ICC, XMP) are skipped.
    if (type === 1 || type === 2 || type === 7) {
      if (count <= 4) for (let k = 0; k < count; k++) values.push(bytes[at + k]!);
    } else {
      for (let k = 0; k < count; k++) {
        const p = at + k * size;
        if (p + size > bytes.length) throw new TiffError(`tag ${tag} runs past end of file`);
        if (type === 3 || type === 8) values.push(dv.getUint16(p, le));
        else if (type === 4 || type === 9) values.push(dv.getUint32(p, le));
        else if (type === 5 || type === 10) values.push(dv.getUint32(p, le) / (dv.getUint32(p + 4, le) || 1));
        else if (type === 11) values.push(dv.getFloat32(p, le));
        else if (type === 12) values.push(dv.getFloat64(p, le));
      }
    }
    tags.set(tag, values);
  }
  return { tags, next: dv.getUint32(offset + 2 + n * 12, le) };
}

/** Offsets of every image directory (= page), following the chain and refusing loops. */
export function tiffToPageCount(bytes: Uint8Array, limits: TiffLimits = NO_LIMITS): number {
  return tiffDirectories(bytes, limits.pagesPerDocument).length;
}

/** The directories, stopping (with OverLimit) at one past `maxPages`: a 20,000-page file is refused, not walked. */
function tiffDirectories(bytes: Uint8Array, maxPages = Infinity): Ifd[] {
  if (!isTiff(bytes)) throw new TiffError('not a TIFF file');
  const { dv, le } = viewOf(bytes);
  const seen = new Set<number>();
  const out: Ifd[] = [];
  let off = dv.getUint32(4, le);
  while (off !== 0) {
    if (seen.has(off)) throw new TiffError('directory chain loops');
    seen.add(off);
    const ifd = readIfd(bytes, off);
    out.push(ifd);
    if (out.length > maxPages) throw new OverLimit('pagesPerDocument', out.length, maxPages, `the TIFF has more than ${maxPages} pages`);
    off = ifd.next;
  }
  return out;
}

function packBitsToBytes(src: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected);
  let i = 0;
  let o = 0;
  while (i < src.length && o < expected) {
    const n = (src[i++]! << 24) >> 24;
    if (n >= 0) {
      for (let k = 0; k <= n && o < expected; k++) out[o++] = src[i++]!;
    } else if (n !== -128) {
      const v = src[i++]!;
      for (let k = 0; k < 1 - n && o < expected; k++) out[o++] = v;
    }
  }
  return out;
}

/** TIFF LZW: MSB-first codes, 9–12 bits, with the "early change" of the code width. */
function lzwToBytes(src: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected);
  let o = 0;
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const first = new Uint8Array(4096);
  const lengths = new Int32Array(4096);
  for (let i = 0; i < 256; i++) {
    prefix[i] = -1;
    suffix[i] = i;
    first[i] = i;
    lengths[i] = 1;
  }
  let next = 258;
  let width = 9;
  let prev = -1;
  // Bits not yet used, right-aligned in `bits` (never more than 12 + 7 of them).
  let bits = 0;
  let bitCount = 0;
  let at = 0;
  for (;;) {
    while (bitCount < width && at < src.length) {
      bits = ((bits << 8) | src[at++]!) & 0xfffff;
      bitCount += 8;
    }
    // A code cut off by the end of the data ends it, as an end-of-information code would.
    if (bitCount < width) break;
    bitCount -= width;
    const code = (bits >>> bitCount) & ((1 << width) - 1);
    if (code === 257 || o >= expected) break;
    if (code === 256) {
      next = 258;
      width = 9;
      prev = -1;
      continue;
    }
    if (prev !== -1 && next < 4096) {
      // The new entry is the previous string plus the first byte of this one (of the previous
      // one itself when this code is the entry being made).
      prefix[next] = prev;
      suffix[next] = code < next ? first[code]! : first[prev]!;
      first[next] = first[prev]!;
      lengths[next] = lengths[prev]! + 1;
      next++;
    }
    // The string of `code`, written back to front.
    const len = lengths[code]!;
    for (let k = len - 1, c = code; k >= 0; k--, c = prefix[c]!) if (o + k < expected) out[o + k] = suffix[c]!;
    o += len;
    if (prev !== -1 && next + 1 >= 1 << width && width < 12) width++;
    prev = code;
  }
  return out;
}

function tag(ifd: Ifd, id: number, fallback?: number): number {
  const v = ifd.tags.get(id)?.[0];
  if (v === undefined) {
    if (fallback === undefined) throw new TiffError(`required tag ${id} missing`);
    return fallback;
  }
  return v;
}

/** Page `index` (0-based) as 8-bit gray. */
export function tiffPageToGray(bytes: Uint8Array, index: number, defaultDpi: number, limits: TiffLimits = NO_LIMITS): GrayImage {
  const ifd = tiffDirectories(bytes, limits.pagesPerDocument)[index];
  if (!ifd) throw new TiffError(`no page ${index + 1}`);
  const width = tag(ifd, 256);
  const height = tag(ifd, 257);
  const bits = tag(ifd, 258, 1);
  const compression = tag(ifd, 259, 1);
  const photometric = tag(ifd, 262, 1);
  const spp = tag(ifd, 277, 1);
  const predictor = tag(ifd, 317, 1);
  const planar = tag(ifd, 284, 1);
  if (ifd.tags.has(322)) throw new TiffError('tiled TIFF is not supported');
  const named = COMPRESSION_NAMES[compression];
  if (named) throw new TiffError(`${named} compression (${compression}) is not supported; convert to LZW, Deflate or uncompressed`);
  if (![1, 5, 8, 32946, 32773].includes(compression)) throw new TiffError(`compression ${compression} is not supported`);
  if (!(bits === 1 && spp === 1) && bits !== 8) throw new TiffError(`${bits}-bit samples are not supported`);
  if (planar !== 1 && spp > 1) throw new TiffError('planar (separate) sample layout is not supported');
  if (![0, 1, 2].includes(photometric)) throw new TiffError(`photometric interpretation ${photometric} is not supported`);
  if (!(width >= 1 && height >= 1 && Number.isInteger(width) && Number.isInteger(height))) throw new TiffError(`page ${index + 1} has a size of ${width} × ${height}`);
  if (width * height > limits.pixelsPerImage) {
    throw new OverLimit('pixelsPerImage', width * height, limits.pixelsPerImage, `page ${index + 1} of the TIFF is ${width} × ${height} = ${width * height} pixels`, `page ${index + 1}`);
  }
  if (spp < 1 || spp > 8) throw new TiffError(`${spp} samples per pixel are not supported`);

  const offsets = ifd.tags.get(273) ?? [];
  const counts = ifd.tags.get(279) ?? [];
  const rowsPerStrip = tag(ifd, 278, height);
  const rowBytes = Math.ceil((width * spp * bits) / 8);
  const raw = new Uint8Array(rowBytes * height);
  for (let s = 0; s < offsets.length; s++) {
    const start = offsets[s]!;
    const src = bytes.subarray(start, start + (counts[s] ?? 0));
    const rows = Math.min(rowsPerStrip, height - s * rowsPerStrip);
    if (rows <= 0) break;
    const expected = rows * rowBytes;
    let strip: Uint8Array;
    if (compression === 1) strip = src;
    else if (compression === 32773) strip = packBitsToBytes(src, expected);
    else if (compression === 5) strip = lzwToBytes(src, expected);
    else strip = inflateStrip(src, expected, s, index, limits.decodedBytesPerStream);
    raw.set(strip.subarray(0, Math.min(expected, raw.length - s * rowsPerStrip * rowBytes)), s * rowsPerStrip * rowBytes);
  }
  if (predictor === 2 && bits === 8) {
    for (let y = 0; y < height; y++) {
      const r = y * rowBytes;
      for (let x = spp; x < width * spp; x++) raw[r + x] = (raw[r + x]! + raw[r + x - spp]!) & 0xff;
    }
  }

  const data = samplesToGray(raw, width, height, rowBytes, bits, spp);
  // WhiteIsZero: the samples count ink, not light.
  if (photometric === 0) for (let i = 0; i < data.length; i++) data[i] = 255 - data[i]!;
  const unit = tag(ifd, 296, 2);
  const xres = ifd.tags.get(282)?.[0];
  const dpi = xres && xres > 0 && unit !== 1 ? (unit === 3 ? xres * 2.54 : xres) : defaultDpi;
  return { width, height, data, dpi: Math.round(dpi) };
}

/**
 * A Deflate strip, inflated no further than the rows it holds: a strip that inflates past its
 * own size (a deflate bomb) is refused instead of being expanded into memory.
 */
function inflateStrip(src: Uint8Array, expected: number, strip: number, page: number, maxDecoded: number): Uint8Array {
  const cap = Math.min(expected + 4096, maxDecoded);
  try {
    return new Uint8Array(inflateSync(src, { maxOutputLength: cap }));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new OverLimit('decodedBytesPerStream', cap + 1, cap, `strip ${strip + 1} of page ${page + 1} of the TIFF inflates past the ${expected} bytes its rows hold (a strip is held to its own size)`, `page ${page + 1}`);
    }
    throw new TiffError(`strip ${strip + 1} of page ${page + 1} does not inflate: ${(err as Error).message}`);
  }
}

/** Decoded rows of samples (`rowBytes` apart) as 8-bit gray, one row at a time. */
function samplesToGray(raw: Uint8Array, width: number, height: number, rowBytes: number, bits: number, spp: number): Uint8Array {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const r = y * rowBytes;
    const o = y * width;
    if (bits === 1) {
      for (let x = 0; x < width; x++) data[o + x] = (raw[r + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
    } else if (spp >= 3) {
      for (let x = 0, p = r; x < width; x++, p += spp) data[o + x] = Math.round((299 * raw[p]! + 587 * raw[p + 1]! + 114 * raw[p + 2]!) / 1000);
    } else if (spp === 1) {
      data.set(raw.subarray(r, r + width), o);
    } else {
      for (let x = 0; x < width; x++) data[o + x] = raw[r + x * spp]!;
    }
  }
  return data;
}
