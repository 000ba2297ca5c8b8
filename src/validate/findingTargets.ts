// Ties each finding to the record it is about: the project, the indicator (by ordinal) and the
// field. An extractor's notes (OCR confidence, a repaired value) know only the cell they were
// raised at, so without this an analyst could not filter the values that were unsure. A cell
// is matched to an indicator by the name and value cells it keeps (source_ref, value_ref), or
// by lying within the row of one; to a project by lying within the cells of one project only.
// Where two records could claim a finding, it is left where it was: a wrong tie is worse than
// none.
import { FINDINGS, type FindingCode } from '../model/findings.js';
import type { Finding, Project } from '../model/schema.js';

/** A location parsed: `line N [col K]` in a dump, `pN [x0,y0,x1,y1]` on a page. */
export interface Place {
  /** `line` for dumps; the page number for PDFs and scans. */
  page: number | 'line';
  /** Line number (dumps), or the box's vertical extent. */
  y0: number;
  y1: number;
  /** Column (dumps) or horizontal extent; null when the location names a row only. */
  x0: number | null;
  x1: number | null;
}

export function placeOf(ref: string | null | undefined): Place | null {
  if (!ref) return null;
  const line = /^line (\d+)(?: col (\d+))?/.exec(ref);
  if (line) {
    const col = line[2] === undefined ? null : Number(line[2]);
    return { page: 'line', y0: Number(line[1]), y1: Number(line[1]), x0: col, x1: col };
  }
  const box = /^p(\d+) \[(-?\d+),(-?\d+),(-?\d+),(-?\d+)\]/.exec(ref);
  if (!box) return null;
  const [x0, y0, x1, y1] = box.slice(2, 6).map(Number) as [number, number, number, number];
  return { page: Number(box[1]), y0: Math.min(y0, y1), y1: Math.max(y0, y1), x0: Math.min(x0, x1), x1: Math.max(x0, x1) };
}

/** Points of slack when a cell is compared with a row (rounded boxes, a line drawn through). */
const SLACK = 2;

const within = (inner: Place, outer: Place) =>
  inner.page === outer.page && inner.y0 >= outer.y0 - SLACK && inner.y1 <= outer.y1 + SLACK;

const sameColumn = (a: Place, b: Place) =>
  a.x0 !== null && a.x1 !== null && b.x0 !== null && b.x1 !== null && a.x0 <= b.x1 && b.x0 <= a.x1 &&
  // Dumps: the same column number; pages: the centre of one inside the other.
  (a.page === 'line' ? a.x0 === b.x0 : (a.x0 + a.x1) / 2 >= b.x0 - SLACK && (a.x0 + a.x1) / 2 <= b.x1 + SLACK);

interface Target {
  project: number;
  indicator: number;
  nameRef: string;
  valueRef: string | null;
  /** Where its cells are, parsed from the refs when a finding's own ref names none of them. */
  placed?: TargetPlaces;
}

interface TargetPlaces {
  name: Place | null;
  value: Place | null;
  /** The row: from the top of its name cell or value cell to the bottom of the other. */
  row: Place | null;
}

function placesOfTarget(t: Target): TargetPlaces {
  if (t.placed) return t.placed;
  const name = placeOf(t.nameRef);
  const value = placeOf(t.valueRef);
  return (t.placed = { name, value, row: rowOf(name, value) });
}

function rowOf(a: Place | null, b: Place | null): Place | null {
  if (a && b && a.page === b.page) return { page: a.page, y0: Math.min(a.y0, b.y0), y1: Math.max(a.y1, b.y1), x0: null, x1: null };
  return a ?? b;
}

function targetsOf(projects: readonly Project[]): Target[] {
  const out: Target[] = [];
  for (const p of projects) {
    for (const i of p.indicators) {
      out.push({ project: p.ordinal, indicator: i.ordinal, nameRef: i.source_ref ?? '', valueRef: i.value_ref ?? null });
    }
  }
  return out;
}

/** Per project, the pages (or the dump) it spans and on each its vertical extent. */
function extentsOf(projects: readonly Project[]): Map<number, Map<Place['page'], [number, number]>> {
  const out = new Map<number, Map<Place['page'], [number, number]>>();
  for (const p of projects) {
    const refs = [p.source_ref, ...p.indicators.flatMap((i) => [i.source_ref, i.value_ref]), ...p.cost_items.map((c) => c.source_ref), ...p.funding.map((f) => f.source_ref)];
    const pages = new Map<Place['page'], [number, number]>();
    for (const r of refs) {
      const at = placeOf(r);
      if (!at) continue;
      const had = pages.get(at.page);
      pages.set(at.page, had ? [Math.min(had[0], at.y0), Math.max(had[1], at.y1)] : [at.y0, at.y1]);
    }
    // Pages between a project's first and last are wholly its own.
    const numbered = [...pages.keys()].filter((k): k is number => k !== 'line');
    if (numbered.length) {
      for (let k = Math.min(...numbered) + 1; k < Math.max(...numbered); k++) if (!pages.has(k)) pages.set(k, [-Infinity, Infinity]);
    }
    out.set(p.ordinal, pages);
  }
  return out;
}

