// Pixel buffers the scan pipeline passes between steps. Plain typed arrays, row-major, origin
// top-left, so every step is a pure function that tests can feed with hand-made pixels.

/** 8-bit grayscale, 0 = black, 255 = white. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
  /** Pixels per inch, as stored in the file or derived from the PDF page size. */
  dpi: number;
}

/** One byte a pixel: 1 = ink, 0 = paper. */
export interface BinaryImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Pixel rectangle, half-open: [x0, x1) × [y0, y1). */
export interface PxRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** ITU-R 601 luma of packed RGBA (or RGB with `channels` 3), alpha composited on white. */
export function rgbaToGray(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, channels = 4): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < out.length; i++, p += channels) {
    const y = (299 * rgba[p]! + 587 * rgba[p + 1]! + 114 * rgba[p + 2]!) / 1000;
    const a = channels === 4 ? rgba[p + 3]! / 255 : 1;
    out[i] = Math.round(y * a + 255 * (1 - a));
  }
  return out;
}

export function clampRect(r: PxRect, width: number, height: number): PxRect {
  const x0 = Math.max(0, Math.min(width, Math.floor(r.x0)));
  const y0 = Math.max(0, Math.min(height, Math.floor(r.y0)));
  return {
    x0,
    y0,
    x1: Math.max(x0, Math.min(width, Math.ceil(r.x1))),
    y1: Math.max(y0, Math.min(height, Math.ceil(r.y1))),
  };
}

export function insetRect(r: PxRect, d: number): PxRect {
  const dx = Math.min(d, Math.floor((r.x1 - r.x0) / 4));
  const dy = Math.min(d, Math.floor((r.y1 - r.y0) / 4));
  return { x0: r.x0 + dx, y0: r.y0 + dy, x1: r.x1 - dx, y1: r.y1 - dy };
}

/** The pixels of `r` (clamped to the image), row by row: one crop for gray and binary planes. */
function cropPlane(img: { width: number; height: number; data: Uint8Array }, r: PxRect): { width: number; height: number; data: Uint8Array } {
  const c = clampRect(r, img.width, img.height);
  const w = c.x1 - c.x0;
  const h = c.y1 - c.y0;
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) data.set(img.data.subarray((c.y0 + y) * img.width + c.x0, (c.y0 + y) * img.width + c.x1), y * w);
  return { width: w, height: h, data };
}

export function cropGray(img: GrayImage, r: PxRect): GrayImage {
  return { ...cropPlane(img, r), dpi: img.dpi };
}

export function cropBinary(img: BinaryImage, r: PxRect): BinaryImage {
  return cropPlane(img, r);
}

export function inkRatioOf(img: BinaryImage): number {
  if (img.data.length === 0) return 0;
  let n = 0;
  for (let i = 0; i < img.data.length; i++) n += img.data[i]!;
  return n / img.data.length;
}

/**
 * Binary PGM (P5). Leptonica inside tesseract reads it without a codec, and writing it is a
 * header plus the bytes, far cheaper than PNG-encoding thousands of cell crops.
 */
export function grayToPgm(img: GrayImage): Uint8Array {
  const header = new TextEncoder().encode(`P5\n${img.width} ${img.height}\n255\n`);
  const out = new Uint8Array(header.length + img.data.length);
  out.set(header, 0);
  out.set(img.data, header.length);
  return out;
}

/** White border around a crop: tesseract reads glyphs that touch the image edge poorly. */
export function padGray(img: GrayImage, pad: number): GrayImage {
  const w = img.width + 2 * pad;
  const h = img.height + 2 * pad;
  const data = new Uint8Array(w * h).fill(255);
  for (let y = 0; y < img.height; y++) data.set(img.data.subarray(y * img.width, (y + 1) * img.width), (y + pad) * w + pad);
  return { width: w, height: h, data, dpi: img.dpi };
}
