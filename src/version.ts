// The pipeline version stamped on every document: the package version, so a re-run with new
// code can tell which documents an older release produced.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest folder above this module (source or compiled) with package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('govtables: package.json not found above the installed code');
    dir = up;
  }
  return dir;
}

const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };

export const PIPELINE_VERSION = `govtables ${pkg.version}`;
