import type { Statement } from "better-sqlite3";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Store } from "./open.ts";
import { allocations, type CaseRow, cases } from "./schema.ts";
import { decodeStates } from "./states-format.ts";

export type NewCase = typeof cases.$inferInsert;

/** Case rows and their allocation history. */
// The dashboards' reads go to the driver in raw (array) mode, each column named here and mapped by
// position: measured 2x faster than the query builder's object mapping for the agency's 20,000 rows,
// and a literal object keeps one shape for every row, where a loop over the columns did not.
export const SELECT_CASES = `SELECT id, child_name, dob, age_at_opening, opened_on, service, abuse_types, worker_id,
  team_id, status, closed_on, outcome, closing_note, states, created_at, created_by, version, service_since,
  stuck_since, stuck_for FROM cases`;

export type RawCase = [
  string,
  string,
  string | null,
  number | null,
  string,
  CaseRow["service"],
  string,
  number,
  string,
  CaseRow["status"],
  string | null,
  string | null,
  string | null,
  string,
  string,
  number | null,
  number,
  string | null,
  string | null,
  number | null,
];

/**
 * Abuse types by their stored text: an agency's cases hold a few dozen combinations, so each is
 * parsed once and the array shared (frozen: no reader may change another row's).
 */
const abuseByText = new Map<string, readonly string[]>();
const ABUSE_KEPT = 1_000;

function abuseTypesOf(text: string): readonly string[] {
  let a = abuseByText.get(text);
  if (a === undefined) {
    if (abuseByText.size >= ABUSE_KEPT) abuseByText.clear();
    a = Object.freeze(JSON.parse(text) as string[]);
    abuseByText.set(text, a);
  }
  return a;
}

/** A raw row (columns in `SELECT` order) to the typed row, as the query builder would decode it. */
export function toCaseRow(r: RawCase): CaseRow {
  return {
    id: r[0],
    childName: r[1],
    dob: r[2],
    ageAtOpening: r[3],
    openedOn: r[4],
    service: r[5],
    // Shared and frozen (`abuseTypesOf`); a reader that changed it would throw, not change another row.
    abuseTypes: abuseTypesOf(r[6]) as string[],
    workerId: r[7],
    teamId: r[8],
    status: r[9],
    closedOn: r[10],
    outcome: r[11],
    closingNote: r[12],
    states: decodeStates(r[13]),
    createdAt: r[14],
    createdBy: r[15],
    version: r[16],
    serviceSince: r[17],
    stuckSince: r[18],
    stuckFor: r[19],
  };
}

/**
 * An open case as a board reads it: the row without what only a closed case or the record's own
 * history holds (outcome, closing note, who made it and when, its version). The agency's boards
 * read 20,000 of these; leaving those five columns to SQLite took a third off the statement's
 * step (bench/profile.ts, raw better-sqlite3 over the synthetic agency: 92 -> 57 ms under load).
 */
export type OpenCaseRow = Omit<CaseRow, "outcome" | "closingNote" | "createdAt" | "createdBy" | "version">;

const SELECT_OPEN = `SELECT id, child_name, dob, age_at_opening, opened_on, service, abuse_types, worker_id,
  team_id, closed_on, states, service_since, stuck_since, stuck_for FROM cases`;

type RawOpenCase = [
  string,
  string,
  string | null,
  number | null,
  string,
  CaseRow["service"],
  string,
  number,
  string,
  string | null,
  string,
  string | null,
  string | null,
  number | null,
];

function toOpenCaseRow(r: RawOpenCase): OpenCaseRow {
  return {
    id: r[0],
    childName: r[1],
    dob: r[2],
    ageAtOpening: r[3],
    openedOn: r[4],
    service: r[5],
    // Shared and frozen; typed as the row's own for the views, which only read it.
    abuseTypes: abuseTypesOf(r[6]) as string[],
    workerId: r[7],
    teamId: r[8],
    // Every row read here is open (the statement's WHERE).
    status: "open",
    closedOn: r[9],
    states: decodeStates(r[10]),
    serviceSince: r[11],
    stuckSince: r[12],
    stuckFor: r[13],
  };
}

