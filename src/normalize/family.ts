// What a form family is: its signature for the detector, how its forms are titled, its money
// unit and region, and any part of the document only it has. One family per file in variants/.
import type { Row } from '../extract/rows.js';
import type { Horizon, Variant } from '../model/schema.js';
import type { ParsedBudget } from './budgetTables.js';
import type { NormalizeContext } from './context.js';
import type { MoneyUnit } from './values.js';

/** One piece of evidence for a family: a pattern in the document's text and its weight. */
export interface Signal {
  pattern: RegExp;
  weight: number;
  what: string;
}

export interface Family {
  variant: Variant;
  province: string | null;
  region: string | null;
  /** Money unit of amounts printed without one. */
  unit: MoneyUnit;
  signals: Signal[];
  /** Is this single-cell line the title of one of the family's forms? */
  isTitle: (text: string) => boolean;
  /** Horizon of a one-value-column indicator table. */
  defaultHorizon: Horizon;
  /** Rows before the first form (a report's budget tables), when the family has such a part. */
  readPreamble?: (rows: Row[], ctx: NormalizeContext) => ParsedBudget;
}
