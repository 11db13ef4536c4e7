import { type Holder, loadBoard, stuckFor, teamHolders } from "../commands/board.ts";
import type { Ctx } from "../commands/ctx.ts";
import { type Invocation, makeInvocation } from "../commands/invocation.ts";
import { OPERATOR } from "../commands/views.ts";
import { elementColumn, SERVICE_SLUGS, type ServiceSlug } from "../domain/dashboards.ts";
import type { IsoDate } from "../domain/dates.ts";
import { ELEMENT_KEYS, type ElementKey } from "../domain/elements.ts";
import { currentAge, groupTitle, nameCell } from "../domain/names.ts";
import type { StuckFinding } from "../domain/stuck.ts";
import { stuckElements } from "../domain/stuck-points.ts";
import type { PngRenderer } from "../pictures/png-renderer.ts";
import { whiteboardPngIsolated } from "../pictures/whiteboard-picture.ts";
import type {
  CellStatus,
  ColumnCounts,
  WhiteboardColumn,
  WhiteboardModel,
  WhiteboardRow,
} from "../pictures/whiteboard-view.ts";
import type { OpenCaseRow } from "../store/cases.ts";
import { elementHeading } from "./coverage.ts";
import type { Picture } from "./post.ts";

/** Short headings that fit a narrow column; the full overview label goes with them for alt text. */
const HEADINGS: Readonly<Record<ElementKey, readonly string[]>> = {
  "mapping-internal": ["Mapping", "internal"],
  "mapping-with-family": ["Mapping", "family"],
  "three-houses": ["Three", "houses"],
  "danger-statement": ["Danger", "statement"],
  "safety-goal": ["Safety", "goal"],
  "safety-scale": ["Safety", "scale"],
  trajectory: ["Trajectory"],
  "words-and-pictures": ["Words &", "pictures"],
  network: ["Network"],
  "network-meeting": ["Network", "meetings"],
  "adult-safety-plan": ["Adult", "plan"],
  "child-safety-plan": ["Child", "plan"],
};

/**
 * The whiteboard's columns: the elements in the overview's order (network meetings after network),
 * leaving out any element no service dashboard of the agency shows (config can drop one).
 */
export function whiteboardColumns(env: Invocation): WhiteboardColumn[] {
  const { dashboards } = env.ctx.org;
  return ELEMENT_KEYS.filter((el) => SERVICE_SLUGS.some((s) => elementColumn(dashboards[s], el))).map(
    (el) => ({ element: el, heading: HEADINGS[el], label: elementHeading(env.ctx.org, el) }),
  );
}

/**
 * Days counted from the last practice (or rating), not from when the rule fired, so a case quiet for
 * months says so: the rule's threshold plus the days it has been stuck.
 */
function daysSince(env: Invocation, c: OpenCaseRow, f: StuckFinding | undefined): number | null {
  return f ? (env.ctx.org.stuck[c.service][f.rule] ?? 0) + f.days : null;
}

function row(env: Invocation, c: OpenCaseRow, columns: readonly WhiteboardColumn[]): WhiteboardRow {
  const { org } = env.ctx;
  const dashboard = org.dashboards[c.service];
  const findings = stuckFor(org, c, env.today);
  const points = stuckElements(findings, c.states, dashboard);
  const cells = columns.map(({ element }): CellStatus => {
    // Recorded counts as done even off the case's own dashboard, as the overview shows its date.
    if ((c.states[element]?.count ?? 0) > 0) return "done";
    if (!elementColumn(dashboard, element)) return "na";
    return points.has(element) ? "stuck" : "missing";
  });
  return {
    caseId: c.id,
    child: nameCell(c, env.today, env.names),
    dashboard: c.service,
    service: null,
    cells,
    stuck: findings.length > 0,
    quietDays: daysSince(
      env,
      c,
      findings.find((f) => f.rule === "no-activity"),
    ),
    scaleDays: points.has("safety-scale")
      ? null
      : daysSince(
          env,
          c,
          findings.find((f) => f.rule === "no-recent-scale"),
        ),
    neverRated:
      elementColumn(dashboard, "safety-scale") !== undefined && (c.states["safety-scale"]?.count ?? 0) === 0,
  };
}

/** A case's service in a word or two, for the rows of a child with cases on several dashboards. */
const SERVICE_WORDS: Readonly<Record<ServiceSlug, string>> = {
  "statutory-cp": "Child protection",
  "family-support": "Family support",
  voluntary: "Voluntary",
};

