import type { Request, Response, Router } from "express";
import { z } from "zod";
import type { Ctx } from "../commands/ctx.ts";
import { makeInvocation } from "../commands/invocation.ts";
import { dashboardFor, OPERATOR, stuckFor, type ViewScope } from "../commands/views.ts";
import { findTeam } from "../config/org.ts";
import type { Actor } from "../domain/access.ts";
import { canSeeCase } from "../domain/access.ts";
import { DASHBOARD_SLUGS, type DashboardSlug } from "../domain/dashboards.ts";
import { nameCell } from "../domain/names.ts";
import { dashboardJson } from "../render/json.ts";
import { clientMayTeam, clientOf, requireScope } from "./auth.ts";
import type { ApiClient } from "./clients.ts";
import { coverageData } from "./coverage.ts";
import { API_LIMITS } from "./limits.ts";
import { problem, sendProblem } from "./problems.ts";

/**
 * Who a client reads as: the operator (everything) when it has no team limit; otherwise a
 * supervisor of its teams, so the views' own rule (`canSeeCase`) keeps every other team's cases out.
 */
function viewer(client: ApiClient): Actor {
  if (client.teams.length === 0) return OPERATOR;
  return {
    staffId: -1,
    email: `api:${client.name}`,
    name: client.name,
    role: "supervisor",
    teams: client.teams,
  };
}

const one = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** `?team=` or `?worker=` (or neither: the agency, or the client's one team). */
function scopeOf(ctx: Ctx, client: ApiClient, req: Request): ViewScope | string {
  const team = one(req.query.team);
  const worker = one(req.query.worker);
  if (team !== undefined && worker !== undefined) return "Give team or worker, not both.";
  if (team !== undefined) {
    const t = findTeam(ctx.org, team);
    if (!t)
      return `There is no team "${team.slice(0, 80)}": the teams are ${ctx.org.teams.map((x) => x.id).join(", ")}.`;
    if (!clientMayTeam(client, t.id))
      return `The client ${client.name} is limited to ${client.teams.join(", ")}.`;
    return { kind: "team", teamId: t.id };
  }
  if (worker !== undefined) {
    const w = ctx.people.byEmail(worker);
    if (!w) return `worker "${worker.slice(0, 120)}" is not anyone on the staff list.`;
    return { kind: "worker", worker: w };
  }
  if (client.teams.length === 0) return { kind: "agency" };
  if (client.teams.length === 1) return { kind: "team", teamId: client.teams[0]! };
  return `The client ${client.name} is limited to ${client.teams.join(", ")}: say which with ?team=.`;
}

/** A cursor: the last case id of the page before, opaque to the client. */
const encode = (caseId: string) => Buffer.from(caseId, "utf8").toString("base64url");
const decode = (cursor: string) => Buffer.from(cursor, "base64url").toString("utf8");

function pageOf<T extends { caseId: string }>(
  items: readonly T[],
  req: Request,
): { items: T[]; next: string | null } | string {
  const limitText = one(req.query.limit);
  const limit = limitText === undefined ? API_LIMITS.page : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > API_LIMITS.page)
    return `limit must be a whole number from 1 to ${API_LIMITS.page}.`;
  const cursor = one(req.query.cursor);
  const after = cursor === undefined ? null : decode(cursor);
  // By case id, so a page boundary stays put while cases are added or change.
  const sorted = [...items].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  const rest = after === null ? sorted : sorted.filter((i) => i.caseId > after);
  const page = rest.slice(0, limit);
  return { items: page, next: rest.length > limit ? encode(page[page.length - 1]!.caseId) : null };
}

export const dashboardAnswer = z
  .object({
    dashboard: z.string(),
    title: z.string(),
    columns: z.array(z.string()),
    groups: z.array(
      z.object({
        worker: z.string(),
        title: z.string(),
        rows: z.array(z.object({ caseId: z.string(), cells: z.array(z.string()) })),
      }),
    ),
  })
  .describe("the stable JSON of sos dashboard --format json");

const finding = z.object({
  rule: z.string(),
  reason: z.string(),
  since: z.string(),
  sinceOn: z.string(),
  days: z.number(),
});

export const stuckPage = z
  .object({
    items: z.array(
      z.object({
        caseId: z.string(),
        child: z.string(),
        worker: z.string(),
        team: z.string(),
        dashboard: z.string(),
        findings: z.array(finding),
      }),
    ),
    next: z.string().nullable().describe("the cursor for the next page; null on the last"),
  })
  .describe("stuck cases, by case id");

