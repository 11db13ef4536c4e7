import { z } from "zod";
import { ABUSE_CODES, formatAbuseTypes, readAbuseTypes } from "../../domain/abuse.ts";
import { type IsoDate, looksLikeDate } from "../../domain/dates.ts";
import type { Write } from "../../store/records.ts";
import type { CaseRow, CorrectableField } from "../../store/schema.ts";
import { requireCase } from "../access.ts";
import { adultIssue } from "../child.ts";
import { defineCommand } from "../def.ts";
import {
  caseIdSchema,
  checked,
  fail,
  INTEGER,
  isoDateSchema,
  leadingCaseId,
  ok,
  readDate,
  usage,
} from "../grammar.ts";
import { type Invocation, refuse } from "../invocation.ts";
import type { Issue } from "../issues.ts";
import { normalWord } from "../lexicon.ts";
import { AGE_MAX, MAX_LENGTH } from "../limits.ts";
import { echo } from "../messages.ts";

const USAGE = '/sos edit <case-id> name "<name>" | dob <date> | age <years> | opened <date> | abuse <types>';

/** The words for each field, as people say them. */
const FIELD_WORDS: Readonly<Record<string, CorrectableField>> = {
  name: "childName",
  child: "childName",
  "child-name": "childName",
  dob: "dob",
  born: "dob",
  birthday: "dob",
  "date-of-birth": "dob",
  age: "ageAtOpening",
  opened: "openedOn",
  "date-opened": "openedOn",
  "opened-on": "openedOn",
  abuse: "abuseTypes",
  "abuse-types": "abuseTypes",
};

/** How a field is named in replies and the history. */
export const FIELD_NAMES: Readonly<Record<CorrectableField, string>> = {
  childName: "child's name",
  dob: "date of birth",
  ageAtOpening: "age at opening",
  openedOn: "date opened",
  abuseTypes: "abuse types",
};

const caseId = caseIdSchema(USAGE);
const args = checked(
  z.discriminatedUnion("field", [
    z.object({ caseId, field: z.literal("childName"), value: z.string() }),
    z.object({ caseId, field: z.literal("dob"), value: isoDateSchema }),
    z.object({ caseId, field: z.literal("ageAtOpening"), value: z.number() }),
    z.object({ caseId, field: z.literal("openedOn"), value: isoDateSchema }),
    z.object({
      caseId,
      field: z.literal("abuseTypes"),
      value: z.array(z.enum(ABUSE_CODES)).max(ABUSE_CODES.length),
    }),
  ]),
  (a): Issue | null => {
    if (a.field === "childName") {
      const name = a.value.trim();
      if (name === "") return usage("edit", "it needs the child's name", USAGE);
      if (name.length > MAX_LENGTH.childName)
        return { code: "too_long", what: "child's name", length: name.length, max: MAX_LENGTH.childName };
    }
    if (a.field === "ageAtOpening" && (!Number.isInteger(a.value) || a.value < 0 || a.value > AGE_MAX))
      return { code: "bad_age", token: String(a.value) };
    return null;
  },
);

/**
 * Corrects a case's details after it was opened: a mistyped name, date of birth, opening date or
 * abuse types. Each correction is a case event keeping the old value and the new, who and when; the
 * case row shows the new. Channel replies never repeat a child's name.
 */
export const edit = defineCommand({
  kind: "edit",
  words: ["edit", "correct", "fix"],
  usage: USAGE,
  about: "correct a case's name, date of birth, age, date opened or abuse types (supervisors, admins)",
  help: "Each correction is kept in the case's history with the old value, who made it and when. Opening dates after practice already recorded are refused.",
  ability: "manage",
  action: "correct cases",
  who: "a supervisor of the case's team or an admin can",
  writes: true,
  schema: args,

  read(words, ctx) {
    const first = leadingCaseId(
      words,
      "edit",
      USAGE,
      "it needs a case id, what to correct and the right value",
    );
    if ("issue" in first) return fail(first.issue);
    const fieldToken = words.args[1];
    if (!fieldToken)
      return fail(usage("edit", "say what to correct: name, dob, age, opened or abuse", USAGE));
    const field = FIELD_WORDS[normalWord(fieldToken.text)];
    if (!field)
      return fail(
        usage(
          "edit",
          `"${echo(fieldToken.text)}" is not something I can correct: name, dob, age, opened or abuse`,
          USAGE,
        ),
      );
    const rest = words.args.slice(2);
    const at = { caseId: first.caseId, field };
    if (rest.length === 0) return fail(usage("edit", `it needs the right ${FIELD_NAMES[field]}`, USAGE));
    switch (field) {
      case "childName":
        return ok({ ...at, field, value: rest.map((t) => t.text).join(" ") });
      case "ageAtOpening": {
        const t = rest[0]!;
        if (rest.length > 1 || !INTEGER.test(t.text)) return fail({ code: "bad_age", token: t.text });
        return ok({ ...at, field, value: Number(t.text) });
      }
      case "dob":
      case "openedOn": {
        const t = rest[0]!;
        if (rest.length > 1 || !looksLikeDate(t.text))
          return fail({ code: "bad_date", token: t.text, example: USAGE });
        const d = readDate(t, ctx, `/sos edit ${first.caseId} ${fieldToken.text} 06/01/16`);
        if ("issue" in d) return fail(d.issue);
        return ok({ ...at, field, value: d.date });
      }
      case "abuseTypes": {
        const { codes, unknown } = readAbuseTypes(rest.map((t) => t.text));
        if (unknown.length > 0) return fail({ code: "unknown_abuse", words: unknown.slice(0, 5) });
        return ok({ ...at, field, value: codes });
      }
    }
  },

  async run(env, cmd) {
    const found = await requireCase(env, cmd.caseId, "manage");
    if ("reply" in found) return found.reply;
    const c = found.case;
    const what = FIELD_NAMES[cmd.field];
    const decided = await correctCase(env, c, cmd);
    if ("issue" in decided) return refuse(env, decided.issue);
    const { from, to: value } = decided;
    return {
      expect: [{ kind: "caseVersion", caseId: c.id, version: c.version }],
      writes: decided.writes,
      reply() {
        const shown = (v: typeof from): string =>
          v === null
            ? "none"
            : Array.isArray(v)
              ? formatAbuseTypes(v) || "none"
              : typeof v === "string" && /^\d{4}-/.test(v)
                ? env.fmt(v)
                : String(v);
        const secret = cmd.field === "childName" && env.audience !== "private";
        const change = secret ? "" : `: now ${shown(value)} (was ${shown(from)})`;
        return {
          ok: true,
          text: `Corrected the ${what} on case ${c.id}${change}. The case's history keeps the old value, with who changed it and when.`,
          changedCase: c.id,
        };
      },
    };
  },
});

