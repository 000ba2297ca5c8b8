#!/usr/bin/env node
// Thin launcher: the CLI is compiled from src/ by `npm install` (the `prepare` script).
// SQLite URI names let a read-only database in a read-only folder be opened as immutable
// (src/store/db.ts); the setting must be made before better-sqlite3 loads.
process.env.SQLITE_USE_URI ??= '1';
const { main } = await import('../dist/src/cli/main.js');

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`govtables: ${err instanceof Error ? err.stack ?? err.message : String(err)}`); process.exitCode = 3; },
);
