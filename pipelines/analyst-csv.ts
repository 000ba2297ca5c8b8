// An analyst's extract: the contract's CSV files for a year, a region and/or a form family,
// with a data dictionary (README.md) and the findings counted by code (findings_summary.csv).
import { join } from 'node:path';
import { VARIANTS } from '../src/model/schema.js';
import { dictionaryMarkdown, dictionaryRows } from '../src/runs/dictionary.js';
import { applySubsetTo, FINDINGS_SUMMARY_COLUMNS, findingSummaryValues, findingsByCodeFrom, writeFindingCounts, type ProjectFilter } from '../src/runs/subset.js';
import type { Kind } from '../src/store/exporter.js';
import { tableSheets, writeWorkbook } from '../src/store/xlsx.js';
import { writeFileAtomic } from '../src/store/atomicFile.js';
import { exportCsvFrom } from '../src/store/exporter.js';
import { openStore } from '../src/store/store.js';
import { intOpt, stringOpt } from './options.js';

const FINDINGS_SUMMARY_KINDS = FINDINGS_SUMMARY_COLUMNS.map((c) => [c, c === 'code' || c === 'severity' || c === 'partial' ? 'code' : c === 'meaning' ? 'text' : 'int'] as const satisfies readonly [string, Kind]);
import { OptionError, type Outcome, type Pipeline, type Values } from './types.js';

function filterOf(v: Values): ProjectFilter {
  const variant = stringOpt(v, 'variant');
  if (variant !== undefined && !(VARIANTS as readonly string[]).includes(variant)) {
    throw new OptionError(`--variant must be one of ${VARIANTS.join(', ')}, not "${variant}"`);
  }
  const year = stringOpt(v, 'year') === undefined ? undefined : intOpt(v, 'year', 0, 1990, 2100);
  return { fiscalYear: year, region: stringOpt(v, 'region'), variant };
}

function describeFilter(f: ProjectFilter): string[] {
  const parts = [
    f.fiscalYear !== undefined ? `fiscal_year = ${f.fiscalYear}` : null,
    f.region !== undefined ? `region or province = ${f.region}` : null,
    f.variant !== undefined ? `variant = ${f.variant}` : null,
  ].filter((p): p is string => p !== null);
  return parts.length
    ? [`Projects where ${parts.join(' and ')}; documents, indicators, cost items, funding, budget lines and findings are those of the selected projects.`]
    : ['All projects in the database.'];
}

export const analystCsv: Pipeline = {
  name: 'analyst-csv',
  summary: 'CSV files for a year, region or form family, with a data dictionary and findings summary',
  usage: `Usage: govtables run analyst-csv [--out DIR] [--xlsx FILE] [--year Y] [--region R] [--variant V] [--db FILE] [--bom]

Writes the contract's CSV files for the selected projects, README.md (every column of every
file, its meaning and unit) and findings_summary.csv (findings counted by code and severity);
and/or the same as one Excel workbook (a sheet per file, numbers and dates typed, header
frozen, the dictionary as a sheet).

Options:
  --out DIR          folder to write the CSV files to (created if missing)
  --xlsx FILE        workbook to write (.xlsx)
  --year Y           fiscal year
  --region R         region or province as printed (绵阳市, 四川省)
  --variant V        form family (${VARIANTS.join(', ')})
  --db FILE|URL      SQLite database, or a postgres:// URL (default $GOVTABLES_DB, else data/govtables.sqlite)
  --bom              start each CSV with a UTF-8 byte order mark (for Excel)
  -h, --help         this help`,
  options: { out: { type: 'string' }, xlsx: { type: 'string' }, year: { type: 'string' }, region: { type: 'string' }, variant: { type: 'string' }, db: { type: 'string' }, bom: { type: 'boolean' } },

  async run(values, io): Promise<Outcome> {
    const out = stringOpt(values, 'out');
    const xlsx = stringOpt(values, 'xlsx');
    if (out === undefined && xlsx === undefined) throw new OptionError('--out DIR or --xlsx FILE is required');
    if (xlsx !== undefined && !xlsx.toLowerCase().endsWith('.xlsx')) throw new OptionError(`--xlsx names the workbook to write, a .xlsx file, not "${xlsx}"`);
    const filter = filterOf(values);
    const bom = values.bom === true;
    const dbFile = stringOpt(values, 'db') ?? io.defaults.db;
    // An export only reads: the database is opened read-only.
    const store = await openStore(dbFile, { readonly: true });
    try {
      // One snapshot for the tables, the summary and the workbook, with the subset laid over it.
      await store.read(async (reader) => {
        await applySubsetTo(reader, filter);
        const findings = await findingsByCodeFrom(reader);
        if (out !== undefined) {
          // The dataset is for spreadsheets: formula-like text cells are defused (README.md says so).
          const counts = await exportCsvFrom(reader, out, {
            bom, spreadsheet: true,
            alsoWrite: (dir) => {
              writeFindingCounts(findings, join(dir, 'findings_summary.csv'), bom);
              writeFileAtomic(join(dir, 'README.md'), dictionaryMarkdown(`govtables export from ${store.name}`, describeFilter(filter)));
            },
          });
          const files = Object.entries(counts).map(([t, c]) => `${t}.csv (${c})`).join(', ');
          io.stderr.write(`wrote ${files}, findings_summary.csv (${findings.length}) and README.md to ${out}\n`);
        }
        if (xlsx !== undefined) {
          const summary = { name: 'findings_summary', columns: FINDINGS_SUMMARY_KINDS, rows: (async function* () { yield findings.map(findingSummaryValues); })() };
          const counts = await writeWorkbook(xlsx, tableSheets(reader), { extraSheets: [summary], dictionary: dictionaryRows() });
          io.stderr.write(`wrote ${xlsx}: ${Object.entries(counts).map(([t, c]) => `${t} (${c})`).join(', ')}\n`);
        }
      });
      return 'ok';
    } finally {
      await store.close();
    }
  },
};
