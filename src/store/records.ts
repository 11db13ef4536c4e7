import type { IsoDate } from "../domain/dates.ts";
import type { ElementKey } from "../domain/elements.ts";
import type { ElementState, LiveEvent } from "../domain/projection.ts";
import type { AuditEntry, AuditFilter } from "./audit.ts";
import type { NewCaseEvent } from "./case-events.ts";
import type { NewCase, OpenCaseRow } from "./cases.ts";
import type { CoverageCounts } from "./coverage.ts";
import type { OutcomeCoverage } from "./digest-reads.ts";
import type { NewEvent } from "./events.ts";
import type { AllocationRow, AuditRow, CaseEventRow, CaseRow, PracticeEventRow, StaffRow } from "./schema.ts";
import type { StuckCount, StuckRules } from "./stuck-since.ts";
import type { Transfer } from "./transfers.ts";

/**
 * The record as commands see it, whichever database holds it: reads that may wait, and one batch of
 * writes applied all-or-nothing. A command reads what it needs, decides without touching the store,
 * and hands back a `Change`: the writes and what must still hold for them to be right (the case as it
 * was read). The store applies the batch in one transaction and refuses it with `Conflict` when a
 * precondition no longer holds, so the command is decided again on what is there now.
 */
export interface Records {
  readonly reads: RecordReads;
  apply(change: Change, opts?: { idempotencyKey?: string; at?: string }): Promise<Applied>;
  /** the reply a delivery id already got, when it was carried out before */
  priorReply(idempotencyKey: string): Promise<unknown | undefined>;
  /**
   * The stuck-since writer's step (`src/store/stuck-since.ts`), for `sos start`'s writer
   * (`src/app/stuck-writer.ts`), never a command: under the rules of the moment, moves the
   * generation on if the config changed, then works out up to `batch` due open cases in one
   * transaction. Returns how many are still due after it (0: caught up).
   */
  refreshStuck(rules: StuckRules, batch: number): Promise<number>;
}

export type CaseScope = { workerId?: number; teamIds?: readonly string[] };

/** The live events of one element: what the duplicate check and the projection are folded from. */
export type LiveEntry = LiveEvent & { readonly recordedBy: number | null };

export interface RecordReads {
  case(id: string): Promise<CaseRow | undefined>;
  /** case ids in scope (every case, open or closed), for "did you mean" on a mistyped one */
  caseIds(scope: CaseScope): Promise<string[]>;
  /** open cases in scope, newest first as in the seed's tables */
  openCases(scope: CaseScope): Promise<CaseRow[]>;
  liveEntries(caseId: string, element: ElementKey): Promise<LiveEntry[]>;
  /**
   * A case and the live entries of one of its elements (`null`: none read), read together: what a
   * log decides on, in one round trip on PostgreSQL rather than two. Undefined when no such case.
   */
  caseAndLive(
    id: string,
    element: ElementKey | null,
  ): Promise<{ readonly case: CaseRow; readonly live: LiveEntry[] } | undefined>;
  event(id: number): Promise<PracticeEventRow | undefined>;
  retractionOf(id: number): Promise<PracticeEventRow | undefined>;
  /** the most recent entry this person typed that still stands (imported records are not theirs) */
  lastOwnLive(staffId: number): Promise<PracticeEventRow | undefined>;
  /** every event on a case, retractions included, oldest first */
  caseEvents(caseId: string): Promise<PracticeEventRow[]>;
  allocations(caseId: string): Promise<AllocationRow[]>;
  caseAudit(caseId: string): Promise<AuditRow[]>;
  /** the audit trail in order, narrowed as asked */
  audit(filter: AuditFilter): Promise<AuditRow[]>;
  /** corrections, moves, closes and reopens of a case, oldest first */
  caseHistory(caseId: string): Promise<CaseEventRow[]>;
  /** cases with a snooze running to `day` or later */
  snoozedOn(day: string): Promise<Set<string>>;
  /**
   * Agency-wide coverage as of a day: open cases per team and service, and per element how many
   * have it done. Kept as the record changes, so no case is read.
   */
  coverage(day: IsoDate): Promise<CoverageCounts>;
  /** per team, the open cases stuck on `day` under the rules, and those stuck since `raisedBy` or before */
  stuckCounts(rules: StuckRules, day: IsoDate, raisedBy: IsoDate): Promise<Map<string, StuckCount>>;
  /**
   * The agency's open cases stuck on `day`, longest stuck first: at least `limit` of them (all, when
   * fewer), and any stuck since the same day as the last of those.
   */
  longestStuck(rules: StuckRules, day: IsoDate, limit: number): Promise<CaseRow[]>;
  /**
   * The generation whose stored "stuck since" values (`CaseRow.stuckFor`) were worked out under
   * these rules; null when none was. A case whose `stuckFor` is it and whose `stuckSince` is null
   * or later than a day is not stuck on that day, without checking its rules.
   */
  stuckGeneration(rules: StuckRules): Promise<number | null>;

