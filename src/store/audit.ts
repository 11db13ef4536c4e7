import { and, asc, eq, gte, sql } from "drizzle-orm";
import type { Db } from "./open.ts";
import { type AuditRow, audit } from "./schema.ts";

export type AuditEntry = Omit<typeof audit.$inferInsert, "id">;

export interface AuditFilter {
  readonly caseId?: string;
  readonly actorId?: number;
  /** an ISO instant: lines at or after it */
  readonly since?: string;
  readonly limit?: number;
}

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

    /** Audit lines in order, narrowed to a case, a person and a first instant when given. */
    find(filter: AuditFilter): AuditRow[] {
      const where = [];
      if (filter.caseId !== undefined) where.push(eq(audit.caseId, filter.caseId));
      if (filter.actorId !== undefined) where.push(eq(audit.actorId, filter.actorId));
      if (filter.since !== undefined) where.push(gte(audit.at, filter.since));
      return db
        .select()
        .from(audit)
        .where(where.length ? and(...where) : undefined)
        .orderBy(asc(audit.id))
        .limit(filter.limit ?? 100_000)
        .all();
    },
  };
}
