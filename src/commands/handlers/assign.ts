import { canManageTeam } from "../../domain/access.ts";
import { requireCase } from "../access.ts";
import type { Command } from "../command.ts";
import { type Env, refuse } from "../env.ts";
import type { Reply } from "../reply.ts";
import { teamName } from "./open.ts";
import { resolveCaseholder } from "./people.ts";

type AssignCommand = Extract<Command, { kind: "assign" }>;

/**
 * Allocates a case to another worker (a transfer). The case follows the worker's team; moving it to
 * a team the supervisor does not run needs an admin.
 */
export function assignCase(env: Env, cmd: AssignCommand): Reply {
  const { ctx, actor } = env;
  const found = requireCase(env, cmd.caseId, "manage");
  if ("reply" in found) return found.reply;
  const c = found.case;
  if (c.status === "closed") return refuse(env, { code: "case_closed", caseId: c.id, closedOn: c.closedOn });
  const target = resolveCaseholder(env, cmd.person);
  if ("reply" in target) return target.reply;
  const holder = target.actor;
  if (holder.staffId === c.workerId)
    return refuse(env, { code: "already_allocated", caseId: c.id, name: holder.name });

  const teamId = holder.teams.includes(c.teamId)
    ? c.teamId
    : holder.teams.find((t) => canManageTeam(actor, t));
  if (teamId === undefined) {
    return refuse(env, {
      code: "outside_team",
      name: holder.name,
      teams: actor.teams.map((t) => teamName(env, t)),
    });
  }
  const previous = ctx.people.nameOf(c.workerId);
  ctx.repo.cases.allocate(c.id, holder.staffId, teamId, env.today, actor.staffId, env.now);
  ctx.repo.audit.record({
    at: env.now,
    actorId: actor.staffId,
    surface: env.surface,
    action: "assign",
    caseId: c.id,
    detail: { from: c.workerId, to: holder.staffId, fromTeam: c.teamId, toTeam: teamId },
  });
  const moved =
    teamId !== c.teamId ? ` It moves from ${teamName(env, c.teamId)} to ${teamName(env, teamId)}.` : "";
  return {
    ok: true,
    text: `Case ${c.id} is now allocated to ${holder.name} (it was ${previous}'s).${moved}`,
    changedCase: c.id,
  };
}
