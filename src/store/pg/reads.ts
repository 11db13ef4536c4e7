import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  gte,
  inArray,
  isNotNull,
  isNull,
  ne,
  notExists,
  type Placeholder,
  type SQL,
  sql,
} from "drizzle-orm";
import type pg from "pg";
import type { IsoDate } from "../../domain/dates.ts";
import type { ElementKey } from "../../domain/elements.ts";
import type { CoverageCounts } from "../coverage.ts";
import { countOnDays, type DayCase } from "../coverage-days.ts";
import { type CountRow, toCoverageCounts } from "../digest-reads.ts";
import type { CaseScope, LiveEntry, RecordReads } from "../records.ts";
import type { CaseRow } from "../schema.ts";
import { SLOTS } from "../states-format.ts";
import type { StuckCount, StuckRules } from "../stuck-since.ts";
import { namedRows } from "./named.ts";
import type { PgDb } from "./open.ts";
import {
  allocations,
  audit,
  caseEvents,
  cases,
  derived,
  erasures,
  practiceEvents,
  snoozes,
  staff,
  teamCoverage,
} from "./schema.ts";

const notRetracted = notExists(
  sql`(SELECT 1 FROM ${practiceEvents} AS retraction WHERE retraction.retracts_id = ${practiceEvents.id})`,
);

// Case ids break ties byte by byte, as SQLite compares text, whatever the database's collation.
const byIdBytes = sql`${cases.id} COLLATE "C"`;

function scoped(scope: CaseScope): SQL[] {
  const where: SQL[] = [];
  if (scope.workerId !== undefined) where.push(eq(cases.workerId, scope.workerId));
  if (scope.teamIds !== undefined)
    where.push(scope.teamIds.length ? inArray(cases.teamId, [...scope.teamIds]) : sql`false`);
  return where;
}

/**
 * The views' reads are sent prepared, one statement a shape of scope (every case, a worker's, some
 * teams', both): a connection plans each once, and each shape keeps the plan for the index it can
 * use. Measured on the demo agency, an open-cases read was 0.9 ms sent as text through the query
 * builder against 0.4 ms prepared (bench/pg.ts; the server's parse and plan and the builder's work).
 */
type ScopeShape = "all" | "worker" | "teams" | "both";

function shapeOf(scope: CaseScope): ScopeShape {
  if (scope.workerId !== undefined) return scope.teamIds !== undefined ? "both" : "worker";
  return scope.teamIds !== undefined ? "teams" : "all";
}

/** A shape's conditions, with its placeholders (`worker`, `teams`). */
function shapeWhere(shape: ScopeShape): SQL[] {
  const where: SQL[] = [];
  if (shape === "worker" || shape === "both") where.push(eq(cases.workerId, sql.placeholder("worker")));
  if (shape === "teams" || shape === "both")
    where.push(sql`${cases.teamId} = ANY(${sql.placeholder("teams")}::text[])`);
  return where;
}

/** A scope's values for its shape's placeholders. */
function scopeValues(scope: CaseScope): Record<string, unknown> {
  return {
    ...(scope.workerId !== undefined ? { worker: scope.workerId } : {}),
    ...(scope.teamIds !== undefined ? { teams: [...scope.teamIds] } : {}),
  };
}

/** One prepared statement a shape, made by `make` under the name `name_shape`. */
function byShape<P>(name: string, make: (where: SQL[], name: string) => P): Record<ScopeShape, P> {
  const shapes: ScopeShape[] = ["all", "worker", "teams", "both"];
  return Object.fromEntries(shapes.map((s) => [s, make(shapeWhere(s), `${name}_${s}`)])) as Record<
    ScopeShape,
    P
  >;
}

