import { findTeam, type TeamConfig } from "../config/org.ts";
import { canManageTeam, canRecord, canSeeCase, canSeeTeam } from "../domain/access.ts";
import type { CaseRow } from "../store/schema.ts";
import { closest } from "../util/suggest.ts";
import { type Invocation, refuse } from "./invocation.ts";
import type { Reply } from "./reply.ts";

export type CaseAction = "log" | "see" | "manage";

/**
 * Finds a case and checks the actor may do `action` to it: the authorization every case command
 * starts with (the command's role was checked before it ran). A case the person may not see gets the
 * same answer as one that does not exist, with suggestions from their own cases only: "not allocated
 * to you" would tell a worker which ids are real. Returns the case, or the refusal to send back.
 */
export async function requireCase(
  env: Invocation,
  caseId: string,
  action: CaseAction,
  /** the case as the command already read it (with what else it needed); absent: read here */
  read?: { readonly case: CaseRow | undefined },
): Promise<{ case: CaseRow } | { reply: Reply }> {
  const { actor } = env;
  const c = read ? read.case : await env.reads.case(caseId);
  const scope = c ? { workerId: c.workerId, teamId: c.teamId } : undefined;
  if (!c || !scope || !canSeeCase(actor, scope)) {
    return {
      reply: refuse(env, { code: "unknown_case", caseId, suggestions: await similarCaseIds(env, caseId) }),
    };
  }
  const allowed =
    action === "see" ? true : action === "manage" ? canManageTeam(actor, c.teamId) : canRecord(actor, scope);
  if (!allowed) {
    const issue =
      actor.role === "worker"
        ? ({ code: "not_your_case", caseId, action: action === "manage" ? "log" : action } as const)
        : ({ code: "not_your_team", caseId, action } as const);
    return { reply: refuse(env, issue) };
  }
  return { case: c };
}

/** Case ids close to a mistyped one, among the cases this person may see: never hint at others. */
async function similarCaseIds(env: Invocation, caseId: string): Promise<string[]> {
  const { actor } = env;
  const scope =
    actor.role === "worker"
      ? { workerId: actor.staffId }
      : actor.role === "supervisor"
        ? { teamIds: actor.teams }
        : {};
  const ids = await env.reads.caseIds(scope);
  if (actor.role === "supervisor") ids.push(...(await env.reads.caseIds({ workerId: actor.staffId })));
  return closest(caseId, ids, 3);
}

/**
 * A team named in a command: found (with "did you mean" when not), and visible to the person. The
 * refusal for a team they may not see is theirs to word (`denied`).
 */
export function requireTeam(
  env: Invocation,
  word: string,
  denied?: (team: TeamConfig) => Reply,
): { team: TeamConfig } | { reply: Reply } {
  const { actor, ctx } = env;
  const team = findTeam(ctx.org, word);
  if (!team) {
    const suggestions = closest(
      word,
      ctx.org.teams.map((t) => t.name),
      2,
    );
    const teams = ctx.org.teams.map((t) => t.name);
    return { reply: refuse(env, { code: "unknown_team", word, suggestions, teams }) };
  }
  if (!canSeeTeam(actor, team.id))
    return { reply: denied?.(team) ?? refuse(env, { code: "no_team_access", team: team.name }) };
  return { team };
}

/** A team's name for replies. */
export function teamName(env: Invocation, teamId: string): string {
  return env.ctx.org.teams.find((t) => t.id === teamId)?.name ?? teamId;
}
/** The team a supervisor means when they name none; for others, the named team, checked. */
export function teamFor(env: Invocation, word: string | null): { teamId: string } | { reply: Reply } {
  const { actor, ctx } = env;
  if (word === null) {
    if (actor.role === "supervisor") return { teamId: actor.teams[0]! };
    if (ctx.org.teams.length === 1) return { teamId: ctx.org.teams[0]!.id };
    return { reply: refuse(env, { code: "which_team", teams: ctx.org.teams.map((t) => t.name) }) };
  }
  const found = requireTeam(env, word);
  return "reply" in found ? found : { teamId: found.team.id };
}
