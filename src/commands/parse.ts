import type { Org } from "../config/org.ts";
import { readAbuseTypes } from "../domain/abuse.ts";
import { SERVICE_ALIASES } from "../domain/dashboards.ts";
import { type IsoDate, looksLikeDate, parseDate } from "../domain/dates.ts";
import { ELEMENTS, type ElementKey, valueRule } from "../domain/elements.ts";
import { closest } from "../util/suggest.ts";
import type { Command } from "./command.ts";
import type { Issue } from "./issues.ts";
import { COMMAND_WORDS, type Lexicon, normalWord } from "./lexicon.ts";
import { type Token, tokenize } from "./tokenize.ts";

export type Parsed = { ok: true; command: Command } | { ok: false; issue: Issue };

export interface ParseContext {
  readonly lexicon: Lexicon;
  readonly org: Org;
  readonly today: IsoDate;
}

const CASE_ID = /^#?([A-Za-z0-9][A-Za-z0-9_-]{0,39})$/;
const INTEGER = /^[+-]?\d+$/;
const EMAILISH = /^(?:mailto:)?[^\s@<>]+@[^\s@<>]+$|^<@[A-Z0-9]+(?:\|[^>]*)?>$|^@\S+$/i;
const FILLER = new Set(["to", "for", "on", "opened", "as", "with"]);

const fail = (issue: Issue): Parsed => ({ ok: false, issue });
const done = (command: Command): Parsed => ({ ok: true, command });

export const USAGE: Readonly<Record<string, string>> = {
  log: "/sos <element> <case-id> [date] [value] [-- note]",
  open: '/sos open <case-id> "<child name>" <age or date of birth> <service> [abuse types] [date opened] [worker email]',
  case: "/sos case <case-id>",
  mine: "/sos mine [dashboard]",
  team: "/sos team [team name] [dashboard]",
  agency: "/sos agency",
  stuck: "/sos stuck [team name]",
  undo: "/sos undo [#entry]",
  assign: "/sos assign <case-id> <email or @person>",
  close: "/sos close <case-id> <outcome> [date] [-- note]",
  reopen: "/sos reopen <case-id>",
  whoami: "/sos whoami",
  help: "/sos help [command]",
  snooze: "/sos snooze <case-id> [days]",
  away: "/sos away <first day> <last day>",
  digest: "/sos digest [team name | agency] preview",
  export: "/sos export [team name] csv",
};

/** Reads one command. Pure: it looks nothing up in the database, so it cannot change anything. */
export function parseCommand(text: string, ctx: ParseContext): Parsed {
  const { tokens, note } = tokenize(text);
  if (tokens.length === 0) return done({ kind: "help", topic: null });
  const first = normalWord(tokens[0]!.text);
  const word = tokens[0]!.quoted ? "" : (COMMAND_WORDS[first] ?? "");

  if (word === "log") {
    if (tokens.length === 1) return done({ kind: "help", topic: "log" });
    return parseElementCommand(tokens.slice(1), note, ctx) ?? unknownWords(tokens.slice(1), ctx);
  }
  if (word !== "") {
    // "My Three Houses 32345", "Case Trajectory 32345": a dashboard's label that starts with a
    // command word is still the label when the words after it complete it.
    const phrase = matchElement(tokens, ctx.lexicon);
    if (phrase && phrase.used > 1)
      return parseLog(phrase.element, phrase.word, tokens.slice(phrase.used), note, ctx);
    return parseNamed(word, tokens.slice(1), note, ctx);
  }

  const asLog = parseElementCommand(tokens, note, ctx);
  if (asLog) return asLog;
  // "12345 mapped-with-family": case id first is a natural slip; read it the documented way round.
  if (tokens.length > 1 && /\d/.test(tokens[0]!.text) && CASE_ID.test(tokens[0]!.text)) {
    const swapped = matchElement(tokens.slice(1), ctx.lexicon);
    if (swapped) {
      return parseLog(
        swapped.element,
        swapped.word,
        [tokens[0]!, ...tokens.slice(1 + swapped.used)],
        note,
        ctx,
      );
    }
  }
  return unknownWords(tokens, ctx);
}