/** The live events of one element of a case: what its state is folded from. */
export function liveQuery(db: PgDb, caseId: string | Placeholder, element: ElementKey | Placeholder) {
  return db
    .select({
      id: practiceEvents.id,
      occurredOn: practiceEvents.occurredOn,
      value: practiceEvents.value,
      recordedBy: practiceEvents.recordedBy,
    })
    .from(practiceEvents)
    .where(
      and(
        eq(practiceEvents.caseId, caseId),
        eq(practiceEvents.element, element),
        isNull(practiceEvents.retractsId),
        notRetracted,
      ),
    )
    .orderBy(asc(practiceEvents.id));
}

/** Every live event of a case, for folding its whole projection at once. */
export function liveOfCaseQuery(db: PgDb, caseId: string) {
  return db
    .select({
      id: practiceEvents.id,
      element: practiceEvents.element,
      occurredOn: practiceEvents.occurredOn,
      value: practiceEvents.value,
    })
    .from(practiceEvents)
    .where(and(eq(practiceEvents.caseId, caseId), isNull(practiceEvents.retractsId), notRetracted))
    .orderBy(asc(practiceEvents.id));
}

/** The reads commands make, on PostgreSQL: the same answers, in the same order, as on SQLite. */
export function pgReads(db: PgDb, pool: pg.Pool): RecordReads {
  async function generation(rules: StuckRules): Promise<number | null> {
    const [m] = await db
      .select({ gen: derived.stuckGeneration, fp: derived.stuckFingerprint })
      .from(derived)
      .where(eq(derived.id, 1));
    return m && m.fp === rules.fingerprint ? m.gen : null;
  }
  const due = (gen: number | null) =>
    // Three ranges of the `cases_stuck` index, not `<>`, which no index serves: with the values kept
    // current, few are due, and they are found without reading every open case.
    gen === null
      ? sql`true`
      : sql`(${cases.stuckFor} IS NULL OR ${cases.stuckFor} < ${gen} OR ${cases.stuckFor} > ${gen})`;
  /** The open cases whose stored "stuck since" is not current under the rules: worked out here. */
  async function dueRows(gen: number | null): Promise<CaseRow[]> {
    return db
      .select()
      .from(cases)
      .where(and(eq(cases.status, "open"), due(gen)));
  }

  // A log's one read, prepared once per connection (it runs on every log): the case's row and,
  // gathered beside it in the same statement (one snapshot), the live entries of one element.
  const caseWithLive = db
    .select({
      ...getTableColumns(cases),
      live: sql<
        LiveEntry[] | null
      >`(SELECT json_agg(json_build_object('id', l.id, 'occurredOn', l.occurred_on,
          'value', l.value, 'recordedBy', l.recorded_by) ORDER BY l.id)
        FROM (${liveQuery(db, sql.placeholder("id"), sql.placeholder("element")).getSQL()}) AS l)`,
    })
    .from(cases)
    .where(eq(cases.id, sql.placeholder("id")))
    .prepare("sos_case_with_live");
  // Every command on a case starts with this read.
  const caseById = db
    .select()
    .from(cases)
    .where(eq(cases.id, sql.placeholder("id")))
    .prepare("sos_case");
  const caseAlone = db
    .select({ ...getTableColumns(cases), live: sql<LiveEntry[] | null>`NULL::json` })
    .from(cases)
    .where(eq(cases.id, sql.placeholder("id")))
    .prepare("sos_case_alone");

  // The open cases in a scope, newest first: the dashboards, App Home, stuck lists and digests.
  const openInScope = byShape("sos_open_cases", (where, name) =>
    db
      .select()
      .from(cases)
      .where(and(eq(cases.status, "open"), ...where))
      .orderBy(desc(cases.openedOn), byIdBytes)
      .prepare(name),
  );
  async function openRows(scope: CaseScope): Promise<CaseRow[]> {
    // No team at all is no case (an IN of nothing), not every case.
    if (scope.teamIds !== undefined && scope.teamIds.length === 0) return [];
    return openInScope[shapeOf(scope)].execute(scopeValues(scope));
  }
  // The kept coverage counts and the latest day anything happened, from one snapshot in one round
  // trip (`derived` has its one row from the first migration on; none read means count afresh).
  const keptCoverage = db
    .select({
      latest: derived.latestOn,
      teamId: teamCoverage.teamId,
      service: teamCoverage.service,
      element: teamCoverage.element,
      cases: teamCoverage.cases,
    })
    .from(derived)
    .leftJoin(teamCoverage, ne(teamCoverage.cases, 0))
    .where(eq(derived.id, 1))
    .prepare("sos_kept_coverage");

  return {
    async case(id) {
      const [row] = await caseById.execute({ id });
      return row;
    },
    async caseIds(scope) {
      const rows = await db
        .select({ id: cases.id })
        .from(cases)
        .where(and(...scoped(scope)));
      return rows.map((r) => r.id);
    },
    async openCases(scope) {
      return openRows(scope);
    },
    async liveEntries(caseId, element) {
      return liveQuery(db, caseId, element);
    },
    async caseAndLive(id, element) {
      const [row] =
        element === null ? await caseAlone.execute({ id }) : await caseWithLive.execute({ id, element });
      if (!row) return undefined;
      const { live, ...c } = row;
      return { case: c, live: live ?? [] };
    },
    async event(id) {
      const [row] = await db.select().from(practiceEvents).where(eq(practiceEvents.id, id));
      return row;
    },
    async retractionOf(id) {
      const [row] = await db.select().from(practiceEvents).where(eq(practiceEvents.retractsId, id));
      return row;
    },
    async lastOwnLive(staffId) {
      const [row] = await db
        .select()
        .from(practiceEvents)
        .where(
          and(
            eq(practiceEvents.recordedBy, staffId),
            // Imported records (the paper dashboard) are not "my last entry".
            ne(practiceEvents.surface, "import"),
            isNull(practiceEvents.retractsId),
            notRetracted,
          ),
        )
        .orderBy(desc(practiceEvents.id))
        .limit(1);
      return row;
    },
    async caseEvents(caseId) {
      return db
        .select()
        .from(practiceEvents)
        .where(eq(practiceEvents.caseId, caseId))
        .orderBy(asc(practiceEvents.id));
    },
    async allocations(caseId) {
      return db.select().from(allocations).where(eq(allocations.caseId, caseId)).orderBy(asc(allocations.id));
    },
    async caseAudit(caseId) {
      return db.select().from(audit).where(eq(audit.caseId, caseId)).orderBy(asc(audit.id));
    },
    async audit(filter) {
      const where: SQL[] = [];
      if (filter.caseId !== undefined) where.push(eq(audit.caseId, filter.caseId));
      if (filter.actorId !== undefined) where.push(eq(audit.actorId, filter.actorId));
      if (filter.since !== undefined) where.push(gte(audit.at, filter.since));
      return db
        .select()
        .from(audit)
        .where(and(...where))
        .orderBy(asc(audit.id))
        .limit(filter.limit ?? 100_000);
    },
    async caseHistory(caseId) {
      return db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.id));
    },
    async snoozedOn(day) {
      const rows = await db.select({ caseId: snoozes.caseId }).from(snoozes).where(gte(snoozes.until, day));
      return new Set(rows.map((r) => r.caseId));
    },

    async coverage(day): Promise<CoverageCounts> {
      const kept = await keptCoverage.execute();
      const last = kept[0]?.latest ?? null;
      // The kept counts, unless some entry happened after `day`: then counted afresh from the cases,
      // an entry counting from the day it happened (an undated one from always).
      const rows =
        kept.length > 0 && (last === null || last <= day)
          ? kept.flatMap((r) =>
              r.teamId === null || r.service === null || r.element === null || r.cases === null
                ? []
                : [{ teamId: r.teamId, service: r.service, element: r.element, cases: r.cases }],
            )
          : (
              await db.execute<{ teamId: string; service: string; element: number; cases: number }>(sql`
                SELECT team_id AS "teamId", service, -1 AS element, count(*)::integer AS cases
                FROM cases WHERE status = 'open' GROUP BY team_id, service
                UNION ALL
                SELECT c.team_id, c.service, (j.ord - 1)::integer, count(*)::integer
                FROM cases c,
                  jsonb_array_elements(CASE WHEN jsonb_typeof(c.states::jsonb) = 'array'
                    THEN c.states::jsonb ELSE '[]'::jsonb END) WITH ORDINALITY AS j(v, ord)
                WHERE c.status = 'open' AND jsonb_typeof(j.v) = 'array'
                  AND (jsonb_typeof(j.v -> 1) IS DISTINCT FROM 'string' OR (j.v ->> 1) <= ${day})
                GROUP BY c.team_id, c.service, j.ord`)
            ).rows;
      const open: CoverageCounts["open"][number][] = [];
      const done: CoverageCounts["done"][number][] = [];
      for (const r of rows) {
        if (r.element === -1) open.push({ teamId: r.teamId, service: r.service, cases: r.cases });
        else {
          const element = SLOTS[r.element];
          if (element) done.push({ teamId: r.teamId, service: r.service, element, cases: r.cases });
        }
      }
      return { open, done };
    },

    async stuckCounts(rules, day, raisedBy) {
      const gen = await generation(rules);
      const out = new Map<string, StuckCount>();
      if (gen !== null) {
        const counted = await db
          .select({
            teamId: cases.teamId,
            stuck: sql<number>`count(*)::integer`,
            raised: sql<number>`count(*) FILTER (WHERE ${cases.stuckSince} <= ${raisedBy})::integer`,
          })
          .from(cases)
          .where(and(eq(cases.status, "open"), eq(cases.stuckFor, gen), sql`${cases.stuckSince} <= ${day}`))
          .groupBy(cases.teamId);
        for (const r of counted) out.set(r.teamId, { stuck: r.stuck, raised: r.raised });
      }
      for (const c of await dueRows(gen)) {
        const since = rules.since(c);
        if (since === null || since > day) continue;
        const t = out.get(c.teamId) ?? { stuck: 0, raised: 0 };
        out.set(c.teamId, { stuck: t.stuck + 1, raised: t.raised + (since <= raisedBy ? 1 : 0) });
      }
      return out;
    },

    stuckGeneration: generation,

    async longestStuck(rules, day, limit) {
      const gen = await generation(rules);
      const dueStuck = (await dueRows(gen)).filter((c) => {
        const since = rules.since(c);
        return since !== null && since <= day;
      });
      if (gen === null) return dueStuck;
      const known = and(eq(cases.status, "open"), eq(cases.stuckFor, gen));
      const [cut] = await db
        .select({ since: cases.stuckSince })
        .from(cases)
        .where(and(known, sql`${cases.stuckSince} <= ${day}`))
        .orderBy(asc(cases.stuckSince))
        .limit(1)
        .offset(Math.max(0, limit - 1));
      const upTo = cut?.since ?? day;
      const longest = await db
        .select()
        .from(cases)
        .where(and(known, sql`${cases.stuckSince} <= ${upTo}`))
        .orderBy(asc(cases.stuckSince), byIdBytes);
      return [...longest, ...dueStuck];
    },

    // --- views-records: dashboards, App Home, the API's reads ---
    async eachOpenCase(scope, visit) {
      // One query; node-postgres hands the rows over at once (no cursor), so they are held until
      // visited: the wait is on the server, and the rows are what `openCases` would return anyway.
      for (const c of await openRows(scope)) visit(c);
    },
    async closedCasesSince(scope, since) {
      return db
        .select()
        .from(cases)
        .where(and(eq(cases.status, "closed"), gte(cases.closedOn, since), ...scoped(scope)))
        .orderBy(desc(cases.closedOn), byIdBytes);
    },
    async eachClosedCase(visit) {
      for (const c of await db.select().from(cases).where(eq(cases.status, "closed"))) visit(c);
    },
    async staff() {
      return db.select().from(staff);
    },
    // --- cleanups: the erasure record ---
    async retentionErasedAt(caseId) {
      const [row] = await db
        .select({ at: erasures.finishedAt })
        .from(erasures)
        .where(
          and(eq(erasures.caseId, caseId), eq(erasures.under, "retention"), isNotNull(erasures.finishedAt)),
        )
        .orderBy(desc(erasures.id))
        .limit(1);
      return row?.at ?? undefined;
    },
    // ── digest-perf: what the team digests and the agency summary read (raw SQL, sent prepared) ──
    async closedCoverage() {
      const rows = await namedRows<{
        outcome: string | null;
        teamId: string;
        service: string;
        slot: number;
        cases: number;
      }>(
        pool,
        sql`
        SELECT outcome, team_id AS "teamId", service, -1 AS slot, count(*)::integer AS cases
        FROM cases WHERE status = 'closed' GROUP BY outcome, team_id, service
        UNION ALL
        SELECT c.outcome, c.team_id, c.service, (j.ord - 1)::integer, count(*)::integer
        FROM cases c,
          jsonb_array_elements(CASE WHEN jsonb_typeof(c.states::jsonb) = 'array'
            THEN c.states::jsonb ELSE '[]'::jsonb END) WITH ORDINALITY AS j(v, ord)
        WHERE c.status = 'closed' AND jsonb_typeof(j.v) = 'array'
          AND (jsonb_typeof(j.v -> 1) IS DISTINCT FROM 'string' OR (j.v ->> 1) <= c.closed_on)
        GROUP BY c.outcome, c.team_id, c.service, j.ord`,
      );
      const by = new Map<string | null, CountRow[]>();
      for (const r of rows) {
        const list = by.get(r.outcome) ?? [];
        list.push(r);
        by.set(r.outcome, list);
      }
      return [...by].map(([outcome, list]) => ({ outcome, counts: toCoverageCounts(list) }));
    },
    async coverageOnDays(days) {
      if (days.length === 0) return [];
      const first = [...days].sort()[0]!;
      // The same count as on SQLite (`countOnDays`, coverage-days.ts) over the same five columns:
      // the column holds the same compact text. Counting per day in SQL joined every element of
      // every case to every day and sorted the 1.6 million rows: 9–12 s for 20,000 cases (loaded
      // host), against one sequential scan here.
      const { rows } = await db.execute<{
        team_id: string;
        service: string;
        opened_on: IsoDate;
        closed_on: IsoDate | null;
        states: string;
      }>(sql`
        SELECT team_id, service, opened_on, closed_on, states FROM cases
        WHERE status = 'open' OR (status = 'closed' AND closed_on > ${first})`);
      return countOnDays(
        rows.map((r): DayCase => [r.team_id, r.service, r.opened_on, r.closed_on, r.states]),
        days,
      );
    },
    async transfers(teamId, after, upTo) {
      // As on SQLite (`transfers.ts`): the window's allocations by the from_on index, each with the
      // team of the case's allocation before it.
      return namedRows<{ caseId: string; fromTeam: string; toTeam: string; on: string }>(
        pool,
        sql`
        SELECT case_id AS "caseId", from_team AS "fromTeam", to_team AS "toTeam", from_on AS "on"
        FROM (SELECT a.id, a.case_id, a.team_id AS to_team, a.from_on,
                     (SELECT p.team_id FROM allocations p WHERE p.case_id = a.case_id AND p.id < a.id
                      ORDER BY p.id DESC LIMIT 1) AS from_team
              FROM allocations a WHERE a.from_on > ${after} AND a.from_on <= ${upTo}) w
        WHERE from_team IS NOT NULL AND from_team <> to_team AND (from_team = ${teamId} OR to_team = ${teamId})
        ORDER BY from_on, id`,
      );
    },
  };
}
