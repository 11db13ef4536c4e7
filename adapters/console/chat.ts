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
  return new Promise((resolve) => {
    rl.on("line", (raw) => {
      const line = raw.trim();
      if (line === ":quit" || line === ":q" || line === ":exit") {
        rl.close();
        return;
      }
      if (line.startsWith(":as")) {
        const email = line.slice(3).trim();
        const next = ctx.people.byEmail(email);
        if (!next) {
          const people = ctx.people.all().map((a) => `${a.email} (${a.role})`);
          say(`No one with the email "${email}". Staff in the config:\n  ${people.join("\n  ")}`);
        } else {
          actor = next;
          say(`You are now ${actor.name} (${actor.role}).`);
        }
      } else if (line !== "") {
        say(runCommand(ctx, { actor, text: line, surface: "console", audience: "private" }).text);
      }
      say("");
      prompt();
    });
    rl.on("close", () => resolve());
    prompt();
  });
}
