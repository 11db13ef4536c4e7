import { teamMembers } from "../../config/org.ts";
import { formatAbuseTypes } from "../../domain/abuse.ts";
import { canManageTeam } from "../../domain/access.ts";
import { nameCell } from "../../domain/names.ts";
import type { Command } from "../command.ts";
import { dayWords, type Env, refuse } from "../env.ts";
import type { Reply } from "../reply.ts";
import { resolveCaseholder } from "./people.ts";

type OpenCommand = Extract<Command, { kind: "open" }>;

/** Opens a case and allocates it: supervisors for their own teams, admins for any. */
export function openCase(env: Env, cmd: OpenCommand): Reply {
  const { ctx, actor } = env;
  if (actor.role !== "supervisor" && actor.role !== "admin") {
    return refuse(env, {
      code: "role_cannot",
      role: actor.role,
      action: "open cases",
      who: "a supervisor or an admin can",
    });
  }
  if (ctx.repo.cases.get(cmd.caseId)) return refuse(env, { code: "case_exists", caseId: cmd.caseId });

  let holder = actor;
  if (cmd.worker !== null) {
    const found = resolveCaseholder(env, cmd.worker);
    if ("reply" in found) return found.reply;
    holder = found.actor;
  } else if (actor.role !== "supervisor") {
    return refuse(env, { code: "needs_worker", caseId: cmd.caseId });
  }
  const teamId = holder.teams.find((t) => canManageTeam(actor, t));
  if (teamId === undefined) {
    return refuse(env, {
      code: "outside_team",
      name: holder.name,
      teams: actor.teams.map((t) => teamName(env, t)),
    });
  }
  const openedOn = cmd.openedOn ?? env.today;
  if (openedOn > env.today) return refuse(env, { code: "future_date", date: openedOn, what: "the case" });

  ctx.repo.cases.insert(
    {
      id: cmd.caseId,
      childName: cmd.childName,
      dob: cmd.dob,
      ageAtOpening: cmd.age,
      openedOn,
      service: cmd.service,
      abuseTypes: cmd.abuse,
      workerId: holder.staffId,
      teamId,
      status: "open",
      createdAt: env.now,
      createdBy: actor.staffId,
    },
    actor.staffId,
    env.now,
  );
  ctx.repo.audit.record({
    at: env.now,
    actorId: actor.staffId,
    surface: env.surface,
    action: "open",
    caseId: cmd.caseId,
    detail: { service: cmd.service, worker: holder.staffId, team: teamId, openedOn },
  });

  const child = nameCell(
    { id: cmd.caseId, childName: cmd.childName, dob: cmd.dob, ageAtOpening: cmd.age, openedOn },
    env.today,
    env.names,
  );
  const abuse = cmd.abuse.length ? `, ${formatAbuseTypes(cmd.abuse)}` : "";
  const who = holder.staffId === actor.staffId ? "you" : holder.name;
  const members = teamMembers(ctx.org, teamId);
  const lines = [
    `Opened case ${cmd.caseId} (${child}) on ${ctx.org.dashboards[cmd.service].title}${abuse}, opened ${dayWords(env, openedOn)}, allocated to ${who} in ${teamName(env, teamId)}.`,
  ];
  if (holder.staffId === actor.staffId && members.some((m) => m.role === "worker")) {
    lines.push(`To give it to a worker: \`/sos assign ${cmd.caseId} <their email>\`.`);
  }
  return { ok: true, text: lines.join("\n"), changedCase: cmd.caseId };
}

export function teamName(env: Env, teamId: string): string {
  return env.ctx.org.teams.find((t) => t.id === teamId)?.name ?? teamId;
}