/** One correction: a field and its right value (the case's own type for that field). */
export type Correction =
  | { readonly field: "childName"; readonly value: string }
  | { readonly field: "dob" | "openedOn"; readonly value: IsoDate }
  | { readonly field: "ageAtOpening"; readonly value: number }
  | { readonly field: "abuseTypes"; readonly value: readonly string[] };

type FieldValue = CaseRow[CorrectableField];

/**
 * Decides one correction of a case as it stands: the refusal, or the writes (the case event keeping
 * the old value and the new, the row's field, an audit line naming the field only) and the case as
 * it will be after them, so several corrections of one case can be decided one after the other.
 * `/sos edit` and `sos import --update` both decide corrections here.
 */
export async function correctCase(
  env: Invocation,
  c: CaseRow,
  cmd: Correction,
): Promise<{ issue: Issue } | { from: FieldValue; to: FieldValue; writes: Write[]; after: CaseRow }> {
  const { actor } = env;
  const what = FIELD_NAMES[cmd.field];
  const value: FieldValue =
    cmd.field === "childName"
      ? cmd.value.trim().replace(/\s+/g, " ")
      : cmd.field === "abuseTypes"
        ? [...cmd.value]
        : cmd.value;
  const from = c[cmd.field];
  if (JSON.stringify(from) === JSON.stringify(value))
    return { issue: { code: "no_change", caseId: c.id, what } };

  if (cmd.field === "dob" || cmd.field === "openedOn") {
    const date = cmd.value;
    if (date > env.today) return { issue: { code: "future_date", date, what: `the ${what}` } };
  }
  if (cmd.field === "ageAtOpening" && c.dob !== null)
    return { issue: { code: "has_dob", caseId: c.id, dob: c.dob } };
  if (cmd.field === "dob" || cmd.field === "ageAtOpening" || cmd.field === "openedOn") {
    const child = {
      age: cmd.field === "ageAtOpening" ? cmd.value : c.ageAtOpening,
      dob: cmd.field === "dob" ? cmd.value : c.dob,
      openedOn: cmd.field === "openedOn" ? cmd.value : c.openedOn,
    };
    if (child.dob !== null && child.dob > child.openedOn)
      return { issue: { code: "born_after_opening", dob: child.dob, openedOn: child.openedOn } };
    const adult = adultIssue(env, child);
    if (adult) return { issue: adult };
  }
  if (cmd.field === "openedOn") {
    // Practice cannot have happened before the case was opened: say which entry is in the way.
    const first = (await env.reads.caseEvents(c.id))
      .filter((e) => e.retractsId === null && e.occurredOn !== null && e.occurredOn < cmd.value)
      .sort((a, b) => (a.occurredOn! < b.occurredOn! ? -1 : 1))[0];
    if (first)
      return {
        issue: {
          code: "practice_before",
          caseId: c.id,
          date: cmd.value,
          entryId: first.id,
          on: first.occurredOn!,
        },
      };
    if (c.closedOn !== null && cmd.value > c.closedOn)
      return { issue: { code: "before_opened", date: c.closedOn, openedOn: cmd.value, caseId: c.id } };
  }
  return {
    from,
    to: value,
    after: { ...c, [cmd.field]: value },
    writes: [
      {
        kind: "caseEvent",
        event: {
          caseId: c.id,
          kind: "corrected",
          on: env.today,
          at: env.now,
          by: actor.staffId,
          surface: env.surface,
          detail: { field: cmd.field, from, to: value },
        },
      },
      { kind: "updateCase", caseId: c.id, set: { [cmd.field]: value } },
      {
        kind: "audit",
        entry: {
          at: env.now,
          actorId: actor.staffId,
          surface: env.surface,
          action: "edit",
          caseId: c.id,
          // Which field, never its values: the audit trail holds no child data.
          detail: { field: cmd.field },
        },
      },
    ],
  };
}