export function caseQueries(store: Store) {
  const { db } = store;
  const byId = db
    .select()
    .from(cases)
    .where(eq(cases.id, sql.placeholder("id")))
    .prepare();

  // Prepared once: an import opens 20,000 cases in one go, and building each insert anew made its
  // writing take 5.4 s (measured; 1.7 s prepared, on the same loaded machine).
  const insertCase = db
    .insert(cases)
    .values({
      id: sql.placeholder("id"),
      childName: sql.placeholder("childName"),
      dob: sql.placeholder("dob"),
      ageAtOpening: sql.placeholder("ageAtOpening"),
      openedOn: sql.placeholder("openedOn"),
      service: sql.placeholder("service"),
      abuseTypes: sql.placeholder("abuseTypes"),
      workerId: sql.placeholder("workerId"),
      teamId: sql.placeholder("teamId"),
      status: sql.placeholder("status"),
      closedOn: sql.placeholder("closedOn"),
      outcome: sql.placeholder("outcome"),
      closingNote: sql.placeholder("closingNote"),
      createdAt: sql.placeholder("createdAt"),
      createdBy: sql.placeholder("createdBy"),
      serviceSince: sql.placeholder("serviceSince"),
    })
    .prepare();
  const insertAllocation = db
    .insert(allocations)
    .values({
      caseId: sql.placeholder("caseId"),
      workerId: sql.placeholder("workerId"),
      teamId: sql.placeholder("teamId"),
      fromOn: sql.placeholder("fromOn"),
      assignedBy: sql.placeholder("assignedBy"),
      assignedAt: sql.placeholder("assignedAt"),
    })
    .prepare();

  const statements = new Map<string, Statement>();
  const bumpIf = store.sqlite.prepare("UPDATE cases SET version = version + 1 WHERE id = ? AND version = ?");
  const bump = store.sqlite.prepare("UPDATE cases SET version = version + 1 WHERE id = ?");
  const closedAll = store.sqlite.prepare(`${SELECT_CASES} WHERE status = 'closed'`).raw(true);

  /** Open cases in scope, newest first as in the seed's tables (Melli, opened 2016, above Mary, 2015). */
  function openQuery(scope: { workerId?: number; teamIds?: readonly string[] }, select = SELECT_CASES) {
    const where = ["status = 'open'"];
    const params: (string | number)[] = [];
    if (scope.workerId !== undefined) {
      where.push("worker_id = ?");
      params.push(scope.workerId);
    }
    if (scope.teamIds !== undefined) {
      where.push(`team_id IN (${scope.teamIds.map(() => "?").join(",") || "NULL"})`);
      params.push(...scope.teamIds);
    }
    const sql = `${select} WHERE ${where.join(" AND ")} ORDER BY opened_on DESC, id`;
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = store.sqlite.prepare(sql).raw(true);
      statements.set(sql, stmt);
    }
    return { stmt, params };
  }

  return {
    get(id: string): CaseRow | undefined {
      return byId.get({ id });
    },

    /**
     * Moves the case's version on; with `expected`, only when it is still at that version. False when
     * it was not (someone wrote to the case since it was read).
     */
    bumpVersion(id: string, expected: number | null): boolean {
      return (expected === null ? bump.run(id) : bumpIf.run(id, expected)).changes === 1;
    },

    insert(row: NewCase, assignedBy: number | null, at: string): void {
      insertCase.run({
        id: row.id,
        childName: row.childName,
        dob: row.dob ?? null,
        ageAtOpening: row.ageAtOpening ?? null,
        openedOn: row.openedOn,
        service: row.service,
        abuseTypes: row.abuseTypes,
        workerId: row.workerId,
        teamId: row.teamId,
        status: row.status ?? "open",
        closedOn: row.closedOn ?? null,
        outcome: row.outcome ?? null,
        closingNote: row.closingNote ?? null,
        createdAt: row.createdAt,
        createdBy: row.createdBy ?? null,
        serviceSince: row.serviceSince ?? null,
      });
      insertAllocation.run({
        caseId: row.id,
        workerId: row.workerId,
        teamId: row.teamId,
        fromOn: row.openedOn,
        assignedBy,
        assignedAt: at,
      });
    },

    allocate(id: string, workerId: number, teamId: string, fromOn: string, by: number, at: string): void {
      db.update(cases).set({ workerId, teamId }).where(eq(cases.id, id)).run();
      db.insert(allocations)
        .values({ caseId: id, workerId, teamId, fromOn, assignedBy: by, assignedAt: at })
        .run();
    },

    /** A correction or a move: the row shows the latest; the case event before it keeps the old. */
    update(id: string, set: Partial<NewCase>): void {
      if (Object.keys(set).length > 0) db.update(cases).set(set).where(eq(cases.id, id)).run();
    },

    close(id: string, on: string, outcome: string, note: string | null): void {
      db.update(cases)
        .set({ status: "closed", closedOn: on, outcome, closingNote: note })
        .where(eq(cases.id, id))
        .run();
    },

    /** The outcome of the earlier closing stays in the audit trail; the row shows the case as open again. */
    reopen(id: string): void {
      db.update(cases)
        .set({ status: "open", closedOn: null, outcome: null, closingNote: null })
        .where(eq(cases.id, id))
        .run();
    },

    allocations(id: string) {
      return db
        .select()
        .from(allocations)
        .where(eq(allocations.caseId, id))
        .orderBy(asc(allocations.id))
        .all();
    },

    /** Open cases in scope, newest first as in the seed's tables (Melli, opened 2016, above Mary, 2015). */
    open(scope: { workerId?: number; teamIds?: readonly string[] }): CaseRow[] {
      const { stmt, params } = openQuery(scope);
      return (stmt.all(...params) as RawCase[]).map(toCaseRow);
    },

    /**
     * The same rows as `open`, streamed one at a time: for boards too big to hold at once (the
     * agency overview), where each row becomes its cells and is let go.
     */
    *eachOpen(scope: { workerId?: number; teamIds?: readonly string[] }): Generator<CaseRow> {
      const { stmt, params } = openQuery(scope);
      for (const raw of stmt.iterate(...params)) yield toCaseRow(raw as RawCase);
    },

    /** `eachOpen` as boards read it: the same rows in the same order, without `OpenCaseRow`'s omissions. */
    *eachOpenForBoard(scope: { workerId?: number; teamIds?: readonly string[] }): Generator<OpenCaseRow> {
      const { stmt, params } = openQuery(scope, SELECT_OPEN);
      for (const raw of stmt.iterate(...params)) yield toOpenCaseRow(raw as RawOpenCase);
    },

    /** The same rows handed to `visit`: no generator between the statement and the board. */
    visitOpenForBoard(
      scope: { workerId?: number; teamIds?: readonly string[] },
      visit: (c: OpenCaseRow) => void,
    ) {
      const { stmt, params } = openQuery(scope, SELECT_OPEN);
      for (const raw of stmt.iterate(...params)) visit(toOpenCaseRow(raw as RawOpenCase));
    },

    /**
     * Cases closed on or after a day, in scope, latest closed first: for "closed this week" and
     * coverage as it was. A prepared raw statement, as `open`: every team digest asks, and building
     * the query anew each time cost more than running it (50 teams: ~60 ms a run, bench/profile.ts).
     */
    closedSince(scope: { teamIds?: readonly string[] }, since: string): CaseRow[] {
      const teams = scope.teamIds;
      const inTeams =
        teams === undefined ? "" : ` AND team_id IN (${teams.map(() => "?").join(",") || "NULL"})`;
      const sql = `${SELECT_CASES} WHERE status = 'closed' AND closed_on >= ?${inTeams} ORDER BY closed_on DESC, id`;
      let stmt = statements.get(sql);
      if (!stmt) {
        stmt = store.sqlite.prepare(sql).raw(true);
        statements.set(sql, stmt);
      }
      return (stmt.all(since, ...(teams ?? [])) as RawCase[]).map(toCaseRow);
    },

    /** Every closed case with its outcome, streamed: for elements against outcomes. */
    *eachClosed(): Generator<CaseRow> {
      for (const raw of closedAll.iterate()) yield toCaseRow(raw as RawCase);
    },

    /** Case ids someone may have meant, for "did you mean" on an unknown id. */
    ids(scope: { workerId?: number; teamIds?: readonly string[] }): string[] {
      const where = [];
      if (scope.workerId !== undefined) where.push(eq(cases.workerId, scope.workerId));
      if (scope.teamIds !== undefined) where.push(inArray(cases.teamId, [...scope.teamIds]));
      return db
        .select({ id: cases.id })
        .from(cases)
        .where(where.length ? and(...where) : undefined)
        .all()
        .map((r) => r.id);
    },
  };
}

export type CaseQueries = ReturnType<typeof caseQueries>;
