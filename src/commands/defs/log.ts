import { z } from "zod";
import { elementCell } from "../../domain/cells.ts";
import { type CellStyle, elementColumn, elementColumns } from "../../domain/dashboards.ts";
import { type IsoDate, looksLikeDate } from "../../domain/dates.ts";
import { ELEMENT_KEYS, ELEMENTS, type ElementKey, valueRule } from "../../domain/elements.ts";
import { nameCell } from "../../domain/names.ts";
import { compareOccurrence } from "../../domain/projection.ts";
import type { CaseRow } from "../../store/schema.ts";
import { requireCase } from "../access.ts";
import { defineCommand } from "../def.ts";
import { EXAMPLE_CASE } from "../examples.ts";
import {
  checked,
  fail,
  INTEGER,
  isCaseId,
  isoDateSchema,
  noteSchema,
  ok,
  type ParseContext,
  type Read,
  readCaseId,
  readDate,
} from "../grammar.ts";
import { dayWords, type Invocation, refuse } from "../invocation.ts";
import type { Issue } from "../issues.ts";
import { matchElement } from "../lexicon.ts";
import { echo } from "../messages.ts";
import type { Token } from "../tokenize.ts";

export const LOG_USAGE = "/sos <element> <case-id> [date] [value] [-- note]";

/** An example log command for replies: `/sos scale 12345 6`. */
export function logExample(word: string, caseId: string, element: ElementKey): string {
  const rule = valueRule(ELEMENTS[element].kind);
  return `/sos ${word} ${caseId}${rule ? (ELEMENTS[element].kind === "rating" ? " 6" : " 7") : ""}`;
}

const args = z.object({
  element: z.enum(ELEMENT_KEYS),
  caseId: z.string(),
  /** null: today */
  date: isoDateSchema.nullable(),
  value: z.number().nullable(),
  note: noteSchema(),
  /**
   * How the person named the element, for the wording of a refusal only: the word they typed
   * (`scale`) and the label it stands for ("Success Scale" when they typed `success-scale`).
   */
  typed: z.object({ word: z.string().max(80), label: z.string().max(80) }).optional(),
});

/** The checks of form every log passes, typed or from a form: the same rule, the same sentence. */
function formIssue(a: z.output<typeof args>): Issue | null {
  const def = ELEMENTS[a.element];
  const word = a.typed?.word ?? a.element;
  const example = logExample(word, isCaseId(a.caseId) ? a.caseId : EXAMPLE_CASE, a.element);
  const label = a.typed?.label ?? def.name;
  if (!isCaseId(a.caseId)) return { code: "bad_case_id", token: a.caseId, example };
  const rule = valueRule(def.kind);
  if (!rule) {
    return a.value === null ? null : { code: "value_not_allowed", label, value: String(a.value), example };
  }
  if (a.value === null) return { code: "missing_value", label, ...rule, example };
  if (!Number.isInteger(a.value) || a.value < rule.min || a.value > rule.max)
    return { code: "value_out_of_range", label, value: String(a.value), ...rule, example };
  return null;
}

/**
 * The words after an element ("12345 yesterday 6"): the case, then a date and a value in any order.
 * Only reading happens here; whether the value fits the element is the schema's to say.
 */
export function readLog(
  element: ElementKey,
  word: string,
  rest: readonly Token[],
  note: string | null,
  ctx: ParseContext,
): Read<z.input<typeof args>> {
  const label = ctx.lexicon.labels.get(word) ?? ELEMENTS[element].name;
  const caseToken = rest[0];
  if (!caseToken)
    return fail({ code: "missing_case", command: word, example: logExample(word, EXAMPLE_CASE, element) });
  const caseId = readCaseId(caseToken);
  if (caseId === null)
    return fail({
      code: "bad_case_id",
      token: caseToken.text,
      example: logExample(word, EXAMPLE_CASE, element),
    });
  const ex = logExample(word, caseId, element);
  const rated = valueRule(ELEMENTS[element].kind) !== null;
  let date: IsoDate | null = null;
  let value: number | null = null;
  const extra: string[] = [];
  for (const t of rest.slice(1)) {
    if (!t.quoted && rated && /^[+-]?\d+[.,]\d+$/.test(t.text)) {
      // "6.5" could be read as 6 May, but after a scale it is a half rating: the schema says ratings
      // are whole numbers.
      if (value !== null) extra.push(t.text);
      else value = Number(t.text.replace(",", "."));
    } else if (!t.quoted && INTEGER.test(t.text) && !(date === null && looksLikeDate(t.text))) {
      if (value !== null) extra.push(t.text);
      else value = Number(t.text);
    } else if (!t.quoted && looksLikeDate(t.text)) {
      if (date !== null) {
        extra.push(t.text);
        continue;
      }
      const d = readDate(t, ctx, `${ex} yesterday`);
      if ("issue" in d) return fail(d.issue);
      date = d.date;
    } else {
      extra.push(t.text);
    }
  }
  if (extra.length > 0)
    return fail({ code: "extra_words", words: extra, example: `${ex} -- ${echo(extra.join(" "))}` });
  return ok({ element, caseId, date, value, note, typed: { word, label } });
}

