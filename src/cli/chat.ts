import { createInterface } from "node:readline";
import { UsageError } from "../app/boot.ts";
import type { Ctx } from "../app/context.ts";
import { chosenStore } from "../app/store-choice.ts";
import { runCommand } from "../commands/run.ts";
import type { Actor } from "../domain/access.ts";
import { isBusy } from "../store/open.ts";
import { readArgs } from "./args.ts";
import { busySentence } from "./errors.ts";
import { bootFromEnv, notYetSynced } from "./setup.ts";

/** `sos chat --as <email>`: one command per input line, each reply then a blank line. */
export async function chat(argv: string[]): Promise<number> {
  const { values } = readArgs("chat", argv, { as: { type: "string" }, today: { type: "string" } });
  if (!values.as)
    throw new UsageError("sos chat needs --as <email>: the staff member to act as. See `sos chat --help`.");
  // Chat commands write records, so the database is opened for writing, but chat does not sync the
  // staff: it acts as one person against the roster the database holds. Changing who works here is
  // an admin's act with its own report and its own check (`sos sync`, `sos start`); a script piping
  // lines into `sos chat` with a stale or wrong config must not reshape the staff on the way.
  const store = chosenStore(process.env);
  if (store.kind === "postgres")
    return (await import("./pg.ts")).chatOnPostgres(store.url, values.as, values.today);
  const { ctx } = bootFromEnv({ open: { mode: "records" }, today: values.today });
  try {
    const actor = ctx.people.byEmail(values.as);
    if (!actor) {
      const unsynced = notYetSynced(ctx, "--as", values.as);
      if (unsynced) throw unsynced;
      const known = ctx.people.all().map((a) => a.email);
      throw new UsageError(
        `--as ${values.as}: no staff member with that email in ${ctx.org.source}. Known: ${known.join(", ")}`,
      );
    }
    return await chatLines(ctx, actor);
  } finally {
    ctx.store.close();
  }
}

/** One command per input line as `actor`, each reply then a blank line; 1 when any found the database busy. */
export async function chatLines(ctx: Ctx, actor: Actor): Promise<number> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  let busy = 0;
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    let reply: Awaited<ReturnType<typeof runCommand>>;
    try {
      reply = await runCommand(ctx, { actor, text: line, surface: "cli", audience: "private" });
    } catch (e) {
      // A locked database fails this one command (its transaction did not happen); the next may run.
      if (!isBusy(e)) throw e;
      busy += 1;
      process.stdout.write(`sos: ${busySentence()}\n\n`);
      continue;
    }
    const file = reply.file ? `\n--- ${reply.file.filename} ---\n${reply.file.content.trimEnd()}\n` : "";
    process.stdout.write(`${reply.text}\n${file}\n`);
  }
  return busy > 0 ? 1 : 0;
}
