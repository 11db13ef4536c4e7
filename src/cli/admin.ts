import { UsageError } from "../app/boot.ts";
import type { Ctx } from "../app/context.ts";
import type { Actor } from "../domain/access.ts";
import type { Erased, RemovedKind } from "../lifetime/erase.ts";
import { notYetSynced } from "./setup.ts";

/**
 * `--as ADMIN` for the commands that remove or hand over a child's whole record (retention, erase,
 * subject-access export): an admin on the staff, named so the audit trail says who.
 */
export function requireAdmin(
  ctx: Ctx,
  command: string,
  email: string | undefined,
  /** the database as shown, for "not yet synced" (default: the SQLite file) */
  where?: string,
): Actor {
  if (email === undefined)
    throw new UsageError(
      `sos ${command} needs --as ADMIN-EMAIL: an admin, recorded in the audit trail as doing it`,
    );
  const unsynced = notYetSynced(ctx, "--as", email, where);
  if (unsynced) throw unsynced;
  const actor = ctx.people.byEmail(email);
  if (!actor) throw new UsageError(`--as ${email}: no staff member with that email`);
  if (actor.role !== "admin")
    throw new UsageError(
      `--as ${email}: ${actor.name} is a ${actor.role}; only an admin may run sos ${command}`,
    );
  return actor;
}

const WORDS: Readonly<Record<RemovedKind, [string, string]>> = {
  entries: ["entry", "entries"],
  caseEvents: [
    "record of a correction, move, close or reopen",
    "records of corrections, moves, closes and reopens",
  ],
  allocations: ["allocation", "allocations"],
  auditLines: ["audit line", "audit lines"],
  snoozes: ["snooze", "snoozes"],
  nudges: ["reminder record", "reminder records"],
  retryReplies: ["reply kept for retries (blanked)", "replies kept for retries (blanked)"],
};

/** "12 entries, 3 allocations and 9 audit lines": what went, counts only. */
export function removedText(removed: Erased["removed"]): string {
  const parts = (Object.keys(WORDS) as RemovedKind[])
    .filter((k) => removed[k] > 0)
    .map((k) => `${removed[k]} ${WORDS[k][removed[k] === 1 ? 0 : 1]}`);
  if (parts.length === 0) return "the case row only";
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}
