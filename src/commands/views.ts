import { stuckItems } from "../digest/stuck-items.ts";
import { type Actor, canSeeAgency, canSeeCase, canSeeTeam } from "../domain/access.ts";
import type { DashboardSlug } from "../domain/dashboards.ts";
import type { CoverageView, DashboardView, StuckItem, StuckView } from "../render/view.ts";
import { boardBuilder, judgeFor, loadBoard, type Scope, stuckRules, teamHolders } from "./board.ts";
import type { Ctx } from "./ctx.ts";
import { type Audience, type Invocation, makeInvocation, type Surface } from "./invocation.ts";
import { runCommand } from "./run.ts";

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

export function viewEnv(ctx: Ctx, actor: Actor, surface: Surface, audience: Audience): Invocation {
  return makeInvocation(ctx, actor, surface, audience);
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

export async function dashboardFor(
  env: Invocation,
  scope: ViewScope,
  slug: DashboardSlug | null,
): Promise<DashboardView[]> {
  const holders =
    scope.kind === "worker"
      ? [{ staffId: scope.worker.staffId, name: scope.worker.name }]
      : scope.kind === "team"
        ? teamHolders(env, scope.teamId)
        : [];
  const q = boardScope(scope);
  const board = boardBuilder(env, holders, slug, await judgeFor(env));
  // Only the cases the person may see, whatever the scope asked: a worker's cases can sit in a team
  // the person viewing them does not supervise (a supervisor of two teams, a transfer).
  await env.reads.eachOpenCase("all" in q ? {} : q, (c) => {
    if (canSeeCase(env.actor, { workerId: c.workerId, teamId: c.teamId })) board.add(c);
  });
  return board.views();
}

export async function stuckFor(env: Invocation, scope: ViewScope, title: string): Promise<StuckView> {
  const judge = await judgeFor(env);
  return { title, items: stuckItems(env, await loadBoard(env, boardScope(scope)), judge) };
}

/**
 * What a person's App Home shows, by role, as view models (the Slack adapter lays it out): a
 * worker's own cases and stuck cases; a supervisor's teams and their stuck cases, longest stuck
 * first; a manager's or admin's agency coverage by team and how many cases are stuck in each team.
 * All of it reads: on the server it is built on a reader thread.
 */
export type HomeData =
  | {
      readonly kind: "worker";
      readonly updated: string;
      readonly views: DashboardView[];
      readonly stuck: StuckView;
    }
  | {
      readonly kind: "supervisor";
      readonly updated: string;
      readonly teams: readonly string[];
      readonly views: DashboardView[];
      readonly stuck: readonly StuckItem[];
    }
  | {
      readonly kind: "agency";
      readonly updated: string;
      /** the `/sos agency` reply: its coverage table, or its text when it has none */
      readonly coverage: CoverageView | null;
      readonly text: string;
      /** per team with stuck cases, most first: its name and how many */
      readonly stuckByTeam: readonly (readonly [string, number])[];
      readonly stuckTotal: number;
    };

export async function homeData(ctx: Ctx, actor: Actor): Promise<HomeData> {
  const env = viewEnv(ctx, actor, "slack", "private");
  const updated = `updated ${env.fmtInstant(env.now)}`;
  if (actor.role === "worker") {
    const scope = { kind: "worker", worker: actor } as const;
    return {
      kind: "worker",
      updated,
      views: await dashboardFor(env, scope, "overview"),
      stuck: await stuckFor(env, scope, "Your stuck cases"),
    };
  }
  if (actor.role === "supervisor") {
    const names = actor.teams.map((t) => ctx.org.teams.find((x) => x.id === t)?.name ?? t);
    const views: DashboardView[] = [];
    const items: StuckItem[] = [];
    for (const [i, teamId] of actor.teams.entries()) {
      for (const v of await dashboardFor(env, { kind: "team", teamId }, "overview"))
        views.push({ ...v, title: actor.teams.length > 1 ? `${names[i]}: ${v.title}` : v.title });
      items.push(...(await stuckFor(env, { kind: "team", teamId }, "")).items);
    }
    items.sort(
      (a, b) => Math.max(...b.findings.map((f) => f.days)) - Math.max(...a.findings.map((f) => f.days)),
    );
    return { kind: "supervisor", updated, teams: names, views, stuck: items };
  }
  // Managers and admins: the agency picture, from the numbers the store keeps.
  const reply = await runCommand(ctx, {
    actor,
    command: { kind: "agency" },
    surface: "slack",
    audience: "private",
  });
  const counts = await env.reads.stuckCounts(stuckRules(ctx.org), env.today, env.today);
  const order = new Map(ctx.org.teams.map((t, i) => [t.id, i]));
  const byTeam = [...counts]
    .filter(([, n]) => n.stuck > 0)
    .sort(
      ([a, x], [b, y]) =>
        y.stuck - x.stuck || (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9) || a.localeCompare(b),
    )
    .map(([id, n]) => [ctx.org.teams.find((t) => t.id === id)?.name ?? id, n.stuck] as const);
  return {
    kind: "agency",
    updated,
    coverage: reply.coverage ?? null,
    text: reply.text,
    stuckByTeam: byTeam,
    stuckTotal: byTeam.reduce((n, [, k]) => n + k, 0),
  };
}
