import type { Actor } from "../domain/access.ts";
import { may } from "../domain/access.ts";
import { publishCommand } from "../obs/channels.ts";
import { type Change, Conflict, isChange } from "../store/records.ts";
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

  return writeOnce<Reply, Reply>(
    ctx,
    {
      key: def.writes ? input.idempotencyKey : undefined,
      at: env.now,
      keep: (reply) => reply,
      fresh: (kept) => kept as Reply,
      repeat: (prior) => ({ ...(prior as Reply), repeated: true }),
    },
    async () => {
      const outcome = await def.run(env, args as never, REGISTRY);
      if (!isChange(outcome)) return { answer: outcome };
      if (!def.writes) throw new Error(`${def.kind} is a read but asked to write`);
      return { change: outcome as Change<Reply> };
    },
  );
}

/** What a write keeps under its delivery id, and how a later request under the same id is answered. */
export interface Keeping<R, A> {
  /** the delivery id (a platform's retry id, an API client's Idempotency-Key); none: nothing kept */
  readonly key: string | undefined;
  /** the instant the write is recorded at */
  readonly at: string;
  /** what is stored beside the write, from the change's reply (chat: the reply; the API: its answer and the request's fingerprint) */
  keep(reply: R): unknown;
  /** the answer to the request that wrote, from what was kept */
  /** the answer to the request that wrote, from what it kept (the store hands it back untyped) */
  fresh(kept: unknown): A;
  /** the answer to a repeat, from what the first request kept: compared there, so a reused id can be refused */
  repeat(prior: unknown): A;
}

/**
 * A write carried out once per delivery id, for every surface that writes: an answer already kept
 * under the id is repeated → decide on the record as it is → apply the change, with what `keep` makes,
 * in one transaction → decided again after a conflict (someone wrote to the case between this read
 * and this write: the entry may now be a duplicate, the case closed). Nothing is awaited inside the
 * transaction.
 */
export async function writeOnce<R, A>(
  ctx: Ctx,
  keeping: Keeping<R, A>,
  decide: () => Promise<{ readonly answer: A } | { readonly change: Change<R> }>,
): Promise<A> {
  const { key } = keeping;
  if (key !== undefined) {
    const prior = await ctx.records.priorReply(key);
    if (prior !== undefined) return keeping.repeat(prior);
  }
  for (let attempt = 1; ; attempt++) {
    const decided = await decide();
    if ("answer" in decided) {
      // A refusal may be what the same delivery's first copy wrote since the check above (another
      // instance, or another connection, carried it out meanwhile): the repeat gets the first answer.
      const first = key !== undefined ? await ctx.records.priorReply(key) : undefined;
      return first !== undefined ? keeping.repeat(first) : decided.answer;
    }
    const { change } = decided;
    try {
      const applied = await ctx.records.apply(
        {
          writes: change.writes,
          expect: change.expect,
          reply: (entries) => keeping.keep(change.reply(entries)),
        },
        { ...(key !== undefined ? { idempotencyKey: key } : {}), at: keeping.at },
      );
      return applied.repeated ? keeping.repeat(applied.reply) : keeping.fresh(applied.reply);
    } catch (e) {
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
