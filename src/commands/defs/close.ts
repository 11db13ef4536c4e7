import { z } from "zod";
import type { IsoDate } from "../../domain/dates.ts";
import { looksLikeDate } from "../../domain/dates.ts";
import type { Write } from "../../store/records.ts";
import type { CaseRow } from "../../store/schema.ts";
import { closest } from "../../util/suggest.ts";
import { requireCase } from "../access.ts";
import { defineCommand } from "../def.ts";
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
import { dayWords, type Invocation, refuse } from "../invocation.ts";
import type { Issue } from "../issues.ts";
import { normalWord } from "../lexicon.ts";

const USAGE = "/sos close <case-id> <outcome> [date] [-- note]";

/**
 * An outcome as typed (`safe at home`, `referred-on`, `as no further action`): one of the agency's
 * codes. Shared by `close` and the import of closed cases, so a file accepts what chat does.
 */
export function readOutcome(
  typed: readonly string[],
  codes: readonly string[],
): { outcome: string } | { issue: Issue } {
  const meaningful = typed.filter((w) => !FILLER.has(w.toLowerCase()));
  if (meaningful.length === 0)
    return { issue: usage("close", `it needs an outcome: one of ${codes.join(", ")}`, USAGE) };
  // "referred on" is an outcome; "as safe at home" has a filler word: try both readings.
  const whole = normalWord(typed.join("-"));
  const bare = normalWord(meaningful.join("-"));
  const outcome = codes.find((c) => c === whole || c === bare);
  if (outcome === undefined)
    return {
      issue: {
        code: "unknown_outcome",
        word: meaningful.join(" "),
        suggestions: closest(bare, codes, 2),
        outcomes: [...codes],
      },
    };
  return { outcome };
}

/**
 * Decides a close of a case as it stands: the refusal, or the writes (the row closed, the close kept
 * as a case event with its outcome and note, the audit line). `/sos close` and the import of a
 * closed case both decide it here.
 */
export function closeCase(
  env: Invocation,
  c: CaseRow,
  close: { readonly on: IsoDate; readonly outcome: string; readonly note: string | null },
): { issue: Issue } | { writes: Write[] } {
  const { actor } = env;
  const { on, outcome, note } = close;
  if (c.status === "closed") return { issue: { code: "already_closed", caseId: c.id, closedOn: c.closedOn } };
  if (on > env.today) return { issue: { code: "future_date", date: on, what: "the closing" } };
  if (on < c.openedOn)
    return { issue: { code: "before_opened", date: on, openedOn: c.openedOn, caseId: c.id } };
  return {
    writes: [
      { kind: "close", caseId: c.id, on, outcome, note },
      {
        kind: "caseEvent",
        event: {
          caseId: c.id,
          kind: "closed",
          on,
          at: env.now,
          by: actor.staffId,
          surface: env.surface,
          detail: { outcome, note, closedOn: on },
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
          detail: { outcome, closedOn: on, note: note !== null },
        },
      },
    ],
  };
}

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
    const read = readOutcome(typed, codes);
    if ("issue" in read) return fail(read.issue);
    return ok({ caseId, outcome: read.outcome, date, note: words.note });
  },

  async run(env, cmd) {
    const { ctx } = env;
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
    const on = cmd.date ?? env.today;
    const decided = closeCase(env, c, { on, outcome: cmd.outcome, note: cmd.note });
    if ("issue" in decided) return refuse(env, decided.issue);
    return {
      expect: [{ kind: "caseVersion", caseId: c.id, version: c.version }],
      writes: decided.writes,
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
