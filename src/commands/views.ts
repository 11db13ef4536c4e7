import { stuckItems } from "../digest/stuck-items.ts";
import { type Actor, canSeeAgency, canSeeCase, canSeeTeam } from "../domain/access.ts";
import type { DashboardSlug } from "../domain/dashboards.ts";
import type { DashboardView, StuckView } from "../render/view.ts";
import type { CaseRow } from "../store/schema.ts";
import { boardViews, type Scope, teamHolders } from "./board.ts";
import type { Ctx } from "./ctx.ts";
import { type Audience, type Env, makeEnv, type Surface } from "./env.ts";

/**
 * Dashboards and stuck lists for surfaces that are not a chat command: the CLI, App Home, digests.
 * Same view models, same authorization as chat.
 */
export type ViewScope =
  | { kind: "worker"; worker: Actor }
  | { kind: "team"; teamId: string }
  | { kind: "agency" };

/** Someone who may see everything: the operator at the CLI, who holds the database file anyway. */
export const OPERATOR: Actor = { staffId: -1, email: "operator", name: "Operator", role: "admin", teams: [] };

export function viewEnv(ctx: Ctx, actor: Actor, surface: Surface, audience: Audience): Env {
  return makeEnv(ctx, actor, surface, audience);
}

/** null when allowed; otherwise a sentence saying why not. */
export function refusal(actor: Actor, scope: ViewScope): string | null {
  if (scope.kind === "agency")
    return canSeeAgency(actor) ? null : "Only managers and admins can see the whole agency.";
  if (scope.kind === "team")
    return canSeeTeam(actor, scope.teamId) ? null : "You can only see your own team's dashboard.";
  const w = scope.worker;
  const ok =
    w.staffId === actor.staffId || w.teams.some((t) => canSeeCase(actor, { workerId: w.staffId, teamId: t }));
  return ok ? null : `You can't see ${w.name}'s cases.`;
}

function boardScope(scope: ViewScope): Scope {
  if (scope.kind === "worker") return { workerId: scope.worker.staffId };
  if (scope.kind === "team") return { teamIds: [scope.teamId] };
  return { all: true };
}

export function dashboardFor(env: Env, scope: ViewScope, slug: DashboardSlug | null): DashboardView[] {
  const holders =
    scope.kind === "worker"
      ? [{ staffId: scope.worker.staffId, name: scope.worker.name }]
      : scope.kind === "team"
        ? teamHolders(env, scope.teamId)
        : [];
  const q = boardScope(scope);
  return boardViews(env, visible(env.actor, env.ctx.repo.cases.eachOpen("all" in q ? {} : q)), holders, slug);
}

/**
 * Only the cases the person may see, whatever the scope asked: a worker's cases can sit in a team
 * the person viewing them does not supervise (a supervisor of two teams, a transfer).
 */
function* visible(actor: Actor, cases: Iterable<CaseRow>): Generator<CaseRow> {
  for (const c of cases) if (canSeeCase(actor, { workerId: c.workerId, teamId: c.teamId })) yield c;
}

export function stuckFor(env: Env, scope: ViewScope, title: string): StuckView {
  const q = boardScope(scope);
  return { title, items: stuckItems(env, { cases: env.ctx.repo.cases.open("all" in q ? {} : q) }) };
}