/**
 * The first word (or words: "mapped wth family") matched nothing. Suggest the nearest element or
 * command, trying the leading words joined as one phrase as well as the first word alone.
 */
function unknownWords(tokens: readonly Token[], ctx: ParseContext): Parsed {
  const candidates = [
    ...ctx.lexicon.elements.keys(),
    ...Object.keys(COMMAND_WORDS).filter((w) => w.length > 2),
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
  return fail({ code: "unknown_word", ...best });
}

function matchElement(
  tokens: readonly Token[],
  lex: Lexicon,
): { element: ElementKey; used: number; word: string } | null {
  for (let n = Math.min(lex.longestPhrase, tokens.length); n >= 1; n--) {
    const slice = tokens.slice(0, n);
    if (slice.some((t) => t.quoted || (n > 1 && /\d/.test(t.text)))) continue;
    const word = normalWord(slice.map((t) => t.text).join("-"));
    const element = lex.elements.get(word);
    if (element) return { element, used: n, word };
  }
  return null;
}

function parseElementCommand(
  tokens: readonly Token[],
  note: string | null,
  ctx: ParseContext,
): Parsed | null {
  const m = matchElement(tokens, ctx.lexicon);
  if (!m) return null;
  return parseLog(m.element, m.word, tokens.slice(m.used), note, ctx);
}

/** An example log command for replies: `/sos scale 12345 6`. */
export function logExample(word: string, caseId: string, element: ElementKey): string {
  const rule = valueRule(ELEMENTS[element].kind);
  return `/sos ${word} ${caseId}${rule ? (ELEMENTS[element].kind === "rating" ? " 6" : " 7") : ""}`;
}

/** Whether a string is a case id as a form or button gives it (no leading `#`). */
export function isCaseId(s: string): boolean {
  return CASE_ID.test(s) && !s.startsWith("#") && !looksLikeDate(s);
}

function readCaseId(token: Token | undefined): string | null {
  if (!token) return null;
  const m = CASE_ID.exec(token.text);
  return m && !looksLikeDate(token.text) ? m[1]! : null;
}

function parseLog(
  element: ElementKey,
  word: string,
  rest: readonly Token[],
  note: string | null,
  ctx: ParseContext,
): Parsed {
  const def = ELEMENTS[element];
  const label = ctx.lexicon.labels.get(word) ?? def.name;
  const caseToken = rest[0];
  if (!caseToken)
    return fail({ code: "missing_case", command: word, example: logExample(word, "12345", element) });
  const caseId = readCaseId(caseToken);
  if (caseId === null) {
    return fail({ code: "bad_case_id", token: caseToken.text, example: logExample(word, "12345", element) });
  }
  const ex = logExample(word, caseId, element);
  const rule = valueRule(def.kind);
  let date: IsoDate | null = null;
  let value: number | null = null;
  const extra: string[] = [];
  for (const t of rest.slice(1)) {
    if (!t.quoted && rule && /^[+-]?\d+[.,]\d+$/.test(t.text)) {
      // "6.5" could be read as 6 May, but after a scale it is a half rating: say ratings are whole.
      return fail({
        code: "value_out_of_range",
        label,
        value: t.text,
        min: rule.min,
        max: rule.max,
        example: ex,
      });
    }
    if (!t.quoted && INTEGER.test(t.text) && !(date === null && looksLikeDate(t.text))) {
      if (!rule) return fail({ code: "value_not_allowed", label: label, value: t.text, example: ex });
      if (value !== null) {
        extra.push(t.text);
        continue;
      }
      const n = Number(t.text);
      if (n < rule.min || n > rule.max) {
        return fail({
          code: "value_out_of_range",
          label: label,
          value: t.text,
          min: rule.min,
          max: rule.max,
          example: ex,
        });
      }
      value = n;
    } else if (!t.quoted && looksLikeDate(t.text)) {
      if (date !== null) {
        extra.push(t.text);
        continue;
      }
      const d = parseDate(t.text, ctx.today, ctx.org.dates.order);
      if (!d.ok)
        return fail(
          d.reason === "impossible"
            ? { code: "impossible_date", token: t.text }
            : { code: "bad_date", token: t.text, example: `${ex} yesterday` },
        );
      date = d.date;
    } else {
      extra.push(t.text);
    }
  }
  if (extra.length > 0)
    return fail({ code: "extra_words", words: extra, example: `${ex} -- ${extra.join(" ")}` });
  if (rule && value === null) {
    return fail({ code: "missing_value", label: label, min: rule.min, max: rule.max, example: ex });
  }
  return done({ kind: "log", element, caseId, date, value, note });
}

function parseNamed(word: string, args: readonly Token[], note: string | null, ctx: ParseContext): Parsed {
  const usage = (problem: string) =>
    fail({ code: "usage", command: word, problem, usage: USAGE[word] ?? "" });
  // Only logs take a note: for other commands, extra words are a slip, not a note.
  const noExtra = (from: number): Parsed | null =>
    args.length > from
      ? usage(
          `${args
            .slice(from)
            .map((t) => `"${t.text}"`)
            .join(" ")} is not part of it`,
        )
      : null;

  switch (word) {
    case "case":
    case "reopen": {
      const caseId = readCaseId(args[0]);
      if (caseId === null)
        return usage(args[0] ? `"${args[0].text}" is not a case id` : "it needs a case id");
      return noExtra(1) ?? done(word === "case" ? { kind: "case", caseId } : { kind: "reopen", caseId });
    }
    case "mine": {
      if (args.length === 0) return done({ kind: "mine", dashboard: null });
      const d = readDashboard(args[0]!.text, ctx);
      if (!d.ok) return d;
      return noExtra(1) ?? done({ kind: "mine", dashboard: d.dashboard });
    }
    case "team": {
      let dashboard = null;
      let words = args.map((t) => t.text);
      const last = words[words.length - 1];
      if (last !== undefined) {
        const slug = ctx.lexicon.dashboards.get(normalWord(last));
        if (slug) {
          dashboard = slug;
          words = words.slice(0, -1);
        }
      }
      return done({ kind: "team", team: words.length ? words.join(" ") : null, dashboard });
    }
    case "agency":
      return noExtra(0) ?? done({ kind: "agency" });
    case "stuck":
      return done({ kind: "stuck", team: args.length ? args.map((t) => t.text).join(" ") : null });
    case "undo": {
      if (args.length === 0) return done({ kind: "undo", entryId: null });
      const m = /^#?(\d+)$/.exec(args[0]!.text);
      if (!m) return usage(`"${args[0]!.text}" is not an entry number`);
      return noExtra(1) ?? done({ kind: "undo", entryId: Number(m[1]) });
    }
    case "assign": {
      const caseId = readCaseId(args[0]);
      if (caseId === null)
        return usage(args[0] ? `"${args[0].text}" is not a case id` : "it needs a case id and a person");
      const rest = args.slice(1).filter((t) => !FILLER.has(t.text.toLowerCase()));
      if (rest.length === 0) return usage("it needs the person to allocate the case to");
      return done({ kind: "assign", caseId, person: rest.map((t) => t.text).join(" ") });
    }
    case "close":
      return parseClose(args, note, ctx);
    case "open":
      return parseOpen(args, ctx);
    case "whoami":
      return noExtra(0) ?? done({ kind: "whoami" });
    case "snooze": {
      const caseId = readCaseId(args[0]);
      if (caseId === null)
        return usage(args[0] ? `"${args[0].text}" is not a case id` : "it needs a case id");
      const daysToken = args[1]?.text.replace(/^(\d+)(d|days?)$/i, "$1");
      if (daysToken === undefined) return noExtra(1) ?? done({ kind: "snooze", caseId, days: 7 });
      if (!/^\d+$/.test(daysToken) || Number(daysToken) < 1 || Number(daysToken) > 90) {
        return usage(`snooze for 1 to 90 days, not "${args[1]!.text}"`);
      }
      const rest = args.slice(2).filter((t) => !/^days?$/i.test(t.text));
      if (rest.length)
        return fail({ code: "extra_words", words: rest.map((t) => t.text), example: USAGE.snooze! });
      return done({ kind: "snooze", caseId, days: Number(daysToken) });
    }
    case "away": {
      const dates = args.filter(
        (t) => !FILLER.has(t.text.toLowerCase()) && !/^(until|till|from)$/i.test(t.text),
      );
      if (dates.length === 0 || dates.length > 2)
        return usage("it needs the first and last day you are away");
      const read: IsoDate[] = [];
      for (const t of dates) {
        const d = parseDate(t.text, ctx.today, ctx.org.dates.order, "future");
        if (!d.ok)
          return fail(
            d.reason === "impossible"
              ? { code: "impossible_date", token: t.text }
              : { code: "bad_date", token: t.text, example: USAGE.away! },
          );
        read.push(d.date);
      }
      // One date: away from today until then.
      const [from, to] = read.length === 1 ? [ctx.today, read[0]!] : [read[0]!, read[1]!];
      return done({ kind: "away", from, to });
    }
    case "digest": {
      const words = args.map((t) => t.text).filter((w) => !/^preview$/i.test(w));
      if (words.length === 0) return done({ kind: "digest", scope: null, team: null });
      const w = normalWord(words.join("-"));
      if (w === "agency" || w === "summary") return done({ kind: "digest", scope: "agency", team: null });
      if (w === "mine" || w === "me" || w === "nudge" || w === "nudges")
        return done({ kind: "digest", scope: "mine", team: null });
      return done({ kind: "digest", scope: null, team: words.join(" ").replace(/^team\s+/i, "") });
    }
    case "export": {
      const words = args.map((t) => t.text).filter((w) => !/^csv$/i.test(w));
      return done({ kind: "export", team: words.length ? words.join(" ") : null });
    }
    default: {
      const topic = args[0] ? normalWord(args[0].text) : null;
      if (topic === null) return done({ kind: "help", topic: null });
      const known = COMMAND_WORDS[topic] ?? (ctx.lexicon.elements.has(topic) ? "log" : undefined);
      if (!known)
        return fail({
          code: "unknown_help_topic",
          word: args[0]!.text,
          suggestions: closest(topic, Object.keys(USAGE), 2),
        });
      return done({ kind: "help", topic: known });
    }
  }
}

function readDashboard(
  word: string,
  ctx: ParseContext,
):
  | { ok: true; dashboard: NonNullable<ReturnType<Lexicon["dashboards"]["get"]>> }
  | { ok: false; issue: Issue } {
  const slug = ctx.lexicon.dashboards.get(normalWord(word));
  if (slug) return { ok: true, dashboard: slug };
  return {
    ok: false,
    issue: {
      code: "unknown_dashboard",
      word,
      suggestions: closest(normalWord(word), ctx.lexicon.dashboards.keys(), 2),
    },
  };
}

function parseClose(args: readonly Token[], note: string | null, ctx: ParseContext): Parsed {
  const usage = USAGE.close!;
  const caseId = readCaseId(args[0]);
  if (caseId === null) {
    return fail({
      code: "usage",
      command: "close",
      problem: args[0] ? `"${args[0].text}" is not a case id` : "it needs a case id and an outcome",
      usage,
    });
  }
  const codes = ctx.org.outcomes.map((o) => o.code);
  let outcome: string | null = null;
  let date: IsoDate | null = null;
  const words: string[] = [];
  for (const t of args.slice(1)) {
    if (!t.quoted && looksLikeDate(t.text) && date === null) {
      const d = parseDate(t.text, ctx.today, ctx.org.dates.order);
      if (!d.ok)
        return fail(
          d.reason === "impossible"
            ? { code: "impossible_date", token: t.text }
            : { code: "bad_date", token: t.text, example: `/sos close ${caseId} ${codes[0]} yesterday` },
        );
      date = d.date;
    } else words.push(t.text);
  }
  const meaningful = words.filter((w) => !FILLER.has(w.toLowerCase()));
  if (meaningful.length === 0) {
    return fail({
      code: "usage",
      command: "close",
      problem: `it needs an outcome: one of ${codes.join(", ")}`,
      usage,
    });
  }
  // "referred on" is an outcome; "as safe at home" has a filler word: try both readings.
  const typed = normalWord(words.join("-"));
  const bare = normalWord(meaningful.join("-"));
  outcome = codes.find((c) => c === typed || c === bare) ?? null;
  if (outcome === null) {
    return fail({
      code: "unknown_outcome",
      word: meaningful.join(" "),
      suggestions: closest(bare, codes, 2),
      outcomes: codes,
    });
  }
  return done({ kind: "close", caseId, outcome, date, note });
}

function parseOpen(args: readonly Token[], ctx: ParseContext): Parsed {
  const usage = (problem: string) => fail({ code: "usage", command: "open", problem, usage: USAGE.open! });
  const caseId = readCaseId(args[0]);
  if (caseId === null)
    return usage(
      args[0]
        ? `"${args[0].text}" is not a case id`
        : "it needs a case id, the child's name, age and service",
    );
  let i = 1;
  const nameWords: string[] = [];
  if (args[i]?.quoted) nameWords.push(args[i++]!.text);
  else {
    while (i < args.length && !INTEGER.test(args[i]!.text) && !looksLikeDate(args[i]!.text))
      nameWords.push(args[i++]!.text);
  }
  const childName = nameWords.join(" ").trim();
  if (childName === "") return usage("it needs the child's name");
  const ageToken = args[i++];
  if (!ageToken) return usage(`it needs ${childName}'s age or date of birth after the name`);
  let age: number | null = null;
  let dob: IsoDate | null = null;
  if (INTEGER.test(ageToken.text) && !looksLikeDate(ageToken.text)) {
    const n = Number(ageToken.text);
    if (n < 0 || n > 25) return fail({ code: "bad_age", token: ageToken.text });
    age = n;
  } else {
    const d = parseDate(ageToken.text, ctx.today, ctx.org.dates.order);
    if (!d.ok)
      return d.reason === "impossible"
        ? fail({ code: "impossible_date", token: ageToken.text })
        : fail({ code: "bad_age", token: ageToken.text });
    let born = d.date;
    // "1/1/99": a two-digit year that would be in the future is the last century (a young adult
    // leaving care, a parent's date given by mistake is still caught by the age check on screen).
    if (born > ctx.today && /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$/.test(ageToken.text))
      born = `${Number(born.slice(0, 4)) - 100}${born.slice(4)}`;
    if (born > ctx.today) return fail({ code: "dob_in_future", date: born });
    dob = born;
  }
  const serviceToken = args[i++];
  if (!serviceToken) return usage("it needs the service: statutory-cp, family-support or voluntary");
  const service = SERVICE_ALIASES[normalWord(serviceToken.text)];
  if (!service) {
    return fail({
      code: "unknown_service",
      word: serviceToken.text,
      suggestions: closest(normalWord(serviceToken.text), Object.keys(SERVICE_ALIASES), 2),
    });
  }
  let openedOn: IsoDate | null = null;
  let worker: string | null = null;
  const abuseWords: string[] = [];
  for (const t of args.slice(i)) {
    if (FILLER.has(t.text.toLowerCase())) continue;
    if (EMAILISH.test(t.text)) worker = t.text;
    else if (looksLikeDate(t.text) && openedOn === null) {
      const d = parseDate(t.text, ctx.today, ctx.org.dates.order);
      if (!d.ok)
        return fail(
          d.reason === "impossible"
            ? { code: "impossible_date", token: t.text }
            : { code: "bad_date", token: t.text, example: USAGE.open! },
        );
      openedOn = d.date;
    } else abuseWords.push(t.text);
  }
  const { codes, unknown } = readAbuseTypes(abuseWords);
  if (unknown.length > 0) return fail({ code: "unknown_abuse", words: unknown });
  return done({ kind: "open", caseId, childName, age, dob, service, abuse: codes, openedOn, worker });
}
