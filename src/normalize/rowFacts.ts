// What the splitters and table readers ask of a row — its non-empty cells, the headings it
// prints if it is a table header, the head field it opens with — worked out once per row and
// kept on it. Every splitter asks these of every row, several times over; a row's cells never
// change once extracted, and a property on it is far cheaper than a WeakMap look-up (whose
// entries also cost the collector) or a non-enumerable property defined on every row (twice
// the cost of an assignment). The facts name the cells array they were read from: a row copied
// with other cells (`{ ...row, cells }`) carries the symbol along but reads its own facts.
import type { Cell, Row } from '../extract/rows.js';
import type { FieldKey } from './labels.js';
import type { CellFeatures } from './table/content.js';
import type { Heading } from './table/headerToRoles.js';

export interface FirstField {
  key: FieldKey;
  repaired: boolean;
}

class RowFacts {
  constructor(readonly of: readonly Cell[]) {}
  cells: readonly Cell[] | undefined = undefined;
  headings: (Heading | null)[] | null | undefined = undefined;
  firstField: FirstField | null | undefined = undefined;
  /** The features of each non-empty cell, in the order of `cells`. */
  features: readonly CellFeatures[] | undefined = undefined;
}

const FACTS = Symbol('rowFacts');

export function factsOf(row: Row): RowFacts {
  const r = row as Row & { [FACTS]?: RowFacts };
  let f = r[FACTS];
  if (f === undefined || f.of !== row.cells) {
    f = new RowFacts(row.cells);
    r[FACTS] = f;
  }
  return f;
}
