// An analyst's extract: the contract's CSV files for a year, a region and/or a form family,
// with a data dictionary (README.md) and the findings counted by code (findings_summary.csv).
import { join } from 'node:path';
import { VARIANTS } from '../src/model/schema.js';
import { dictionaryMarkdown } from '../src/runs/dictionary.js';
import { applySubsetTo, findingsByCodeFrom, writeFindingCounts, type ProjectFilter } from '../src/runs/subset.js';
import { writeFileAtomic } from '../src/store/atomicFile.js';
import { exportCsvFrom } from '../src/store/exporter.js';
import { openStore } from '../src/store/store.js';
import { intOpt, requiredOpt, stringOpt } from './options.js';
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
  usage: `Usage: govtables run analyst-csv --out DIR [--year Y] [--region R] [--variant V] [--db FILE] [--bom]

Writes the contract's CSV files for the selected projects, README.md (every column of every
file, its meaning and unit) and findings_summary.csv (findings counted by code and severity).

Options:
  --out DIR          folder to write (created if missing)
  --year Y           fiscal year
  --region R         region or province as printed (绵阳市, 四川省)
  --variant V        form family (${VARIANTS.join(', ')})
  --db FILE|URL      SQLite database, or a postgres:// URL (default $GOVTABLES_DB, else data/govtables.sqlite)
  --bom              start each CSV with a UTF-8 byte order mark (for Excel)
  -h, --help         this help`,
  options: { out: { type: 'string' }, year: { type: 'string' }, region: { type: 'string' }, variant: { type: 'string' }, db: { type: 'string' }, bom: { type: 'boolean' } },

  async run(values, io): Promise<Outcome> {
    const out = requiredOpt(values, 'out', 'DIR');
    const filter = filterOf(values);
    const bom = values.bom === true;
    const dbFile = stringOpt(values, 'db') ?? io.defaults.db;
    // An export only reads: the database is opened read-only.
    const store = await openStore(dbFile, { readonly: true });
    try {
      // One snapshot for the tables and the summary, with the subset laid over it.
      const { counts, findings } = await store.read(async (reader) => {
        await applySubsetTo(reader, filter);
        const findings = await findingsByCodeFrom(reader);
        // The dataset is for spreadsheets: formula-like text cells are defused (README.md says so).
        const counts = await exportCsvFrom(reader, out, {
          bom, spreadsheet: true,
          alsoWrite: (dir) => {
            writeFindingCounts(findings, join(dir, 'findings_summary.csv'), bom);
            writeFileAtomic(join(dir, 'README.md'), dictionaryMarkdown(`govtables export from ${store.name}`, describeFilter(filter)));
          },
        });
        return { counts, findings };
      });
      const files = Object.entries(counts).map(([t, c]) => `${t}.csv (${c})`).join(', ');
      io.stderr.write(`wrote ${files}, findings_summary.csv (${findings.length}) and README.md to ${out}\n`);
      return 'ok';
    } finally {
      await store.close();
    }
  },
};
