import { and, asc, desc, eq, gte, lte, sql } from "drizzle-orm";
import type { DigestLedger } from "../ledger.ts";
import type { DigestPartRow, DigestRunRow } from "../schema.ts";
import type { PgStore } from "./open.ts";
import { digestParts, digestRuns, leave, nudgesSent } from "./schema.ts";

/** A unique index refused a write: PostgreSQL's `unique_violation`, perhaps wrapped by drizzle. */
function isUniqueViolation(e: unknown): boolean {
  for (let x: unknown = e; x instanceof Error; x = x.cause) {
    if ((x as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

/**
 * The digest ledger on PostgreSQL: the same statements as on SQLite, each its own transaction
 * (autocommit on the pool). Several instances share it: the partial unique index
 * `digest_runs_one_claim` makes a slot's claim one `INSERT … ON CONFLICT DO NOTHING`, and a
 * take-over changes a run only if it is still as read, so of two instances one wins and the other
 * reads the winner's run.
 */
export function pgLedger(store: PgStore): DigestLedger {
  const { db } = store;
  // The tables mirror SQLite's column for column; the row types are the same shape.
  const run = (r: typeof digestRuns.$inferSelect): DigestRunRow => r;
  const part = (r: typeof digestParts.$inferSelect): DigestPartRow => r;
  return {
    async runs(key) {
      const rows = await db
        .select()
        .from(digestRuns)
        .where(
          and(
            eq(digestRuns.kind, key.kind),
            eq(digestRuns.scope, key.scope),
            eq(digestRuns.period, key.period),
            eq(digestRuns.platform, key.platform),
          ),
        )
        .orderBy(desc(digestRuns.id));
      return rows.map(run);
    },

    async claim(values) {
      const rows = await db
        .insert(digestRuns)
        .values(values)
        .onConflictDoNothing()
        .returning({ id: digestRuns.id });
      return rows[0]?.id ?? null;
    },

    async takeOver(was, own) {
      try {
        const rows = await db
          .update(digestRuns)
          .set({ ...own, status: "posting" })
          .where(
            and(
              eq(digestRuns.id, was.id),
              eq(digestRuns.status, was.status),
              sql`${digestRuns.owner} IS NOT DISTINCT FROM ${was.owner}`,
              sql`${digestRuns.heartbeatAt} IS NOT DISTINCT FROM ${was.heartbeatAt}`,
            ),
          )
          .returning({ id: digestRuns.id });
        return rows.length === 1;
      } catch (e) {
        if (isUniqueViolation(e)) return false;
        throw e;
      }
    },

    async get(id) {
      const rows = await db.select().from(digestRuns).where(eq(digestRuns.id, id));
      return rows[0] === undefined ? undefined : run(rows[0]);
    },

    async finish(id, patch) {
      await db.update(digestRuns).set(patch).where(eq(digestRuns.id, id));
    },

    async unfinished(kind, period) {
      const rows = await db
        .select()
        .from(digestRuns)
        .where(
          and(
            eq(digestRuns.kind, kind),
            eq(digestRuns.period, period),
            sql`${digestRuns.status} in ('posting', 'failed')`,
          ),
        )
        .orderBy(asc(digestRuns.id));
      return rows.map(run);
    },

    async forgetViews(before) {
      await db
        .update(digestRuns)
        .set({ view: null })
        .where(
          and(
            sql`${digestRuns.view} IS NOT NULL`,
            sql`${digestRuns.startedAt} < ${before}`,
            sql`${digestRuns.status} <> 'posting'`,
          ),
        );
    },

    async heartbeat(id, owner, at) {
      await db
        .update(digestRuns)
        .set({ heartbeatAt: at })
        .where(and(eq(digestRuns.id, id), eq(digestRuns.owner, owner)));
    },

    async parts(runId) {
      const rows = await db
        .select()
        .from(digestParts)
        .where(eq(digestParts.runId, runId))
        .orderBy(asc(digestParts.part), asc(digestParts.id));
      return rows.map(part);
    },

    async partStarted(p) {
      const rows = await db
        .insert(digestParts)
        .values({
          runId: p.runId,
          part: p.part,
          kind: p.kind,
          repeat: p.repeat,
          status: "sending",
          startedAt: p.at,
        })
        .returning({ id: digestParts.id });
      return rows[0]!.id;
    },

    async partAnswered(id, answer, at) {
      await db
        .update(digestParts)
        .set(
          answer.status === "sent"
            ? { status: "sent", ref: answer.ref, answeredAt: at }
            : { status: answer.status, error: answer.error, answeredAt: at },
        )
        .where(eq(digestParts.id, id));
    },

    async recent(limit) {
      const rows = await db.select().from(digestRuns).orderBy(desc(digestRuns.id)).limit(limit);
      return rows.map(run);
    },

    async nudged(week) {
      const rows = await db
        .select({ caseId: nudgesSent.caseId, rule: nudgesSent.rule })
        .from(nudgesSent)
        .where(eq(nudgesSent.week, week));
      return new Set(rows.map((r) => `${r.caseId} ${r.rule}`));
    },

    async recordNudges(pairs, week, staffId, runId) {
      if (pairs.length === 0) return;
      await db
        .insert(nudgesSent)
        .values(pairs.map((p) => ({ caseId: p.caseId, rule: p.rule, week, staffId, runId })))
        .onConflictDoNothing();
    },

    async awayOn(day) {
      const rows = await db
        .select({ staffId: leave.staffId })
        .from(leave)
        .where(and(lte(leave.fromOn, day), gte(leave.toOn, day)));
      return new Set(rows.map((r) => r.staffId));
    },
  };
}
