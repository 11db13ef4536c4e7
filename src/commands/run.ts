import type { Actor } from "../domain/access.ts";
import { may } from "../domain/access.ts";
import { publishCommand } from "../obs/channels.ts";
import { Conflict, isChange } from "../store/records.ts";
import type { Ctx } from "./ctx.ts";
import type { CommandDef } from "./def.ts";
import { withRealExample } from "./examples.ts";
import { type Audience, type Invocation, makeInvocation, refuse, type Surface } from "./invocation.ts";
import { buildLexicon, type Lexicon } from "./lexicon.ts";
import { CONFLICT_RETRIES } from "./limits.ts";
import { parseCommand, validateCommand } from "./parse.ts";
import { type Command, REGISTRY } from "./registry.ts";
import type { Reply } from "./reply.ts";

export interface CommandInput {
  readonly actor: Actor;
  /** what the person typed; or `command`, from a button or a form */
  readonly text?: string;
  readonly command?: Command;
  readonly surface: Surface;
  readonly audience: Audience;
  /**
   * The platform's id for this delivery (a Slack retry, a double-clicked button carry the same one):
   * a write already carried out under it is not carried out again.
   */
  readonly idempotencyKey?: string;
}

const lexicons = new WeakMap<object, Lexicon>();

/** Reads that read nothing of the record: answered here, where a reader's round trip would cost more. */
const CHEAP: ReadonlySet<string> = new Set(["help", "whoami"]);

function lexiconFor(ctx: Ctx): Lexicon {
  let lex = lexicons.get(ctx.org);
  if (!lex) {
    lex = buildLexicon(ctx.org);
    lexicons.set(ctx.org, lex);
  }
  return lex;
}

/** The refusal for a role that may not run a command at all, saying what that role can type instead. */
function roleRefusal(env: Invocation, def: CommandDef): Reply {
  const can = REGISTRY.forRole(env.actor.role)
    .filter((d) => d.kind !== "help" && d.kind !== "whoami")
    .slice(0, 5)
    .map((d) => `/sos ${d.words[0]}`);
  return refuse(env, {
    code: "role_cannot",
    role: env.actor.role,
    action: def.action,
    who: def.who,
    can: can.length ? can : ["/sos help"],
  });
}

/**
 * The one way in for every surface: read and check (the same schema whatever the route) → the role
 * may run it → carry it out → for a write, apply its change in one transaction. Nothing is awaited
 * inside a transaction; the platform is talked to after this returns.
 */
export async function runCommand(live: Ctx, input: CommandInput): Promise<Reply> {
  // Counted here because every surface passes here (the metrics of `sos start` listen).
  const seen = { kind: "unread" };
  try {
    const reply = await decide(live, input, seen);
    const outcome = reply.repeated ? "repeated" : reply.ok ? "ok" : "refused";
    publishCommand({ kind: seen.kind, surface: input.surface, outcome });
    return reply;
  } catch (e) {
    publishCommand({ kind: seen.kind, surface: input.surface, outcome: "error" });
    throw e;
  }
}

async function decide(live: Ctx, input: CommandInput, seen: { kind: string }): Promise<Reply> {
  // A config reloaded while this command runs is not half seen: it keeps the one it started with.
  const ctx = live.pin();
  const env = makeInvocation(ctx, input.actor, input.surface, input.audience);
  const parsed = input.command
    ? validateCommand(input.command)
    : parseCommand(input.text ?? "", { lexicon: lexiconFor(ctx), org: ctx.org, today: env.today });
  if (!parsed.ok) return refuse(env, await withRealExample(env, parsed.issue));
  const cmd = parsed.command;
  seen.kind = cmd.kind;
  const def = REGISTRY.byKind(cmd.kind)!;
  if (!may(env.actor.role, def.ability)) return roleRefusal(env, def);
  const { kind: _kind, ...args } = cmd;
  // A read goes to a reader thread when the server runs them, checked again there; the writes stay
  // here, each in one transaction on the one writing connection.
  if (!def.writes && ctx.readers && !CHEAP.has(def.kind)) return ctx.readers.run("command", input);

  const key = def.writes ? input.idempotencyKey : undefined;
  if (key !== undefined) {
    const prior = await ctx.records.priorReply(key);
    if (prior !== undefined) return { ...(prior as Reply), repeated: true };
  }
  for (let attempt = 1; ; attempt++) {
    const outcome = await def.run(env, args as never, REGISTRY);
    if (!isChange(outcome)) {
      // A refusal may be what the same delivery's first copy wrote since the check above (another
      // instance, or another connection, carried it out meanwhile): the repeat gets the first reply.
      const first = key !== undefined ? await ctx.records.priorReply(key) : undefined;
      return first !== undefined ? { ...(first as Reply), repeated: true } : outcome;
    }
    if (!def.writes) throw new Error(`${def.kind} is a read but asked to write`);
    try {
      const applied = await ctx.records.apply(outcome, {
        ...(key !== undefined ? { idempotencyKey: key } : {}),
        at: env.now,
      });
      return applied.repeated ? { ...(applied.reply as Reply), repeated: true } : (applied.reply as Reply);
    } catch (e) {
      // Someone wrote to the case between this command's read and its write: decide again on what
      // is there now (the entry may now be a duplicate, the case closed).
      if (e instanceof Conflict && attempt < CONFLICT_RETRIES) continue;
      throw e;
    }
  }
}

/** Parses without running: for surfaces that need to know what a text means before acting on it. */
export function parseFor(ctx: Ctx, text: string) {
  return parseCommand(text, { lexicon: lexiconFor(ctx), org: ctx.org, today: ctx.today() });
}

export type { Command };
