import { and, asc, desc, eq, gte, lte, sql } from "drizzle-orm";
import type { Db } from "./open.ts";
import {
  type DigestPartRow,
  type DigestRunRow,
  digestParts,
  digestRuns,
  leave,
  nudgesSent,
  snoozes,
} from "./schema.ts";

export type NewRun = Omit<typeof digestRuns.$inferInsert, "id">;

type RunPatch = Partial<
  Pick<
    DigestRunRow,
    | "status"
    | "attempts"
    | "finishedAt"
    | "error"
    | "detail"
    | "owner"
    | "ownedSince"
    | "heartbeatAt"
    | "partsTotal"
    | "view"
  >
>;

/**
 * The digest ledger (runs, and each send of each part), nudge caps, snoozes and leave. Each write
 * here is one statement, so each is its own small transaction unless the caller wraps several.
 */
export function digestQueries(db: Db) {
  const live = db
    .select()
    .from(digestRuns)
    .where(
      and(
        eq(digestRuns.kind, sql.placeholder("kind")),
        eq(digestRuns.scope, sql.placeholder("scope")),
        eq(digestRuns.period, sql.placeholder("period")),
        eq(digestRuns.platform, sql.placeholder("platform")),
      ),
    )
    .orderBy(desc(digestRuns.id))
    .prepare();

  return {
    /** Every attempt for one digest on one platform, newest first. */
    runs(key: { kind: string; scope: string; period: string; platform: string }): DigestRunRow[] {
      return live.all(key);
    },

    start(run: NewRun): number {
      return db.insert(digestRuns).values(run).returning({ id: digestRuns.id }).get()!.id;
    },

    get(id: number): DigestRunRow | undefined {
      return db.select().from(digestRuns).where(eq(digestRuns.id, id)).get();
    },

    finish(id: number, patch: RunPatch): void {
      db.update(digestRuns).set(patch).where(eq(digestRuns.id, id)).run();
    },

    /** Runs of a kind and period that are posting or failed: what a catch-up may resume. */
    unfinished(kind: string, period: string): DigestRunRow[] {
      return db
        .select()
        .from(digestRuns)
        .where(
          and(
            eq(digestRuns.kind, sql.placeholder("kind")),
            eq(digestRuns.period, sql.placeholder("period")),
            sql`${digestRuns.status} in ('posting', 'failed')`,
          ),
        )
        .orderBy(asc(digestRuns.id))
        .all({ kind, period });
    },

    /**
     * Forgets what runs started before `before` said, unless one is still posting: a failed run is
     * resumed only within its period (a week at most), and the ledger keeps no copy after that.
     */
    forgetViews(before: string): void {
      db.update(digestRuns)
        .set({ view: null })
        .where(
          and(
            sql`${digestRuns.view} IS NOT NULL`,
            sql`${digestRuns.startedAt} < ${before}`,
            sql`${digestRuns.status} <> 'posting'`,
          ),
        )
        .run();
    },

    /** The process posting a run says it still is. */
    heartbeat(id: number, owner: string, at: string): void {
      db.update(digestRuns)
        .set({ heartbeatAt: at })
        .where(and(eq(digestRuns.id, id), eq(digestRuns.owner, owner)))
        .run();
    },

    /** Every send of every part of a run, in order. */
    parts(runId: number): DigestPartRow[] {
      return db
        .select()
        .from(digestParts)
        .where(eq(digestParts.runId, runId))
        .orderBy(asc(digestParts.part), asc(digestParts.id))
        .all();
    },

    /** A send is starting: recorded first, so a stop before its answer leaves it known as unanswered. */
    partStarted(p: {
      runId: number;
      part: number;
      kind: "message" | "file";
      repeat: boolean;
      at: string;
    }): number {
      return db
        .insert(digestParts)
        .values({
          runId: p.runId,
          part: p.part,
          kind: p.kind,
          repeat: p.repeat,
          status: "sending",
          startedAt: p.at,
        })
        .returning({ id: digestParts.id })
        .get()!.id;
    },

    /** The platform's answer to a send: accepted (with its reference), refused, or none in time. */
    partAnswered(
      id: number,
      answer: { status: "sent"; ref: string } | { status: "refused" | "unknown"; error: string },
      at: string,
    ): void {
      db.update(digestParts)
        .set(
          answer.status === "sent"
            ? { status: "sent", ref: answer.ref, answeredAt: at }
            : { status: answer.status, error: answer.error, answeredAt: at },
        )
        .where(eq(digestParts.id, id))
        .run();
    },

    recent(limit: number): DigestRunRow[] {
      return db.select().from(digestRuns).orderBy(desc(digestRuns.id)).limit(limit).all();
    },

    /** (case, rule) pairs already nudged about in an ISO week. */
    nudged(week: string): Set<string> {
      const rows = db
        .select({ caseId: nudgesSent.caseId, rule: nudgesSent.rule })
        .from(nudgesSent)
        .where(eq(nudgesSent.week, week))
        .all();
      return new Set(rows.map((r) => `${r.caseId} ${r.rule}`));
    },

    recordNudges(
      pairs: readonly { caseId: string; rule: string }[],
      week: string,
      staffId: number,
      runId: number,
    ): void {
      for (const p of pairs) {
        db.insert(nudgesSent)
          .values({ caseId: p.caseId, rule: p.rule, week, staffId, runId })
          .onConflictDoNothing()
          .run();
      }
    },

    /** Cases snoozed on a day: ids whose latest snooze runs to that day or later. */
    snoozedOn(day: string): Set<string> {
      const rows = db.select({ caseId: snoozes.caseId }).from(snoozes).where(gte(snoozes.until, day)).all();
      return new Set(rows.map((r) => r.caseId));
    },

    snooze(caseId: string, until: string, by: number, at: string): void {
      db.insert(snoozes).values({ caseId, until, by, at }).run();
    },

    /** Whether a person has recorded leave covering a day. */
    awayOn(staffId: number, day: string): boolean {
      return (
        db
          .select({ id: leave.id })
          .from(leave)
          .where(and(eq(leave.staffId, staffId), lte(leave.fromOn, day), gte(leave.toOn, day)))
          .limit(1)
          .get() !== undefined
      );
    },

    addLeave(staffId: number, fromOn: string, toOn: string, at: string): void {
      db.insert(leave).values({ staffId, fromOn, toOn, at }).run();
    },
  };
}
