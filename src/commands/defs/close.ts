import { z } from "zod";
import type { IsoDate } from "../../domain/dates.ts";
import { looksLikeDate } from "../../domain/dates.ts";
import { closest } from "../../util/suggest.ts";
import { requireCase } from "../access.ts";
import { defineCommand } from "../def.ts";
import { dayWords, refuse } from "../env.ts";
import {
  caseIdSchema,
  FILLER,
  fail,
  isoDateSchema,
  leadingCaseId,
  noteSchema,
  ok,
  readDate,
  usage,
} from "../grammar.ts";
import { normalWord } from "../lexicon.ts";

const USAGE = "/sos close <case-id> <outcome> [date] [-- note]";

/** Closes a case with its outcome, which the agency summary sets against the practice recorded. */
export const close = defineCommand({
  kind: "close",
  words: ["close"],
  usage: USAGE,
  about: "close a case with its outcome (supervisors, admins)",
  ability: "manage",
  action: "change cases",
  who: "a supervisor of the case's team or an admin can",
  writes: true,
  schema: z.object({
    caseId: caseIdSchema(USAGE),
    outcome: z.string().min(1).max(80),
    /** null: today */
    date: isoDateSchema.nullable(),
    note: noteSchema(),
  }),

  read(words, ctx) {
    const first = leadingCaseId(words, "close", USAGE, "it needs a case id and an outcome");
    if ("issue" in first) return fail(first.issue);
    const { caseId } = first;
    const codes = ctx.org.outcomes.map((o) => o.code);
    let date: IsoDate | null = null;
    const typed: string[] = [];
    for (const t of words.args.slice(1)) {
      if (!t.quoted && looksLikeDate(t.text) && date === null) {
        const d = readDate(t, ctx, `/sos close ${caseId} ${codes[0]} yesterday`);
        if ("issue" in d) return fail(d.issue);
        date = d.date;
      } else typed.push(t.text);
    }
    const meaningful = typed.filter((w) => !FILLER.has(w.toLowerCase()));
    if (meaningful.length === 0)
      return fail(usage("close", `it needs an outcome: one of ${codes.join(", ")}`, USAGE));
    // "referred on" is an outcome; "as safe at home" has a filler word: try both readings.
    const whole = normalWord(typed.join("-"));
    const bare = normalWord(meaningful.join("-"));
    const outcome = codes.find((c) => c === whole || c === bare);
    if (outcome === undefined)
      return fail({
        code: "unknown_outcome",
        word: meaningful.join(" "),
        suggestions: closest(bare, codes, 2),
        outcomes: codes,
      });
    return ok({ caseId, outcome, date, note: words.note });
  },

  async run(env, cmd) {
    const { ctx, actor } = env;
    const codes = ctx.org.outcomes.map((o) => o.code);
    if (!codes.includes(cmd.outcome))
      return refuse(env, {
        code: "unknown_outcome",
        word: cmd.outcome,
        suggestions: closest(cmd.outcome, codes, 2),
        outcomes: codes,
      });
    const found = await requireCase(env, cmd.caseId, "manage");
    if ("reply" in found) return found.reply;
    const c = found.case;
    if (c.status === "closed")
      return refuse(env, { code: "already_closed", caseId: c.id, closedOn: c.closedOn });
    const on = cmd.date ?? env.today;
    if (on > env.today) return refuse(env, { code: "future_date", date: on, what: "the closing" });
    if (on < c.openedOn)
      return refuse(env, { code: "before_opened", date: on, openedOn: c.openedOn, caseId: c.id });
    return {
      expect: [{ kind: "caseVersion", caseId: c.id, version: c.version }],
      writes: [
        { kind: "close", caseId: c.id, on, outcome: cmd.outcome, note: cmd.note },
        {
          kind: "caseEvent",
          event: {
            caseId: c.id,
            kind: "closed",
            on,
            at: env.now,
            by: actor.staffId,
            surface: env.surface,
            detail: { outcome: cmd.outcome, note: cmd.note, closedOn: on },
          },
        },
        {
          kind: "audit",
          entry: {
            at: env.now,
            actorId: actor.staffId,
            surface: env.surface,
            action: "close",
            caseId: c.id,
            detail: { outcome: cmd.outcome, closedOn: on, note: cmd.note !== null },
          },
        },
      ],
      reply() {
        const label = ctx.org.outcomes.find((o) => o.code === cmd.outcome)?.label ?? cmd.outcome;
        return {
          ok: true,
          text: `Closed case ${c.id} on ${dayWords(env, on)}: ${label}. It leaves the dashboards; \`/sos reopen ${c.id}\` brings it back.`,
          changedCase: c.id,
        };
      },
    };
  },
});
