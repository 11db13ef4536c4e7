import type { DigestPartRow, DigestRunRow, digestRuns } from "./schema.ts";

/**
 * The digest ledger as the digests see it, whichever database holds it (SQLite:
 * `sqliteLedger` in `digests.ts`; PostgreSQL: `pgLedger` in `pg/digests.ts`): each call one small
 * transaction, so several processes (two `sos start` on one PostgreSQL, a `sos digest run` beside
 * the app) can share it. What makes a slot posted once is not a lock held around a read and a
 * write but the database itself: a unique index on (kind, scope, period, platform) over the
 * unforced runs that stand or are being posted, claimed with `INSERT … ON CONFLICT DO NOTHING`, and
 * take-overs that only succeed when the run is still as the taker read it.
 */
export type RunKey = {
  readonly kind: "team" | "agency" | "nudge";
  readonly scope: string;
  readonly period: string;
  readonly platform: string;
};

export type NewRun = Omit<typeof digestRuns.$inferInsert, "id">;

export type RunPatch = Partial<
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

/** Who takes a run, and when (wall-clock instants: leases are about real processes). */
export type Ownership = Pick<DigestRunRow, "owner" | "ownedSince" | "heartbeatAt">;

/** A run as the taker read it: a take-over succeeds only if it is still so. */
export type AsRead = Pick<DigestRunRow, "id" | "status" | "owner" | "heartbeatAt">;

export type PartAnswer = { status: "sent"; ref: string } | { status: "refused" | "unknown"; error: string };

export interface DigestLedger {
  /** Every attempt for one digest on one platform, newest first. */
  runs(key: RunKey): Promise<DigestRunRow[]>;
  /**
   * A new run, posting, owned by the caller: its id, or null when an unforced run of the slot
   * already stands or is being posted (another process claimed it first). Forced runs never clash.
   */
  claim(run: NewRun): Promise<number | null>;
  /**
   * Takes over a run (a stopped one's, or a failed one to resume) and marks it posting: false when
   * it is no longer as read (another process took it first) or another unforced run of its slot is
   * posting now.
   */
  takeOver(run: AsRead, own: Ownership): Promise<boolean>;
  get(id: number): Promise<DigestRunRow | undefined>;
  finish(id: number, patch: RunPatch): Promise<void>;
  /** Runs of a kind and period that are posting or failed: what a catch-up may resume. */
  unfinished(kind: RunKey["kind"], period: string): Promise<DigestRunRow[]>;
  /** Forgets what runs started before `before` said, unless one is still posting. */
  forgetViews(before: string): Promise<void>;
  /** The process posting a run says it still is (only while it owns it). */
  heartbeat(id: number, owner: string, at: string): Promise<void>;
  /** Every send of every part of a run, in order. */
  parts(runId: number): Promise<DigestPartRow[]>;
  /** A send is starting: recorded first, so a stop before its answer leaves it known as unanswered. */
  partStarted(p: {
    runId: number;
    part: number;
    kind: "message" | "file";
    repeat: boolean;
    at: string;
  }): Promise<number>;
  /** The platform's answer to a send: accepted (with its reference), refused, or none in time. */
  partAnswered(id: number, answer: PartAnswer, at: string): Promise<void>;
  /** The latest runs, newest first: `sos digest status`. */
  recent(limit: number): Promise<DigestRunRow[]>;
  /** (case, rule) pairs already nudged about in an ISO week, as `"<case> <rule>"`. */
  nudged(week: string): Promise<Set<string>>;
  /** What a posted nudge used up of the week's cap, in one statement. */
  recordNudges(
    pairs: readonly { caseId: string; rule: string }[],
    week: string,
    staffId: number,
    runId: number,
  ): Promise<void>;
  /** Staff with recorded leave (`/sos away`) covering a day. */
  awayOn(day: string): Promise<Set<number>>;
}
