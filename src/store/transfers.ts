import type { Statement } from "better-sqlite3";
import type { Store } from "./open.ts";

/** A case that changed team: from one team's allocation to another's, on a day. */
export interface Transfer {
  readonly caseId: string;
  readonly fromTeam: string;
  readonly toTeam: string;
  readonly on: string;
}

/**
 * The allocations dated in the window (by the `allocations_from_on` index: a week's handful, not the
 * agency's history) with the team of each case's allocation before it; a transfer is one whose team
 * differs (PostgreSQL: the same query in `pg/reads.ts`).
 */
const TRANSFERS_SQL = `SELECT case_id AS "caseId", from_team AS "fromTeam", to_team AS "toTeam", from_on AS "on"
       FROM (SELECT a.id, a.case_id, a.team_id AS to_team, a.from_on,
                    (SELECT p.team_id FROM allocations p WHERE p.case_id = a.case_id AND p.id < a.id
                     ORDER BY p.id DESC LIMIT 1) AS from_team
             FROM allocations a WHERE a.from_on > ? AND a.from_on <= ?) w
       WHERE from_team IS NOT NULL AND from_team <> to_team AND (from_team = ? OR to_team = ?)
       ORDER BY from_on, id`;

// Prepared once per connection: every team digest of a run asks.
const prepared = new WeakMap<Store["sqlite"], Statement>();

/**
 * The cases that came into or left a team with an allocation dated after `after` up to `upTo` (ISO
 * days): an allocation whose team is not the team of the case's allocation before it. Read from the
 * allocation history, which is append-only, so last week's transfers read the same next week.
 * Oldest first. Reads only.
 */
export function transfersOf(store: Store, teamId: string, after: string, upTo: string): Transfer[] {
  let stmt = prepared.get(store.sqlite);
  if (!stmt) {
    stmt = store.sqlite.prepare(TRANSFERS_SQL);
    prepared.set(store.sqlite, stmt);
  }
  return stmt.all(after, upTo, teamId, teamId) as Transfer[];
}
