// Files under the paths a user names, depth first in name order, streamed: an archive of
// 100,000 files is never listed into memory at once.
import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export async function* walkFiles(paths: readonly string[]): AsyncGenerator<string> {
  for (const p of paths) {
    const s = await stat(p);
    if (s.isDirectory()) yield* walkDir(p);
    else yield p;
  }
}

async function* walkDir(dir: string): AsyncGenerator<string> {
  // Names are sorted per folder so runs are repeatable; a folder's listing is one folder's worth.
  const names: { name: string; dir: boolean }[] = [];
  for await (const e of await opendir(dir)) {
    if (e.name.startsWith('.')) continue;
    if (e.isDirectory() || e.isFile()) names.push({ name: e.name, dir: e.isDirectory() });
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const n of names) {
    const full = join(dir, n.name);
    if (n.dir) yield* walkDir(full);
    else yield full;
  }
}
