import { z } from "zod";
import type { Ctx } from "../commands/ctx.ts";
import { buildLexicon, type Lexicon, normalWord } from "../commands/lexicon.ts";
import type { Reply } from "../commands/reply.ts";
import { ELEMENT_KEYS, ELEMENTS } from "../domain/elements.ts";
import type { Change, Expect, Write } from "../store/records.ts";
import type { ApiAnswer, Decision } from "./carry-out.ts";
import type { ApiClient } from "./clients.ts";
import { decideCommand, entriesWritten, person } from "./commands.ts";
import { API_LIMITS } from "./limits.ts";
import { type ItemProblem, problem } from "./problems.ts";

export const practiceAnswer = z
  .object({
    recorded: z.number(),
    entries: z.array(
      z.object({
        index: z.number(),
        entryId: z.number(),
        caseId: z.string(),
        element: z.enum(ELEMENT_KEYS),
        occurredOn: z.string(),
        value: z.number().nullable(),
      }),
    ),
  })
  .describe("the entries recorded, in the order sent");

const lexicons = new WeakMap<object, Lexicon>();
function lexiconOf(ctx: Ctx): Lexicon {
  let lex = lexicons.get(ctx.org);
  if (!lex) {
    lex = buildLexicon(ctx.org);
    lexicons.set(ctx.org, lex);
  }
  return lex;
}

/** The entries of a body, one or a batch; or why it can't be read. */
export function entriesOf(body: unknown): { entries: unknown[] } | { problem: ReturnType<typeof problem> } {
  if (typeof body === "object" && body !== null && "entries" in body) {
    const list = (body as { entries: unknown }).entries;
    if (!Array.isArray(list) || list.length === 0)
      return { problem: problem("bad_request", "entries must be a list of one or more practice entries.") };
    if (list.length > API_LIMITS.batch)
      return {
        problem: problem(
          "batch_too_large",
          `A batch holds at most ${API_LIMITS.batch.toLocaleString("en-GB")} entries; this one has ${list.length.toLocaleString("en-GB")}: send it in parts.`,
        ),
      };
    return { entries: list };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return { problem: problem("bad_request", "The body must be one practice entry, or { entries: [...] }.") };
  return { entries: [body] };
}

/** A second identical entry in one batch would count twice (a tally excepted: two meetings are two). */
function sameEntry(e: {
  caseId: string;
  element: string;
  date: string | null;
  value: number | null;
}): string {
  return `${e.caseId}\u0000${e.element}\u0000${e.date ?? ""}\u0000${e.value ?? ""}`;
}

/**
 * Decides a batch: each entry as `log` decides it, as the person who recorded it, against the record
 * as it is; if any is refused, nothing is written and every refusal is listed by index. Otherwise
 * the changes are one change (one transaction), each case's version checked once.
 */
export async function decidePractice(
  ctx: Ctx,
  client: ApiClient,
  entries: readonly unknown[],
): Promise<Decision> {
  const surface = `api:${client.name}` as const;
  const problems: ItemProblem[] = [];
  const changes: Change<Reply>[] = [];
  const seen = new Map<string, number>();
  const lex = lexiconOf(ctx);
  for (const [index, raw] of entries.entries()) {
    // Only the person and the element's word are read here; every other field goes to `log`'s own
    // schema as it came, so a wrong type is refused there, by the same rule as a form's.
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      problems.push({
        index,
        code: "malformed",
        detail: `Entry ${index} is not an object: see /api/v1/openapi.json.`,
      });
      continue;
    }
    const e = raw as Record<string, unknown>;
    const who = person(ctx, e.recordedBy, "recordedBy");
    if ("refused" in who) {
      problems.push({ index, code: "unknown_recorder", detail: who.refused });
      continue;
    }
    const word = typeof e.element === "string" ? e.element : "";
    const element = (ELEMENT_KEYS as readonly string[]).includes(word)
      ? word
      : (lex.elements.get(normalWord(word)) ?? e.element);
    const candidate = {
      kind: "log",
      element,
      caseId: e.caseId,
      date: e.date ?? null,
      value: e.value ?? null,
      note: e.note ?? null,
    };
    const decided = await decideCommand(ctx, who, surface, candidate, index);
    if ("refused" in decided) {
      const { status: _s, ...item } = decided.refused;
      problems.push(item);
      continue;
    }
    const logged = decided.command;
    // A log was asked for, so a log was checked: anything else is a bug here, not a bad request.
    if (logged.kind !== "log") throw new Error(`a practice entry was read as ${logged.kind}`);
    const key = sameEntry({ ...logged, date: logged.date ?? decided.env.today });
    const first = seen.get(key);
    const tally = ELEMENTS[logged.element].kind === "tally";
    if (first !== undefined && !tally) {
      problems.push({
        index,
        code: "already_recorded",
        detail: `Entry ${index} is the same as entry ${first} (case ${logged.caseId}, ${logged.element}, the same day and value): it would count twice, so send one of them.`,
      });
      continue;
    }
    if (first === undefined) seen.set(key, index);
    changes.push(decided.change);
  }
  if (problems.length > 0) {
    const p = problem(
      "batch_invalid",
      `${problems.length === 1 ? "1 entry" : `${problems.length} entries`} can't be recorded, so nothing was recorded: correct ${problems.length === 1 ? "it" : "them"} and send the request again.`,
      { errors: problems },
    );
    return { answer: { status: p.status, body: p } };
  }
  return { change: merged(changes) };
}

/** Many commands' changes as one: writes in order, each case's version expected once. */
function merged(changes: readonly Change<Reply>[]): Change<ApiAnswer> {
  const writes: Write[] = [];
  const expect: Expect[] = [];
  const expected = new Set<string>();
  for (const c of changes) {
    writes.push(...c.writes);
    for (const x of c.expect) {
      // Two entries on one case read the same version: the first check moves it on for both.
      if (expected.has(x.caseId)) continue;
      expected.add(x.caseId);
      expect.push(x);
    }
  }
  return {
    writes,
    expect,
    reply(entries) {
      let at = 0;
      const out = changes.map((c, index) => {
        const n = entriesWritten(c);
        const reply = c.reply(entries.slice(at, at + n));
        at += n;
        const logged = reply.logged!;
        return {
          index,
          entryId: logged.entryId,
          caseId: logged.caseId,
          element: logged.element,
          occurredOn: logged.occurredOn,
          value: logged.value,
        };
      });
      return { status: 201, body: { recorded: out.length, entries: out } };
    },
  };
}
