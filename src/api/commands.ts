import type { Ctx } from "../commands/ctx.ts";
import type { CommandDef } from "../commands/def.ts";
import { type Invocation, makeInvocation, type Surface } from "../commands/invocation.ts";
import type { Issue } from "../commands/issues.ts";
import { describe } from "../commands/messages.ts";
import { validateCommand } from "../commands/parse.ts";
import { type Command, REGISTRY } from "../commands/registry.ts";
import type { Reply } from "../commands/reply.ts";
import { type Actor, may } from "../domain/access.ts";
import { type Change, isChange } from "../store/records.ts";
import { type ItemProblem, problem } from "./problems.ts";

/**
 * A chat command carried out for the API: the person the request names (who recorded it, who opened
 * the case), the command's own schema, its role rule and its `run`, exactly as chat runs it; only
 * the surface (`api:<client>`) and the answer's form differ.
 */
export type CommandOutcome =
  | { readonly refused: ItemProblem & { readonly status: number } }
  | { readonly change: Change<Reply>; readonly env: Invocation; readonly command: Command };

/** The person a request names, or the sentence saying no one on the staff list is. */
export function person(ctx: Ctx, email: unknown, field: string): Actor | { refused: string } {
  if (typeof email !== "string" || email.trim() === "")
    return { refused: `The request needs ${field}: the email of the member of staff it is for.` };
  const actor = ctx.people.byEmail(email);
  return actor ?? { refused: `${field} "${email.slice(0, 120)}" is not anyone on the staff list.` };
}

/** The sentence for a command's issue; a malformed request is worded for an API, not a chat button. */
export function sentence(env: { fmt: Invocation["fmt"] }, issue: Issue): string {
  if (issue.code === "malformed")
    return `The request's ${issue.field} is missing or not the right type: see /api/v1/openapi.json for the ${issue.command} body.`;
  return describe(issue, env.fmt);
}

function refusal(index: number, issue: Issue, detail: string) {
  return { refused: { index, code: issue.code, detail, status: problem(issue.code, detail).status } };
}

/** Checks and decides one command as `actor`; nothing is written here. */
export async function decideCommand(
  ctx: Ctx,
  actor: Actor,
  surface: Surface,
  candidate: { readonly kind: string } & Record<string, unknown>,
  index = 0,
): Promise<CommandOutcome> {
  const env = makeInvocation(ctx, actor, surface, "channel");
  const parsed = validateCommand(candidate);
  if (!parsed.ok) return refusal(index, parsed.issue, sentence(env, parsed.issue));
  const { kind: _kind, ...args } = parsed.command;
  const def: CommandDef = REGISTRY.byKind(parsed.command.kind)!;
  if (!may(actor.role, def.ability)) {
    const issue: Issue = { code: "role_cannot", role: actor.role, action: def.action, who: def.who };
    return refusal(index, issue, sentence(env, issue));
  }
  const outcome = await def.run(env, args as never, REGISTRY);
  if (!isChange(outcome)) {
    const reply = outcome as Reply;
    const issue: Issue = reply.issue ?? { code: "malformed", command: def.kind, field: "arguments" };
    return refusal(index, issue, reply.issue ? reply.text : sentence(env, issue));
  }
  return { change: outcome as Change<Reply>, env, command: parsed.command };
}

/** Which entries of a merged batch each command's change wrote, in order. */
export function entriesWritten(change: Change): number {
  let n = 0;
  for (const w of change.writes) {
    if (w.kind === "appendEvent" || w.kind === "retract") n++;
    else if (w.kind === "appendEvents") n += w.events.length;
  }
  return n;
}
