/**
 * Who may do what (DESIGN §4). Pure predicates over an actor and the case or team in question; the
 * command layer calls one of these before it reads or writes anything.
 */

export const ROLES = ["worker", "supervisor", "manager", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  readonly staffId: number;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  /** team ids: one for a worker, one or more for a supervisor, none needed for managers and admins */
  readonly teams: readonly string[];
}

/** The two facts about a case that decide access: whose it is, and which team it sits in. */
export interface CaseScope {
  readonly workerId: number;
  readonly teamId: string;
}

/** Log and undo practice: the allocated worker, or a supervisor of the case's team. */
export function canRecord(actor: Actor, c: CaseScope): boolean {
  if (actor.role === "worker") return c.workerId === actor.staffId;
  if (actor.role === "supervisor") return actor.teams.includes(c.teamId) || c.workerId === actor.staffId;
  return false;
}

export function canSeeCase(actor: Actor, c: CaseScope): boolean {
  if (actor.role === "manager" || actor.role === "admin") return true;
  if (actor.role === "supervisor") return actor.teams.includes(c.teamId) || c.workerId === actor.staffId;
  return c.workerId === actor.staffId;
}

/** Open, assign (transfer), close and reopen cases in a team. */
export function canManageTeam(actor: Actor, teamId: string): boolean {
  if (actor.role === "admin") return true;
  return actor.role === "supervisor" && actor.teams.includes(teamId);
}

export function canSeeTeam(actor: Actor, teamId: string): boolean {
  if (actor.role === "manager" || actor.role === "admin") return true;
  return actor.role === "supervisor" && actor.teams.includes(teamId);
}

export function canSeeAgency(actor: Actor): boolean {
  return actor.role === "manager" || actor.role === "admin";
}
