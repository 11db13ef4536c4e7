import type { ErasureRow } from "../store/schema.ts";
import type { Erased, EraseRequest } from "./erase.ts";
import type { CaseHoldings } from "./subject-access.ts";

/**
 * What the lifetime commands (subject access, erasure, retention) need from the database beyond
 * `Records`: the rows about a case that no command reads, the erasure record, and the one erasure
 * path. One of these per store (`sqlite-lifetime.ts`, `store/pg/lifetime.ts`), so the commands
 * are written once and say the same on both.
 */
export interface LifetimeStore {
  /** reminders, snoozes, and the team digests posted for the teams given */
  extras(
    caseId: string,
    teamIds: readonly string[],
  ): Promise<Pick<CaseHoldings, "reminders" | "snoozes" | "teamRuns">>;
  /** past erasures of a case id, newest first: to say a case is gone rather than that it never was */
  erasuresOf(caseId: string): Promise<PastErasure[]>;
  /** the case's records removed, in one transaction (see `erase.ts`); `NotErased` when it cannot be */
  erase(req: EraseRequest): Promise<Erased>;
}

export type PastErasure = Pick<ErasureRow, "id" | "caseId" | "under" | "reason" | "startedAt" | "finishedAt">;
