import { z } from "zod";
import type { Org } from "../config/org.ts";
import { SERVICE_ALIASES, type ServiceSlug } from "../domain/dashboards.ts";
import { type IsoDate, isIsoDate, looksLikeDate, parseDate } from "../domain/dates.ts";
import { closest } from "../util/suggest.ts";
import type { Issue } from "./issues.ts";
import { type Lexicon, normalWord } from "./lexicon.ts";
import { MAX_LENGTH } from "./limits.ts";
import { echo } from "./messages.ts";
import type { Token } from "./tokenize.ts";

/**
 * The grammar's shared pieces: how a case id, a date, a number of days or a note is read from typed
 * words, and the same facts as zod schemas for commands that arrive built (a button, a form, the
 * API). Each schema failure carries the coded issue a person would get for the same slip typed.
 */

export interface ParseContext {
  readonly lexicon: Lexicon;
  readonly org: Org;
  readonly today: IsoDate;
}

/** What a command's reader sees: the parse context and every command word (for `help <command>`). */
export interface ReadContext extends ParseContext {
  readonly commandWords: ReadonlyMap<string, string>;
}

/** A command's words after its command word, and the free-text note after `--`. */
export interface Words {
  readonly args: readonly Token[];
  readonly note: string | null;
}

export type Read<A> = { readonly ok: true; readonly args: A } | { readonly ok: false; readonly issue: Issue };

export const ok = <A>(args: A): Read<A> => ({ ok: true, args });
export const fail = (issue: Issue): { ok: false; issue: Issue } => ({ ok: false, issue });

const CASE_ID = /^#?([A-Za-z0-9][A-Za-z0-9_-]{0,39})$/;
export const INTEGER = /^[+-]?\d+$/;
export const EMAILISH = /^(?:mailto:)?[^\s@<>]+@[^\s@<>]+$|^<@[A-Z0-9]+(?:\|[^>]*)?>$|^@\S+$/i;
/** Small words people put between the parts of a command: "assign 12345 to jane". */
export const FILLER: ReadonlySet<string> = new Set(["to", "for", "on", "opened", "as", "with"]);

/** Whether a string is a case id as a form or button gives it (no leading `#`). */
export function isCaseId(s: string): boolean {
  return CASE_ID.test(s) && !s.startsWith("#") && !looksLikeDate(s);
}

/** A typed case id: `12345` or `#12345`; null when the word is not one. */
export function readCaseId(token: Token | undefined): string | null {
  if (!token) return null;
  const m = CASE_ID.exec(token.text);
  return m && !looksLikeDate(token.text) ? m[1]! : null;
}

/** `usage` issue for a command whose words do not fit. */
export function usage(command: string, problem: string, form: string): Issue {
  return { code: "usage", command, problem, usage: form };
}

/** The case id a command starts with, or the usage issue saying what is missing. */
export function leadingCaseId(
  words: Words,
  command: string,
  form: string,
  missing = "it needs a case id",
): { caseId: string } | { issue: Issue } {
  const caseId = readCaseId(words.args[0]);
  if (caseId !== null) return { caseId };
  const first = words.args[0];
  return { issue: usage(command, first ? `"${echo(first.text)}" is not a case id` : missing, form) };
}

/** Extra words where none belong: a slip, not a note (only logs and closes take a note). */
export function noExtra(words: Words, from: number, command: string, form: string): Issue | null {
  if (words.args.length <= from) return null;
  const extra = words.args
    .slice(from, from + 5)
    .map((t) => `"${echo(t.text)}"`)
    .join(" ");
  return usage(command, `${extra} ${words.args.length - from === 1 ? "is" : "are"} not part of it`, form);
}

/**
 * A typed date (`today`, `6/1/16`, `2016-01-06`, …) in the agency's order. `yearless` says which way
 * `6/1` goes: practice happened in the past, leave lies ahead.
 */
export function readDate(
  token: Token,
  ctx: ParseContext,
  example: string,
  yearless: "past" | "future" = "past",
): { date: IsoDate } | { issue: Issue } {
  const d = parseDate(token.text, ctx.today, ctx.org.dates.order, yearless);
  if (d.ok) return { date: d.date };
  return {
    issue:
      d.reason === "impossible"
        ? { code: "impossible_date", token: token.text }
        : { code: "bad_date", token: token.text, example },
  };
}

/**
 * A service as people name it (`cp`, `family support`, `vol`): one reader for `open`, `move` and the
 * import of a case list, so a file accepts exactly the words chat does.
 */
export function readService(text: string): { service: ServiceSlug } | { issue: Issue } {
  const word = normalWord(text);
  const service = SERVICE_ALIASES[word];
  if (service) return { service };
  return {
    issue: {
      code: "unknown_service",
      word: text,
      suggestions: closest(word, Object.keys(SERVICE_ALIASES), 2),
    },
  };
}

/** The words of a multi-word name ("North Team"), or null when there are none. */
export function phrase(tokens: readonly Token[]): string | null {
  return tokens.length ? tokens.map((t) => t.text).join(" ") : null;
}

// ---- schemas: the same facts for commands that arrive built -------------------------------------

/** A zod check whose failure is one of our coded issues, so every route words it the same way. */
export function checked<S extends z.ZodType>(schema: S, check: (v: z.output<S>) => Issue | null): S {
  return schema.superRefine((v, ctx) => {
    const issue = check(v);
    if (issue) ctx.addIssue({ code: "custom", message: issue.code, params: { issue } });
  });
}

export function caseIdSchema(example: string) {
  return checked(z.string(), (s) => (isCaseId(s) ? null : { code: "bad_case_id", token: s, example }));
}

/** An ISO day that exists (`2016-02-30` does not). */
export const isoDateSchema = checked(z.string(), (s) =>
  isIsoDate(s) ? null : { code: "impossible_date", token: s },
);

export function noteSchema(what = "note") {
  return checked(z.string().nullable(), (s) =>
    s !== null && s.length > MAX_LENGTH.note
      ? { code: "too_long", what, length: s.length, max: MAX_LENGTH.note }
      : null,
  );
}

/** A free-text word a command looks up later (a team, a person): bounded, so a lookup stays cheap. */
export function lookupSchema() {
  return checked(z.string().min(1), (s) =>
    s.length > MAX_LENGTH.childName
      ? { code: "too_long", what: "name", length: s.length, max: MAX_LENGTH.childName }
      : null,
  );
}
