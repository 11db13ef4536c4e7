import { sql } from "drizzle-orm";
import { claimOf, type HomeClaims } from "../home-claims.ts";
import { namedRows } from "./named.ts";
import type { PgStore } from "./open.ts";

/**
 * `HomeClaims` on PostgreSQL, each call one prepared round trip. The claim's conditional UPDATE is
 * made one-at-a-time by the row lock (a second caller waits, then finds `last_at` moved and does not
 * match); the SELECT beside it reads the row as it was before, which tells "wait" from "unseen" when
 * the update did not win. An `opened` committed after that snapshot was taken is not seen, which is
 * safe: that open builds its Home after its write, so after the change this claim follows.
 */
export function pgHomeClaims(store: PgStore): HomeClaims {
  return {
    async opened(slackUserId, atMs) {
      await namedRows(
        store.pool,
        sql`INSERT INTO home_refreshes (slack_user_id, last_at, opened_at) VALUES (${slackUserId}, 0, ${atMs})
            ON CONFLICT (slack_user_id) DO UPDATE SET opened_at = EXCLUDED.opened_at`,
      );
    },
    async claim(slackUserId, atMs, windowMs, viewingMs) {
      const rows = await namedRows<{ won: number; opened_at: string | null }>(
        store.pool,
        sql`WITH won AS (
              UPDATE home_refreshes SET last_at = ${atMs}
              WHERE slack_user_id = ${slackUserId} AND opened_at > ${atMs - viewingMs} AND last_at <= ${atMs - windowMs}
              RETURNING 1
            )
            SELECT (SELECT count(*) FROM won)::int AS won, opened_at
            FROM home_refreshes WHERE slack_user_id = ${slackUserId}`,
      );
      const row = rows[0];
      if (row?.won === 1) return "publish";
      return claimOf(row?.opened_at == null ? null : Number(row.opened_at), atMs, viewingMs);
    },
  };
}
