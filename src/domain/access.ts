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

/**
 * What each role may do at all. Every command names one of these and the command registry reads the
 * roles from here; the predicates below then narrow it to the case or team in question.
 */
export const ABILITIES = {
  /** log, undo and snooze practice on cases */
  record: ["worker", "supervisor"],
  /** have cases allocated to them: "my cases" */
  holdCases: ["worker", "supervisor"],
  /** open, assign (transfer), close and reopen cases */
  manage: ["supervisor", "admin"],
  /** a team's dashboard */
  seeTeam: ["supervisor", "manager", "admin"],
  /** the whole agency */
  seeAgency: ["manager", "admin"],
  anyone: ROLES,
} as const satisfies Record<string, readonly Role[]>;

export type Ability = keyof typeof ABILITIES;

export function may(role: Role, ability: Ability): boolean {
  return (ABILITIES[ability] as readonly Role[]).includes(role);
}

/** The two facts about a case that decide access: whose it is, and which team it sits in. */
export interface CaseScope {
  readonly workerId: number;
  readonly teamId: string;
}

/** Log and undo practice: the allocated worker, or a supervisor of the case's team. */
export function canRecord(actor: Actor, c: CaseScope): boolean {
  if (!may(actor.role, "record")) return false;
  if (actor.role === "supervisor") return actor.teams.includes(c.teamId) || c.workerId === actor.staffId;
  return c.workerId === actor.staffId;
}

export function canSeeCase(actor: Actor, c: CaseScope): boolean {
  if (canSeeAgency(actor)) return true;
  if (actor.role === "supervisor") return actor.teams.includes(c.teamId) || c.workerId === actor.staffId;
  return c.workerId === actor.staffId;
}

/** Open, assign (transfer), close and reopen cases in a team. */
export function canManageTeam(actor: Actor, teamId: string): boolean {
  if (!may(actor.role, "manage")) return false;
  return actor.role === "admin" || actor.teams.includes(teamId);
}

export function canSeeTeam(actor: Actor, teamId: string): boolean {
  if (canSeeAgency(actor)) return true;
  return may(actor.role, "seeTeam") && actor.teams.includes(teamId);
}

export function canSeeAgency(actor: Actor): boolean {
  return may(actor.role, "seeAgency");
}
