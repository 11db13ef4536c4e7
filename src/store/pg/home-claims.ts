import { sql } from "drizzle-orm";
import type { HomeClaims } from "../home-claims.ts";
import type { PgStore } from "./open.ts";
import { homeRefreshes as h } from "./schema.ts";

/** `HomeClaims` on PostgreSQL: the same one statement, which the row lock makes one-at-a-time. */
export function pgHomeClaims(store: PgStore): HomeClaims {
  return {
    async claim(slackUserId, atMs, windowMs) {
      const won = await store.db
        .insert(h)
        .values({ slackUserId, lastAt: atMs })
        .onConflictDoUpdate({
          target: h.slackUserId,
          set: { lastAt: atMs },
          setWhere: sql`${h.lastAt} <= ${atMs - windowMs}`,
        })
        .returning({ id: h.slackUserId });
      return won.length === 1;
    },
  };
}
