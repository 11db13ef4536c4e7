import { and, asc, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { PgStore } from "../store/pg/open.ts";
import {
  allocations,
  audit,
  caseEvents,
  cases,
  digestRuns,
  erasures,
  nudgesSent,
  practiceEvents,
  snoozes,
} from "../store/pg/schema.ts";
import { BLANKED_REPLY, type Erased, NotErased, type RemovedKind } from "./erase.ts";
import type { LifetimeStore } from "./lifetime-store.ts";

/**
 * The lifetime commands' reads and the erasure path on PostgreSQL: the same rows, in the same order,
 * and the same one transaction as on the SQLite file (`erase.ts`). The triggers of
 * `migrations-pg/0001_guarantees.sql` let a case's rows be deleted only while its erasure row is
 * open, and that row is visible to no other connection until this transaction commits finished:
 * an ordinary DELETE, here or anywhere, is still refused.
 */
export function pgLifetime(store: PgStore): LifetimeStore {
  const { db } = store;
  return {
    async extras(caseId, teamIds) {
      const [reminders, snoozed, teamRuns] = await Promise.all([
        db
          .select({ week: nudgesSent.week, rule: nudgesSent.rule, staffId: nudgesSent.staffId })
          .from(nudgesSent)
          .where(eq(nudgesSent.caseId, caseId))
          .orderBy(asc(nudgesSent.week)),
        db
          .select({ until: snoozes.until, by: snoozes.by, at: snoozes.at })
          .from(snoozes)
          .where(eq(snoozes.caseId, caseId))
          .orderBy(asc(snoozes.id)),
        teamIds.length === 0
          ? Promise.resolve([])
          : db
              .select({
                scope: digestRuns.scope,
                period: digestRuns.period,
                platform: digestRuns.platform,
                scheduledFor: digestRuns.scheduledFor,
                finishedAt: digestRuns.finishedAt,
              })
              .from(digestRuns)
              .where(
                and(
                  eq(digestRuns.kind, "team"),
                  eq(digestRuns.status, "posted"),
                  inArray(digestRuns.scope, [...teamIds]),
                ),
              )
              .orderBy(asc(digestRuns.id)),
      ]);
      return { reminders, snoozes: snoozed, teamRuns };
    },

    async erasuresOf(caseId) {
      return db.select().from(erasures).where(eq(erasures.caseId, caseId)).orderBy(desc(erasures.id));
    },

    async erase(req) {
      return db.transaction(async (tx): Promise<Erased> => {
        // Locked first: a command writing to the case waits for the erasure, then finds no case.
        const [row] = await tx.select().from(cases).where(eq(cases.id, req.caseId)).for("update");
        if (!row) throw new NotErased(`there is no case ${req.caseId}`);
        const why = req.stillDue?.(row);
        if (why) throw new NotErased(why);
        const [open] = await tx
          .select({ caseId: erasures.caseId })
          .from(erasures)
          .where(isNull(erasures.finishedAt));
        if (open)
          throw new NotErased(
            `an erasure of case ${open.caseId} was left unfinished; nothing was removed (ask whoever runs the database to look at the erasures table)`,
          );
        const [opened] = await tx
          .insert(erasures)
          .values({ caseId: req.caseId, under: req.under, reason: req.reason, by: req.by, startedAt: req.at })
          .returning({ id: erasures.id });
        if (!opened) throw new Error("the erasure row was not written");
        const erasureId = opened.id;
        const count = async (q: PromiseLike<{ rowCount: number | null }>) => (await q).rowCount ?? 0;
        // Children before parents, for the foreign keys; one statement per table, as on SQLite.
        const removed: Record<RemovedKind, number> = {
          nudges: await count(tx.delete(nudgesSent).where(eq(nudgesSent.caseId, req.caseId))),
          snoozes: await count(tx.delete(snoozes).where(eq(snoozes.caseId, req.caseId))),
          entries: await count(tx.delete(practiceEvents).where(eq(practiceEvents.caseId, req.caseId))),
          caseEvents: await count(tx.delete(caseEvents).where(eq(caseEvents.caseId, req.caseId))),
          allocations: await count(tx.delete(allocations).where(eq(allocations.caseId, req.caseId))),
          auditLines: await count(
            tx.delete(audit).where(and(eq(audit.caseId, req.caseId), ne(audit.action, "erase"))),
          ),
          retryReplies: await blankReplies(tx, row.id, row.childName),
        };
        await tx.delete(cases).where(eq(cases.id, req.caseId));
        await tx.insert(audit).values({
          at: req.at,
          actorId: req.by,
          surface: "cli",
          action: "erase",
          caseId: req.caseId,
          detail: { under: req.under, erasure: erasureId, removed },
        });
        await tx.update(erasures).set({ finishedAt: req.at, removed }).where(eq(erasures.id, erasureId));
        return { caseId: req.caseId, erasureId, removed };
      });
    },
  };
}

type Tx = Parameters<Parameters<PgStore["db"]["transaction"]>[0]>[0];

/**
 * As on SQLite: the replies kept for platform retries that mention the case id or the child's name
 * (three letters or more) are blanked, not deleted, so a retry still finds its delivery id.
 */
async function blankReplies(tx: Tx, caseId: string, childName: string): Promise<number> {
  const blank = (needle: string) =>
    tx.execute(
      sql`UPDATE idempotency SET reply = ${BLANKED_REPLY}::json
          WHERE strpos(reply::text, ${needle}) > 0 AND reply::text <> ${BLANKED_REPLY}`,
    );
  const byId = (await blank(caseId)).rowCount ?? 0;
  const name = childName.trim();
  const byName = name.length >= 3 ? ((await blank(name)).rowCount ?? 0) : 0;
  return byId + byName;
}
