import type { Store } from "./open.ts";

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
         SELECT case_id,
                json_group_object(element, json_object('count', n, 'firstOn', first_on, 'lastOn', last_on, 'lastValue', value)) AS states
         FROM ranked WHERE rn = 1 GROUP BY case_id
       )`;

/**
 * Rebuilds every case's projection (`cases.states`) from the event log, in one statement. The
 * incremental path (`events.append`/`retract`) keeps it current; this is for bulk imports and for
 * checking that the two agree.
 */
export function rebuildProjection(store: Store): number {
  return store.sqlite
    .prepare(
      `${FOLDED_STATES}
       UPDATE cases SET states = coalesce((SELECT states FROM folded WHERE folded.case_id = cases.id), '{}')`,
    )
    .run().changes;
}
