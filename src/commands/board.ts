import { type Org, teamMembers } from "../config/org.ts";
import { type DashboardSlug, elementColumns, SERVICE_SLUGS } from "../domain/dashboards.ts";
import { dayNumber, type IsoDate } from "../domain/dates.ts";
import { firstStuckDay, STUCK_RULES, type StuckFinding, stuckFindings, stuckMask } from "../domain/stuck.ts";
import { stuckCells } from "../domain/stuck-points.ts";
import { assembleDashboard, dashboardRow, dateFormatter } from "../render/build-dashboard.ts";
import type { DashboardView, RowView } from "../render/view.ts";
import type { OpenCaseRow } from "../store/cases.ts";
import type { CaseRow } from "../store/schema.ts";
import type { StuckRules } from "../store/stuck-since.ts";
import type { Invocation } from "./invocation.ts";

/** The open cases in some scope, each with its projection: what every dashboard and stuck list reads. */
export interface Board {
  readonly cases: readonly OpenCaseRow[];
}

export type Scope = { workerId: number } | { teamIds: readonly string[] } | { all: true };

export async function loadBoard(env: Invocation, scope: Scope): Promise<Board> {
  return { cases: await env.reads.openCases("all" in scope ? {} : scope) };
}

// A digest asks about the same case several times in one build (its dashboards, its stuck list):
// the findings are kept per case row object and day, and forgotten with the row.
const stuckCache = new WeakMap<StuckCase, { today: IsoDate; org: Org; findings: StuckFinding[] }>();

/** The day a case came onto its current dashboard: opened there, or moved there later. */
export function serviceStart(c: Pick<CaseRow, "openedOn" | "serviceSince">): IsoDate {
  return c.serviceSince !== null && c.serviceSince > c.openedOn ? c.serviceSince : c.openedOn;
}

export function stuckFor(org: Org, c: StuckCase, today: IsoDate): StuckFinding[] {
  const hit = stuckCache.get(c);
  if (hit && hit.today === today && hit.org === org) return hit.findings;
  const findings = stuckFindings(
    // A case moved to another service is held to that service's rules from the day it moved.
    { openedOn: serviceStart(c), states: c.states, dashboard: org.dashboards[c.service] },
    org.stuck[c.service],
    today,
  );
  stuckCache.set(c, { today, org, findings });
  return findings;
}

/** Later than any day asked about: `stuckFindings` then returns every rule that will ever find the case. */
const NEVER_BEFORE: IsoDate = "9999-12-31";

/**
 * The config's stuck rules as the store keeps "stuck since" for them (`src/store/stuck-since.ts`):
 * the fingerprint of everything the rules read from the config, and each case's first stuck day,
 * the earliest `since` of its findings. Made once per config.
 */
const rulesFor = new WeakMap<Org, StuckRules>();

export function stuckRules(org: Org): StuckRules {
  let rules = rulesFor.get(org);
  if (!rules) {
    const fingerprint = JSON.stringify({
      stuck: SERVICE_SLUGS.map((s) => [s, STUCK_RULES.map((r) => org.stuck[s][r] ?? null)]),
      shown: SERVICE_SLUGS.map((s) => [s, elementColumns(org.dashboards[s]).map((c) => c.id)]),
    });
    rules = {
      fingerprint,
      since(c) {
        return firstStuckDay(
          { openedOn: serviceStart(c), states: c.states, dashboard: org.dashboards[c.service] },
          org.stuck[c.service],
          NEVER_BEFORE,
        );
      },
    };
    rulesFor.set(org, rules);
  }
  return rules;
}

/** What of a case its stuck rules and its kept "stuck since" read. */
export type StuckCase = Pick<
  CaseRow,
  "openedOn" | "serviceSince" | "service" | "states" | "stuckSince" | "stuckFor"
>;

/**
 * Whether and how the cases of one build are stuck on one day. A case whose kept "stuck since" is
 * current (`stuckFor` is `generation`, `RecordReads.stuckGeneration`) and later than the day, or
 * none, is not stuck without its rules being checked; any other case (due, or stuck) is checked, so
 * the answer is the rules' whatever the stuck-since writer has caught up with.
 */
export interface StuckJudge {
  /** bits of the rules holding on the day (bit i: `STUCK_RULES[i]`); 0: not stuck */
  mask(c: StuckCase): number;
  /** `stuckFor`'s findings */
  findings(c: StuckCase): StuckFinding[];
}

const NO_FINDINGS: StuckFinding[] = [];
Object.freeze(NO_FINDINGS);