export const caseRecord = z
  .object({
    caseId: z.string(),
    child: z.string().describe("as a channel shows it (initials by default)"),
    status: z.enum(["open", "closed"]),
    service: z.string(),
    teamId: z.string(),
    worker: z.string().nullable(),
    openedOn: z.string(),
    closedOn: z.string().nullable(),
    outcome: z.string().nullable(),
    abuseTypes: z.array(z.string()),
    entries: z.array(
      z.object({
        entryId: z.number(),
        element: z.string(),
        occurredOn: z.string().nullable(),
        value: z.number().nullable(),
        recordedBy: z.string().nullable(),
        recordedAt: z.string(),
        surface: z.string(),
        undone: z.boolean(),
        hasNote: z.boolean(),
      }),
    ),
    history: z.array(
      z.object({
        kind: z.string(),
        on: z.string(),
        at: z.string(),
        by: z.string().nullable(),
        surface: z.string(),
      }),
    ),
  })
  .describe("a case's row, entries and history: no notes, no full name");

/** The read routes: the views chat and `sos dashboard` show, with names as channels show them. */
export function readRoutes(router: Router, ctx: Ctx, log: (line: string) => void): void {
  const bad = (res: Response, detail: string) => sendProblem(res, problem("bad_request", detail));

  router.get("/dashboards/:slug", requireScope("dashboards:read", log), async (req, res) => {
    const slug = String(req.params.slug);
    if (!(DASHBOARD_SLUGS as readonly string[]).includes(slug)) {
      sendProblem(
        res,
        problem(
          "unknown_dashboard",
          `There is no dashboard "${slug.slice(0, 40)}": the dashboards are ${DASHBOARD_SLUGS.join(", ")}.`,
        ),
      );
      return;
    }
    const pinned = ctx.pin();
    const client = clientOf(res);
    const scope = scopeOf(pinned, client, req);
    if (typeof scope === "string") return bad(res, scope);
    const env = makeInvocation(pinned, viewer(client), `api:${client.name}`, "channel");
    const view = (await dashboardFor(env, scope, slug as DashboardSlug))[0]!;
    res.json(dashboardJson(view));
  });

  router.get("/stuck", requireScope("dashboards:read", log), async (req, res) => {
    const pinned = ctx.pin();
    const client = clientOf(res);
    const scope = scopeOf(pinned, client, req);
    if (typeof scope === "string") return bad(res, scope);
    const env = makeInvocation(pinned, viewer(client), `api:${client.name}`, "channel");
    const stuck = await stuckFor(env, scope, "Stuck");
    const page = pageOf(stuck.items, req);
    if (typeof page === "string") return bad(res, page);
    res.json({ items: page.items, next: page.next });
  });

  router.get("/coverage", requireScope("dashboards:read", log), async (req, res) => {
    const data = await coverageData(ctx.pin(), clientOf(res), one(req.query.from), one(req.query.to));
    if (typeof data === "string") return bad(res, data);
    res.json(data);
  });

  router.get("/cases/:id", requireScope("cases:read", log), async (req, res) => {
    const pinned = ctx.pin();
    const client = clientOf(res);
    const id = String(req.params.id);
    const c = await pinned.records.reads.case(id);
    // A case in a team the client may not read is answered as one that does not exist.
    if (!c || !canSeeCase(viewer(client), { workerId: c.workerId, teamId: c.teamId })) {
      sendProblem(res, problem("unknown_case", `There is no case ${id.slice(0, 40)} this client may read.`));
      return;
    }
    const env = makeInvocation(pinned, viewer(client), `api:${client.name}`, "channel");
    // Former staff too: an entry keeps the email of whoever recorded it after they leave.
    const emails = new Map((await pinned.records.reads.staff()).map((s) => [s.id, s.email]));
    const email = (staffId: number | null) => (staffId === null ? null : (emails.get(staffId) ?? null));
    const events = await pinned.records.reads.caseEvents(c.id);
    const undone = new Set(events.filter((e) => e.retractsId !== null).map((e) => e.retractsId));
    const history = await pinned.records.reads.caseHistory(c.id);
    // No notes and no full name: the record's detail stays in the case-recording system and the
    // subject-access export; this is what a channel may show.
    res.json({
      caseId: c.id,
      child: nameCell(c, env.today, env.names),
      status: c.status,
      service: c.service,
      teamId: c.teamId,
      worker: email(c.workerId),
      openedOn: c.openedOn,
      closedOn: c.closedOn,
      outcome: c.outcome,
      abuseTypes: c.abuseTypes,
      entries: events
        .filter((e) => e.retractsId === null)
        .map((e) => ({
          entryId: e.id,
          element: e.element,
          occurredOn: e.occurredOn,
          value: e.value,
          recordedBy: email(e.recordedBy),
          recordedAt: e.recordedAt,
          surface: e.surface,
          undone: undone.has(e.id),
          hasNote: e.note !== null,
        })),
      history: history.map((h) => ({
        kind: h.kind,
        on: h.on,
        at: h.at,
        by: email(h.by),
        surface: h.surface,
      })),
    });
  });
}