  // --- views-records: dashboards, App Home, the API's reads ---
  /**
   * The open cases in scope, in `openCases` order, handed to `visit` one at a time: one query, and
   * on SQLite streamed, so the agency's 20,000-case board never holds every row at once.
   */
  eachOpenCase(scope: CaseScope, visit: (c: OpenCaseRow) => void): Promise<void>;
  /** cases closed on or after `since`, in scope, latest closed first (then by id) */
  closedCasesSince(scope: Pick<CaseScope, "teamIds">, since: string): Promise<CaseRow[]>;
  /** every closed case, handed to `visit` one at a time (in no promised order) */
  eachClosedCase(visit: (c: CaseRow) => void): Promise<void>;
  /** every staff row, current and former (in no promised order) */
  staff(): Promise<StaffRow[]>;
  // --- cleanups: the erasure record ---
  /** when a case id was last removed under the retention policy (the erasure row keeps the id), if ever */
  retentionErasedAt(caseId: string): Promise<string | undefined>;
  // ── digest-perf: what the team digests and the agency summary read ──
  /** of the closed cases, per closing outcome: how many, and per element how many had it by their close */
  closedCoverage(): Promise<OutcomeCoverage>;
  /**
   * Coverage on each of `days` (answered in that order): per day, the cases open on it by their
   * dates (whatever their status now) per team and service, and per element how many had it done by
   * then (an entry counts from the day it happened, an undated one from always). Counted without
   * a case row: the agency summary's coverage and trend.
   */
  coverageOnDays(days: readonly IsoDate[]): Promise<CoverageCounts[]>;
  /** cases that came into or left a team by an allocation dated after `after` up to `upTo`, oldest first */
  transfers(teamId: string, after: IsoDate, upTo: IsoDate): Promise<Transfer[]>;
}

/** One write of a command's batch. Every write that names a case moves that case's version on. */
export type Write =
  | { readonly kind: "appendEvent"; readonly event: NewEvent }
  /**
   * Many entries at once (an import of practice history): appended in the order given, each affected
   * case's projection folded once after them all rather than once per entry. Each entry written is
   * numbered in `WrittenEntry` order, as single appends are.
   */
  | { readonly kind: "appendEvents"; readonly events: readonly NewEvent[] }
  | {
      readonly kind: "retract";
      readonly target: PracticeEventRow;
      readonly by: number;
      readonly at: string;
      readonly surface: string;
    }
  | { readonly kind: "openCase"; readonly row: NewCase; readonly by: number | null; readonly at: string }
  | {
      readonly kind: "allocate";
      readonly caseId: string;
      readonly workerId: number;
      readonly teamId: string;
      readonly fromOn: string;
      readonly by: number;
      readonly at: string;
    }
  | {
      readonly kind: "close";
      readonly caseId: string;
      readonly on: string;
      readonly outcome: string;
      readonly note: string | null;
    }
  | { readonly kind: "reopen"; readonly caseId: string }
  /** the case's own record: a correction, a move, a close or a reopen */
  | { readonly kind: "caseEvent"; readonly event: NewCaseEvent }
  /** the case row's fields as a correction or a move leaves them */
  | {
      readonly kind: "updateCase";
      readonly caseId: string;
      readonly set: Partial<Pick<CaseRow, CaseFields>>;
    }
  | {
      readonly kind: "snooze";
      readonly caseId: string;
      readonly until: string;
      readonly by: number;
      readonly at: string;
    }
  | {
      readonly kind: "leave";
      readonly staffId: number;
      readonly from: string;
      readonly to: string;
      readonly at: string;
    }
  /**
   * An audit line. `entryKey`: the detail key that takes the number of the entry written just before
   * it in the batch (an entry's number is known only once it is written).
   */
  | { readonly kind: "audit"; readonly entry: AuditEntry; readonly entryKey?: string };

/** The case row's fields a command may set directly (corrections, a move). */
export type CaseFields =
  | "childName"
  | "dob"
  | "ageAtOpening"
  | "openedOn"
  | "abuseTypes"
  | "service"
  | "serviceSince";

/** What must still be true when the batch is applied. */
export type Expect =
  /** the case is as it was read: nothing was written to it since */
  | { readonly kind: "caseVersion"; readonly caseId: string; readonly version: number }
  /** no case has this id yet */
  | { readonly kind: "noCase"; readonly caseId: string };

/** An entry a batch wrote (an append or a retraction): its number and the element's state after it. */
export interface WrittenEntry {
  readonly id: number;
  readonly state: ElementState;
}

export interface Change<R = unknown> {
  readonly writes: readonly Write[];
  readonly expect: readonly Expect[];
  /** the reply, once the entries are numbered; pure, called inside the transaction */
  reply(entries: readonly WrittenEntry[]): R;
}

export type Applied<R = unknown> =
  | { readonly repeated: false; readonly reply: R }
  /** the delivery id was carried out before: its first reply, and nothing written now */
  | { readonly repeated: true; readonly reply: unknown };

/** A precondition failed: someone wrote to the case between the read and the write. Decide again. */
export class Conflict extends Error {
  override name = "Conflict";
}

export function isChange(x: object): x is Change {
  return "writes" in x && "expect" in x && typeof (x as { reply?: unknown }).reply === "function";
}
