// Horizon strategy for tables with one value column (Mianyang, Suining, Hongshan, generic):
// content cells go to the heading they stand under, or — when a page break shifted the row —
// to the headings in order.
import type { Cell, Row } from '../extract/rows.js';
import { refOf } from '../extract/rows.js';
import type { ColumnRole } from './labels.js';
import { dropGarbledLabels, type Draft, type HorizonStrategy } from './indicatorTable.js';

const CONTENT_ROLES: readonly ColumnRole[] = ['name', 'nature', 'value', 'period_value', 'annual_value', 'unit', 'weight', 'direction', 'note'];

export const singleHorizon: HorizonStrategy = (seq, map, row: Row, defaultHorizon) => {
  const roles = map.roles.filter((r) => CONTENT_ROLES.includes(r.role)).sort((a, b) => a.col - b.col);
  const content = seq.filter((s) => !s.label).map((s) => s.cell);
  const labels = seq.filter((s) => s.label).map((s) => s.cell);
  const levelCols = new Set(map.roles.filter((r) => r.role === 'level1' || r.role === 'level2').map((r) => r.col));
  const roleAt = new Map(roles.map((r) => [r.col, r.role]));
  const aligned = content.every((c) => roleAt.has(c.col)) && labels.every((c) => levelCols.has(c.col) || !roleAt.has(c.col));
  const got = new Map<ColumnRole, string>();
  const dropped: Cell[] = [];
  if (aligned) {
    for (const c of content) got.set(roleAt.get(c.col)!, c.text);
  } else {
    const { kept, dropped: garbled } = dropGarbledLabels(content, Math.max(2, roles.filter((r) => r.role === 'name' || r.role.endsWith('value')).length));
    dropped.push(...garbled);
    kept.forEach((c, i) => {
      const role = roles[Math.min(i, roles.length - 1)]?.role;
      if (!role) return;
      got.set(role, got.has(role) ? `${got.get(role)} ${c.text}` : c.text);
    });
  }
  const nameCell = content[0];
  const hasNature = roles.some((r) => r.role === 'nature');
  const draft: Draft = {
    horizon: defaultHorizon,
    name: got.get('name') ?? null,
    value: got.get('value') ?? got.get('annual_value') ?? got.get('period_value') ?? null,
    unit: got.get('unit') ?? null,
    weight: got.get('weight') ?? null,
    direction: got.get('direction') ?? null,
    note: got.get('note') ?? null,
    ref: refOf(row, nameCell),
    dropped,
  };
  if (hasNature) draft.nature = got.get('nature') ?? null;
  return [draft];
};
