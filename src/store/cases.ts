import type { Statement } from "better-sqlite3";
import { and, asc, desc, eq, getTableColumns, gte, inArray, sql } from "drizzle-orm";
import type { Store } from "./open.ts";
import { allocations, type CaseRow, cases } from "./schema.ts";

export type NewCase = typeof cases.$inferInsert;

/** Case rows and their allocation history. */
// Column name → row key, from the table's own definition; the two JSON columns are the only ones
// that need decoding (measured: the generic per-column decoder cost more than the query).
const columns = Object.entries(getTableColumns(cases)).map(([key, col]) => [col.name, key] as const);
const JSON_KEYS: ReadonlySet<string> = new Set(["abuseTypes", "states"] satisfies (keyof CaseRow)[]);

/** A raw `cases` row to the typed row, as the query builder would decode it. */
function toCaseRow(raw: Record<string, unknown>): CaseRow {
  const row: Record<string, unknown> = {};
  for (const [name, key] of columns) {
    const v = raw[name];
    row[key] = v !== null && v !== undefined && JSON_KEYS.has(key) ? JSON.parse(v as string) : (v ?? null);
  }
  return row as CaseRow;
}

export function caseQueries(store: Store) {
  const { db } = store;
  const streams = new Map<string, Statement>();
  const closedAll = store.sqlite.prepare("SELECT * FROM cases WHERE status = 'closed'");
  const byId = db
    .select()
    .from(cases)
    .where(eq(cases.id, sql.placeholder("id")))
    .prepare();

  // The dashboards' reads, prepared once (see idempotency.ts on why unprepared queries cost memory).
  const newestFirst = [desc(cases.openedOn), asc(cases.id)];
  const openAll = db
    .select()
    .from(cases)
    .where(eq(cases.status, "open"))
    .orderBy(...newestFirst)
    .prepare();
  const openOfWorker = db
    .select()
    .from(cases)
    .where(and(eq(cases.status, "open"), eq(cases.workerId, sql.placeholder("workerId"))))
    .orderBy(...newestFirst)
    .prepare();
  const openOfTeam = db
    .select()
    .from(cases)
    .where(and(eq(cases.status, "open"), eq(cases.teamId, sql.placeholder("teamId"))))
    .orderBy(...newestFirst)
    .prepare();

  return {
    get(id: string): CaseRow | undefined {
      return byId.get({ id });
    },

    insert(row: NewCase, assignedBy: number | null, at: string): void {
      db.insert(cases).values(row).run();
      db.insert(allocations)
        .values({
          caseId: row.id,
          workerId: row.workerId,
          teamId: row.teamId,
          fromOn: row.openedOn,
          assignedBy,
          assignedAt: at,
        })
        .run();
    },

    allocate(id: string, workerId: number, teamId: string, fromOn: string, by: number, at: string): void {
      db.update(cases).set({ workerId, teamId }).where(eq(cases.id, id)).run();
      db.insert(allocations)
        .values({ caseId: id, workerId, teamId, fromOn, assignedBy: by, assignedAt: at })
        .run();
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
      if (scope.workerId !== undefined) return openOfWorker.all({ workerId: scope.workerId });
      if (scope.teamIds === undefined) return openAll.all();
      if (scope.teamIds.length === 1) return openOfTeam.all({ teamId: scope.teamIds[0] });
      return db
        .select()
        .from(cases)
        .where(and(eq(cases.status, "open"), inArray(cases.teamId, [...scope.teamIds])))
        .orderBy(...newestFirst)
        .all();
    },

    /**
     * The same rows as `open`, streamed one at a time: for boards too big to hold at once (the agency
     * overview). Rows are mapped by the table's own column definitions, as the query builder would.
     */
    *eachOpen(scope: { workerId?: number; teamIds?: readonly string[] }): Generator<CaseRow> {
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
      const sql = `SELECT * FROM cases WHERE ${where.join(" AND ")} ORDER BY opened_on DESC, id`;
      let stmt = streams.get(sql);
      if (!stmt) {
        stmt = store.sqlite.prepare(sql);
        streams.set(sql, stmt);
      }
      for (const raw of stmt.iterate(...params)) yield toCaseRow(raw as Record<string, unknown>);
    },

    /** Cases closed on or after a day, in scope: for "closed this week" and coverage as it was. */
    closedSince(scope: { teamIds?: readonly string[] }, since: string): CaseRow[] {
      const where = [eq(cases.status, "closed"), gte(cases.closedOn, since)];
      if (scope.teamIds !== undefined) where.push(inArray(cases.teamId, [...scope.teamIds]));
      return db
        .select()
        .from(cases)
        .where(and(...where))
        .orderBy(desc(cases.closedOn), asc(cases.id))
        .all();
    },

    /** Every closed case with its outcome, streamed: for elements against outcomes. */
    *eachClosed(): Generator<CaseRow> {
      for (const raw of closedAll.iterate()) yield toCaseRow(raw as Record<string, unknown>);
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
