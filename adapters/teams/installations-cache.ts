import type { Clock } from "../../src/commands/clock.ts";
import type { Installations, Place } from "./conversations.ts";

/**
 * `Installations` that skip the store's `remember` when this process wrote that same place a moment
 * ago. Every Teams activity remembers where it came from (turn.ts); almost always nothing changed,
 * yet the store's upsert is still a write statement and a durable commit (synchronous=FULL) per
 * activity: ~10% of a message's main-thread CPU on SQLite, a round trip and a commit on PostgreSQL.
 *
 * Correctness rests on three rules, the same on both stores:
 * - A place is skipped only when what this turn brings could not change the row as this process
 *   last left it: the same kind and reference, no staff id or team id other than the one written
 *   (the store keeps a known one when a turn names none, and so does this). Anything else goes to
 *   the store, which decides as before.
 * - `forget` in this process drops the place, so a removed place that writes again is written.
 *   Another process can forget it too (a second instance on PostgreSQL, `sos digest run` on a
 *   refused post): this process does not see that, so an install activity (the app added again,
 *   `installing`) always goes to the store, and any place is asked again once `recheckMs` has passed
 *   since it was written. A reinstall therefore is written at once wherever it lands, and a row
 *   another process marked removed is put right within `recheckMs` of its next message.
 * - Bounded to `max` places (the least recently seen go first), so a flood of conversations does not
 *   grow it; a place that fell out is simply asked again.
 *
 * A Map kept in insertion order is the bound here, with the app's Clock for the age (tests move it):
 * lru-cache would do the same with its own clock, for a new dependency.
 */
export function rememberingInstallations(
  store: Installations,
  clock: Clock,
  opts: { max?: number; recheckMs?: number } = {},
): Installations {
  const max = opts.max ?? 10_000;
  const recheckMs = opts.recheckMs ?? 10 * 60_000;
  /** per place id: the row as this process last wrote it, and when */
  const written = new Map<string, Written>();

  return {
    ...store,
    async remember(place, staffId, at, how) {
      const now = clock.now().getTime();
      const last = written.get(place.id);
      if (!how?.installing && last && now - last.at < recheckMs && !changes(last, place, staffId)) {
        // Seen again: kept among the most recent.
        written.delete(place.id);
        written.set(place.id, last);
        return;
      }
      written.delete(place.id);
      await store.remember(place, staffId, at, how);
      written.set(place.id, {
        kind: place.kind,
        reference: JSON.stringify(place.reference),
        // What the row now holds: the store keeps a known staff member or team when a turn names none.
        staffId: staffId ?? last?.staffId ?? null,
        teamId: place.teamId ?? last?.teamId ?? null,
        at: now,
      });
      if (written.size > max) written.delete(written.keys().next().value as string);
    },

    async forget(id, at) {
      written.delete(id);
      await store.forget(id, at);
    },
  };
}

interface Written {
  readonly kind: Place["kind"];
  /** the reference as JSON: a different key order only costs one more ask of the store */
  readonly reference: string;
  readonly staffId: number | null;
  readonly teamId: string | null;
  /** the clock's milliseconds when it was written */
  readonly at: number;
}

/** Whether the store's upsert could change the row: its own condition (installations-sqlite.ts). */
function changes(last: Written, place: Place, staffId: number | null): boolean {
  return (
    place.kind !== last.kind ||
    (staffId !== null && staffId !== last.staffId) ||
    (place.teamId !== null && place.teamId !== last.teamId) ||
    JSON.stringify(place.reference) !== last.reference
  );
}