/**
 * Whether an entry of this element on this day fits the case: the element is on the case's
 * dashboard, the day is not in the future nor before the case was opened. `log` and the import of
 * practice history both ask this; a day of null (an entry imported without a date) fits any case.
 */
export function entryIssue(
  env: Invocation,
  c: CaseRow,
  element: ElementKey,
  date: IsoDate | null,
):
  | { issue: Issue }
  | { column: { readonly id: ElementKey; readonly label: string; readonly style: CellStyle } } {
  const dashboard = env.ctx.org.dashboards[c.service];
  const column = elementColumn(dashboard, element);
  if (!column) {
    return {
      issue: {
        code: "not_on_dashboard",
        label: ELEMENTS[element].name,
        caseId: c.id,
        dashboard: dashboard.title,
        labels: elementColumns(dashboard).map((col) => col.label),
      },
    };
  }
  if (date !== null && date > env.today) return { issue: { code: "future_date", date, what: column.label } };
  if (date !== null && date < c.openedOn)
    return { issue: { code: "before_opened", date, openedOn: c.openedOn, caseId: c.id } };
  return { column };
}

/** Records one practice element on a case, after every check a worker's slip could fail. */
export const log = defineCommand({
  kind: "log",
  words: ["log"],
  usage: LOG_USAGE,
  about: "record a practice element on a case (date defaults to today)",
  ability: "record",
  action: "record practice",
  who: "only the allocated worker or their supervisor can",
  writes: true,
  schema: checked(args, formIssue),

  read(words, ctx) {
    const m = matchElement(words.args, ctx.lexicon);
    if (!m) {
      const first = words.args[0];
      return fail(
        first
          ? { code: "unknown_word", word: first.text, suggestions: [] }
          : { code: "usage", command: "log", problem: "it needs an element and a case id", usage: LOG_USAGE },
      );
    }
    return readLog(m.element, m.word, words.args.slice(m.used), words.note, ctx);
  },

  async run(env, cmd) {
    const { ctx, actor } = env;
    const kind = ELEMENTS[cmd.element].kind;
    // The case and the element's live entries (the duplicate check's; a tally has none to check)
    // in one read: on PostgreSQL each read is a round trip.
    const read = await env.reads.caseAndLive(cmd.caseId, kind === "tally" ? null : cmd.element);
    const found = await requireCase(env, cmd.caseId, "log", { case: read?.case });
    if ("reply" in found) return found.reply;
    const c = found.case;
    if (c.status === "closed")
      return refuse(env, { code: "case_closed", caseId: c.id, closedOn: c.closedOn });

    const date = cmd.date ?? env.today;
    const fits = entryIssue(env, c, cmd.element, date);
    if ("issue" in fits) return refuse(env, fits.issue);
    const { column } = fits;
    const label = column.label;

    // A second identical entry is almost always a double send; a second meeting on one day is real.
    // Only the latest entry of that day counts: a network of 7, then 5, then 7 again is a correction.
    if (kind !== "tally") {
      const sameDay = (read?.live ?? []).filter((e) => e.occurredOn === date).sort(compareOccurrence);
      const latest = sameDay[sameDay.length - 1];
      if (latest && (latest.value ?? null) === cmd.value) {
        return refuse(env, {
          code: "already_recorded",
          label,
          caseId: c.id,
          date,
          value: cmd.value,
          by: latest.recordedBy === actor.staffId ? "you" : ctx.people.nameOf(latest.recordedBy),
        });
      }
    }

    const event = {
      caseId: c.id,
      element: cmd.element,
      occurredOn: date,
      value: cmd.value,
      note: cmd.note,
      recordedBy: actor.staffId,
      recordedAt: env.now,
      surface: env.surface,
    };
    return {
      expect: [{ kind: "caseVersion", caseId: c.id, version: c.version }],
      writes: [
        { kind: "appendEvent", event },
        {
          kind: "audit",
          entry: {
            at: env.now,
            actorId: actor.staffId,
            surface: env.surface,
            action: "log",
            caseId: c.id,
            detail: { element: cmd.element, occurredOn: date, value: cmd.value, note: cmd.note !== null },
          },
          entryKey: "entry",
        },
      ],
      reply(entries) {
        const entry = entries[0]!;
        const child = nameCell(c, env.today, env.names);
        const cell = elementCell(kind, column.style, entry.state, env.fmt);
        const what = cmd.value === null ? label : `${label} ${cmd.value}`;
        const lines = [
          `Recorded ${what} on ${dayWords(env, date)} for case ${c.id}${child === c.id ? "" : ` (${child})`}.`,
          `The dashboard now shows ${label}: ${cell}.`,
        ];
        if (cmd.note) lines.push(env.audience === "private" ? `Note saved: "${cmd.note}"` : "Note saved.");
        lines.push("Wrong? `/sos undo` takes it back.");
        return {
          ok: true,
          text: lines.join("\n"),
          logged: {
            entryId: entry.id,
            caseId: c.id,
            element: cmd.element,
            label,
            occurredOn: date,
            value: cmd.value,
          },
          changedCase: c.id,
        };
      },
    };
  },
});
