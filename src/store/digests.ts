import { and, asc, desc, eq, gte, lte, sql } from "drizzle-orm";
import type { DigestLedger, NewRun, Ownership, RunPatch } from "./ledger.ts";
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

export type { NewRun };

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

    /**
     * A new run, unless an unforced one of its slot stands or is being posted: the partial unique
     * index `digest_runs_one_claim` refuses it, and ON CONFLICT makes that a null, not an error.
     */
    claim(run: NewRun): number | null {
      return (
        db.insert(digestRuns).values(run).onConflictDoNothing().returning({ id: digestRuns.id }).get()?.id ??
        null
      );
    },

    /**
     * Marks a run posting for a new owner if it is still as read (status, owner, heartbeat): one
     * statement, so of two processes taking the same stopped run only one changes it. A failed run
     * made posting while another unforced run of its slot posts is refused by the unique index.
     */
    takeOver(run: Pick<DigestRunRow, "id" | "status" | "owner" | "heartbeatAt">, own: Ownership): boolean {
      try {
        const changed = db
          .update(digestRuns)
          .set({ ...own, status: "posting" })
          .where(
            and(
              eq(digestRuns.id, run.id),
              eq(digestRuns.status, run.status),
              sql`${digestRuns.owner} IS ${run.owner}`,
              sql`${digestRuns.heartbeatAt} IS ${run.heartbeatAt}`,
            ),
          )
          .run();
        return changed.changes === 1;
      } catch (e) {
        if (isUniqueViolation(e)) return false;
        throw e;
      }
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
      if (pairs.length === 0) return;
      // One statement: the week's cap is used up whole or not at all.
      db.insert(nudgesSent)
        .values(pairs.map((p) => ({ caseId: p.caseId, rule: p.rule, week, staffId, runId })))
        .onConflictDoNothing()
        .run();
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

    /** Staff with recorded leave covering a day. */
    awayAll(day: string): Set<number> {
      const rows = db
        .select({ staffId: leave.staffId })
        .from(leave)
        .where(and(lte(leave.fromOn, day), gte(leave.toOn, day)))
        .all();
      return new Set(rows.map((r) => r.staffId));
    },

    addLeave(staffId: number, fromOn: string, toOn: string, at: string): void {
      db.insert(leave).values({ staffId, fromOn, toOn, at }).run();
    },
  };
}

export type DigestQueries = ReturnType<typeof digestQueries>;

/** A unique index refused a write (better-sqlite3's error, perhaps wrapped by drizzle). */
function isUniqueViolation(e: unknown): boolean {
  for (let x: unknown = e; x instanceof Error; x = x.cause) {
    const code = (x as { code?: unknown }).code;
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return true;
  }
  return false;
}

/**
 * The ledger on the SQLite file: today's statements, each synchronous and its own transaction, as
 * the async port. One file is written by one process at a time, but a `sos digest run` beside the
 * app is a second process: the unique index and the conditional take-over keep them apart.
 */
export function sqliteLedger(q: DigestQueries): DigestLedger {
  const at = <T>(f: () => T): Promise<T> => {
    try {
      return Promise.resolve(f());
    } catch (e) {
      return Promise.reject(e);
    }
  };
  return {
    runs: (key) => at(() => q.runs(key)),
    claim: (run) => at(() => q.claim(run)),
    takeOver: (run, own) => at(() => q.takeOver(run, own)),
    get: (id) => at(() => q.get(id)),
    finish: (id, patch) => at(() => q.finish(id, patch)),
    unfinished: (kind, period) => at(() => q.unfinished(kind, period)),
    forgetViews: (before) => at(() => q.forgetViews(before)),
    heartbeat: (id, owner, when) => at(() => q.heartbeat(id, owner, when)),
    parts: (runId) => at(() => q.parts(runId)),
    partStarted: (p) => at(() => q.partStarted(p)),
    partAnswered: (id, answer, when) => at(() => q.partAnswered(id, answer, when)),
    recent: (limit) => at(() => q.recent(limit)),
    nudged: (week) => at(() => q.nudged(week)),
    recordNudges: (pairs, week, staffId, runId) => at(() => q.recordNudges(pairs, week, staffId, runId)),
    awayOn: (day) => at(() => q.awayAll(day)),
  };
}
