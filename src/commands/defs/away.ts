import { z } from "zod";
import { daysBetween, type IsoDate } from "../../domain/dates.ts";
import { defineCommand } from "../def.ts";
import { FILLER, fail, isoDateSchema, ok, readDate, usage } from "../grammar.ts";
import { dayWords, refuse } from "../invocation.ts";
import { LEAVE_MAX_DAYS } from "../limits.ts";

const USAGE = "/sos away <first day> <last day>";

/** Records the person's own leave, so nudges wait until they are back. */
export const away = defineCommand({
  kind: "away",
  words: ["away", "leave"],
  usage: USAGE,
  about: "your leave: no reminders on those days",
  ability: "holdCases",
  action: "record leave",
  who: "leave pauses reminders, which only workers and supervisors get",
  writes: true,
  schema: z.object({ from: isoDateSchema, to: isoDateSchema }),

  read(words, ctx) {
    const dates = words.args.filter(
      (t) => !FILLER.has(t.text.toLowerCase()) && !/^(until|till|from)$/i.test(t.text),
    );
    if (dates.length === 0 || dates.length > 2)
      return fail(usage("away", "it needs the first and last day you are away", USAGE));
    const read: IsoDate[] = [];
    for (const t of dates) {
      const d = readDate(t, ctx, USAGE, "future");
      if ("issue" in d) return fail(d.issue);
      read.push(d.date);
    }
    // One date: away from today until then.
    const [from, to] = read.length === 1 ? [ctx.today, read[0]!] : [read[0]!, read[1]!];
    return ok({ from, to });
  },

  async run(env, cmd) {
    const problem = (p: string) => refuse(env, usage("away", p, USAGE));
    if (cmd.to < cmd.from)
      return problem(`the last day (${env.fmt(cmd.to)}) is before the first (${env.fmt(cmd.from)})`);
    if (cmd.to < env.today) return problem(`${env.fmt(cmd.to)} has already passed`);
    if (daysBetween(cmd.from, cmd.to) > LEAVE_MAX_DAYS)
      return problem("leave can be recorded a year at a time");
    return {
      expect: [],
      writes: [
        { kind: "leave", staffId: env.actor.staffId, from: cmd.from, to: cmd.to, at: env.now },
        {
          kind: "audit",
          entry: {
            at: env.now,
            actorId: env.actor.staffId,
            surface: env.surface,
            action: "away",
            caseId: null,
            detail: { from: cmd.from, to: cmd.to },
          },
        },
      ],
      reply: () => ({
        ok: true,
        text: `Away from ${dayWords(env, cmd.from)} to ${env.fmt(cmd.to)}: no reminders about your cases on those days. Dashboards and digests are unchanged.`,
      }),
    };
  },
});
