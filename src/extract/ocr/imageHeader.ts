// An image's size from its header, read before any decoder sees the pixels. Native decoders
// crash on a malformed header and allocate whatever size a header claims, so a PNG is checked
// chunk by chunk (lengths and CRCs, IHDR first) and a JPEG marker by marker up to its frame
// header; the caller holds width × height to the pixel limit before decoding.
import { crc32 } from 'node:zlib';

export class ImageHeaderError extends Error {
  override name = 'ImageHeaderError';
}

export interface ImageSize {
  width: number;
  height: number;
}

const PNG_BIT_DEPTHS: Record<number, readonly number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** A PNG's size, after every chunk up to IEND has been found whole with a correct CRC. */
export function pngSize(b: Uint8Array): ImageSize {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let p = 8;
  let size: ImageSize | null = null;
  let idat = false;
  for (;;) {
    if (p + 12 > b.length) throw new ImageHeaderError(`PNG ends at byte ${b.length} inside a chunk header (no IEND): cut short or damaged`);
    const len = dv.getUint32(p);
    const type = String.fromCharCode(b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new ImageHeaderError(`PNG chunk at byte ${p} has no valid type: damaged`);
    if (p + 12 + len > b.length) throw new ImageHeaderError(`PNG chunk ${type} at byte ${p} runs past the end of the file (${len} bytes): cut short or damaged`);
    const crc = dv.getUint32(p + 8 + len);
    if (crc32(b.subarray(p + 4, p + 8 + len)) !== crc) throw new ImageHeaderError(`PNG chunk ${type} at byte ${p} fails its CRC check: damaged`);
    if (size === null) {
      if (type !== 'IHDR' || len !== 13) throw new ImageHeaderError('PNG does not start with an IHDR chunk: damaged');
      const width = dv.getUint32(p + 8);
      const height = dv.getUint32(p + 12);
      const depth = b[p + 16]!;
      const colour = b[p + 17]!;
      if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) throw new ImageHeaderError(`PNG header gives a size of ${width} × ${height}: damaged`);
      if (!PNG_BIT_DEPTHS[colour]?.includes(depth)) throw new ImageHeaderError(`PNG header gives colour type ${colour} with bit depth ${depth}: damaged`);
      if (b[p + 18] !== 0 || b[p + 19] !== 0 || b[p + 20]! > 1) throw new ImageHeaderError('PNG header names an unknown compression, filter or interlace method: damaged');
      size = { width, height };
    } else if (type === 'IDAT') idat = true;
    else if (type === 'IEND') {
      if (!idat) throw new ImageHeaderError('PNG has no image data (IDAT)');
      return size;
    }
    p += 12 + len;
  }
}

// Start-of-frame markers: C0–CF except DHT (C4), JPG (C8) and DAC (CC).
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** A JPEG's frame size, from its SOF segment (found before the first scan). */
export function jpegSize(b: Uint8Array): ImageSize {
  let p = 2;
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) throw new ImageHeaderError(`JPEG has no marker at byte ${p}: damaged`);
    const marker = b[p + 1]!;
    // Fill bytes and stand-alone markers carry no length.
    if (marker === 0xff) { p++; continue; }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { p += 2; continue; }
    if (marker === 0xd9 || marker === 0xda) break;
    const len = (b[p + 2]! << 8) | b[p + 3]!;
    if (len < 2 || p + 2 + len > b.length) throw new ImageHeaderError(`JPEG segment ${marker.toString(16).toUpperCase()} at byte ${p} runs past the end of the file: cut short or damaged`);
    if (isSof(marker)) {
      if (len < 8) throw new ImageHeaderError('JPEG frame header is too short: damaged');
      const height = (b[p + 5]! << 8) | b[p + 6]!;
      const width = (b[p + 7]! << 8) | b[p + 8]!;
      const components = b[p + 9]!;
      if (width === 0 || height === 0) throw new ImageHeaderError(`JPEG frame header gives a size of ${width} × ${height}: not supported`);
      if (components !== 1 && components !== 3 && components !== 4) throw new ImageHeaderError(`JPEG frame header gives ${components} components: damaged`);
      if (len < 8 + 3 * components) throw new ImageHeaderError('JPEG frame header is too short for its components: damaged');
      return { width, height };
    }
    p += 2 + len;
  }
  throw new ImageHeaderError('JPEG has no frame header before its image data: damaged');
}
