import { addDays, daysBetween } from "../../domain/dates.ts";
import { requireCase } from "../access.ts";
import type { Command } from "../command.ts";
import { dayWords, type Env, refuse } from "../env.ts";
import { USAGE } from "../parse.ts";
import type { Reply } from "../reply.ts";

/** Leaves a case out of stuck-case nudges for some days. It stays stuck on the dashboards. */
export function snoozeCase(env: Env, cmd: Extract<Command, { kind: "snooze" }>): Reply {
  const found = requireCase(env, cmd.caseId, "log");
  if ("reply" in found) return found.reply;
  const c = found.case;
  if (c.status === "closed") return refuse(env, { code: "case_closed", caseId: c.id, closedOn: c.closedOn });
  // `until` is the last quiet day: snoozed for 7 days from Tuesday, reminders resume the next Tuesday.
  const until = addDays(env.today, cmd.days - 1);
  env.ctx.repo.digests.snooze(c.id, until, env.actor.staffId, env.now);
  env.ctx.repo.audit.record({
    at: env.now,
    actorId: env.actor.staffId,
    surface: env.surface,
    action: "snooze",
    caseId: c.id,
    detail: { until },
  });
  return {
    ok: true,
    text: `No reminders about case ${c.id} for ${cmd.days} day${cmd.days === 1 ? "" : "s"}: they start again on ${env.fmt(addDays(until, 1))}. It still shows as stuck on the dashboards.`,
    changedCase: c.id,
  };
}

/** Records the person's own leave, so nudges wait until they are back. */
export function away(env: Env, cmd: Extract<Command, { kind: "away" }>): Reply {
  const usage = (problem: string) =>
    refuse(env, { code: "usage", command: "away", problem, usage: USAGE.away! });
  if (cmd.to < cmd.from)
    return usage(`the last day (${env.fmt(cmd.to)}) is before the first (${env.fmt(cmd.from)})`);
  if (cmd.to < env.today) return usage(`${env.fmt(cmd.to)} has already passed`);
  if (daysBetween(cmd.from, cmd.to) > 366) return usage("leave can be recorded a year at a time");
  env.ctx.repo.digests.addLeave(env.actor.staffId, cmd.from, cmd.to, env.now);
  env.ctx.repo.audit.record({
    at: env.now,
    actorId: env.actor.staffId,
    surface: env.surface,
    action: "away",
    caseId: null,
    detail: { from: cmd.from, to: cmd.to },
  });
  return {
    ok: true,
    text: `Away from ${dayWords(env, cmd.from)} to ${env.fmt(cmd.to)}: no reminders about your cases on those days. Dashboards and digests are unchanged.`,
  };
}
