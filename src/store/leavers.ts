import type { Statement } from "better-sqlite3";
import type { Org } from "../config/org.ts";
import type { Leaver } from "../domain/leavers.ts";
import type { Store } from "./open.ts";

/** A person holding open cases, as the store has them (current or former staff). */
export interface Holding {
  readonly staffId: number;
  readonly email: string;
  readonly name: string;
  readonly openCases: number;
}

/** The SQL behind `openCasesByHolder`: per staff row, their open cases in some teams or all. */
export function holdingsQuery(teamIds: readonly string[] | undefined): string {
  const inTeams = teamIds === undefined ? "" : `AND c.team_id IN (${teamIds.map(() => "?").join(", ")})`;
  return `SELECT s.id AS staffId, s.email AS email, s.name AS name, count(*) AS openCases
       FROM cases c JOIN staff s ON s.id = c.worker_id
       WHERE c.status = 'open' ${inTeams}
       GROUP BY s.id`;
}

// Prepared once per connection and query text: every team digest asks, and preparing the join each
// time was a third of its cost (bench/profile.ts).
const prepared = new WeakMap<Store["sqlite"], Map<string, Statement>>();

/** Who holds open cases in scope, read synchronously from the SQLite file. */
export function holdingsOf(store: Store, scope: { readonly teamIds?: readonly string[] } = {}): Holding[] {
  const teamIds = scope.teamIds;
  if (teamIds !== undefined && teamIds.length === 0) return [];
  const sql = holdingsQuery(teamIds);
  let statements = prepared.get(store.sqlite);
  if (!statements) {
    statements = new Map();
    prepared.set(store.sqlite, statements);
  }
  let stmt = statements.get(sql);
  if (!stmt) {
    stmt = store.sqlite.prepare(sql);
    statements.set(sql, stmt);
  }
  return stmt.all(...(teamIds ?? [])) as Holding[];
}

/** The config's staff emails, once per config: every team digest of a run asks (1,000 staff, 50 teams). */
const staffEmails = new WeakMap<Org, ReadonlySet<string>>();

/**
 * Of the people holding open cases, those no longer in the config, with how many. "No longer in the
 * config" is judged against the config given, not the rows' active flag, so it is right even before
 * the next sync. Most open cases first, then by name.
 */
export function leaversAmong(org: Org, holdings: readonly Holding[]): Leaver[] {
  let current = staffEmails.get(org);
  if (!current) {
    current = new Set(org.staff.map((s) => s.email));
    staffEmails.set(org, current);
  }
  return holdings
    .filter((r) => !current.has(r.email))
    .map(({ staffId, name, openCases }) => ({ staffId, name, openCases }))
    .sort((a, b) => b.openCases - a.openCases || a.name.localeCompare(b.name));
}

/**
 * People no longer in the config who still hold open cases, with how many: all of the agency's, or
 * only cases in some teams (a supervisor's digest). Reads only.
 */
export function leaversWithOpenCases(
  store: Store,
  org: Org,
  scope: { readonly teamIds?: readonly string[] } = {},
): Leaver[] {
  return leaversAmong(org, holdingsOf(store, scope));
}
