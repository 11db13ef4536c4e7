import type { Ctx } from "../app/context.ts";
import { type Actor, canManageTeam, canSeeAgency, canSeeCase, canSeeTeam } from "../domain/access.ts";
import { type DashboardSlug, elementColumns } from "../domain/dashboards.ts";
import { ELEMENTS, type ElementKey, valueRule } from "../domain/elements.ts";
import { nameCell } from "../domain/names.ts";
import type { DashboardView, StuckView } from "../render/view.ts";
import type { CaseRow } from "../store/schema.ts";
import { requireCase } from "./access.ts";
import { boardViews, loadBoard, type Scope, teamHolders } from "./board.ts";
import { type Audience, type Env, makeEnv, refuse, type Surface } from "./env.ts";
import { stuckItems } from "./handlers/stuck.ts";
import type { Reply } from "./reply.ts";

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
  return boardViews(env, env.ctx.repo.cases.eachOpen("all" in q ? {} : q), holders, slug);
}

export function stuckFor(env: Env, scope: ViewScope, title: string): StuckView {
  return { title, items: stuckItems(env, loadBoard(env, boardScope(scope))) };
}

/**
 * Open cases the person may record practice on, newest first: a worker's own, a supervisor's team's
 * and their own. For forms that offer a choice of case; managers and admins get none.
 */
export function loggableCases(env: Env): CaseRow[] {
  const { actor, ctx } = env;
  if (actor.role === "worker") return ctx.repo.cases.open({ workerId: actor.staffId });
  if (actor.role !== "supervisor") return [];
  const team = ctx.repo.cases.open({ teamIds: actor.teams });
  const seen = new Set(team.map((c) => c.id));
  const own = ctx.repo.cases.open({ workerId: actor.staffId }).filter((c) => !seen.has(c.id));
  return [...team, ...own].sort((a, b) =>
    a.openedOn === b.openedOn ? a.id.localeCompare(b.id) : a.openedOn < b.openedOn ? 1 : -1,
  );
}

/** What a form needs to record on one case: the elements on its dashboard, labelled as it labels them. */
export interface LogForm {
  readonly caseId: string;
  /** the name cell as the audience may see it */
  readonly child: string;
  readonly dashboard: string;
  readonly openedOn: string;
  readonly elements: readonly {
    readonly element: ElementKey;
    readonly label: string;
    /** the number the element needs, if any */
    readonly value: { readonly min: number; readonly max: number } | null;
  }[];
}

/** The log form for a case, or the refusal (unknown case, not theirs, closed) to show instead. */
export function logForm(env: Env, caseId: string): LogForm | { reply: Reply } {
  const found = requireCase(env, caseId, "log");
  if ("reply" in found) return found;
  const c = found.case;
  if (c.status === "closed") {
    return { reply: refuse(env, { code: "case_closed", caseId: c.id, closedOn: c.closedOn }) };
  }
  const def = env.ctx.org.dashboards[c.service];
  return {
    caseId: c.id,
    child: nameCell(c, env.today, env.names),
    dashboard: def.title,
    openedOn: c.openedOn,
    elements: elementColumns(def).map((col) => ({
      element: col.id,
      label: col.label,
      value: valueRule(ELEMENTS[col.id].kind),
    })),
  };
}

/**
 * The people a supervisor or admin may allocate a new case to: workers and supervisors of the teams
 * they manage (every team, for an admin). Empty for anyone who cannot open cases.
 */
export function caseholdersFor(env: Env): Actor[] {
  const { actor, ctx } = env;
  return ctx.people
    .all()
    .filter(
      (a) => (a.role === "worker" || a.role === "supervisor") && a.teams.some((t) => canManageTeam(actor, t)),
    );
}
