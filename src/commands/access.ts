import { findTeam, type TeamConfig } from "../config/org.ts";
import { canManageTeam, canRecord, canSeeCase, canSeeTeam } from "../domain/access.ts";
import type { CaseRow } from "../store/schema.ts";
import { closest } from "../util/suggest.ts";
import { type Env, refuse } from "./env.ts";
import type { Reply } from "./reply.ts";

export type CaseAction = "log" | "undo" | "see" | "manage";

const WHO: Readonly<Record<CaseAction, string>> = {
  log: "only the allocated worker or their supervisor can",
  undo: "only the allocated worker or their supervisor can",
  see: "",
  manage: "a supervisor of the case's team or an admin can",
};

/**
 * Finds a case and checks the actor may do `action` to it: the authorization every case command
 * starts with. Returns the case, or the refusal to send back.
 */
export function requireCase(
  env: Env,
  caseId: string,
  action: CaseAction,
): { case: CaseRow } | { reply: Reply } {
  const { actor, ctx } = env;
  if (action !== "see" && (actor.role === "manager" || (actor.role === "admin" && action !== "manage"))) {
    const what = action === "manage" ? "change cases" : "record practice";
    return { reply: refuse(env, { code: "role_cannot", role: actor.role, action: what, who: WHO[action] }) };
  }
  if (action === "manage" && actor.role === "worker") {
    return {
      reply: refuse(env, { code: "role_cannot", role: actor.role, action: "change cases", who: WHO.manage }),
    };
  }
  const c = ctx.repo.cases.get(caseId);
  if (!c)
    return { reply: refuse(env, { code: "unknown_case", caseId, suggestions: similarCaseIds(env, caseId) }) };
  const scope = { workerId: c.workerId, teamId: c.teamId };
  const allowed =
    action === "see"
      ? canSeeCase(actor, scope)
      : action === "manage"
        ? canManageTeam(actor, c.teamId)
        : canRecord(actor, scope);
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
function similarCaseIds(env: Env, caseId: string): string[] {
  const { actor, ctx } = env;
  const scope =
    actor.role === "worker"
      ? { workerId: actor.staffId }
      : actor.role === "supervisor"
        ? { teamIds: actor.teams }
        : {};
  return closest(caseId, ctx.repo.cases.ids(scope), 3);
}

/**
 * A team named in a command: found (with "did you mean" when not), and visible to the person. The
 * refusal for a team they may not see is theirs to word (`denied`).
 */
export function requireTeam(
  env: Env,
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
    return { reply: refuse(env, { code: "unknown_team", word, suggestions }) };
  }
  if (!canSeeTeam(actor, team.id))
    return { reply: denied?.(team) ?? refuse(env, { code: "no_team_access", team: team.name }) };
  return { team };
}
