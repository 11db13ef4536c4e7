import { type DashboardDef, elementColumn, isElementColumn } from "./dashboards.ts";
import { ELEMENT_KEYS, type ElementKey } from "./elements.ts";
import type { CaseStates } from "./projection.ts";
import { STUCK_RULES, type StuckFinding, type StuckRule } from "./stuck.ts";

/**
 * The elements each rule points at while they are missing. A rule whose element is done (a Safety
 * Scale rated, but long ago) or that names no element (nothing logged lately) points at no cell;
 * the whiteboard says those beside the row instead. `no-danger-or-goal` fires when either is
 * missing: it marks whichever (or both) is.
 */
const POINTS: Readonly<Record<StuckRule, readonly ElementKey[]>> = {
  "no-internal-mapping": ["mapping-internal"],
  "no-family-mapping": ["mapping-with-family"],
  "no-danger-or-goal": ["danger-statement", "safety-goal"],
  "no-recent-scale": ["safety-scale"],
  "no-child-plan": ["child-safety-plan"],
  "no-activity": [],
};

function points(el: ElementKey, states: CaseStates, dashboard: DashboardDef): boolean {
  return (states[el]?.count ?? 0) === 0 && elementColumn(dashboard, el) !== undefined;
}

/** Where on the whiteboard a case is stuck: the missing elements its stuck findings point at. */
export function stuckElements(
  findings: readonly StuckFinding[],
  states: CaseStates,
  dashboard: DashboardDef,
): Set<ElementKey> {
  const out = new Set<ElementKey>();
  for (const f of findings) for (const el of POINTS[f.rule]) if (points(el, states, dashboard)) out.add(el);
  return out;
}

const NONE: readonly number[] = Object.freeze([]);
/** An element's bit in a set of elements: its place in `ELEMENT_KEYS`. */
const BIT: Readonly<Record<ElementKey, number>> = Object.fromEntries(
  ELEMENT_KEYS.map((k, i) => [k, 1 << i]),
) as Record<ElementKey, number>;
/** Per table: the stuck cells' indexes by the set of elements pointed at (a few dozen sets occur). */
const cellsByTable = new WeakMap<DashboardDef, Map<number, readonly number[]>>();

/**
 * The indexes into `table`'s cells of the elements the rules in `mask` (bit i: `STUCK_RULES[i]`,
 * as `stuckMask` gives) point at on a case of `dashboard`: what `stuckElements` marks, as a board
 * row's `stuckAt`. One shared array per set of cells, so the 20,000 rows of the overview make none
 * (each was kept until the view was sent).
 */
export function stuckCells(
  table: DashboardDef,
  mask: number,
  states: CaseStates,
  dashboard: DashboardDef,
): readonly number[] {
  if (mask === 0) return NONE;
  let key = 0;
  for (let i = 0; i < STUCK_RULES.length; i++)
    if (mask & (1 << i))
      for (const el of POINTS[STUCK_RULES[i]!]) if (points(el, states, dashboard)) key |= BIT[el];
  if (key === 0) return NONE;
  let byKey = cellsByTable.get(table);
  if (!byKey) {
    byKey = new Map();
    cellsByTable.set(table, byKey);
  }
  let cells = byKey.get(key);
  if (!cells) {
    const set = key;
    cells = Object.freeze(
      table.columns.flatMap((col, i) => (isElementColumn(col) && (set & BIT[col.id]) !== 0 ? [i] : [])),
    );
    byKey.set(key, cells);
  }
  return cells;
}
