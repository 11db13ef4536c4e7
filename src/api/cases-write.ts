import { z } from "zod";
import type { Ctx } from "../commands/ctx.ts";
import type { Reply } from "../commands/reply.ts";
import type { Change } from "../store/records.ts";
import type { ApiAnswer, Decision } from "./carry-out.ts";
import { refused } from "./carry-out.ts";
import type { ApiClient } from "./clients.ts";
import { decideCommand, person } from "./commands.ts";
import { problem } from "./problems.ts";

export const caseAnswer = z
  .object({ caseId: z.string(), done: z.string(), message: z.string() })
  .describe("what was done to which case, and the sentence chat would reply");

type Body = Record<string, unknown>;
const nullable = (b: Body, key: string) => (b[key] === undefined ? null : b[key]);

/** The command a case write is, from its route and body; or why the body is not one. */
function candidateOf(
  route: "open" | "patch" | "close",
  caseId: string | null,
  b: Body,
): ({ kind: string } & Record<string, unknown>) | string {
  if (route === "open")
    return {
      kind: "open",
      caseId: b.caseId,
      childName: b.childName,
      age: nullable(b, "age"),
      dob: nullable(b, "dob"),
      service: b.service,
      abuse: b.abuse ?? [],
      openedOn: nullable(b, "openedOn"),
      worker: nullable(b, "worker"),
    };
  if (route === "close")
    return {
      kind: "close",
      caseId,
      outcome: b.outcome,
      date: nullable(b, "date"),
      note: nullable(b, "note"),
    };
  const asked = ["field", "service", "worker"].filter((k) => b[k] !== undefined);
  if (asked.length !== 1)
    return "A change to a case is one of: a correction { field, value }, a move { service, on } or a transfer { worker }.";
  if (asked[0] === "field") return { kind: "edit", caseId, field: b.field, value: b.value };
  if (asked[0] === "service") return { kind: "move", caseId, service: b.service, on: nullable(b, "on") };
  return { kind: "assign", caseId, person: b.worker };
}

/** Decides a case write as the person it names, by the command's own rules. */
export async function decideCaseWrite(
  ctx: Ctx,
  client: ApiClient,
  route: "open" | "patch" | "close",
  caseId: string | null,
  body: unknown,
): Promise<Decision> {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return refused(problem("bad_request", "The body must be a JSON object: see /api/v1/openapi.json."));
  const b = body as Body;
  const who = person(ctx, b.by, "by");
  if ("refused" in who) return refused(problem("unknown_recorder", who.refused));
  const candidate = candidateOf(route, caseId, b);
  if (typeof candidate === "string") return refused(problem("bad_request", candidate));
  const decided = await decideCommand(ctx, who, `api:${client.name}`, candidate);
  if ("refused" in decided) {
    const r = decided.refused;
    return refused(problem(r.code, r.detail));
  }
  return { change: answered(decided.change, candidate.kind, route === "open" ? 201 : 200) };
}

function answered(change: Change<Reply>, kind: string, status: number): Change<ApiAnswer> {
  return {
    writes: change.writes,
    expect: change.expect,
    reply(entries) {
      const reply = change.reply(entries);
      const caseId = reply.changedCase ?? "";
      return { status, body: { caseId, done: kind, message: reply.text } };
    },
  };
}
