import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "./open.ts";
import { type CaseEventRow, caseEvents } from "./schema.ts";

export type NewCaseEvent = Omit<typeof caseEvents.$inferInsert, "id">;

/** Corrections, moves, closes and reopens of cases (append-only). */
export function caseEventQueries(db: Db) {
  const insert = db
    .insert(caseEvents)
    .values({
      caseId: sql.placeholder("caseId"),
      kind: sql.placeholder("kind"),
      on: sql.placeholder("on"),
      at: sql.placeholder("at"),
      by: sql.placeholder("by"),
      surface: sql.placeholder("surface"),
      detail: sql.placeholder("detail"),
    })
    .prepare();
  const forCase = db
    .select()
    .from(caseEvents)
    .where(eq(caseEvents.caseId, sql.placeholder("caseId")))
    .orderBy(asc(caseEvents.id))
    .prepare();
  return {
    append(e: NewCaseEvent): void {
      insert.run({ ...e, by: e.by ?? null });
    },
    forCase(caseId: string): CaseEventRow[] {
      return forCase.all({ caseId });
    },
  };
}
