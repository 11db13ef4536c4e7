import { type Org, teamMembers } from "../config/org.ts";
import { type DashboardSlug, SERVICE_SLUGS } from "../domain/dashboards.ts";
import type { IsoDate } from "../domain/dates.ts";
import type { ElementKey } from "../domain/elements.ts";
import type { ElementState } from "../domain/projection.ts";
import { type StuckFinding, stuckFindings } from "../domain/stuck.ts";
import { buildDashboard } from "../render/build-dashboard.ts";
import type { DashboardView } from "../render/view.ts";
import type { CaseRow } from "../store/schema.ts";
import type { StatesByCase } from "../store/states.ts";
import type { Env } from "./env.ts";

/** The open cases in some scope with their projection rows: what every dashboard and stuck list reads. */
export interface Board {
  readonly cases: readonly CaseRow[];
  readonly states: StatesByCase;
}

export type Scope = { workerId: number } | { teamIds: readonly string[] } | { all: true };

export function loadBoard(env: Env, scope: Scope): Board {
  const { repo } = env.ctx;
  const q = "all" in scope ? {} : scope;
  return { cases: repo.cases.open(q), states: repo.states.forOpenCases(q) };
}

const NO_STATES: ReadonlyMap<ElementKey, ElementState> = new Map();

export function stuckFor(org: Org, c: CaseRow, states: StatesByCase, today: IsoDate): StuckFinding[] {
  return stuckFindings(
    { openedOn: c.openedOn, states: states.get(c.id) ?? NO_STATES, dashboard: org.dashboards[c.service] },
    org.stuck[c.service],
    today,
  );
}

/** A worker heading on the dashboard: the seed shows every worker of the team, even with no cases. */
export interface Holder {
  readonly staffId: number;
  readonly name: string;
}

/**
 * The seed's tables for a board: one per service dashboard that has cases (or the one asked for),
 * grouped by worker in the order given; workers holding cases but not listed are added at the end.
 */
export function boardViews(
  env: Env,
  board: Board,
  holders: readonly Holder[],
  only: DashboardSlug | null,
): DashboardView[] {
  const { org } = env.ctx;
  const slugs: readonly DashboardSlug[] =
    only !== null ? [only] : SERVICE_SLUGS.filter((s) => board.cases.some((c) => c.service === s));
  const seen = new Set(holders.map((h) => h.staffId));
  const extra: Holder[] = [];
  for (const c of board.cases) {
    if (seen.has(c.workerId)) continue;
    seen.add(c.workerId);
    extra.push({ staffId: c.workerId, name: env.ctx.people.nameOf(c.workerId) });
  }
  const order = [...holders, ...extra.sort((a, b) => a.name.localeCompare(b.name))];
  const stuck = new Set(
    board.cases.filter((c) => stuckFor(org, c, board.states, env.today).length > 0).map((c) => c.id),
  );
  return slugs.map((slug) => {
    const cases = slug === "overview" ? board.cases : board.cases.filter((c) => c.service === slug);
    const byWorker = new Map<number, CaseRow[]>();
    for (const c of cases) {
      const list = byWorker.get(c.workerId);
      if (list) list.push(c);
      else byWorker.set(c.workerId, [c]);
    }
    return buildDashboard({
      def: org.dashboards[slug],
      groups: order.map((h) => ({ worker: h.name, cases: byWorker.get(h.staffId) ?? [] })),
      states: board.states,
      today: env.today,
      datePattern: org.dates.format,
      names: env.names,
      isStuck: (id) => stuck.has(id),
    });
  });
}

/**
 * The worker headings of a team's dashboard: every worker in the team (an empty group is still
 * information: "Alison Camp's Cases", none open), plus supervisors who hold cases themselves.
 */
export function teamHolders(env: Env, teamId: string, board: Board): Holder[] {
  const { ctx } = env;
  const holding = new Set(board.cases.map((c) => c.workerId));
  return teamMembers(ctx.org, teamId).flatMap((m) => {
    const a = ctx.people.byEmail(m.email);
    if (!a || (m.role !== "worker" && !holding.has(a.staffId))) return [];
    return [{ staffId: a.staffId, name: a.name }];
  });
}
