// --include / --exclude: which files under a folder are read, by glob. A pattern without a `/`
// is matched against a file's (or a folder's) name, one with a `/` against its path below the
// folder named on the command line; `*` and `?` stay within a name, `**` spans folders,
// `[abc]` is a class and `{pdf,png}` alternatives. An excluded folder is not walked. Files
// named on the command line themselves are always read.

export interface PathFilter {
  include: readonly string[];
  exclude: readonly string[];
  /** Files left out so far (counted for the summary). */
  excluded: number;
}

export function pathFilter(include: readonly string[] = [], exclude: readonly string[] = []): PathFilter | null {
  if (include.length === 0 && exclude.length === 0) return null;
  for (const p of [...include, ...exclude]) globToRegExp(p);
  return { include, exclude, excluded: 0 };
}

export class GlobError extends Error {
  override name = 'GlobError';
}

const cache = new Map<string, RegExp>();

/** A glob as an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  const hit = cache.get(glob);
  if (hit) return hit;
  if (glob === '') throw new GlobError('an empty pattern matches nothing');
  let re = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches no folder or any number of them; `**` at the end anything.
        if (glob[i + 2] === '/') { re += '(?:[^/]*(?:/|$))*'; i += 2; } else { re += '.*'; i++; }
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) throw new GlobError(`"${glob}": a [ without its ]`);
      const body = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
      re += `[${body}]`;
      i = end;
    } else if (c === '{') { re += '(?:'; depth++; }
    else if (c === '}' && depth > 0) { re += ')'; depth--; }
    else if (c === ',' && depth > 0) re += '|';
    else if (c === '\\' && i + 1 < glob.length) re += glob[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  if (depth > 0) throw new GlobError(`"${glob}": a { without its }`);
  const r = new RegExp(`^${re}$`, 'u');
  cache.set(glob, r);
  return r;
}

function matches(glob: string, rel: string): boolean {
  const target = glob.includes('/') ? rel : rel.slice(rel.lastIndexOf('/') + 1);
  return globToRegExp(glob.replace(/^\.\//, '')).test(target);
}

/** A folder at `rel` (below the named folder) is walked. */
export function walksFolder(f: PathFilter | null, rel: string): boolean {
  return !f || !f.exclude.some((g) => matches(g, rel));
}

/** A file at `rel` is read: it matches an include (when there are any) and no exclude. */
export function readsFile(f: PathFilter | null, rel: string): boolean {
  if (!f) return true;
  const ok = (f.include.length === 0 || f.include.some((g) => matches(g, rel))) && !f.exclude.some((g) => matches(g, rel));
  if (!ok) f.excluded++;
  return ok;
}
