// The inflated size of a PDF's Flate streams, measured before pdf.js inflates them whole. A
// content stream of a few kilobytes can inflate to gigabytes (a flate bomb); each stream is
// inflated here piece by piece and thrown away, and one that passes the limit ends the document.
import { createInflate } from 'node:zlib';
import { OverLimit, type Limits } from '../../limits.js';

const STREAM = Buffer.from('stream');
const END_STREAM = Buffer.from('endstream');
/** How far before `stream` its dictionary is looked for. */
const DICT_WINDOW = 4096;

/** Bytes `data` inflates to, counting no further than `cap` (more means over). */
function inflatedSize(data: Uint8Array, cap: number): Promise<number> {
  return new Promise((resolve) => {
    const z = createInflate({ chunkSize: 64 * 1024 });
    let n = 0;
    let done = false;
    const finish = () => { if (!done) { done = true; resolve(n); } };
    z.on('data', (chunk: Buffer) => {
      n += chunk.length;
      if (n > cap) { finish(); z.destroy(); }
    });
    // A damaged stream is pdf.js's to report; only its size matters here.
    z.on('error', finish);
    z.on('end', finish);
    z.on('close', finish);
    z.end(data);
  });
}

/** The Flate streams of `bytes`: where each one's data starts and ends. */
function* flateStreams(bytes: Buffer): Generator<{ start: number; end: number; at: number }> {
  let from = 0;
  for (;;) {
    const k = bytes.indexOf(STREAM, from);
    if (k < 0) return;
    from = k + STREAM.length;
    // `endstream` contains `stream`; a keyword is preceded by a delimiter or white space.
    if (k >= 3 && bytes.toString('latin1', k - 3, k) === 'end') continue;
    const before = bytes.toString('latin1', Math.max(0, k - DICT_WINDOW), k);
    const dictStart = before.lastIndexOf(' obj');
    const dict = before.slice(dictStart < 0 ? 0 : dictStart);
    if (!/>>\s*$/.test(dict)) continue;
    // Only a stream whose first filter is Flate is measured.
    const filter = /\/Filter\s*(\[\s*)?\/(\w+)/.exec(dict);
    if (!filter || (filter[2] !== 'FlateDecode' && filter[2] !== 'Fl')) continue;
    let start = from;
    if (bytes[start] === 0x0d) start++;
    if (bytes[start] === 0x0a) start++;
    const end = bytes.indexOf(END_STREAM, start);
    if (end < 0) return;
    yield { start, end, at: k };
    from = end + END_STREAM.length;
  }
}

export async function checkPdfStreams(bytes: Uint8Array, limits: Pick<Limits, 'decodedBytesPerStream'>): Promise<void> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const cap = limits.decodedBytesPerStream;
  for (const s of flateStreams(buf)) {
    // A stream inflates at most ~1032× its size: small ones cannot pass the limit.
    if ((s.end - s.start) * 1032 <= cap) continue;
    const n = await inflatedSize(buf.subarray(s.start, s.end), cap);
    if (n > cap) throw new OverLimit('decodedBytesPerStream', n, cap, `the PDF stream at byte ${s.at} inflates past ${cap} bytes`);
  }
}
