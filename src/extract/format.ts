// What a file is, from its structure (never from its name: archives are full of `.txt` files
// that are PDFs and scans named `.pdf`). Images by their signatures; a PDF by its header *and*
// the objects or the trailer behind it, so a text dump that merely mentions `%PDF-1.4` near its
// top is still read as text.
export type InputFormat = 'pdf' | 'png' | 'jpeg' | 'tiff' | 'text';

/** The spec lets junk precede the header within the first kilobyte. */
const PDF_HEADER_WINDOW = 1024;
/** How far behind the header the first `N G obj` must appear. */
const PDF_OBJECT_WINDOW = 64 * 1024;
/** How far from the end `startxref` or `%%EOF` must appear. */
const PDF_TRAILER_WINDOW = 2048;

const HEADER_RE = /%PDF-\d\.\d/;
const OBJECT_RE = /(?:^|[\s>\]])\d{1,10}[ \t\r\n]+\d{1,5}[ \t\r\n]+obj\b/;

function latin1(bytes: Uint8Array, from: number, to: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', Math.max(0, from), Math.min(bytes.length, to));
}

export function isPng(b: Uint8Array): boolean {
  return b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a;
}

export function isJpeg(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

export function isTiffHeader(b: Uint8Array): boolean {
  return b.length >= 8 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 42 && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 42));
}

/** Offset of a `%PDF-d.d` header in the first kilobyte that has PDF structure behind it, or -1. */
export function pdfHeaderOffset(b: Uint8Array): number {
  const head = latin1(b, 0, PDF_HEADER_WINDOW + 8);
  const m = HEADER_RE.exec(head);
  if (!m || m.index > PDF_HEADER_WINDOW) return -1;
  if (OBJECT_RE.test(latin1(b, m.index, m.index + PDF_OBJECT_WINDOW))) return m.index;
  const tail = latin1(b, b.length - PDF_TRAILER_WINDOW, b.length);
  return tail.includes('startxref') || tail.includes('%%EOF') ? m.index : -1;
}

export function sniffFormat(b: Uint8Array): InputFormat {
  if (isPng(b)) return 'png';
  if (isJpeg(b)) return 'jpeg';
  if (isTiffHeader(b)) return 'tiff';
  if (pdfHeaderOffset(b) >= 0) return 'pdf';
  return 'text';
}
