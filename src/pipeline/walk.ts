// Files under the paths a user names, depth first in name order, streamed: an archive of
// 100,000 files is never listed into memory at once. Only regular files are read; anything
// else (a FIFO, a device, a socket) is listed as skipped with what it is, so a pipe never hangs
// a run and /dev/zero never fills its memory. A symbolic link is followed, but a folder is
// walked once however many links lead to it, so link loops end. Names are read as bytes: a
// name that is not UTF-8 is still opened by its bytes and shown with them escaped.
import { opendir, stat } from 'node:fs/promises';
import { fileTypeOf } from './readInput.js';
import { displayName } from './printable.js';
import { readsFile, walksFolder, type PathFilter } from './pathFilter.js';

/** A regular file to read, a path that was left out and why, or one that could not be listed. */
export type Walked =
  | { path: string; fsPath: string | Buffer; error?: undefined; skipped?: undefined }
  | { path: string; error: string; skipped?: undefined; fsPath?: undefined }
  | { path: string; skipped: string; error?: undefined; fsPath?: undefined };

type Stats = Awaited<ReturnType<typeof stat>>;

const SLASH = Buffer.from('/');

/** Walk state: folders (and linked files) already reached, by device and inode. */
class Seen {
  private readonly keys = new Set<string>();
  /** True the first time. */
  add(s: Stats): boolean {
    const k = `${s.dev}:${s.ino}`;
    if (this.keys.has(k)) return false;
    this.keys.add(k);
    return true;
  }
}

function codeOf(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? String(err);
}

/** `filter` (--include / --exclude) applies below the folders named; files named are always read. */
export async function* walkFiles(paths: readonly string[], filter: PathFilter | null = null): AsyncGenerator<Walked> {
  const seen = new Seen();
  for (const p of paths) {
    let s: Stats;
    try {
      s = await stat(p);
    } catch (err) {
      yield { path: p, error: `cannot read it (${codeOf(err)})` };
      continue;
    }
    if (s.isDirectory()) {
      if (seen.add(s)) yield* walkDir(Buffer.from(p), p, seen, '', filter);
    } else if (s.isFile()) yield { path: p, fsPath: p };
    else yield { path: p, skipped: `${fileTypeOf(s)}, not a regular file` };
  }
}

async function* walkDir(dir: Buffer, shown: string, seen: Seen, rel: string, filter: PathFilter | null): AsyncGenerator<Walked> {
  // Names are sorted per folder so runs are repeatable; a folder's listing is one folder's worth.
  const names: { name: Buffer; kind: 'dir' | 'file' | 'link' | 'other' }[] = [];
  try {
    for await (const e of await opendir(dir, { encoding: 'buffer' as BufferEncoding })) {
      const name = e.name as unknown as Buffer;
      if (name[0] === 0x2e /* . */) continue;
      const kind = e.isDirectory() ? 'dir' : e.isFile() ? 'file' : e.isSymbolicLink() ? 'link' : 'other';
      names.push({ name, kind });
    }
  } catch (err) {
    yield { path: shown, error: `cannot list the folder (${codeOf(err)})` };
    return;
  }
  names.sort((a, b) => Buffer.compare(a.name, b.name));
  for (const n of names) {
    const full = Buffer.concat([dir, SLASH, n.name]);
    const path = displayName(full);
    const fsPath = path === full.toString('utf8') ? path : full;
    const below = `${rel}${displayName(n.name)}`;
    if (n.kind === 'file') { if (readsFile(filter, below)) yield { path, fsPath }; continue; }
    if (n.kind === 'dir' && !walksFolder(filter, below)) continue;
    let s: Stats;
    try {
      s = await stat(full);
    } catch (err) {
      yield n.kind === 'link' ? { path, error: `a symbolic link to nothing (${codeOf(err)})` } : { path, error: `cannot read it (${codeOf(err)})` };
      continue;
    }
    if (s.isDirectory()) {
      if (!walksFolder(filter, below)) continue;
      if (seen.add(s)) yield* walkDir(full, path, seen, `${below}/`, filter);
      else if (n.kind === 'link') yield { path, skipped: 'a link to a folder already walked' };
    } else if (s.isFile()) {
      if (!readsFile(filter, below)) continue;
      if (n.kind !== 'link' || seen.add(s)) yield { path, fsPath };
      else yield { path, skipped: 'a link to a file already reached by another link' };
    } else {
      yield { path, skipped: `${n.kind === 'link' ? 'a link to ' : ''}${fileTypeOf(s)}, not a regular file` };
    }
  }
}
