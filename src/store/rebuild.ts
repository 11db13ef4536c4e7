import type { Store } from "./open.ts";
import { EMPTY_STATES_TEXT, SLOTS } from "./states-format.ts";

// Each slot of the compact projection (states-format.ts) from the folded rows of one case.
const SLOT_VALUES = SLOTS.map(
  (el) =>
    `coalesce(json(max(CASE WHEN element = '${el}' THEN json_array(n, first_on, last_on, value) END)), 0)`,
).join(",\n                           ");

/**
 * Each case's projection as folded from the event log, as `folded(case_id, states)`: the opening of a
 * statement. Same rules as `foldElement`: live events only, the latest by the day it happened and
 * then by entry. Shared by the rebuild and by the backup check that compares without writing.
 */
export const FOLDED_STATES = `WITH live AS (
         SELECT e.* FROM practice_events e
         WHERE e.retracts_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM practice_events r WHERE r.retracts_id = e.id)
       ), ranked AS (
         SELECT case_id, element, value,
                count(*) OVER w AS n, min(occurred_on) OVER w AS first_on, max(occurred_on) OVER w AS last_on,
                row_number() OVER (PARTITION BY case_id, element ORDER BY coalesce(occurred_on, '') DESC, id DESC) AS rn
         FROM live
         WINDOW w AS (PARTITION BY case_id, element)
       ), folded AS (
         SELECT case_id, json_array(${SLOT_VALUES}) AS states
         FROM ranked WHERE rn = 1 GROUP BY case_id
       )`;

/**
 * Rebuilds every case's projection (`cases.states`) from the event log, in one statement. The
 * incremental path (`events.append`/`retract`) keeps it current; this is for bulk imports and for
 * checking that the two agree. The coverage counts follow by their triggers, and "stuck since"
 * becomes due again for every case whose projection changed. Returns how many cases' projection changed.
 */
export function rebuildProjection(store: Store): number {
  return store.sqlite
    .prepare(
      `${FOLDED_STATES}
       UPDATE cases SET states = f.states
       FROM (SELECT c.id, coalesce(folded.states, '${EMPTY_STATES_TEXT}') AS states
             FROM cases c LEFT JOIN folded ON folded.case_id = c.id) f
       WHERE f.id = cases.id AND cases.states IS NOT f.states`,
    )
    .run().changes;
}

/**
 * The coverage counts (`team_coverage`) worked out afresh from the cases, in one transaction: what
 * the triggers keep, for checking them and for a database whose counts were lost.
 */
export function rebuildCoverage(store: Store): void {
  store.sqlite
    .transaction(() => {
      store.sqlite.prepare("DELETE FROM team_coverage").run();
      store.sqlite
        .prepare(
          `INSERT INTO team_coverage (team_id, service, element, cases)
           SELECT team_id, service, -1, count(*) FROM cases WHERE status = 'open' GROUP BY team_id, service
           UNION ALL
           SELECT c.team_id, c.service, j.key, count(*) FROM cases c, json_each(c.states) j
           WHERE c.status = 'open' AND json_type(j.value) = 'array'
           GROUP BY c.team_id, c.service, j.key`,
        )
        .run();
    })
    .immediate();
}

/** The coverage counts as kept, without the zeros a case leaving a group leaves behind: for comparing. */
export function coverageRows(
  store: Store,
): { team: string; service: string; element: number; cases: number }[] {
  return store.sqlite
    .prepare(
      `SELECT team_id AS team, service, element, cases FROM team_coverage WHERE cases != 0
       ORDER BY team_id, service, element`,
    )
    .all() as { team: string; service: string; element: number; cases: number }[];
}
