import { sql } from "drizzle-orm";
import type { Db } from "./open.ts";
import { homeRefreshes as h } from "./schema.ts";

/**
 * Who may publish a person's App Home now, across every instance on the database: `claim` is true
 * for one caller per window, and moves the person's last publish to `atMs` when it is. One
 * conditional write (insert, or update only where the last publish is `windowMs` old), so two
 * instances asking at once cannot both be told yes.
 */
export interface HomeClaims {
  claim(slackUserId: string, atMs: number, windowMs: number): Promise<boolean>;
}

export function sqliteHomeClaims(db: Db): HomeClaims {
  return {
    async claim(slackUserId, atMs, windowMs) {
      const won = db
        .insert(h)
        .values({ slackUserId, lastAt: atMs })
        .onConflictDoUpdate({
          target: h.slackUserId,
          set: { lastAt: atMs },
          setWhere: sql`${h.lastAt} <= ${atMs - windowMs}`,
        })
        .returning({ id: h.slackUserId })
        .all();
      return won.length === 1;
    },
  };
}
