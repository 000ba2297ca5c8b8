// The SQLite schema as an ordered history. A migration that has shipped is never edited: a
// database records which versions it has applied, so a change goes in a new entry at the end.
// Column names are CONTRACT.md's exactly, so the exporter can select them by name.

export interface Migration {
  version: number;
  name: string;
  /** SQLite's statements. */
  up: string;
  /**
   * PostgreSQL's, where the translation of `up` (postgres/schema.ts: types, identity keys, C
   * collation) would not do; most migrations leave it out.
   */
  postgres?: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'contract tables',
    up: `
CREATE TABLE documents (
  doc_id           TEXT PRIMARY KEY,
  source_path      TEXT NOT NULL,
  source_kind      TEXT NOT NULL,
  variant          TEXT,
  pages            INTEGER NOT NULL,
  project_count    INTEGER NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('ok', 'partial', 'failed')),
  error            TEXT,
  pipeline_version TEXT NOT NULL,
  ingested_at      TEXT NOT NULL,
  detection_json   TEXT
);
-- documents.csv is ordered by source path; this index lets the export stream without sorting.
CREATE INDEX documents_source_path ON documents (source_path, doc_id);
CREATE INDEX documents_status ON documents (status);
CREATE INDEX documents_variant ON documents (variant);

CREATE TABLE projects (
  project_id           TEXT PRIMARY KEY,
  doc_id               TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
  ordinal              INTEGER NOT NULL,
  variant              TEXT NOT NULL,
  province             TEXT,
  region               TEXT,
  fiscal_year          INTEGER,
  form_title           TEXT,
  agency               TEXT,
  supervising_agency   TEXT,
  project_name         TEXT,
  project_code         TEXT,
  project_attribute    TEXT,
  project_type         TEXT,
  assessment_level     TEXT,
  function_code        TEXT,
  function_name        TEXT,
  annual_budget_yuan   REAL,
  period_budget_yuan   REAL,
  period_label         TEXT,
  period_start         TEXT,
  period_end           TEXT,
  manager              TEXT,
  manager_phone        TEXT,
  overview             TEXT,
  annual_goal          TEXT,
  period_goal          TEXT,
  execution_weight_pct REAL,
  source_ref           TEXT,
  UNIQUE (doc_id, ordinal)
);
-- The UNIQUE (doc_id, ordinal) index doubles as the index on the doc_id foreign key.
CREATE INDEX projects_variant_year_region ON projects (variant, fiscal_year, region);

CREATE TABLE indicators (
  project_id TEXT NOT NULL REFERENCES projects (project_id) ON DELETE CASCADE,
  ordinal    INTEGER NOT NULL,
  horizon    TEXT NOT NULL CHECK (horizon IN ('annual', 'period')),
  level1     TEXT,
  level2     TEXT,
  name       TEXT,
  value_text TEXT,
  comparator TEXT,
  value_num  REAL,
  value_unit TEXT,
  weight_pct REAL,
  direction  TEXT,
  note       TEXT,
  source_ref TEXT,
  PRIMARY KEY (project_id, ordinal, horizon)
);

CREATE TABLE cost_items (
  project_id      TEXT NOT NULL REFERENCES projects (project_id) ON DELETE CASCADE,
  ordinal         INTEGER NOT NULL,
  item            TEXT,
  quantity        REAL,
  unit            TEXT,
  unit_price_yuan REAL,
  amount_yuan     REAL,
  source          TEXT NOT NULL,
  source_ref      TEXT,
  PRIMARY KEY (project_id, ordinal)
);

-- ordinal is the position in the project's funding list: it keys the row and keeps the
-- printed order, but it is not a contract column.
CREATE TABLE funding (
  project_id  TEXT NOT NULL REFERENCES projects (project_id) ON DELETE CASCADE,
  ordinal     INTEGER NOT NULL,
  horizon     TEXT NOT NULL CHECK (horizon IN ('annual', 'period')),
  source      TEXT NOT NULL,
  amount_yuan REAL,
  source_ref  TEXT,
  PRIMARY KEY (project_id, ordinal)
);

-- line_id follows insertion order, which is the order the tables appear in the document.
CREATE TABLE budget_lines (
  line_id     INTEGER PRIMARY KEY,
  doc_id      TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
  table_title TEXT NOT NULL,
  row_ordinal INTEGER NOT NULL,
  code        TEXT,
  name        TEXT,
  "column"    TEXT NOT NULL,
  amount_yuan REAL NOT NULL,
  source_ref  TEXT
);
CREATE INDEX budget_lines_doc ON budget_lines (doc_id);

CREATE TABLE findings (
  finding_id INTEGER PRIMARY KEY,
  doc_id     TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
  project_id TEXT REFERENCES projects (project_id) ON DELETE CASCADE,
  severity   TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
  code       TEXT NOT NULL,
  message    TEXT NOT NULL,
  location   TEXT
);
CREATE INDEX findings_doc ON findings (doc_id);
CREATE INDEX findings_project ON findings (project_id);
CREATE INDEX findings_code ON findings (code);
`,
  },
  {
    version: 2,
    name: 'run ledger and lock',
    // A run's counts are also derivable from documents.run_id, so a run that died before
    // closing itself can be closed later with true numbers. status says whether the run
    // itself finished; failed documents are counted, not a run failure.
    up: `
CREATE TABLE runs (
  run_id        INTEGER PRIMARY KEY AUTOINCREMENT,
  pipeline      TEXT NOT NULL,
  started_at    TEXT NOT NULL,
  ended_at      TEXT,
  status        TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),
  files         INTEGER NOT NULL DEFAULT 0,
  skipped       INTEGER NOT NULL DEFAULT 0,
  docs_ok       INTEGER NOT NULL DEFAULT 0,
  docs_partial  INTEGER NOT NULL DEFAULT 0,
  docs_failed   INTEGER NOT NULL DEFAULT 0,
  unreadable    INTEGER NOT NULL DEFAULT 0,
  findings_json TEXT NOT NULL DEFAULT '{}',
  args_json     TEXT NOT NULL,
  stats_json    TEXT,
  error         TEXT,
  pid           INTEGER NOT NULL,
  host          TEXT NOT NULL
);

ALTER TABLE documents ADD COLUMN run_id INTEGER REFERENCES runs (run_id);
-- ExtractError's reason token for a failed document: the nightly run re-reads only the
-- transient ones.
ALTER TABLE documents ADD COLUMN failure_reason TEXT;
CREATE INDEX documents_run ON documents (run_id);

-- Files a run could not even read: they have no doc_id, so documents cannot hold them.
CREATE TABLE run_unreadable (
  run_id INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  path   TEXT NOT NULL,
  reason TEXT NOT NULL,
  error  TEXT NOT NULL,
  PRIMARY KEY (run_id, path)
);

CREATE TABLE locks (
  name       TEXT PRIMARY KEY,
  run_id     INTEGER REFERENCES runs (run_id),
  pid        INTEGER NOT NULL,
  host       TEXT NOT NULL,
  proc_start TEXT,
  started_at TEXT NOT NULL
);
`,
  },
  {
    version: 3,
    name: 'document size, head hash and supersession',
    // A document whose bytes begin another's (a half-copied file and its complete copy) is
    // found by the hash of its first kilobyte and its size, then proven by hashing the longer
    // file's prefix; the shorter one is kept as a failed row that names the one superseding it.
    up: `
ALTER TABLE documents ADD COLUMN byte_size INTEGER;
ALTER TABLE documents ADD COLUMN head_sha256 TEXT;
ALTER TABLE documents ADD COLUMN superseded_by TEXT;
CREATE INDEX documents_head ON documents (head_sha256, byte_size);
`,
  },
  {
    version: 4,
    name: 'document block hashes',
    // The first 8 bytes of the sha256 of each whole 4 KiB block: a stored document is proven to
    // begin with a new one's bytes (its file read back) only when these agree, so documents that
    // share a first kilobyte (one template, many projects) are not read back one by one.
    up: `
ALTER TABLE documents ADD COLUMN block_hashes BLOB;
`,
  },
  {
    version: 5,
    name: 'records tied together: value cells, finding targets, form keys, reasons, re-reads',
    // partial_reasons: the codes that made a document partial. read_options: what it was read
    // with (`{"ocr":"never"}`), so a failed document is read again when they change. form_key:
    // one form across files (model/formKey.ts); form_copies names, for each project whose form
    // another document holds from a better source (text over scan, then fewer findings, then
    // the one stored first), the project counted instead. It is a view, so it is right whatever
    // order the files came in and whatever is re-read or removed later. A finding names the
    // indicator (ordinal) or the field it is about. run_rereads: what each run read again.
    up: `
ALTER TABLE documents ADD COLUMN partial_reasons TEXT;
ALTER TABLE documents ADD COLUMN read_options TEXT;
ALTER TABLE indicators ADD COLUMN value_ref TEXT;
ALTER TABLE projects ADD COLUMN form_key TEXT;
CREATE INDEX projects_form_key ON projects (form_key);
ALTER TABLE findings ADD COLUMN indicator_ordinal INTEGER;
ALTER TABLE findings ADD COLUMN field TEXT;
ALTER TABLE runs ADD COLUMN re_read INTEGER NOT NULL DEFAULT 0;

CREATE VIEW form_copies AS
WITH keyed AS (
  SELECT p.project_id, p.doc_id, p.ordinal, p.form_key, d.ingested_at,
         CASE d.source_kind WHEN 'scan' THEN 1 ELSE 0 END AS scan,
         (SELECT count(*) FROM findings f
           WHERE f.project_id = p.project_id AND f.severity <> 'info' AND f.code <> 'DUPLICATE_FORM') AS flaws
    FROM projects p JOIN documents d ON d.doc_id = p.doc_id
   WHERE p.form_key IS NOT NULL
), ranked AS (
  SELECT project_id, doc_id,
         first_value(project_id) OVER (PARTITION BY form_key ORDER BY scan, flaws, ingested_at, doc_id, ordinal) AS kept
    FROM keyed
)
SELECT r.project_id, r.kept AS duplicate_of
  FROM ranked r JOIN projects k ON k.project_id = r.kept
 WHERE k.doc_id <> r.doc_id;

CREATE TABLE run_rereads (
  run_id           INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  doc_id           TEXT NOT NULL,
  source_path      TEXT NOT NULL,
  previous_status  TEXT NOT NULL,
  previous_version TEXT NOT NULL,
  status           TEXT NOT NULL,
  PRIMARY KEY (run_id, doc_id)
);
`,
  },
];

export const LATEST_VERSION: number = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
