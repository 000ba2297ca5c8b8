// Input bytes → one grayscale image per page, with its resolution. Pages load one at a time so
// a long scanned PDF never holds more than one 300 dpi bitmap.
import { createCanvas, loadImage, type Canvas } from '@napi-rs/canvas';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { DEFAULT_LIMITS, OverLimit, checkLimit, type Limits } from '../../limits.js';
import { sniffFormat } from '../format.js';
import { openPdf } from '../pdf/load.js';
import { PDFJS_CONSTANTS } from '../pdf/pdfjs.js';

const { ImageKind, OPS } = PDFJS_CONSTANTS;
import type { GrayImage } from './image.js';
import { rgbaToGrayAndStamps } from './image.js';
import type { StampInk } from './stamps.js';
import { OcrError } from './errors.js';
import { ImageHeaderError, jpegSize, pngSize, type ImageSize } from './imageHeader.js';
import { directJpegReader, multiply, type Matrix } from './pdfJpeg.js';
import { tiffPageToGray, tiffToPageCount } from './tiff.js';

export type InputFormat = 'png' | 'jpeg' | 'tiff' | 'pdf';

export interface PageImage extends GrayImage {
  /** 1-based. */
  page: number;
  /** `embedded`: the PDF page's own scan image, taken as is; `rendered`: pdf.js drew the page. */
  origin: 'image' | 'embedded' | 'rendered';
  /** The resolution the file gives (null: none; `dpi` is then the default). */
  statedDpi: number | null;
}

export interface PageImageSource {
  format: InputFormat;
  pages: number;
  load(page: number): Promise<PageImage>;
  close(): Promise<void>;
}

export interface PageImageOptions {
  renderDpi: number;
  defaultDpi: number;
  /** Pixels per image and pages per document are checked from headers, before decoding. */
  limits?: Limits;
}

export function bytesToFormat(b: Uint8Array): InputFormat | null {
  const f = sniffFormat(b);
  return f === 'text' ? null : f;
}

/** The size from the header, checked before the native decoder is given the bytes. */
function checkedImageSize(bytes: Uint8Array, format: 'png' | 'jpeg', file: string, limits: Limits): ImageSize {
  let size: ImageSize;
  try {
    size = format === 'png' ? pngSize(bytes) : jpegSize(bytes);
  } catch (err) {
    if (err instanceof ImageHeaderError) throw new OcrError(file, null, 'corrupt', err.message, { cause: err });
    throw err;
  }
  const px = size.width * size.height;
  checkLimit(limits, 'pixelsPerImage', px, `the ${format.toUpperCase()} is ${size.width} × ${size.height} = ${px} pixels`);
  return size;
}

/**
 * The canvas's RGBA pixels. getImageData's buffer is never given back by @napi-rs/canvas (35 MB a
 * 300 dpi page, leaked per call); the surface's own pixels are read instead. They are
 * premultiplied, which is the same on the opaque (white-filled) canvases used here.
 */
function canvasPixels(canvas: Canvas): Uint8Array {
  return canvas.data();
}

/** A canvas's pixels live outside the JS heap, where the collector does not see them: give them back at once. */
function releaseCanvas(canvas: Canvas): void {
  canvas.width = 1;
  canvas.height = 1;
}

/** Resolution from a PNG pHYs chunk, when it is in pixels per metre. */
export function pngToDpi(b: Uint8Array): number | null {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let p = 8;
  while (p + 8 <= b.length) {
    const len = dv.getUint32(p);
    const type = String.fromCharCode(b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!);
    if (type === 'pHYs' && len >= 9 && b[p + 16] === 1) return Math.round(dv.getUint32(p + 8) * 0.0254);
    if (type === 'IDAT' || type === 'IEND') return null;
    p += 12 + len;
  }
  return null;
}

/** Resolution from a JPEG JFIF APP0 segment. */
export function jpegToDpi(b: Uint8Array): number | null {
  let p = 2;
  while (p + 4 <= b.length && b[p] === 0xff) {
    const marker = b[p + 1]!;
    const len = (b[p + 2]! << 8) | b[p + 3]!;
    if (marker === 0xe0 && len >= 14 && String.fromCharCode(...b.subarray(p + 4, p + 9)) === 'JFIF\0') {
      const units = b[p + 11];
      const x = (b[p + 12]! << 8) | b[p + 13]!;
      if (x > 1 && units === 1) return x;
      if (x > 1 && units === 2) return Math.round(x * 2.54);
      return null;
    }
    if (marker === 0xda) return null;
    p += 2 + len;
  }
  return null;
}

