// Files under the paths a user names, depth first in name order, streamed: an archive of
// 100,000 files is never listed into memory at once.
import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A file to read, or a path that could not be listed (it is reported, and the walk goes on). */
export interface Walked { path: string; error?: string }

export async function* walkFiles(paths: readonly string[]): AsyncGenerator<Walked> {
  for (const p of paths) {
    let s;
    try {
      s = await stat(p);
    } catch (err) {
      yield { path: p, error: `cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
      continue;
    }
    if (s.isDirectory()) yield* walkDir(p);
    else yield { path: p };
  }
}

async function* walkDir(dir: string): AsyncGenerator<Walked> {
  // Names are sorted per folder so runs are repeatable; a folder's listing is one folder's worth.
  const names: { name: string; dir: boolean }[] = [];
  try {
    for await (const e of await opendir(dir)) {
      if (e.name.startsWith('.')) continue;
      // A link is followed to what it points at; a dangling one is reported when read.
      const isDir = e.isDirectory() || (e.isSymbolicLink() && (await stat(join(dir, e.name)).then((x) => x.isDirectory(), () => false)));
      if (isDir || e.isFile() || e.isSymbolicLink()) names.push({ name: e.name, dir: isDir });
    }
  } catch (err) {
    yield { path: dir, error: `cannot list the folder (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
    return;
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const n of names) {
    const full = join(dir, n.name);
    if (n.dir) yield* walkDir(full);
    else yield { path: full };
  }
}
