import { and, asc, eq, inArray } from "drizzle-orm";
import type { Store } from "../store/open.ts";
import { digestRuns, nudgesSent, snoozes } from "../store/schema.ts";
import { eraseCase, erasuresOf } from "./erase.ts";
import type { LifetimeStore } from "./lifetime-store.ts";

/** The lifetime commands' reads and the erasure path on the SQLite file. */
export function sqliteLifetime(store: Store): LifetimeStore {
  const { db } = store;
  return {
    async extras(caseId, teamIds) {
      const reminders = db
        .select({ week: nudgesSent.week, rule: nudgesSent.rule, staffId: nudgesSent.staffId })
        .from(nudgesSent)
        .where(eq(nudgesSent.caseId, caseId))
        .orderBy(asc(nudgesSent.week))
        .all();
      const snoozed = db
        .select({ until: snoozes.until, by: snoozes.by, at: snoozes.at })
        .from(snoozes)
        .where(eq(snoozes.caseId, caseId))
        .orderBy(asc(snoozes.id))
        .all();
      const teamRuns =
        teamIds.length === 0
          ? []
          : db
              .select()
              .from(digestRuns)
              .where(
                and(
                  eq(digestRuns.kind, "team"),
                  eq(digestRuns.status, "posted"),
                  inArray(digestRuns.scope, [...teamIds]),
                ),
              )
              .orderBy(asc(digestRuns.id))
              .all();
      return { reminders, snoozes: snoozed, teamRuns };
    },
    async erasuresOf(caseId) {
      return erasuresOf(store, caseId);
    },
    async erase(req) {
      return eraseCase(store, req);
    },
  };
}
