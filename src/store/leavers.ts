import type { Org } from "../config/org.ts";
import type { Leaver } from "../domain/leavers.ts";
import type { Store } from "./open.ts";

/**
 * People no longer in the config who still hold open cases, with how many: all of the agency's, or
 * only cases in some teams (a supervisor's digest). "No longer in the config" is judged against the
 * config given, not the rows' active flag, so it is right even before the next sync. Most open cases
 * first, then by name. Reads only.
 */
export function leaversWithOpenCases(
  store: Store,
  org: Org,
  scope: { readonly teamIds?: readonly string[] } = {},
): Leaver[] {
  const teamIds = scope.teamIds;
  if (teamIds !== undefined && teamIds.length === 0) return [];
  const inTeams = teamIds === undefined ? "" : `AND c.team_id IN (${teamIds.map(() => "?").join(", ")})`;
  const rows = store.sqlite
    .prepare(
      `SELECT s.id AS staffId, s.email AS email, s.name AS name, count(*) AS openCases
       FROM cases c JOIN staff s ON s.id = c.worker_id
       WHERE c.status = 'open' ${inTeams}
       GROUP BY s.id`,
    )
    .all(...(teamIds ?? [])) as (Leaver & { email: string })[];
  const current = new Set(org.staff.map((s) => s.email));
  return rows
    .filter((r) => !current.has(r.email))
    .map(({ staffId, name, openCases }) => ({ staffId, name, openCases }))
    .sort((a, b) => b.openCases - a.openCases || a.name.localeCompare(b.name));
}
