import type { Org } from "../config/org.ts";
import { type DashboardDef, elementColumns } from "../domain/dashboards.ts";
import type { IsoDate } from "../domain/dates.ts";
import { ELEMENT_KEYS, type ElementKey } from "../domain/elements.ts";
import type { ElementState } from "../domain/projection.ts";
import type { CaseRow } from "../store/schema.ts";

/** How many of the cases that could have an element have it. */
export interface Tally {
  has: number;
  of: number;
}

/**
 * Whether an element had been done by a day, as the record stands now (an undone entry never
 * counts). An entry imported without a date counts as done before any day asked about.
 */
export function doneBy(state: ElementState | undefined, day: IsoDate): boolean {
  if (!state || state.count === 0) return false;
  return state.firstOn === null || state.firstOn <= day;
}

export function openOn(c: CaseRow, day: IsoDate): boolean {
  return c.openedOn <= day && (c.closedOn === null || c.closedOn > day);
}

export function emptyTallies(): Map<ElementKey, Tally> {
  return new Map(ELEMENT_KEYS.map((k) => [k, { has: 0, of: 0 }]));
}

// The elements each dashboard shows, listed once: a digest tallies every case against them, for
// eight week-ends.
const shown = new WeakMap<DashboardDef, readonly ElementKey[]>();

function elementsOf(dashboard: DashboardDef): readonly ElementKey[] {
  let list = shown.get(dashboard);
  if (!list) {
    list = elementColumns(dashboard).map((c) => c.id);
    shown.set(dashboard, list);
  }
  return list;
}

/** Adds one case to per-element tallies: counted where its dashboard shows the element. */
export function tallyCase(org: Org, c: CaseRow, day: IsoDate, into: Map<ElementKey, Tally>): void {
  for (const el of elementsOf(org.dashboards[c.service])) {
    const t = into.get(el)!;
    t.of++;
    if (doneBy(c.states[el], day)) t.has++;
  }
}

/** Coverage of each element among the cases open on a day. */
export function coverageOn(org: Org, cases: Iterable<CaseRow>, day: IsoDate): Map<ElementKey, Tally> {
  const out = emptyTallies();
  for (const c of cases) if (openOn(c, day)) tallyCase(org, c, day, out);
  return out;
}

export function percent(t: Tally): string {
  return t.of === 0 ? "–" : `${Math.round((100 * t.has) / t.of)}%`;
}

/** `58% (7/12)`: the share and the counts behind it, so a small team's 100% is not misread. */
export function share(t: Tally): string {
  return t.of === 0 ? "–" : `${percent(t)} (${t.has}/${t.of})`;
}

/** `+2`, `−1`, `0`: how many more cases have the element than before. */
export function change(now: Tally, before: Tally): string {
  if (now.of === 0 && before.of === 0) return "–";
  const d = now.has - before.has;
  return d > 0 ? `+${d}` : d < 0 ? `−${-d}` : "0";
}