/** A page's gray pixels, with where stamp ink was dropped out of them when any was. */
function toGray(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, channels = 4): { data: Uint8Array; stamps?: StampInk } {
  const { gray, stamps } = rgbaToGrayAndStamps(rgba, width, height, channels);
  return stamps ? { data: gray, stamps } : { data: gray };
}

async function encodedImageToGray(bytes: Uint8Array, size: ImageSize): Promise<{ width: number; height: number; data: Uint8Array; stamps?: StampInk }> {
  const img = await loadImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  // The decoder's idea of the size must be the header's, which the limit was checked against.
  if (img.width !== size.width || img.height !== size.height) {
    throw new ImageHeaderError(`the image decodes to ${img.width} × ${img.height}, not the ${size.width} × ${size.height} its header gives`);
  }
  const canvas = createCanvas(img.width, img.height);
  try {
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, img.width, img.height);
    ctx.drawImage(img, 0, 0);
    return { width: img.width, height: img.height, ...toGray(canvasPixels(canvas), img.width, img.height) };
  } finally {
    releaseCanvas(canvas);
  }
}

export async function bytesToPageSource(bytes: Uint8Array, file: string, opts: PageImageOptions): Promise<PageImageSource> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const format = bytesToFormat(bytes);
  if (format === null) throw new OcrError(file, null, 'unsupported', 'not a PNG, JPEG, TIFF or PDF file');
  if (format === 'png' || format === 'jpeg') {
    const size = checkedImageSize(bytes, format, file, limits);
    const stated = format === 'png' ? pngToDpi(bytes) : jpegToDpi(bytes);
    const dpi = stated ?? opts.defaultDpi;
    return {
      format,
      pages: 1,
      load: async (page) => ({ ...(await encodedImageToGray(bytes, size)), dpi, page, origin: 'image', statedDpi: stated }),
      close: async () => {},
    };
  }
  if (format === 'tiff') {
    let pages: number;
    try {
      pages = tiffToPageCount(bytes, limits);
    } catch (err) {
      if (err instanceof OverLimit) throw err;
      throw new OcrError(file, null, 'corrupt', `unreadable TIFF: ${(err as Error).message}`, { cause: err });
    }
    return {
      format,
      pages,
      load: async (page) => {
        // A resolution of 0 is the TIFF's saying none.
        const img = tiffPageToGray(bytes, page - 1, 0, limits);
        const stated = img.dpi > 0 ? img.dpi : null;
        return { ...img, dpi: stated ?? opts.defaultDpi, page, origin: 'image', statedDpi: stated };
      },
      close: async () => {},
    };
  }
  return pdfToPageSource(bytes, file, opts, limits);
}

// ---- PDF ----------------------------------------------------------------------------------

type PdfPage = Awaited<ReturnType<PDFDocumentProxy['getPage']>>;

async function pdfToPageSource(bytes: Uint8Array, file: string, opts: PageImageOptions, limits: Limits): Promise<PageImageSource> {
  // pdf.js refuses a Node Buffer; a plain view of the same memory is accepted (and copied).
  const doc = await openPdf(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file, limits);
  const readDirect = directJpegReader(bytes, limits.pixelsPerImage);
  // One canvas for every rendered page: a canvas's pixels are native memory that a new canvas
  // per page does not give back (~35 MB a 300 dpi page, until the process ends).
  let canvas: Canvas | null = null;
  return {
    format: 'pdf',
    pages: doc.numPages,
    load: async (n) => {
      const page = await doc.getPage(n);
      try {
        const direct = page.rotate % 360 === 0 && page.ref ? await readDirect(page.ref) : null;
        if (direct && coversPageUpright(direct.m, page)) {
          const dpi = dpiOf(direct.width, direct.m);
          return { width: direct.width, height: direct.height, data: direct.gray, dpi, page: n, origin: 'embedded', statedDpi: dpi };
        }
        const embedded = await pdfPageToEmbeddedImage(page);
        if (embedded) return { ...embedded, page: n, origin: 'embedded', statedDpi: embedded.dpi };
        canvas ??= createCanvas(1, 1);
        const rendered = await pdfPageToRendered(page, opts.renderDpi, limits.pixelsPerImage, canvas);
        return { ...rendered, page: n, origin: 'rendered', statedDpi: rendered.dpi };
      } finally {
        page.cleanup();
      }
    },
    close: async () => {
      if (canvas) releaseCanvas(canvas);
      await doc.destroy();
    },
  };
}


