// The pipelines `govtables run NAME` knows, one file each.
import { analystCsv } from './analyst-csv.js';
import { archive } from './archive.js';
import { nightly } from './nightly.js';
import { reparse } from './reparse.js';
import type { Pipeline } from './types.js';

export const PIPELINES: ReadonlyMap<string, Pipeline> = new Map([nightly, archive, analystCsv, reparse].map((p) => [p.name, p]));
