import { closest } from "../util/suggest.ts";
import type { CommandDef } from "./def.ts";
import { readLog } from "./defs/log.ts";
import type { ParseContext, Read, ReadContext } from "./grammar.ts";
import type { Issue } from "./issues.ts";
import { matchElement, normalWord } from "./lexicon.ts";
import { MAX_LENGTH } from "./limits.ts";
import { type Command, REGISTRY } from "./registry.ts";
import { type Token, tokenize } from "./tokenize.ts";

export type { ParseContext } from "./grammar.ts";

export type Parsed = { ok: true; command: Command } | { ok: false; issue: Issue };

const CASE_FIRST = /^#?[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

/**
 * Reads one typed command, then checks it with the command's schema, as a button's or a form's
 * command is checked. Pure: it looks nothing up in the database, so it cannot change anything.
 */
export function parseCommand(text: string, ctx: ParseContext): Parsed {
  if (text.length > MAX_LENGTH.line)
    return {
      ok: false,
      issue: { code: "too_long", what: "command", length: text.length, max: MAX_LENGTH.line },
    };
  const read = readText(text, ctx);
  if (!read.ok) return read;
  return validateCommand(read.args);
}

/**
 * A command that arrived built (a Slack button, a Teams card, a form, the CLI): the same schema as
 * typed text, so a snooze of 100,000 days is refused the same way on every route.
 */
export function validateCommand(candidate: { readonly kind: string }): Parsed {
  const def = REGISTRY.byKind(candidate.kind);
  if (!def)
    return {
      ok: false,
      issue: { code: "malformed", command: String(candidate.kind).slice(0, 20), field: "kind" },
    };
  const { kind: _kind, ...args } = candidate;
  const r = def.schema.safeParse(args);
  if (r.success) return { ok: true, command: { kind: def.kind, ...(r.data as object) } as Command };
  const first = r.error.issues[0];
  const coded = first?.code === "custom" ? (first.params as { issue?: Issue } | undefined)?.issue : undefined;
  return {
    ok: false,
    issue: coded ?? { code: "malformed", command: def.kind, field: first?.path.join(".") || "arguments" },
  };
}

type Candidate = { readonly kind: string } & Record<string, unknown>;

function as(def: CommandDef, r: Read<unknown>): Read<Candidate> {
  return r.ok ? { ok: true, args: { kind: def.kind, ...(r.args as object) } } : r;
}

function readText(text: string, parse: ParseContext): Read<Candidate> {
  const ctx: ReadContext = { ...parse, commandWords: REGISTRY.words };
  const { tokens, note } = tokenize(text);
  const help = REGISTRY.byKind("help")!;
  if (tokens.length === 0) return { ok: true, args: { kind: "help", topic: null } };
  const first = tokens[0]!;
  const kind = first.quoted ? undefined : REGISTRY.words.get(normalWord(first.text));
  const logDef = REGISTRY.byKind("log")!;

  if (kind === "log") {
    if (tokens.length === 1) return as(help, { ok: true, args: { topic: "log" } });
    const m = matchElement(tokens.slice(1), ctx.lexicon);
    if (!m) return unknownWords(tokens.slice(1), ctx);
    return as(logDef, readLog(m.element, m.word, tokens.slice(1 + m.used), note, ctx));
  }
  if (kind !== undefined) {
    // "My Three Houses 32345", "Case Trajectory 32345": a dashboard's label that starts with a
    // command word is still the label when the words after it complete it.
    const phrase = matchElement(tokens, ctx.lexicon);
    if (phrase && phrase.used > 1)
      return as(logDef, readLog(phrase.element, phrase.word, tokens.slice(phrase.used), note, ctx));
    const def = REGISTRY.byKind(kind)!;
    return as(def, def.read({ args: tokens.slice(1), note }, ctx) as Read<unknown>);
  }

  const m = matchElement(tokens, ctx.lexicon);
  if (m) return as(logDef, readLog(m.element, m.word, tokens.slice(m.used), note, ctx));
  // "12345 mapped-with-family": case id first is a natural slip; read it the documented way round.
  if (tokens.length > 1 && /\d/.test(first.text) && CASE_FIRST.test(first.text)) {
    const swapped = matchElement(tokens.slice(1), ctx.lexicon);
    if (swapped) {
      const rest = [first, ...tokens.slice(1 + swapped.used)];
      return as(logDef, readLog(swapped.element, swapped.word, rest, note, ctx));
    }
  }
  return unknownWords(tokens, ctx);
}

/**
 * The first word (or words: "mapped wth family") matched nothing. Suggest the nearest element or
 * command, trying the leading words joined as one phrase as well as the first word alone.
 */
function unknownWords(tokens: readonly Token[], ctx: ParseContext): { ok: false; issue: Issue } {
  const candidates = [
    ...ctx.lexicon.elements.keys(),
    ...[...REGISTRY.words.keys()].filter((w) => w.length > 2),
  ];
  let best: { word: string; suggestions: string[] } = {
    word: tokens[0]!.text,
    suggestions: closest(normalWord(tokens[0]!.text) || tokens[0]!.text, candidates, 3),
  };
  for (let n = 2; n <= Math.min(ctx.lexicon.longestPhrase, tokens.length); n++) {
    const slice = tokens.slice(0, n);
    if (slice.some((t) => t.quoted || /\d/.test(t.text))) break;
    const suggestions = closest(normalWord(slice.map((t) => t.text).join("-")), candidates, 3);
    if (suggestions.length > 0) best = { word: slice.map((t) => t.text).join(" "), suggestions };
  }
  return { ok: false, issue: { code: "unknown_word", ...best } };
}
