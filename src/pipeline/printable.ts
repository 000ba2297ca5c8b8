// File names as people and logs can safely see them. A name is bytes: one that is not UTF-8 is
// shown (and stored) with its stray bytes as \xNN; control characters (a newline, an escape
// sequence that would repaint a terminal) are escaped in every human-readable line.

/** A name's bytes as text: UTF-8 where it is, \xNN for each byte where it is not. */
export function displayName(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (!text.includes('\uFFFD') || Buffer.from(text, 'utf8').equals(bytes)) return text;
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const len = utf8Length(bytes, i);
    if (len > 0) {
      out += bytes.toString('utf8', i, i + len);
      i += len;
    } else {
      out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

/** Length of the well-formed UTF-8 sequence at `i`, 0 when there is none. */
function utf8Length(b: Buffer, i: number): number {
  const c = b[i]!;
  const need = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (need === 0 || i + need > b.length) return 0;
  for (let k = 1; k < need; k++) if ((b[i + k]! & 0xc0) !== 0x80) return 0;
  if (need > 1) {
    const s = b.toString('utf8', i, i + need);
    if (s.includes('\uFFFD')) return 0;
  }
  return need;
}

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `s` with C0/C1 control characters, DEL and bidirectional overrides escaped, for a terminal or a log line. */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => NAMED[c] ?? (c.charCodeAt(0) <= 0xff ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
