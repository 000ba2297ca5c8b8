// The SQL the report, the exports and the subset views are written in is SQLite's; the few
// places where PostgreSQL reads it otherwise are adapted here, and nowhere else: parameters
// (`?`, `@name` → `$n`) and `CROSS JOIN … ON` (SQLite's hint to keep the join order; PostgreSQL
// wants plain JOIN with ON). String literals, quoted names and comments are left as written.
import type { SqlParams } from '../sql.js';

export interface PgQuery {
  text: string;
  values: unknown[];
}

export function toPostgres(sql: string, params?: SqlParams): PgQuery {
  const named = params !== undefined && !Array.isArray(params) ? (params as Readonly<Record<string, unknown>>) : null;
  const positional = params !== undefined && Array.isArray(params) ? (params as readonly unknown[]) : [];
  const values: unknown[] = [];
  const slots = new Map<string, number>();
  let out = '';
  let next = 0;
  for (let i = 0; i < sql.length; ) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      // A literal or a quoted name, doubled quotes inside it included.
      let j = i + 1;
      for (; j < sql.length; j++) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) j++;
          else break;
        }
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const j = end < 0 ? sql.length : end;
      out += sql.slice(i, j);
      i = j;
    } else if (c === '?') {
      if (next >= positional.length) throw new Error(`SQL has more ? than the ${positional.length} parameters given`);
      values.push(positional[next++]);
      out += `$${values.length}`;
      i++;
    } else if (c === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const m = /^@([A-Za-z_][A-Za-z0-9_]*)/.exec(sql.slice(i))!;
      const name = m[1]!;
      if (!named || !Object.hasOwn(named, name)) throw new Error(`SQL names @${name}, which no parameter gives`);
      let slot = slots.get(name);
      if (slot === undefined) {
        values.push(named[name]);
        slots.set(name, (slot = values.length));
      }
      out += `$${slot}`;
      i += m[0].length;
    } else if (/[A-Za-z]/.test(c) && (i === 0 || !/[A-Za-z0-9_]/.test(sql[i - 1]!))) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i))!;
      const word = m[0];
      if (word.toUpperCase() === 'CROSS' && /^CROSS\s+JOIN\b/i.test(sql.slice(i))) {
        out += 'JOIN';
        i += /^CROSS\s+JOIN/i.exec(sql.slice(i))![0].length;
      } else {
        out += word;
        i += word.length;
      }
    } else {
      out += c;
      i++;
    }
  }
  return { text: out, values };
}
