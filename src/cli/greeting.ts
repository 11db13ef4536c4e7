import type { Ctx } from "../app/context.ts";
import { exampleCaseId } from "../commands/examples.ts";
import { makeInvocation } from "../commands/invocation.ts";
import type { Actor } from "../domain/access.ts";

/**
 * The console's first lines: who you are and what to try, with one of your own open cases in the
 * example (a made-up id would be refused as unknown), or how to find out when you have none yet.
 */
export async function consoleGreeting(ctx: Ctx, you: Actor): Promise<string[]> {
  const caseId = await exampleCaseId(makeInvocation(ctx, you, "console", "private"));
  return [
    `Console:   you are ${you.name} (${you.role}). Try:`,
    `             /sos mine`,
    caseId !== null ? `             /sos mapped-with-family ${caseId}` : `             /sos help log`,
    `             /sos help`,
    `           :as <email> switches person, :quit leaves.`,
  ];
}
