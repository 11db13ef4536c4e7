import type { IsoDate } from "../domain/dates.ts";
import type { ElementKey } from "../domain/elements.ts";
import type { Store } from "./open.ts";
import { SLOTS } from "./states-format.ts";

/**
 * The open cases per team and service, and per element how many of them have it done by a day:
 * everything agency-wide coverage needs, without the config (which service's dashboard shows which
 * element is applied by whoever reads it, so a changed dashboard needs nothing rebuilt).
 */
export interface CoverageCounts {
  readonly open: readonly { readonly teamId: string; readonly service: string; readonly cases: number }[];
  readonly done: readonly {
    readonly teamId: string;
    readonly service: string;
    readonly element: ElementKey;
    readonly cases: number;
  }[];
}

type Row = { teamId: string; service: string; element: number; cases: number };

export function coverageQueries(store: Store) {
  const { sqlite } = store;
  const latest = sqlite.prepare("SELECT latest_on FROM derived WHERE id = 1").pluck();
  const kept = sqlite.prepare(
    "SELECT team_id AS teamId, service, element, cases FROM team_coverage WHERE cases != 0",
  );
  // The same counts from the cases themselves, for a day before some entry: an entry counts from the
  // day it happened (an undated one from always).
  const counted = sqlite.prepare(
    `SELECT team_id AS teamId, service, -1 AS element, count(*) AS cases FROM cases WHERE status = 'open'
     GROUP BY team_id, service
     UNION ALL
     SELECT c.team_id, c.service, j.key, count(*) FROM cases c, json_each(c.states) j
     WHERE c.status = 'open' AND json_type(j.value) = 'array'
       AND (json_extract(j.value, '$[1]') IS NULL OR json_extract(j.value, '$[1]') <= ?)
     GROUP BY c.team_id, c.service, j.key`,
  );

  return {
    /**
     * Coverage of the open cases as of `day`. From the counts the database keeps, unless some entry
     * happened after `day` (a look at an earlier week, a demo's calendar): then counted afresh.
     */
    on(day: IsoDate): CoverageCounts {
      const last = latest.get() as string | null | undefined;
      const rows = (
        last === null || last === undefined || last <= day ? kept.all() : counted.all(day)
      ) as Row[];
      const open: CoverageCounts["open"][number][] = [];
      const done: CoverageCounts["done"][number][] = [];
      for (const r of rows) {
        if (r.element === -1) open.push({ teamId: r.teamId, service: r.service, cases: r.cases });
        else {
          const element = SLOTS[r.element];
          if (element) done.push({ teamId: r.teamId, service: r.service, element, cases: r.cases });
        }
      }
      return { open, done };
    },
  };
}

export type CoverageQueries = ReturnType<typeof coverageQueries>;
