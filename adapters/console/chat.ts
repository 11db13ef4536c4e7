import { createInterface } from "node:readline";
import type { Ctx } from "../../src/app/context.ts";
import { runCommand } from "../../src/commands/run.ts";
import type { Actor } from "../../src/domain/access.ts";

/**
 * The console chat of local mode: the same commands as Slack and Teams, typed in the terminal as one
 * staff member. `:as <email>` switches person, `:quit` leaves.
 */
export function startConsoleChat(
  ctx: Ctx,
  first: Actor,
  io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream },
): Promise<void> {
  let actor = first;
  const rl = createInterface({ input: io.input, output: io.output, terminal: true });
  const say = (text: string) => io.output.write(`${text}\n`);
  const prompt = () => {
    rl.setPrompt(`${actor.name}> `);
    rl.prompt();
  };
  // One line at a time, in order: a command's reply is printed before the next line is read.
  return (async () => {
    prompt();
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === ":quit" || line === ":q" || line === ":exit") break;
      if (line === ":as" || line.startsWith(":as ")) {
        const email = line.slice(3).trim();
        const next = email ? ctx.people.byEmail(email) : undefined;
        const people = ctx.people.all().map((a) => `${a.email} (${a.role})`);
        if (!next) {
          say(
            `${email ? `No one with the email "${email}".` : "Say who: :as <email>."} Staff in the config:\n  ${people.join("\n  ")}`,
          );
        } else {
          actor = next;
          say(`You are now ${actor.name} (${actor.role}).`);
        }
      } else if (line.startsWith(":")) {
        say(
          "Console commands: :as <email> switches person, :quit leaves. Everything else is a /sos command: type /sos help.",
        );
      } else if (line !== "") {
        const reply = await runCommand(ctx, { actor, text: line, surface: "console", audience: "private" });
        say(reply.text);
        // The console has nowhere to hand a file over: it shows it (without the byte order mark,
        // which is there for spreadsheets).
        if (reply.file)
          say(`\n--- ${reply.file.filename} ---\n${reply.file.content.replace(/^\uFEFF/, "").trimEnd()}`);
      }
      say("");
      prompt();
    }
    rl.close();
  })();
}
