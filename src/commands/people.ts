import type { Actor } from "../domain/access.ts";
import { type Invocation, refuse } from "./invocation.ts";
import type { Reply } from "./reply.ts";

/** The person a case is to be allocated to: someone in the agency who holds cases. */
export function resolveCaseholder(env: Invocation, token: string): { actor: Actor } | { reply: Reply } {
  const found = env.ctx.people.find(token);
  if (!found.actor)
    return { reply: refuse(env, { code: "unknown_person", token, suggestions: found.suggestions }) };
  const a = found.actor;
  if (a.role !== "worker" && a.role !== "supervisor") {
    return { reply: refuse(env, { code: "not_a_caseholder", name: a.name, role: a.role }) };
  }
  return { actor: a };
}
