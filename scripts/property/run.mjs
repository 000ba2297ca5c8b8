#!/usr/bin/env node
// The long run of the normalizer's property (test/property.test.ts): 10,000 generated forms by
// default, then the shares of exact / partial / wrong-ok results, the failure categories and the
// layout dimensions most often behind a silent error. A script, never part of `npm test`.
//
//   node scripts/property/run.mjs [--cases N] [--seed S] [--fix 'levels=carried;money=line']
//                                 [--plain] [--vary 'misreads;levels'] [--shrink K] [--dump DIR] [--full]
//
// It runs vitest on that one file (no tsx needed) with PROPERTY_* set, reads the counts the test
// writes to a temporary JSON file, and exits with vitest's status (1 while any case is wrong-ok).
// --full also prints the test's own tables (every dimension value, every value kind) and reproducers.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    fix: { type: 'string' },
    plain: { type: 'boolean', default: false },
    vary: { type: 'string' },
    shrink: { type: 'string', default: '5' },
    dump: { type: 'string' },
    full: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1, 11).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'govtables-property-'));
const summaryFile = join(dir, 'summary.json');
const env = {
  ...process.env,
  PROPERTY_CASES: args.cases,
  PROPERTY_REPORT: '1',
  PROPERTY_SHRINK: args.shrink,
  PROPERTY_SUMMARY: summaryFile,
  ...(args.seed ? { PROPERTY_SEED: args.seed } : {}),
  ...(args.fix ? { PROPERTY_FIX: args.fix } : {}),
  ...(args.plain ? { PROPERTY_PLAIN: '1' } : {}),
  ...(args.vary ? { PROPERTY_VARY: args.vary } : {}),
  ...(args.dump ? { PROPERTY_DUMP: args.dump } : {}),
};
const started = Date.now();
const run = spawnSync('npx', ['vitest', 'run', 'test/property.test.ts'], { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
if (args.full) process.stdout.write(run.stdout + run.stderr);

let s;
try {
  s = JSON.parse(readFileSync(summaryFile, 'utf8'));
} catch {
  // No summary: the test did not get as far as counting (a type or set-up error); show why.
  process.stdout.write(run.stdout + run.stderr);
  console.error(`property run: no summary written (vitest exit ${run.status})`);
  process.exit(run.status || 3);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const pct = (k, n) => (n ? `${((100 * k) / n).toFixed(1)}%` : '-');
const line = (label, k) => `  ${label.padEnd(10)} ${String(k).padStart(6)}  ${pct(k, s.cases).padStart(6)}`;
console.log(`property run: ${s.cases} cases, seed ${s.seed}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(line('exact', s.exact) + `  (${s.exactOk} ok, ${s.exact - s.exactOk} partial)`);
console.log(line('partial', s.partial));
console.log(line('wrong-ok', s.wrongOk));

const categories = Object.entries(s.categories).sort((a, b) => b[1].wrongOk - a[1].wrongOk || b[1].partial - a[1].partial);
if (categories.length) {
  console.log('\nfailure categories (cases: wrong-ok / partial, first wrong-ok case)');
  for (const [c, e] of categories) console.log(`  ${c.padEnd(34)} ${String(e.wrongOk).padStart(6)} ${String(e.partial).padStart(6)}   ${e.first >= 0 ? e.first : '-'}`);
}

// The dimension values with the highest wrong-ok rate against the overall one (at least 30 cases).
const base = s.wrongOk / Math.max(1, s.cases);
const tags = Object.entries(s.tags).filter(([, c]) => c.cases >= 30).map(([t, c]) => ({ t, ...c, rate: c.wrongOk / c.cases }))
  .sort((a, b) => b.rate - a.rate).slice(0, 25);
if (base > 0 && tags.length) {
  console.log('\nlayout most often behind a wrong-ok (dimension=value: cases, wrong-ok share, × overall)');
  for (const x of tags) console.log(`  ${x.t.padEnd(40)} ${String(x.cases).padStart(6)}  ${pct(x.wrongOk, x.cases).padStart(6)}  ×${(x.rate / base).toFixed(2)}`);
}

const kinds = Object.entries(s.kinds).sort((a, b) => b[1].wrongOk / b[1].facts - a[1].wrongOk / a[1].facts);
console.log('\nvalue kinds (indicator facts: not read right in wrong-ok / in partial documents)');
for (const [k, e] of kinds) console.log(`  ${k.padEnd(14)} ${String(e.facts).padStart(7)}  ${String(e.wrongOk).padStart(6)} (${pct(e.wrongOk, e.facts)})  ${String(e.partial).padStart(6)}`);

if (!args.full) for (const r of s.reproducers) console.log(`\n${r.text}`);
const pinned = ['PROPERTY_FIX', 'PROPERTY_PLAIN', 'PROPERTY_VARY'].filter((k) => env[k]).map((k) => ` ${k}='${env[k]}'`).join('');
console.log(`\nreplay one case: PROPERTY_SEED=${s.seed}${pinned} PROPERTY_CASE=<n> npx vitest run test/property.test.ts`);
process.exit(run.status ?? 3);
