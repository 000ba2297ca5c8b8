// Writing output files so that no reader sees half of one and nothing planted beside them is
// written through. A file is written under a fresh random name created exclusively (O_EXCL:
// an existing file or a symbolic link planted there is an error, never followed), synced and
// renamed over the target. A folder of CSV files is written the same way as a whole: into a
// fresh staging folder beside it, then swapped in, so a reader sees all old files or all new.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Opens a new file for writing; fails if anything (a file, a link) is already at `file`. */
export function createExclusive(file: string): number {
  return openSync(file, 'wx', 0o644);
}

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = createExclusive(tmp);
  try {
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export class OutputFolderError extends Error {
  override name = 'OutputFolderError';
}

/** A staging folder beside an output folder, swapped in by `commit` or removed by `abort`. */
interface Staged {
  dir: string;
  commit(): void;
  abort(): void;
}

/**
 * A fresh staging folder beside `out`. `out` may hold only files `replaceable` accepts (what
 * govtables writes there): a folder holding anything else is refused before any work, since
 * swapping would lose it.
 */
function stageFolder(out: string, replaceable: (name: string) => boolean): Staged {
  const target = resolve(out);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  let existing = false;
  try {
    const s = lstatSync(target);
    if (!s.isDirectory()) throw new OutputFolderError(`${out} is ${s.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; give a folder (or a new name) to write into`);
    existing = true;
    const other = readdirSync(target).filter((n) => !replaceable(n));
    if (other.length > 0) {
      throw new OutputFolderError(`${out} holds files govtables did not write (${other.slice(0, 5).join(', ')}${other.length > 5 ? ', …' : ''}); give an empty or new folder`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const staging = mkdtempSync(join(parent, `.${basename(target)}.staging-`));
  return {
    dir: staging,
    commit() {
      if (!existing) {
        renameSync(staging, target);
        return;
      }
      const old = join(parent, `.${basename(target)}.old-${randomBytes(6).toString('hex')}`);
      renameSync(target, old);
      try {
        renameSync(staging, target);
      } catch (err) {
        renameSync(old, target);
        throw err;
      }
      rmSync(old, { recursive: true, force: true });
    },
    abort() {
      rmSync(staging, { recursive: true, force: true });
    },
  };
}

/** Runs `write` on a fresh staging folder beside `out`, then puts the staging folder in `out`'s place. */
export function withStagedFolder<T>(out: string, replaceable: (name: string) => boolean, write: (dir: string) => T): T {
  const staged = stageFolder(out, replaceable);
  try {
    const result = write(staged.dir);
    staged.commit();
    return result;
  } catch (err) {
    staged.abort();
    throw err;
  }
}

/** withStagedFolder for a writer that reads its rows asynchronously (a database server). */
export async function withStagedFolderAsync<T>(out: string, replaceable: (name: string) => boolean, write: (dir: string) => Promise<T>): Promise<T> {
  const staged = stageFolder(out, replaceable);
  try {
    const result = await write(staged.dir);
    staged.commit();
    return result;
  } catch (err) {
    staged.abort();
    throw err;
  }
}
