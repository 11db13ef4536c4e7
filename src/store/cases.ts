import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "./open.ts";
import { allocations, type CaseRow, cases } from "./schema.ts";

export type NewCase = typeof cases.$inferInsert;

/** Case rows and their allocation history. */
export function caseQueries(db: Db) {
  const byId = db
    .select()
    .from(cases)
    .where(eq(cases.id, sql.placeholder("id")))
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
      const where = [eq(cases.status, "open")];
      if (scope.workerId !== undefined) where.push(eq(cases.workerId, scope.workerId));
      if (scope.teamIds !== undefined) where.push(inArray(cases.teamId, [...scope.teamIds]));
      return db
        .select()
        .from(cases)
        .where(and(...where))
        .orderBy(desc(cases.openedOn), asc(cases.id))
        .all();
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
