import type { IsoDate } from "../domain/dates.ts";
import type { CoverageCounts } from "./coverage.ts";
import { dayNumberAt, firstDays, NEVER, SLOTS } from "./states-format.ts";

/**
 * Coverage on several days at once, counted from the cases (`RecordReads.coverageOnDays`): per day,
 * the cases open on it by their dates (opened on or before, not closed by then) per team and service,
 * and per element how many of them had it done by then, an entry counting from the day it happened
 * (an undated one from always). The agency summary's coverage by team and its eight-week trend are
 * these counts; reading them so, no case becomes a row object (the summary's 20,000 did, and their
 * garbage was most of its time).
 */

/** What the count reads of a case: team, service, opened on, closed on, the stored states text. */
export type DayCase = readonly [string, string, IsoDate, IsoDate | null, string];

export function countOnDays(cases: Iterable<DayCase>, days: readonly IsoDate[]): CoverageCounts[] {
  const at = days.map((d) => dayNumberAt(d));
  const byTeam = new Map<string, Map<string, Int32Array>>();
  const slots = SLOTS.length;
  // Read into locals once: the loop below runs 20,000 × days × slots times, and a module binding
  // read there showed in the profile (an accessor under tsx).
  const never = NEVER;
  const first = new Int32Array(slots);
  const n = at.length;
  for (const [teamId, service, openedOn, closedOn, states] of cases) {
    const opened = dayNumberAt(openedOn);
    const closed = closedOn === null ? 99_999_999 : dayNumberAt(closedOn);
    let any = false;
    for (let k = 0; k < n; k++) if (opened <= at[k]! && closed > at[k]!) any = true;
    if (!any) continue;
    let byService = byTeam.get(teamId);
    if (!byService) {
      byService = new Map();
      byTeam.set(teamId, byService);
    }
    let counts = byService.get(service);
    if (!counts) {
      counts = new Int32Array(n * (slots + 1));
      byService.set(service, counts);
    }
    firstDays(states, first);
    for (let k = 0; k < n; k++) {
      const d = at[k]!;
      if (opened > d || closed <= d) continue;
      const base = k * (slots + 1);
      counts[base]!++;
      for (let s = 0; s < slots; s++) {
        const f = first[s]!;
        if (f !== never && f <= d) counts[base + 1 + s]!++;
      }
    }
  }
  return at.map((_, k) => {
    const open: CoverageCounts["open"][number][] = [];
    const done: CoverageCounts["done"][number][] = [];
    for (const [teamId, byService] of byTeam)
      for (const [service, counts] of byService) {
        // per team and service, per day: the open cases, then each slot's done cases
        const base = k * (slots + 1);
        if (counts[base]! > 0) open.push({ teamId, service, cases: counts[base]! });
        for (let s = 0; s < slots; s++) {
          const n = counts[base + 1 + s]!;
          if (n > 0) done.push({ teamId, service, element: SLOTS[s]!, cases: n });
        }
      }
    return { open, done };
  });
}
