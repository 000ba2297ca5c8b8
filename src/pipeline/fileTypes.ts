// Files of a type govtables does not read, told by their structure: archives, Office files,
// other images, databases, programs, and JSON or XML beside the forms. They are listed as
// skipped with what they are, never parsed as a form (a `.json` of scan metadata would
// otherwise be read as a text dump and fail as a form). Unknown binary data is still read and
// failed as `binary`, so a damaged dump is seen.

const SIGNATURES: readonly (readonly [bytes: readonly number[], what: string, at?: number])[] = [
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (or an Office file: .docx, .xlsx, .pptx)'],
  [[0x50, 0x4b, 0x05, 0x06], 'an empty ZIP archive'],
  [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'an OLE2 file (an old Office file: .doc, .xls)'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 'a 7-Zip archive'],
  [[0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], 'a RAR archive'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x57, 0x45, 0x42, 0x50], 'a WebP image', 8],
  [[0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66, 0x6f, 0x72, 0x6d, 0x61, 0x74, 0x20, 0x33, 0x00], 'an SQLite database'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an ELF program'],
];

function startsWith(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  return sig.every((v, i) => b[at + i] === v);
}

/** What the file is when it is of a type govtables does not read, else null. */
export function unsupportedType(bytes: Uint8Array): string | null {
  for (const [sig, what, at] of SIGNATURES) if (startsWith(bytes, sig, at)) return what;
  // Text formats by their structure: a JSON document parses whole; XML declares itself.
  let i = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  const first = bytes[i];
  if (first === 0x7b /* { */ || first === 0x5b /* [ */) {
    try {
      JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', i));
      return 'a JSON file';
    } catch { /* text that begins with a bracket */ }
  }
  if (Buffer.from(bytes.buffer, bytes.byteOffset + i, Math.min(6, bytes.length - i)).toString('latin1') === '<?xml ') return 'an XML file';
  return null;
}

export const SUPPORTED_TYPES = 'text dumps, PDFs, PNG, JPEG and TIFF scans';
