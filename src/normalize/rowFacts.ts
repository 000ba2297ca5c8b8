// What the splitters and table readers ask of a row — its non-empty cells, the headings it
// prints if it is a table header, the head field it opens with — worked out once per row and
// kept on it. Every splitter asks these of every row, several times over; a row never changes
// once extracted, and a property on it is far cheaper than a WeakMap look-up (whose entries
// also cost the collector). Not enumerable, so a row copied with other cells
// (`{ ...row, cells }`) starts with facts of its own.
import type { Cell, Row } from '../extract/rows.js';
import type { FieldKey } from './labels.js';
import type { Heading } from './table/headerToRoles.js';

export interface FirstField {
  key: FieldKey;
  repaired: boolean;
}

class RowFacts {
  cells: readonly Cell[] | undefined = undefined;
  headings: (Heading | null)[] | null | undefined = undefined;
  firstField: FirstField | null | undefined = undefined;
}

const FACTS = Symbol('rowFacts');

export function factsOf(row: Row): RowFacts {
  const r = row as Row & { [FACTS]?: RowFacts };
  let f = r[FACTS];
  if (f === undefined) {
    f = new RowFacts();
    Object.defineProperty(r, FACTS, { value: f, enumerable: false });
  }
  return f;
}
