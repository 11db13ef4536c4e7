import { requireCase } from "../access.ts";
import type { Command } from "../command.ts";
import { dayWords, type Env, refuse } from "../env.ts";
import type { Reply } from "../reply.ts";

type CloseCommand = Extract<Command, { kind: "close" }>;

/** Closes a case with its outcome, which the agency summary sets against the practice recorded. */
export function closeCase(env: Env, cmd: CloseCommand): Reply {
  const { ctx, actor } = env;
  const found = requireCase(env, cmd.caseId, "manage");
  if ("reply" in found) return found.reply;
  const c = found.case;
  if (c.status === "closed")
    return refuse(env, { code: "already_closed", caseId: c.id, closedOn: c.closedOn });
  const on = cmd.date ?? env.today;
  if (on > env.today) return refuse(env, { code: "future_date", date: on, what: "the closing" });
  if (on < c.openedOn)
    return refuse(env, { code: "before_opened", date: on, openedOn: c.openedOn, caseId: c.id });

  ctx.repo.cases.close(c.id, on, cmd.outcome, cmd.note);
  ctx.repo.audit.record({
    at: env.now,
    actorId: actor.staffId,
    surface: env.surface,
    action: "close",
    caseId: c.id,
    detail: { outcome: cmd.outcome, closedOn: on, note: cmd.note !== null },
  });
  const label = ctx.org.outcomes.find((o) => o.code === cmd.outcome)?.label ?? cmd.outcome;
  return {
    ok: true,
    text: `Closed case ${c.id} on ${dayWords(env, on)}: ${label}. It leaves the dashboards; \`/sos reopen ${c.id}\` brings it back.`,
    changedCase: c.id,
  };
}

export function reopenCase(env: Env, cmd: Extract<Command, { kind: "reopen" }>): Reply {
  const { ctx, actor } = env;
  const found = requireCase(env, cmd.caseId, "manage");
  if ("reply" in found) return found.reply;
  const c = found.case;
  if (c.status === "open") return refuse(env, { code: "already_open", caseId: c.id });
  ctx.repo.cases.reopen(c.id);
  ctx.repo.audit.record({
    at: env.now,
    actorId: actor.staffId,
    surface: env.surface,
    action: "reopen",
    caseId: c.id,
    detail: { closedOn: c.closedOn, outcome: c.outcome },
  });
  return {
    ok: true,
    text: `Reopened case ${c.id}. It is back on ${ctx.people.nameOf(c.workerId)}'s dashboard.`,
    changedCase: c.id,
  };
}
