import { z } from "zod";
import { addDays } from "../../domain/dates.ts";
import { requireCase } from "../access.ts";
import { defineCommand } from "../def.ts";
import { caseIdSchema, checked, fail, leadingCaseId, ok, usage } from "../grammar.ts";
import { refuse } from "../invocation.ts";
import { SNOOZE_DAYS } from "../limits.ts";
import { echo } from "../messages.ts";

const USAGE = "/sos snooze <case-id> [days]";

const outOfRange = (typed: string) =>
  usage("snooze", `snooze for ${SNOOZE_DAYS.min} to ${SNOOZE_DAYS.max} days, not "${echo(typed)}"`, USAGE);

/** Leaves a case out of stuck-case nudges for some days. It stays stuck on the dashboards. */
export const snooze = defineCommand({
  kind: "snooze",
  words: ["snooze"],
  usage: USAGE,
  about: `no reminders about a stuck case for some days (${SNOOZE_DAYS.default} unless you say, at most ${SNOOZE_DAYS.max})`,
  ability: "record",
  action: "snooze reminders",
  who: "reminders belong to the worker holding the case and their supervisor",
  writes: true,
  schema: z.object({
    caseId: caseIdSchema(USAGE),
    days: checked(z.number(), (d) =>
      Number.isInteger(d) && d >= SNOOZE_DAYS.min && d <= SNOOZE_DAYS.max ? null : outOfRange(String(d)),
    ),
  }),

  read(words) {
    const first = leadingCaseId(words, "snooze", USAGE);
    if ("issue" in first) return fail(first.issue);
    const daysToken = words.args[1];
    if (!daysToken) return ok({ caseId: first.caseId, days: SNOOZE_DAYS.default });
    const digits = daysToken.text.replace(/^(\d+)(d|days?)$/i, "$1");
    if (!/^\d+$/.test(digits)) return fail(outOfRange(daysToken.text));
    const rest = words.args.slice(2).filter((t) => !/^days?$/i.test(t.text));
    if (rest.length) return fail({ code: "extra_words", words: rest.map((t) => t.text), example: USAGE });
    return ok({ caseId: first.caseId, days: Number(digits) });
  },

  async run(env, cmd) {
    const found = await requireCase(env, cmd.caseId, "log");
    if ("reply" in found) return found.reply;
    const c = found.case;
    if (c.status === "closed")
      return refuse(env, { code: "case_closed", caseId: c.id, closedOn: c.closedOn });
    // `until` is the last quiet day: snoozed for 7 days from Tuesday, reminders resume the next Tuesday.
    const until = addDays(env.today, cmd.days - 1);
    return {
      expect: [{ kind: "caseVersion", caseId: c.id, version: c.version }],
      writes: [
        { kind: "snooze", caseId: c.id, until, by: env.actor.staffId, at: env.now },
        {
          kind: "audit",
          entry: {
            at: env.now,
            actorId: env.actor.staffId,
            surface: env.surface,
            action: "snooze",
            caseId: c.id,
            detail: { until },
          },
        },
      ],
      reply: () => ({
        ok: true,
        text: `No reminders about case ${c.id} for ${cmd.days} day${cmd.days === 1 ? "" : "s"}: they start again on ${env.fmt(addDays(until, 1))}. It still shows as stuck on the dashboards.`,
        changedCase: c.id,
      }),
    };
  },
});
