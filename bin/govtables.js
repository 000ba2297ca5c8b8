#!/usr/bin/env node
// Thin launcher: the CLI is compiled from src/ by `npm install` (the `prepare` script).
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`govtables: ${err instanceof Error ? err.stack ?? err.message : String(err)}`); process.exitCode = 3; },
);
