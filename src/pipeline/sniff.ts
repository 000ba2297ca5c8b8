// Which extractor a file needs, from its first bytes (never from its name: archives are full
// of `.txt` files that are PDFs and scans named `.pdf`).
export type Kind = 'pdf' | 'scan' | 'text';

export function sniffKind(bytes: Uint8Array): Kind {
  const head = Buffer.from(bytes.subarray(0, 1024));
  if (head.indexOf('%PDF-') >= 0 && head.indexOf('%PDF-') < 1024) return 'pdf';
  if (head[0] === 0x89 && head.toString('latin1', 1, 4) === 'PNG') return 'scan';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'scan';
  if ((head[0] === 0x49 && head[1] === 0x49 && head[2] === 0x2a && head[3] === 0) || (head[0] === 0x4d && head[1] === 0x4d && head[2] === 0 && head[3] === 0x2a)) return 'scan';
  return 'text';
}
