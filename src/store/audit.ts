import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "./open.ts";
import { audit } from "./schema.ts";

export type AuditEntry = Omit<typeof audit.$inferInsert, "id">;

/** The who-did-what trail. Details hold ids and codes only: no child names, no notes. */
export function auditQueries(db: Db) {
  const insert = db
    .insert(audit)
    .values({
      at: sql.placeholder("at"),
      actorId: sql.placeholder("actorId"),
      surface: sql.placeholder("surface"),
      action: sql.placeholder("action"),
      caseId: sql.placeholder("caseId"),
      detail: sql.placeholder("detail"),
    })
    .prepare();

  return {
    record(e: AuditEntry): void {
      insert.run({
        at: e.at,
        actorId: e.actorId ?? null,
        surface: e.surface,
        action: e.action,
        caseId: e.caseId ?? null,
        detail: e.detail ?? {},
      });
    },

    forCase(caseId: string) {
      return db.select().from(audit).where(eq(audit.caseId, caseId)).orderBy(asc(audit.id)).all();
    },
  };
}
