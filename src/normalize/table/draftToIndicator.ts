// A draft's printed texts → an indicator record: canonical spacing, the `指标:` prefix gone, the
// target parsed from the value with the 指标性质 and unit columns when the table has them.
import type { Horizon, Indicator } from '../../model/schema.js';
import { canonicalText, fold } from '../../text/fold.js';
import { stripIndicatorPrefix } from '../packed.js';
import { parseDirection, parseNatureValue, parseTarget, toNumber } from '../values.js';
import type { Draft } from './rowToDrafts.js';

export interface DraftProblem { code: 'UNIT_CONFLICT'; message: string }

export function draftToIndicator(d: Draft, horizon: Horizon, ordinal: number): { indicator: Indicator | null; problems: DraftProblem[] } {
  // A line break inside a cell leaves a space between two CJK characters: layout, not text.
  const name = d.name ? stripIndicatorPrefix(canonicalText(d.name)) || null : null;
  const value = d.value ? canonicalText(d.value) || null : null;
  const problems: DraftProblem[] = [];
  if (!name && !value) return { indicator: null, problems };
  const unit = d.unit ? canonicalText(d.unit) || null : null;
  const own = parseTarget(value);
  const target = d.nature !== undefined || unit !== null ? parseNatureValue(d.nature ?? null, value, unit) : own;
  if (unit !== null && own.value_unit !== null && fold(own.value_unit) !== fold(unit)) {
    problems.push({ code: 'UNIT_CONFLICT', message: `value "${value}" of "${name ?? ''}" carries the unit ${own.value_unit} but its unit column says ${unit}` });
  }
  return {
    indicator: {
      ordinal,
      horizon,
      level1: d.level1,
      level2: d.level2,
      name,
      value_text: value,
      comparator: target.comparator,
      value_num: target.value_num,
      value_unit: target.value_unit,
      weight_pct: d.weight ? toNumber(d.weight.replace(/%$/, '')) : null,
      direction: parseDirection(d.direction),
      note: d.note ? canonicalText(d.note) || null : null,
      source_ref: d.ref,
      value_ref: d.valueRef,
    },
    problems,
  };
}
