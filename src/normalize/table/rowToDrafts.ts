// A placed row → the levels it prints (carried down to the rows below) and one draft indicator
// per horizon it holds. A cell's meaning is its column's: a level label counts only in a level
// column, so an indicator named like a level (`服务对象满意度`) keeps its name.
import type { Cell, Row } from '../../extract/rows.js';
import { refOf } from '../../extract/rows.js';
import type { Horizon, Level1, Level2 } from '../../model/schema.js';
import { tidy } from '../../text/fold.js';
import { LEVEL1_OF, ONLY_LEVEL2_OF } from '../vocabulary.js';
import type { Placement } from './alignRow.js';
import { cellFeatures, type CellFeatures } from './content.js';
import type { Column } from './headerToRoles.js';
import { LEVEL_ROLES, VALUE_ROLES, type Role } from './roles.js';

/** Levels carried down a table: level 1 shared, level 2 per horizon (each half repeats its own). */
export interface LevelState {
  level1: Level1 | null;
  level2: Map<Horizon | 'shared', Level2 | null>;
  /** Horizon of a stacked block (`长期绩效指标` above, `年度绩效指标` below). */
  blockHorizon: Horizon | null;
}

export function newLevelState(blockHorizon: Horizon | null = null): LevelState {
  return { level1: null, level2: new Map(), blockHorizon };
}

/** One printed indicator before ordinals and parsing: a horizon's cells as text. */
export interface Draft {
  horizon: Horizon;
  level1: Level1 | null;
  level2: Level2 | null;
  /** The level 1 the form printed, when it is not the taxonomy's. */
  printedLevel1: Level1 | null;
  name: string | null;
  value: string | null;
  /** Present when the table has a 指标性质 column. */
  nature?: string | null;
  unit: string | null;
  weight: string | null;
  direction: string | null;
  note: string | null;
  ref: string;
  valueRef: string | null;
}

export interface LevelNote {
  code: 'LABEL_REPAIRED' | 'LABEL_FRAGMENT_JOINED' | 'LABEL_UNKNOWN' | 'LEVEL_FOLDED';
  message: string;
  cell: Cell;
}

export interface RowDrafts {
  drafts: Draft[];
  notes: LevelNote[];
  /** The row printed a level label (a row may hold nothing else). */
  printedLevel: boolean;
}

const groupOf = (c: Column): Horizon | 'shared' => c.horizon ?? 'shared';

/** Reads the level cells of a row into the state, left to right. */
function readLevels(p: Placement, state: LevelState, notes: LevelNote[]): boolean {
  let printed = false;
  const shape = shapeOf(p.columns);
  for (const { c, k } of shape.levels) {
    for (const cell of p.cells[k]!) {
      const f = withLevelRepair(cellFeatures(cell.text));
      if (f.level) {
        printed = true;
        const h = f.level.hit;
        if (h.how === 'fuzzy' || h.how === 'prefix') notes.push({ code: 'LABEL_REPAIRED', message: `label "${tidy(cell.text)}" read as "${h.label}" (misread)`, cell });
        if (h.how === 'fragment') notes.push({ code: 'LABEL_FRAGMENT_JOINED', message: `label fragment "${tidy(cell.text)}" read as "${h.label}" (split by a page or a narrow cell)`, cell });
        if (f.level.kind === 'level1') setLevel1(state, f.level.key, c.role === 'level2' && shape.hasLevel1 ? groupOf(c) : null);
        else {
          if (h.meaning.kind === 'level2' && h.meaning.folded) {
            notes.push({ code: 'LEVEL_FOLDED', message: `"${h.meaning.folded}" is filed as 产出指标 / 成本指标 (the contract's level 2 list is closed)`, cell });
          }
          const g = c.role === 'level2' ? groupOf(c) : 'shared';
          setLevel2(state, f.level.key, g);
        }
      } else if (f.block) {
        if (f.block.horizon) state.blockHorizon = f.block.horizon;
      } else if (!f.review && !f.seq) {
        // A row number left of the levels is a 序号 column no heading names: nothing to say.
        notes.push({ code: 'LABEL_UNKNOWN', message: `"${tidy(cell.text)}" stands where a label goes but is no known label; left out`, cell });
      }
    }
  }
  return printed;
}

/** In a level column a label misread by a character (`吋效性`) is read as the label it misreads. */
function withLevelRepair(f: CellFeatures): CellFeatures {
  return f.level || !f.looseLevel ? f : { ...f, level: f.looseLevel };
}