export function stuckJudge(org: Org, today: IsoDate, generation: number | null): StuckJudge {
  const day = dayNumber(today);
  const notStuck = (c: StuckCase) =>
    generation !== null && c.stuckFor === generation && (c.stuckSince === null || c.stuckSince > today);
  const input = (c: StuckCase) => ({
    openedOn: serviceStart(c),
    states: c.states,
    dashboard: org.dashboards[c.service],
  });
  return {
    mask: (c) => (notStuck(c) ? 0 : stuckMask(input(c), org.stuck[c.service], day)),
    findings: (c) => (notStuck(c) ? NO_FINDINGS : stuckFindings(input(c), org.stuck[c.service], today)),
  };
}

/** The judge for a build as of `env.today`, with the store's current "stuck since" generation. */
export async function judgeFor(env: Invocation): Promise<StuckJudge> {
  const { org } = env.ctx;
  return stuckJudge(org, env.today, await env.reads.stuckGeneration(stuckRules(org)));
}

/** A worker heading on the dashboard: the seed shows every worker of the team, even with no cases. */
export interface Holder {
  readonly staffId: number;
  readonly name: string;
}

/**
 * The seed's tables for some cases, in one pass over them so a big board (the agency's 20,000 cases)
 * never holds every case row at once: each row becomes its cells and is let go. One table per service
 * dashboard that has cases, or the one asked for; grouped by worker in the order given, then any other
 * worker holding cases, by name.
 */
export function boardViews(
  env: Invocation,
  cases: Iterable<OpenCaseRow>,
  holders: readonly Holder[],
  only: DashboardSlug | null,
  judge: StuckJudge = stuckJudge(env.ctx.org, env.today, null),
): DashboardView[] {
  const board = boardBuilder(env, holders, only, judge);
  for (const c of cases) board.add(c);
  return board.views();
}

/**
 * `boardViews` fed a case at a time, for a store that hands its rows to a visitor
 * (`RecordReads.eachOpenCase`) rather than as a list.
 */
export function boardBuilder(
  env: Invocation,
  holders: readonly Holder[],
  only: DashboardSlug | null,
  judge: StuckJudge = stuckJudge(env.ctx.org, env.today, null),
): { add(c: OpenCaseRow): void; views(): DashboardView[] } {
  const { org, people } = env.ctx;
  const showDate = dateFormatter(org.dates.format);
  const rows = new Map<DashboardSlug, Map<number, RowView[]>>();
  const listed = new Set(holders.map((h) => h.staffId));
  const extra = new Map<number, Holder>();
  function add(c: OpenCaseRow): void {
    const slug = only ?? c.service;
    if (slug !== "overview" && slug !== c.service) return;
    let byWorker = rows.get(slug);
    if (!byWorker) {
      byWorker = new Map();
      rows.set(slug, byWorker);
    }
    const mask = judge.mask(c);
    const table = org.dashboards[slug];
    const own = org.dashboards[c.service];
    const row = dashboardRow(table, c, {
      today: env.today,
      showDate,
      names: env.names,
      stuck: mask !== 0,
      stuckCells: stuckCells(table, mask, c.states, own),
      ...(slug === "overview" ? { own } : {}),
    });
    const list = byWorker.get(c.workerId);
    if (list) list.push(row);
    else byWorker.set(c.workerId, [row]);
    if (!listed.has(c.workerId) && !extra.has(c.workerId)) {
      extra.set(c.workerId, { staffId: c.workerId, name: people.nameOf(c.workerId) });
    }
  }
  function views(): DashboardView[] {
    const order = [...holders, ...[...extra.values()].sort((a, b) => a.name.localeCompare(b.name))];
    const slugs: readonly DashboardSlug[] = only !== null ? [only] : SERVICE_SLUGS.filter((s) => rows.has(s));
    return slugs.map((slug) => {
      const byWorker = rows.get(slug) ?? new Map<number, RowView[]>();
      return assembleDashboard(
        org.dashboards[slug],
        order
          .filter((h) => listed.has(h.staffId) || byWorker.has(h.staffId))
          .map((h) => ({ worker: h.name, rows: byWorker.get(h.staffId) ?? [] })),
      );
    });
  }
  return { add, views };
}

/**
 * The worker headings of a team's dashboard: every worker in the team, even with no open cases (an
 * empty group is still information: "Alison Camp's Cases", none open). Anyone else holding the team's
 * cases, a supervisor say, is added by `boardViews`.
 */
export function teamHolders(env: Invocation, teamId: string): Holder[] {
  const { ctx } = env;
  return teamMembers(ctx.org, teamId).flatMap((m) => {
    const a = m.role === "worker" ? ctx.people.byEmail(m.email) : undefined;
    return a ? [{ staffId: a.staffId, name: a.name }] : [];
  });
}
