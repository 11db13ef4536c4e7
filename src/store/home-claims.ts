import { sql } from "drizzle-orm";
import type { Db } from "./open.ts";
import { homeRefreshes as h } from "./schema.ts";

/**
 * What a refresh after a change is told: publish now (this caller has the window), wait (published
 * within the window, by this instance or another: try again a window on), or unseen (the person has
 * not opened their Home within `viewingMs`: nobody is looking, so nothing is built; their next open
 * publishes it fresh).
 */
export type HomeClaim = "publish" | "wait" | "unseen";

/**
 * Whose App Home is being looked at, and who may publish it now, across every instance on the
 * database. `opened` records that Slack said the person opened their Home (`app_home_opened`, sent
 * each time they enter it). `claim` says "publish" to one caller per window and only for a person
 * who opened it within `viewingMs`, moving their last publish to `atMs` when it does: one
 * conditional write, so two instances asking at once cannot both be told to publish.
 */
export interface HomeClaims {
  opened(slackUserId: string, atMs: number): Promise<void>;
  claim(slackUserId: string, atMs: number, windowMs: number, viewingMs: number): Promise<HomeClaim>;
}

/** The claim the row as read gives: only called when the conditional write did not win. */
export function claimOf(openedAt: number | null | undefined, atMs: number, viewingMs: number): HomeClaim {
  return openedAt != null && openedAt > atMs - viewingMs ? "wait" : "unseen";
}

/**
 * The claims kept in this process: what SQLite's `sos start` uses. One server holds a SQLite file
 * (its server lock), so there is no other instance to share them with, and kept in the file each
 * open and each claim won was a commit of its own, synced (`synchronous = FULL`) on the main thread:
 * 6–8 ms an open under the bench's load (CPU profile), for data that needs no durability. A restart
 * forgets who is looking: their Home is refreshed again from their next open or press on it. The
 * map holds one entry per person who opened their Home: at most the staff.
 */
export function memoryHomeClaims(): HomeClaims {
  const people = new Map<string, { openedAt: number; lastAt: number }>();
  return {
    async opened(slackUserId, atMs) {
      const p = people.get(slackUserId);
      if (p) p.openedAt = atMs;
      else people.set(slackUserId, { openedAt: atMs, lastAt: 0 });
    },
    async claim(slackUserId, atMs, windowMs, viewingMs) {
      const p = people.get(slackUserId);
      if (!p || claimOf(p.openedAt, atMs, viewingMs) === "unseen") return "unseen";
      if (p.lastAt > atMs - windowMs) return "wait";
      p.lastAt = atMs;
      return "publish";
    },
  };
}

/**
 * In the SQLite file (the twin of `pgHomeClaims`, for a file shared by more than one process; the
 * server keeps its claims in memory, above): the statements run on the main thread's connection, so the statements are prepared once
 * (on first use: a process that never serves Slack never prepares them) and read first, since most
 * people logging are not looking at their Home and that answer needs no write.
 */
export function sqliteHomeClaims(db: Db): HomeClaims {
  let prepared: ReturnType<typeof prepare> | undefined;
  function prepare() {
    return {
      opened: db
        .insert(h)
        .values({ slackUserId: sql.placeholder("id"), lastAt: 0, openedAt: sql.placeholder("at") })
        .onConflictDoUpdate({ target: h.slackUserId, set: { openedAt: sql`${sql.placeholder("at")}` } })
        .prepare(),
      read: db
        .select({ openedAt: h.openedAt, lastAt: h.lastAt })
        .from(h)
        .where(sql`${h.slackUserId} = ${sql.placeholder("id")}`)
        .prepare(),
      take: db
        .update(h)
        .set({ lastAt: sql`${sql.placeholder("at")}` })
        .where(
          sql`${h.slackUserId} = ${sql.placeholder("id")} AND ${h.openedAt} > ${sql.placeholder("seenAfter")} AND ${h.lastAt} <= ${sql.placeholder("freeBy")}`,
        )
        .returning({ id: h.slackUserId })
        .prepare(),
    };
  }
  const statements = () => {
    prepared ??= prepare();
    return prepared;
  };
  return {
    async opened(slackUserId, atMs) {
      statements().opened.run({ id: slackUserId, at: atMs });
    },
    async claim(slackUserId, atMs, windowMs, viewingMs) {
      const s = statements();
      const row = s.read.get({ id: slackUserId });
      if (claimOf(row?.openedAt, atMs, viewingMs) === "unseen") return "unseen";
      const won = s.take.all({
        id: slackUserId,
        at: atMs,
        seenAfter: atMs - viewingMs,
        freeBy: atMs - windowMs,
      });
      return won.length === 1 ? "publish" : "wait";
    },
  };
}