interface PdfImageData {
  width: number;
  height: number;
  kind?: number;
  data?: Uint8Array | Uint8ClampedArray;
}

/**
 * The page's scan at its native resolution when the page is nothing but one upright image
 * covering it (what scanners and img2pdf write); null when anything else is drawn, so that a
 * page with a text layer or vector rules is rendered instead.
 */
async function pdfPageToEmbeddedImage(page: PdfPage): Promise<GrayImage | null> {
  if (page.rotate % 360 !== 0) return null;
  const ops = await page.getOperatorList();
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  let found: { id: string; m: Matrix } | null = null;
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const args = ops.argsArray[i] as unknown[] | null;
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = multiply(ctm, args as unknown as Matrix);
    else if (fn === OPS.paintImageXObject) {
      if (found) return null;
      found = { id: String(args?.[0]), m: ctm };
    } else if (
      fn === OPS.showText || fn === OPS.showSpacedText || fn === OPS.constructPath ||
      fn === OPS.paintInlineImageXObject || fn === OPS.paintImageMaskXObject || fn === OPS.shadingFill ||
      fn === OPS.paintImageXObjectRepeat || fn === OPS.paintInlineImageXObjectGroup || fn === OPS.paintSolidColorImageMask ||
      fn === OPS.paintFormXObjectBegin
    ) {
      return null;
    }
  }
  if (!found || !coversPageUpright(found.m, page)) return null;

  const objs = found.id.startsWith('g_') ? page.commonObjs : page.objs;
  const img = await new Promise<PdfImageData | null>((resolve) => {
    objs.get(found.id, (v: unknown) => resolve((v as PdfImageData | null) ?? null));
  });
  if (!img?.data || !img.kind) return null;
  const { width, height, kind, data } = img;
  let gray: { data: Uint8Array; stamps?: StampInk };
  if (kind === ImageKind.GRAYSCALE_1BPP) {
    // pdf.js packs 1-bit images MSB first, rows padded to bytes, a set bit being white.
    const bits = new Uint8Array(width * height);
    const rowBytes = (width + 7) >> 3;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) bits[y * width + x] = (data[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
    }
    gray = { data: bits };
  } else if (kind === ImageKind.RGB_24BPP) gray = toGray(data, width, height, 3);
  else if (kind === ImageKind.RGBA_32BPP) gray = toGray(data, width, height, 4);
  else return null;
  return { width, height, ...gray, dpi: dpiOf(width, found.m) };
}

/** Is an image drawn by `m` upright (not turned or mirrored) over at least 90% of the page each way? */
function coversPageUpright(m: Matrix, page: PdfPage): boolean {
  const [a, b, c, d, e, f] = m;
  if (Math.abs(b) > 1e-6 || Math.abs(c) > 1e-6 || a <= 0 || d <= 0) return false;
  const [vx0, vy0, vx1, vy1] = page.view as [number, number, number, number];
  const pw = vx1 - vx0;
  const ph = vy1 - vy0;
  const coverX = (Math.min(e + a, vx1) - Math.max(e, vx0)) / pw;
  const coverY = (Math.min(f + d, vy1) - Math.max(f, vy0)) / ph;
  return !(coverX < 0.9 || coverY < 0.9);
}

/** An image `width` pixels wide drawn `m[0]` points wide: its pixels per inch. */
function dpiOf(width: number, m: Matrix): number {
  return Math.round((width / m[0]) * 72);
}

/** A page drawn by pdf.js; a page larger than the pixel limit at `dpi` is drawn smaller, since the size is ours to choose. */
async function pdfPageToRendered(page: PdfPage, dpi: number, maxPixels: number, canvas: Canvas): Promise<GrayImage> {
  let scale = dpi / 72;
  let viewport = page.getViewport({ scale });
  if (viewport.width * viewport.height > maxPixels) {
    scale *= Math.sqrt(maxPixels / (viewport.width * viewport.height)) * 0.999;
    viewport = page.getViewport({ scale });
  }
  const width = Math.ceil(viewport.width);
  const height = Math.ceil(viewport.height);
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  // @napi-rs/canvas is what pdf.js itself uses under Node; its types are not the DOM's.
  await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: ctx as unknown as CanvasRenderingContext2D, viewport })
    .promise;
  return { width, height, ...toGray(canvasPixels(canvas), width, height), dpi: Math.round(scale * 72) };
}