/** The same child on several dashboards: same name and date of birth (or, without one, same age). */
function childKey(c: OpenCaseRow, today: IsoDate): string {
  return `${c.childName.trim().toLowerCase()}|${c.dob ?? `age ${currentAge(c, today)}`}`;
}

/**
 * A team's whiteboard as of `env.today`: its open cases (or the ones given, already loaded for the
 * digest) grouped by worker as `boardViews` groups them (the team's workers in config order, even with
 * no cases, then anyone else holding its cases, by name), each case against the elements. `env`
 * decides how children are named: a channel's env gives initials by default.
 */
export async function whiteboardModel(
  env: Invocation,
  teamId: string,
  cases?: readonly OpenCaseRow[],
): Promise<WhiteboardModel> {
  const { ctx } = env;
  const team = ctx.org.teams.find((t) => t.id === teamId);
  if (!team) throw new Error(`no team ${teamId} in the config`);
  const open = cases ?? (await loadBoard(env, { teamIds: [teamId] })).cases;
  const columns = whiteboardColumns(env);

  const holders = teamHolders(env, teamId);
  const listed = new Set(holders.map((h) => h.staffId));
  const byWorker = new Map<number, WhiteboardRow[]>();
  const extra = new Map<number, Holder>();
  const services = new Map<string, Set<string>>();
  for (const c of open) {
    const k = childKey(c, env.today);
    services.set(k, (services.get(k) ?? new Set()).add(c.service));
  }
  for (const c of open) {
    const several = (services.get(childKey(c, env.today))?.size ?? 0) > 1;
    const r = { ...row(env, c, columns), service: several ? SERVICE_WORDS[c.service] : null };
    const list = byWorker.get(c.workerId);
    if (list) list.push(r);
    else byWorker.set(c.workerId, [r]);
    if (!listed.has(c.workerId) && !extra.has(c.workerId))
      extra.set(c.workerId, { staffId: c.workerId, name: ctx.people.nameOf(c.workerId) });
  }
  const order = [...holders, ...[...extra.values()].sort((a, b) => a.name.localeCompare(b.name))];
  const groups = order.map((h) => ({
    worker: h.name,
    title: groupTitle(h.name),
    rows: byWorker.get(h.staffId) ?? [],
  }));

  const rows = groups.flatMap((g) => g.rows);
  const perColumn: ColumnCounts[] = columns.map((_, i) => {
    const n = { done: 0, missing: 0, stuck: 0, na: 0 };
    for (const r of rows) n[r.cells[i]!]++;
    return n;
  });
  return {
    teamId,
    team: team.name,
    title: `${team.name} whiteboard`,
    asOf: env.today,
    date: env.fmt(env.today),
    names: env.names,
    columns,
    groups,
    counts: {
      cases: rows.length,
      stuckCases: rows.filter((r) => r.stuck).length,
      stuckCells: perColumn.reduce((n, c) => n + c.stuck, 0),
      quiet: rows.filter((r) => r.quietDays !== null).length,
      scaleOverdue: rows.filter((r) => r.scaleDays !== null).length,
      columns: perColumn,
    },
  };
}

/**
 * The team's whiteboard as the digest shows it: names by the channel rule, full size for files and
 * compact for cards. Built only when a team digest is posted.
 */
export async function digestPictures(
  ctx: Ctx,
  teamId: string,
  renderer: PngRenderer,
): Promise<{ full: Picture; compact: Picture }> {
  // The model and its SVG (glyph outlines for every name: the long part) on a reader thread when the
  // server runs them; the PNG in the renderer's process either way.
  if (ctx.readers) {
    const { model, full, compact } = await ctx.readers.run("whiteboard", { teamId }, { background: true });
    const [a, b] = await Promise.all([
      whiteboardPngIsolated(model, "full", renderer, full),
      whiteboardPngIsolated(model, "compact", renderer, compact),
    ]);
    return { full: a, compact: b };
  }
  const model = await whiteboardModel(makeInvocation(ctx, OPERATOR, "digest", "channel"), teamId);
  const [full, compact] = await Promise.all([
    whiteboardPngIsolated(model, "full", renderer),
    whiteboardPngIsolated(model, "compact", renderer),
  ]);
  return { full, compact };
}
