// The CSV an analyst gets is the same whether the forms arrived as text dumps or as PDFs (from
// either producer): every file and column, except where a record came from (doc_id, source_*,
// source_ref, location), page counts, load times, and findings about page layout.
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../src/pipeline/ingest.js';
import { openDb } from '../src/store/db.js';
import { exportCsv } from '../src/store/exporter.js';
import { LAYOUT_CODES } from '../src/validate/index.js';
import { FIXTURES, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const DROP = new Set(['doc_id', 'source_path', 'source_kind', 'source_ref', 'value_ref', 'location', 'pages', 'ingested_at', 'pipeline_version']);

async function exportOf(name: string, files: string[]): Promise<Record<string, string[]>> {
  const dir = join(tmp.dir, name);
  mkdirSync(dir);
  for (const f of files) copyFileSync(f, join(dir, f.split('/').pop()!));
  const db = openDb(join(tmp.dir, `${name}.sqlite`));
  try {
    const summary = await ingestPaths(db, [dir], { concurrency: 2 });
    expect(summary.failed).toBe(0);
    exportCsv(db, join(tmp.dir, `${name}-csv`));
  } finally { db.close(); }
  const read = (file: string) => Papa.parse<Record<string, string>>(readFileSync(join(tmp.dir, `${name}-csv`, file), 'utf8'), { header: true, skipEmptyLines: true }).data;
  // project_id embeds the doc_id: name projects by their family and ordinal instead.
  const projectKey = new Map(read('projects.csv').map((p) => [p.project_id!, `${p.variant}-${p.ordinal}`]));
  const out: Record<string, string[]> = {};
  for (const file of readdirSync(join(tmp.dir, `${name}-csv`)).filter((f) => f.endsWith('.csv'))) {
    out[file] = read(file)
      .filter((r) => !(file === 'findings.csv' && LAYOUT_CODES.has(r.code!)))
      .map((r) => {
        if (r.project_id) r.project_id = projectKey.get(r.project_id) ?? r.project_id;
        return JSON.stringify(Object.entries(r).filter(([k]) => !DROP.has(k)));
      })
      .sort();
  }
  return out;
}

describe('CSV export: dumps and PDFs give the same dataset', () => {
  it('text dumps = Chromium PDFs = LibreOffice PDFs', async () => {
    const texts = readdirSync(join(FIXTURES, 'text')).map((f) => join(FIXTURES, 'text', f));
    const pdfs = readdirSync(join(FIXTURES, 'pdf')).filter((f) => f.endsWith('.pdf')).map((f) => join(FIXTURES, 'pdf', f));
    const fromText = await exportOf('text', texts);
    const fromChromium = await exportOf('chromium', pdfs.filter((f) => f.includes('.chromium.')));
    const fromLibreOffice = await exportOf('libreoffice', pdfs.filter((f) => f.includes('.libreoffice.')));
    expect(Object.keys(fromText).sort()).toEqual(['budget_lines.csv', 'cost_items.csv', 'documents.csv', 'findings.csv', 'funding.csv', 'indicators.csv', 'projects.csv']);
    for (const file of Object.keys(fromText)) {
      expect(fromChromium[file], `${file} from Chromium PDFs`).toEqual(fromText[file]);
      expect(fromLibreOffice[file], `${file} from LibreOffice PDFs`).toEqual(fromText[file]);
    }
    expect(fromText['indicators.csv']!.length).toBeGreaterThan(250);
  }, 120_000);
});
