import type { Ctx } from "../../src/app/context.ts";
import { BUSY_TEXT, isServerBusy } from "../../src/commands/offload.ts";
import type { Reply } from "../../src/commands/reply.ts";
import { type CommandInput, runCommand } from "../../src/commands/run.ts";
import { errorKind, type SlackLog } from "./log.ts";

export const FAILED =
  "Sorry, something went wrong on our side, so nothing was stored. Please try again in a minute; if it keeps happening, tell your admin.";

/**
 * `runCommand` for a Slack request: an unexpected error (a locked database, a bug) becomes a reply
 * saying nothing was stored, which is true because the write's transaction rolled back, instead of
 * silence after the ack. The error is logged by its kind and where it was thrown, never its message,
 * which could quote a child's name or a note.
 */
export async function runForSlack(ctx: Ctx, input: CommandInput, log: SlackLog): Promise<Reply> {
  try {
    return await runCommand(ctx, input);
  } catch (e) {
    // The reader queue was full: nothing was read or written, and the person can try again soon.
    if (isServerBusy(e)) {
      log(`busy: a ${input.command?.kind ?? "typed"} command was turned away (the readers are full)`);
      return { ok: false, text: BUSY_TEXT };
    }
    log(`a ${input.command?.kind ?? "typed"} command failed (${errorKind(e)})`);
    return { ok: false, text: FAILED };
  }
}
