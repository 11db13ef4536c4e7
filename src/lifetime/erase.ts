import { desc, eq } from "drizzle-orm";
import type { Store } from "../store/open.ts";
import { type CaseRow, cases, type ErasureRow, erasures } from "../store/schema.ts";

/**
 * The one sanctioned way a case's records leave the database (`sos retention --apply`, `sos erase`).
 * In one transaction: an erasure row is opened for the case (which is what lets the append-only
 * triggers allow that case's deletes, and only that case's), every row about the child is deleted,
 * the replies kept for platform retries that mention the case are blanked, an audit line says what
 * happened (ids and counts, no child data), and the erasure is finished. Anything failing on the way
 * undoes all of it.
 */

export interface EraseRequest {
  readonly caseId: string;
  readonly under: ErasureRow["under"];
  /** the rule that made it due, or the admin's reason: kept after the case is gone, so no child data */
  readonly reason: string;
  readonly by: number;
  readonly at: string;
  /**
   * Checked on the case as it is inside the transaction (retention: still closed and still due); a
   * sentence when it no longer holds, and nothing is removed.
   */
  readonly stillDue?: (row: CaseRow) => string | null;
}

export interface Erased {
  readonly caseId: string;
  readonly erasureId: number;
  readonly removed: Readonly<Record<RemovedKind, number>>;
}

export type RemovedKind =
  | "entries"
  | "caseEvents"
  | "allocations"
  | "auditLines"
  | "snoozes"
  | "nudges"
  | "retryReplies";

/** Why nothing was removed, in one sentence. */
export class NotErased extends Error {
  override name = "NotErased";
}

/** What a platform retry of a delivery gets once the reply it first got has been blanked. */
export const BLANKED_REPLY = JSON.stringify({
  ok: true,
  text: "That was done earlier. (What the reply said was removed with the case's records.)",
});

export function eraseCase(store: Store, req: EraseRequest): Erased {
  const { sqlite } = store;
  // Deleted rows are overwritten with zeros in the file rather than left in free pages.
  sqlite.pragma("secure_delete = ON");
  const erased = sqlite
    .transaction((): Erased => {
      const row = store.db.select().from(cases).where(eq(cases.id, req.caseId)).get();
      if (!row) throw new NotErased(`there is no case ${req.caseId}`);
      const why = req.stillDue?.(row);
      if (why) throw new NotErased(why);
      const open = sqlite.prepare("SELECT case_id FROM erasures WHERE finished_at IS NULL").get() as
        | { case_id: string }
        | undefined;
      if (open)
        throw new NotErased(
          `an erasure of case ${open.case_id} was left unfinished; nothing was removed (ask whoever runs the database to look at the erasures table)`,
        );
      const erasureId = Number(
        sqlite
          .prepare("INSERT INTO erasures (case_id, under, reason, by, started_at) VALUES (?, ?, ?, ?, ?)")
          .run(req.caseId, req.under, req.reason, req.by, req.at).lastInsertRowid,
      );
      const del = (sql: string) => sqlite.prepare(sql).run(req.caseId).changes;
      // Children before parents, for the foreign keys; one statement per table, so an undo and the
      // entry it undoes go together.
      const removed: Record<RemovedKind, number> = {
        nudges: del("DELETE FROM nudges_sent WHERE case_id = ?"),
        snoozes: del("DELETE FROM snoozes WHERE case_id = ?"),
        entries: del("DELETE FROM practice_events WHERE case_id = ?"),
        caseEvents: del("DELETE FROM case_events WHERE case_id = ?"),
        allocations: del("DELETE FROM allocations WHERE case_id = ?"),
        auditLines: del("DELETE FROM audit WHERE case_id = ? AND action <> 'erase'"),
        retryReplies: blankReplies(store, row),
      };
      del("DELETE FROM cases WHERE id = ?");
      sqlite
        .prepare(
          "INSERT INTO audit (at, actor_id, surface, action, case_id, detail) VALUES (?, ?, 'cli', 'erase', ?, ?)",
        )
        .run(req.at, req.by, req.caseId, JSON.stringify({ under: req.under, erasure: erasureId, removed }));
      sqlite
        .prepare("UPDATE erasures SET finished_at = ?, removed = ? WHERE id = ?")
        .run(req.at, JSON.stringify(removed), erasureId);
      return { caseId: req.caseId, erasureId, removed };
    })
    .immediate();
  // Old page images can sit in the WAL until it is checkpointed and reused; with nobody else reading
  // this truncates it now. Best effort: a server reading at this moment lets it finish later.
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  return erased;
}

/**
 * Replies kept for a week so a platform retry gets the same answer: those that mention the case or
 * the child (a name shorter than three letters is not matched: it would match anything) are blanked,
 * not deleted, so a retry still finds its delivery id and writes nothing twice.
 */
function blankReplies(store: Store, row: CaseRow): number {
  const byId = store.sqlite
    .prepare("UPDATE idempotency SET reply = ? WHERE instr(reply, ?) > 0")
    .run(BLANKED_REPLY, row.id).changes;
  const byName =
    row.childName.trim().length >= 3
      ? store.sqlite
          .prepare("UPDATE idempotency SET reply = ? WHERE instr(reply, ?) > 0 AND reply <> ?")
          .run(BLANKED_REPLY, row.childName.trim(), BLANKED_REPLY).changes
      : 0;
  return byId + byName;
}

/** Past erasures of a case id, newest first: to say a case is gone rather than that it never was. */
export function erasuresOf(store: Store, caseId: string): ErasureRow[] {
  return store.db.select().from(erasures).where(eq(erasures.caseId, caseId)).orderBy(desc(erasures.id)).all();
}
