// GB18030 encoding for tests (Node decodes GB18030 but cannot encode it): a reverse table built
// from the decoder over the two-byte GBK range, which covers every character of the seeds.
let table: Map<string, Buffer> | null = null;

function reverseTable(): Map<string, Buffer> {
  if (table) return table;
  table = new Map();
  const dec = new TextDecoder('gb18030');
  for (let b1 = 0x81; b1 <= 0xfe; b1++) {
    for (let b2 = 0x40; b2 <= 0xfe; b2++) {
      if (b2 === 0x7f) continue;
      const bytes = Buffer.from([b1, b2]);
      const ch = dec.decode(bytes);
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, bytes);
    }
  }
  return table;
}

export function encodeGb18030(text: string): Buffer {
  const t = reverseTable();
  const parts: Buffer[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) parts.push(Buffer.from(ch, 'latin1'));
    else {
      const b = t.get(ch);
      if (!b) throw new Error(`no two-byte GB18030 code for ${ch} (U+${ch.codePointAt(0)!.toString(16)})`);
      parts.push(b);
    }
  }
  return Buffer.concat(parts);
}
