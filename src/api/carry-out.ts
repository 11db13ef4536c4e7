import { createHash } from "node:crypto";
import type { Ctx } from "../commands/ctx.ts";
import { writeOnce } from "../commands/run.ts";
import type { Change, Write } from "../store/records.ts";
import { clientMayTeam } from "./auth.ts";
import type { ApiClient } from "./clients.ts";
import { type Problem, problem } from "./problems.ts";

/** What a route answers: a status and a JSON body (a problem when it refused). */
export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
  /** the answer to an earlier request with the same Idempotency-Key, repeated; nothing written now */
  readonly replayed?: boolean;
}

/** A route's decision: an answer now (a refusal, nothing written), or a change to apply. */
export type Decision = { readonly answer: ApiAnswer } | { readonly change: Change<ApiAnswer> };

/** What the idempotency table keeps for an API key: the request's fingerprint and the answer. */
interface Stored {
  readonly fingerprint: string;
  readonly status: number;
  readonly body: unknown;
}

function isStored(x: unknown): x is Stored {
  return typeof x === "object" && x !== null && "fingerprint" in x && "status" in x && "body" in x;
}

/** The same method, path and body: a retry. */
export function fingerprint(method: string, path: string, body: unknown): string {
  return createHash("sha256")
    .update(`${method} ${path}\n${JSON.stringify(body ?? null)}`)
    .digest("hex");
}

export const refused = (p: Problem): { answer: ApiAnswer } => ({ answer: { status: p.status, body: p } });

/** An Idempotency-Key as RFC drafts and Stripe take it: printable ASCII, at most 255 characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Decides and applies a write once, through the loop chat's commands use (`writeOnce`). With an
 * Idempotency-Key, the key (per client), the answer and the request's fingerprint are stored in the
 * same transaction as the write, so a retry gets the first answer and writes nothing, even when the
 * two arrive together; the same key with another body is refused. A refusal writes nothing and is not
 * stored: sent again, it is decided again. A conflict decides again, as chat does.
 */
export async function carryOut(
  ctx: Ctx,
  client: ApiClient,
  request: { readonly key: string | undefined; readonly fingerprint: string },
  decide: () => Promise<Decision>,
): Promise<ApiAnswer> {
  return writeOnce<ApiAnswer, ApiAnswer>(
    ctx,
    {
      key: request.key === undefined ? undefined : `api:${client.id}:${request.key}`,
      at: ctx.clock.now().toISOString(),
      keep: (answer): Stored => ({
        fingerprint: request.fingerprint,
        status: answer.status,
        body: answer.body,
      }),
      fresh: (kept) => {
        const stored = kept as Stored;
        return { status: stored.status, body: stored.body };
      },
      repeat: (prior) => {
        if (!isStored(prior) || prior.fingerprint !== request.fingerprint) {
          const p = problem(
            "idempotency_key_reused",
            "This Idempotency-Key was used before for a different request: send a new key for a new request, or the same request with the same key to repeat it.",
          );
          return { status: p.status, body: p };
        }
        return { status: prior.status, body: prior.body, replayed: true };
      },
    },
    async () => {
      const decided = await decide();
      if ("answer" in decided) return decided;
      const teamRefusal = await outsideClientTeams(ctx, client, decided.change.writes);
      return teamRefusal ? refused(teamRefusal) : decided;
    },
  );
}

/** The cases a write touches, and the team it allocates a case to. */
function touches(w: Write): { cases: string[]; teams: string[] } {
  switch (w.kind) {
    case "appendEvent":
      return { cases: [w.event.caseId], teams: [] };
    case "appendEvents":
      return { cases: w.events.map((e) => e.caseId), teams: [] };
    case "retract":
      return { cases: [w.target.caseId], teams: [] };
    case "openCase":
      return { cases: [], teams: [w.row.teamId] };
    case "allocate":
      return { cases: [w.caseId], teams: [w.teamId] };
    case "close":
    case "reopen":
    case "updateCase":
    case "snooze":
      return { cases: [w.caseId], teams: [] };
    case "caseEvent":
      return { cases: [w.event.caseId], teams: [] };
    case "leave":
      return { cases: [], teams: [] };
    case "audit":
      return { cases: w.entry.caseId ? [w.entry.caseId] : [], teams: [] };
  }
}

/**
 * A client limited to teams writes only to their cases, and allocates only into them: checked on the
 * change itself, so every write route (and any a later one adds) is held to it the same way.
 */
async function outsideClientTeams(
  ctx: Ctx,
  client: ApiClient,
  writes: readonly Write[],
): Promise<Problem | null> {
  if (client.teams.length === 0) return null;
  const cases = new Set<string>();
  const teams = new Set<string>();
  for (const w of writes) {
    const t = touches(w);
    for (const c of t.cases) cases.add(c);
    for (const x of t.teams) teams.add(x);
  }
  const limited = `the client ${client.name} is limited to ${client.teams.join(", ")}`;
  for (const id of cases) {
    const c = await ctx.records.reads.case(id);
    if (c && !clientMayTeam(client, c.teamId))
      return problem("forbidden_team", `Case ${id} is in another team: ${limited}.`);
  }
  for (const t of teams)
    if (!clientMayTeam(client, t))
      return problem("forbidden_team", `That would put the case in team ${t}: ${limited}.`);
  return null;
}
