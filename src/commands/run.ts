import type { Ctx } from "../app/context.ts";
import type { Actor } from "../domain/access.ts";
import { checkCommand } from "./check.ts";
import { type Command, WRITES } from "./command.ts";
import { type Audience, type Env, makeEnv, refuse, type Surface } from "./env.ts";
import { agency } from "./handlers/agency.ts";
import { assignCase } from "./handlers/assign.ts";
import { showCase } from "./handlers/case.ts";
import { closeCase, reopenCase } from "./handlers/close.ts";
import { mine, team } from "./handlers/dashboards.ts";
import { exportCsv, previewDigest } from "./handlers/digest.ts";
import { help, whoami } from "./handlers/help.ts";
import { logElement } from "./handlers/log.ts";
import { openCase } from "./handlers/open.ts";
import { away, snoozeCase } from "./handlers/reminders.ts";
import { stuck } from "./handlers/stuck.ts";
import { undoEntry } from "./handlers/undo.ts";
import { buildLexicon, type Lexicon } from "./lexicon.ts";
import { parseCommand } from "./parse.ts";
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

function lexiconFor(ctx: Ctx): Lexicon {
  let lex = lexicons.get(ctx.org);
  if (!lex) {
    lex = buildLexicon(ctx.org);
    lexicons.set(ctx.org, lex);
  }
  return lex;
}

function execute(env: Env, cmd: Command): Reply {
  switch (cmd.kind) {
    case "log":
      return logElement(env, cmd);
    case "undo":
      return undoEntry(env, cmd);
    case "open":
      return openCase(env, cmd);
    case "assign":
      return assignCase(env, cmd);
    case "close":
      return closeCase(env, cmd);
    case "reopen":
      return reopenCase(env, cmd);
    case "case":
      return showCase(env, cmd);
    case "mine":
      return mine(env, cmd);
    case "team":
      return team(env, cmd);
    case "agency":
      return agency(env);
    case "stuck":
      return stuck(env, cmd);
    case "whoami":
      return whoami(env);
    case "help":
      return help(env, cmd);
    case "snooze":
      return snoozeCase(env, cmd);
    case "away":
      return away(env, cmd);
    case "digest":
      return previewDigest(env, cmd);
    case "export":
      return exportCsv(env, cmd);
  }
}

/**
 * The one way in for every surface: read → authorize → carry out → reply. Synchronous, so a write
 * runs in one transaction with nothing awaited inside it; the caller talks to the platform after.
 */
export function runCommand(ctx: Ctx, input: CommandInput): Reply {
  const env = makeEnv(ctx, input.actor, input.surface, input.audience);
  let command = input.command;
  if (!command) {
    const parsed = parseCommand(input.text ?? "", {
      lexicon: lexiconFor(ctx),
      org: ctx.org,
      today: env.today,
    });
    if (!parsed.ok) return refuse(env, parsed.issue);
    command = parsed.command;
  } else {
    const issue = checkCommand(command, env.today);
    if (issue) return refuse(env, issue);
  }
  const cmd = command;
  if (!WRITES.has(cmd.kind)) return execute(env, cmd);
  const key = input.idempotencyKey;
  return ctx.repo.transaction(() => {
    if (key !== undefined) {
      const prior = ctx.repo.idempotency.get(key) as Reply | undefined;
      if (prior) return { ...prior, repeated: true };
    }
    const reply = execute(env, cmd);
    if (reply.ok && key !== undefined) ctx.repo.idempotency.put(key, reply, env.now);
    return reply;
  });
}

/** Parses without running: for surfaces that need to know what a text means before acting on it. */
export function parseFor(ctx: Ctx, text: string) {
  return parseCommand(text, { lexicon: lexiconFor(ctx), org: ctx.org, today: ctx.today() });
}
