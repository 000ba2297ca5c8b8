// Reading one input file, safely: opened without blocking (a FIFO never hangs the run), checked
// to be a regular file on the open descriptor (no race with a swap after the listing), and read
// no further than the size limit. A file over the limit is still hashed, streamed, so it can be
// recorded as a failed document and not be tried again every night.
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { DEFAULT_LIMITS, LimitError, OverLimit, type Limits } from '../limits.js';

export type Input =
  | { kind: 'bytes'; bytes: Buffer }
  | { kind: 'too-large'; docId: string; size: number; error: string; head: Buffer }
  | { kind: 'skipped'; reason: string }
  | { kind: 'error'; code: string; error: string };

/** What a non-regular file is, in words. */
export function fileTypeOf(s: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): string {
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  if (s.isDirectory()) return 'a folder';
  if (s.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

const CHUNK = 1024 * 1024;
/** What of a file over the size limit is read to tell its kind. */
const HEAD_BYTES = 64 * 1024;

async function hashAll(fh: FileHandle): Promise<{ docId: string; size: number }> {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  let size = 0;
  for (let pos = 0; ; ) {
    const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
    if (bytesRead === 0) break;
    h.update(buf.subarray(0, bytesRead));
    pos += bytesRead;
    size += bytesRead;
  }
  return { docId: h.digest('hex'), size };
}

/**
 * Reads `path` (a string, or the name's raw bytes) for ingest; `shown` names it in messages.
 * Never throws for a file's own problems: they come back as data.
 */
export async function readInput(path: string | Buffer, limits: Limits = DEFAULT_LIMITS, shown: string = String(path)): Promise<Input> {
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    return { kind: 'error', code, error: `cannot read the file (${code})` };
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { kind: 'skipped', reason: `${fileTypeOf(st)}, not a regular file` };
    const max = limits.inputBytes;
    if (st.size <= max) {
      // Read one byte past the limit: a file still growing is caught here, not by trusting stat.
      const buf = Buffer.allocUnsafe(Math.min(st.size, max) + 1);
      let n = 0;
      while (n < buf.length) {
        const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
        if (bytesRead === 0) break;
        n += bytesRead;
      }
      if (n <= max) return { kind: 'bytes', bytes: buf.subarray(0, n) };
    }
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(head, 0, HEAD_BYTES, 0);
    const { docId, size } = await hashAll(fh);
    const error = new LimitError(shown, new OverLimit('inputBytes', size, max, `the file is ${size} bytes`)).message;
    return { kind: 'too-large', docId, size, error, head: head.subarray(0, bytesRead) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    return { kind: 'error', code, error: `cannot read the file (${code})` };
  } finally {
    await fh.close().catch(() => undefined);
  }
}