function inExtent(at: Place, pages: Map<Place['page'], [number, number]>): boolean {
  const span = pages.get(at.page);
  return span !== undefined && at.y0 >= span[0] - SLACK && at.y1 <= span[1] + SLACK;
}

/** The one value of `xs`, or null when there are none or they differ. */
function only<T>(xs: readonly T[], key: (x: T) => string): T | null {
  if (xs.length === 0) return null;
  const k = key(xs[0]!);
  return xs.every((x) => key(x) === k) ? xs[0]! : null;
}

/** Fills `project`, `indicator` and `field` where a finding's location or code tells them; returns the findings (changed in place). */
export function tieFindings(projects: readonly Project[], findings: Finding[]): Finding[] {
  if (findings.length === 0) return findings;
  const targets = targetsOf(projects);
  type Hit = { t: Target; cell: 'name' | 'value_text' | null };
  const byRef = new Map<string, Hit[]>();
  const add = (ref: string, hit: Hit) => {
    const list = byRef.get(ref);
    if (list) list.push(hit);
    else byRef.set(ref, [hit]);
  };
  // Only the cells some finding was raised at: a document has far fewer findings than cells.
  const raisedAt = new Set(findings.map((f) => f.location ?? ''));
  for (const t of targets) {
    if (raisedAt.has(t.nameRef)) add(t.nameRef, { t, cell: 'name' });
    if (t.valueRef && raisedAt.has(t.valueRef)) add(t.valueRef, { t, cell: 'value_text' });
  }
  let extents: ReturnType<typeof extentsOf> | null = null;
  const ordinals = new Set(projects.map((p) => p.ordinal));
  for (const f of findings) {
    const spec = FINDINGS[f.code as FindingCode];
    const specField = spec?.field ?? null;
    const at = placeOf(f.location);
    const mine = (t: Target) => f.project === null || f.project === undefined || f.project === t.project;
    // An indicator: its name or value cell exactly, else a cell within its row.
    let hit: Hit | null = only((byRef.get(f.location ?? '') ?? []).filter((h) => mine(h.t)), (h) => `${h.t.project}|${h.t.indicator}|${h.cell}`);
    if (!hit && at && (at.x0 !== null || at.page === 'line')) {
      const rows = targets.filter((t) => {
        if (!mine(t)) return false;
        const row = placesOfTarget(t).row;
        return row !== null && (at.page === 'line' ? row.page === 'line' && at.y0 === row.y0 : within(at, row));
      });
      const t = only(rows, (r) => `${r.project}|${r.indicator}`);
      if (t) {
        const { name, value } = placesOfTarget(t);
        hit = { t, cell: value && sameColumn(at, value) ? 'value_text' : name && sameColumn(at, name) ? 'name' : null };
      }
    }
    if (hit) {
      f.project = hit.t.project;
      f.indicator = hit.t.indicator;
      // The code's own field wins (a cost check is about cost_items wherever it was raised); a
      // code about the table as a whole, or about none, is about the cell it was raised at.
      f.field = specField !== null && specField !== 'indicators' ? specField : hit.cell ?? specField;
      continue;
    }
    if (specField !== null && (f.field === undefined || f.field === null)) f.field = specField;
    if ((f.project === null || f.project === undefined) && at && at.x0 !== null && projects.length > 0) {
      // A cell outside every indicator row (a head field, a funding line): the one project whose cells surround it.
      extents ??= extentsOf(projects);
      const owners = [...extents].filter(([, pages]) => inExtent(at, pages)).map(([k]) => k);
      if (owners.length === 1 && ordinals.has(owners[0]!)) f.project = owners[0]!;
    }
  }
  return findings;
}

/** The codes that make a document partial, in the order first raised. */
export function partialReasons(findings: readonly Finding[]): string[] {
  const out: string[] = [];
  for (const f of findings) if (FINDINGS[f.code as FindingCode]?.partial && !out.includes(f.code)) out.push(f.code);
  return out;
}