/**
 * A level 1 printed: level 2 carried from above stays only under its own level 1 (a level 1
 * printed on a middle row of its group changes nothing). Printed in the level-2 column under
 * another level 1 (`效益指标 ⇥ 满意度指标` in older forms), it is the level 2 when it has one
 * only (满意度指标 → 服务对象满意度指标), and the printed level 1 stays to be remapped.
 */
function setLevel1(state: LevelState, key: Level1, asLevel2Of: Horizon | 'shared' | null): void {
  const only = ONLY_LEVEL2_OF[key];
  if (asLevel2Of !== null && only) {
    state.level2.set(asLevel2Of, only);
    if (asLevel2Of === 'shared') for (const g of state.level2.keys()) state.level2.set(g, only);
    return;
  }
  state.level1 = key;
  for (const [g, l2] of state.level2) if (l2 && LEVEL1_OF[l2] !== key) state.level2.set(g, null);
}

function setLevel2(state: LevelState, key: Level2, group: Horizon | 'shared'): void {
  state.level2.set(group, key);
  // A shared level 2 (printed left of both halves) stands for each half until it prints its own.
  if (group === 'shared') for (const g of state.level2.keys()) if (g !== 'shared') state.level2.set(g, key);
}

function joined(cells: Cell[]): string | null {
  // Most columns of a row hold no cell or one.
  if (cells.length === 0) return null;
  if (cells.length === 1) return cells[0]!.text.trim() || null;
  const t = cells.map((c) => c.text.trim()).filter(Boolean).join(' ');
  return t === '' ? null : t;
}

/** The horizons a row is read in: each value column's, or one for a single-value table. */
function horizonsOf(columns: Column[], state: LevelState, defaultHorizon: Horizon): Horizon[] {
  const values = shapeOf(columns).values;
  if (values.length >= 2) return [...new Set(values.map((c) => c.horizon ?? defaultHorizon))];
  return [state.blockHorizon ?? values[0]?.horizon ?? defaultHorizon];
}

interface Shape { values: Column[]; levels: { c: Column; k: number }[]; hasLevel1: boolean; hasNature: boolean }
const shapes = new WeakMap<Column[], Shape>();

/** What every row of a table asks of its columns, worked out once a table. */
function shapeOf(columns: Column[]): Shape {
  let s = shapes.get(columns);
  if (!s) {
    s = {
      values: columns.filter((c) => VALUE_ROLES.has(c.role)),
      levels: columns.map((c, k) => ({ c, k })).filter(({ c }) => LEVEL_ROLES.has(c.role)),
      hasLevel1: columns.some((c) => c.role === 'level1'),
      hasNature: columns.some((c) => c.role === 'nature'),
    };
    shapes.set(columns, s);
  }
  return s;
}

export function rowToDrafts(p: Placement, row: Row, state: LevelState, defaultHorizon: Horizon): RowDrafts {
  const notes: LevelNote[] = [];
  const printedLevel = readLevels(p, state, notes);
  const horizons = horizonsOf(p.columns, state, defaultHorizon);
  const single = horizons.length === 1;
  const drafts: Draft[] = [];
  for (const horizon of horizons) {
    // A column serves this horizon when it is its own or shared; a single-horizon table reads all.
    const byRole = new Map<Role, Cell[]>();
    p.columns.forEach((c, k) => {
      const cells = p.cells[k]!;
      if (cells.length === 0 || !(single || c.horizon === null || c.horizon === horizon)) return;
      const role: Role = VALUE_ROLES.has(c.role) ? 'value' : c.role;
      byRole.set(role, [...(byRole.get(role) ?? []), ...cells]);
    });
    const mine = (role: Role) => byRole.get(role) ?? [];
    const nameCells = mine('name');
    const valueCells = mine('value');
    const name = joined(nameCells);
    const value = joined(valueCells);
    if (name === null && value === null) continue;
    const l2 = state.level2.get(horizon) ?? state.level2.get('shared') ?? null;
    const level1 = l2 ? LEVEL1_OF[l2] : state.level1;
    const hasNature = shapeOf(p.columns).hasNature;
    const first = nameCells[0] ?? valueCells[0];
    const draft: Draft = {
      horizon,
      level1,
      level2: l2,
      printedLevel1: state.level1 && level1 && state.level1 !== level1 ? state.level1 : null,
      name,
      value,
      unit: joined(mine('unit')),
      weight: joined(mine('weight')),
      direction: joined(mine('direction')),
      note: joined(mine('note')),
      ref: refOf(row, first),
      valueRef: valueCells[0] ? refOf(row, valueCells[0]) : null,
    };
    if (hasNature) draft.nature = joined(mine('nature'));
    drafts.push(draft);
  }
  return { drafts, notes, printedLevel };
}
