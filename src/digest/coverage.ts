import type { Org } from "../config/org.ts";
import { type DashboardDef, elementColumn, elementColumns, isServiceSlug } from "../domain/dashboards.ts";
import type { IsoDate } from "../domain/dates.ts";
import { ELEMENT_KEYS, ELEMENTS, type ElementKey } from "../domain/elements.ts";
import type { ElementState } from "../domain/projection.ts";
import type { CoverageCounts } from "../store/coverage.ts";
import type { CaseRow } from "../store/schema.ts";

/** Column heading for an element in agency-wide views: the agency's overview label, else its name. */
export function elementHeading(org: Org, element: ElementKey): string {
  return elementColumn(org.dashboards.overview, element)?.label ?? ELEMENTS[element].name;
}

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

export function openOn(c: Pick<CaseRow, "openedOn" | "closedOn">, day: IsoDate): boolean {
  return c.openedOn <= day && (c.closedOn === null || c.closedOn > day);
}

/** One tally per element, in `ELEMENT_KEYS` order: indexed, because digests add up every case. */
export type Tallies = Tally[];

export function emptyTallies(): Tallies {
  return ELEMENT_KEYS.map(() => ({ has: 0, of: 0 }));
}

const INDEX = new Map<ElementKey, number>(ELEMENT_KEYS.map((k, i) => [k, i]));

// The elements each dashboard shows, with their tally index, listed once: a digest tallies every
// case against them, for eight week-ends.
const shown = new WeakMap<DashboardDef, readonly { key: ElementKey; index: number }[]>();

function elementsOf(dashboard: DashboardDef): readonly { key: ElementKey; index: number }[] {
  let list = shown.get(dashboard);
  if (!list) {
    list = elementColumns(dashboard).map((c) => ({ key: c.id, index: INDEX.get(c.id)! }));
    shown.set(dashboard, list);
  }
  return list;
}

/** Adds one case to per-element tallies: counted where its dashboard shows the element. */
export function tallyCase(
  org: Org,
  c: Pick<CaseRow, "service" | "states">,
  day: IsoDate,
  into: Tallies,
): void {
  for (const el of elementsOf(org.dashboards[c.service])) {
    const t = into[el.index]!;
    t.of++;
    if (doneBy(c.states[el.key], day)) t.has++;
  }
}

/**
 * Adds one case to tallies for several days at once (the trend's week-ends): the same counting as
 * `tallyCase` on each day the case was open, reading the case's states once.
 */
export function tallyDays(
  org: Org,
  c: Pick<CaseRow, "service" | "states" | "openedOn" | "closedOn">,
  days: readonly IsoDate[],
  into: readonly Tallies[],
): void {
  const els = elementsOf(org.dashboards[c.service]);
  // per element: when it was first done ("" for an undated entry), or null when never
  const firsts = els.map((e) => {
    const s = c.states[e.key];
    return !s || s.count === 0 ? null : (s.firstOn ?? "");
  });
  for (let d = 0; d < days.length; d++) {
    const day = days[d]!;
    if (!openOn(c, day)) continue;
    const tallies = into[d]!;
    for (let k = 0; k < els.length; k++) {
      const t = tallies[els[k]!.index]!;
      t.of++;
      const first = firsts[k];
      if (first !== null && first !== undefined && first <= day) t.has++;
    }
  }
}

/** Coverage of each element among the cases open on a day. */
export function coverageOn(
  org: Org,
  cases: Iterable<Pick<CaseRow, "service" | "states" | "openedOn" | "closedOn">>,
  day: IsoDate,
): Tallies {
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

/** One team's (or the agency's) open cases and its coverage tallies. */
export interface TeamTallies {
  open: number;
  tallies: Tallies;
}

/**
 * Coverage by team and agency-wide from the counts the store keeps (`RecordReads.coverage`): the
 * same numbers `tallyCase` adds up case by case, with the config's dashboards applied here (an
 * element counts where the case's service dashboard shows it). The total covers every open case,
 * in the config's teams or not.
 */
export function talliesFromCounts(
  org: Org,
  counts: CoverageCounts,
): { perTeam: Map<string, TeamTallies>; total: TeamTallies } {
  const perTeam = new Map<string, TeamTallies>();
  const total: TeamTallies = { open: 0, tallies: emptyTallies() };
  const team = (id: string) => {
    let t = perTeam.get(id);
    if (!t) {
      t = { open: 0, tallies: emptyTallies() };
      perTeam.set(id, t);
    }
    return t;
  };
  const dashboardOf = (service: string) => (isServiceSlug(service) ? org.dashboards[service] : undefined);
  for (const o of counts.open) {
    const dashboard = dashboardOf(o.service);
    for (const t of [team(o.teamId), total]) {
      t.open += o.cases;
      if (dashboard) for (const el of elementsOf(dashboard)) t.tallies[el.index]!.of += o.cases;
    }
  }
  for (const d of counts.done) {
    const dashboard = dashboardOf(d.service);
    const el = dashboard && elementsOf(dashboard).find((e) => e.key === d.element);
    if (!el) continue;
    for (const t of [team(d.teamId), total]) t.tallies[el.index]!.has += d.cases;
  }
  return { perTeam, total };
}
