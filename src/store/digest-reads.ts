import type { IsoDate } from "../domain/dates.ts";
import type { CoverageCounts } from "./coverage.ts";
import { countOnDays, type DayCase } from "./coverage-days.ts";
import type { Store } from "./open.ts";
import { SLOTS } from "./states-format.ts";
import { transfersOf } from "./transfers.ts";

/**
 * What the agency summary and the team digests read beyond the cases themselves, on SQLite: the
 * closed cases' coverage at their close, counted in SQL (never a closed case read into JavaScript:
 * an agency's closed cases only grow), coverage on the trend's days, a week's transfers, and who
 * holds open cases.
 */

/** One aggregated row: a team and service, an element's slot (-1: the cases themselves), a count. */
export interface CountRow {
  readonly teamId: string;
  readonly service: string;
  readonly slot: number;
  readonly cases: number;
}

/** Rows as counted to the `CoverageCounts` that `talliesFromCounts` reads. */
export function toCoverageCounts(rows: Iterable<CountRow>): CoverageCounts {
  const open: CoverageCounts["open"][number][] = [];
  const done: CoverageCounts["done"][number][] = [];
  for (const r of rows) {
    if (r.cases === 0) continue;
    if (r.slot === -1) open.push({ teamId: r.teamId, service: r.service, cases: r.cases });
    else {
      const element = SLOTS[r.slot];
      if (element) done.push({ teamId: r.teamId, service: r.service, element, cases: r.cases });
    }
  }
  return { open, done };
}

/** Closed cases' coverage by closing outcome (null: closed without one). */
export type OutcomeCoverage = readonly { readonly outcome: string | null; readonly counts: CoverageCounts }[];

export function digestReadQueries(store: Store) {
  const { sqlite } = store;
  const closed = sqlite.prepare(
    `SELECT outcome, team_id AS teamId, service, -1 AS slot, count(*) AS cases
     FROM cases WHERE status = 'closed' GROUP BY outcome, team_id, service
     UNION ALL
     SELECT c.outcome, c.team_id, c.service, j.key, count(*)
     FROM cases c, json_each(c.states) j
     WHERE c.status = 'closed' AND json_type(j.value) = 'array'
       AND (json_extract(j.value, '$[1]') IS NULL OR json_extract(j.value, '$[1]') <= c.closed_on)
     GROUP BY c.outcome, c.team_id, c.service, j.key`,
  );

  // Only the columns the count reads, as arrays: the open cases and those closed after the first day
  // asked about (a case closed by then is open on none of them).
  const onDays = sqlite
    .prepare(
      `SELECT team_id, service, opened_on, closed_on, states FROM cases
       WHERE status = 'open' OR (status = 'closed' AND closed_on > ?)`,
    )
    .raw(true);

  return {
    /** Coverage on each of `days` (in that order), counted from the cases open on it. */
    coverageOnDays(days: readonly IsoDate[]): CoverageCounts[] {
      if (days.length === 0) return [];
      const first = [...days].sort()[0]!;
      // Streamed: each row is counted and let go.
      return countOnDays(onDays.iterate(first) as Iterable<DayCase>, days);
    },

    /** Of the closed cases, per outcome: how many, and per element how many had it by their close. */
    closedCoverage(): OutcomeCoverage {
      const by = new Map<string | null, CountRow[]>();
      for (const r of closed.all() as (CountRow & { outcome: string | null })[]) {
        const list = by.get(r.outcome) ?? [];
        list.push(r);
        by.set(r.outcome, list);
      }
      return [...by].map(([outcome, rows]) => ({ outcome, counts: toCoverageCounts(rows) }));
    },

    transfers: (teamId: string, after: IsoDate, upTo: IsoDate) => transfersOf(store, teamId, after, upTo),
  };
}

export type DigestReadQueries = ReturnType<typeof digestReadQueries>;
