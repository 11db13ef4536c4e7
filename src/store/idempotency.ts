import { eq, lt, sql } from "drizzle-orm";
import type { Db } from "./open.ts";
import { idempotency } from "./schema.ts";

/** Delivery ids already handled, with the reply they got, so a retried delivery changes nothing. */
export function idempotencyQueries(db: Db) {
  // Prepared once: an unprepared query compiles a new native statement per call, which the garbage
  // collector frees only lazily (measured: +28 MB of RSS per 1,000 logs).
  const get = db
    .select()
    .from(idempotency)
    .where(eq(idempotency.key, sql.placeholder("key")))
    .prepare();
  const put = db
    .insert(idempotency)
    .values({
      key: sql.placeholder("key"),
      reply: sql.placeholder("reply"),
      createdAt: sql.placeholder("createdAt"),
    })
    .prepare();
  return {
    get(key: string): unknown | undefined {
      return get.get({ key })?.reply;
    },
    put(key: string, reply: unknown, at: string): void {
      put.run({ key, reply, createdAt: at });
    },
    /**
     * Forgets deliveries older than `before`. Platforms retry within minutes; a stored reply holds
     * what the person was told (children's names, notes), which is kept no longer than needed.
     */
    prune(before: string): number {
      return db.delete(idempotency).where(lt(idempotency.createdAt, before)).run().changes;
    },
  };
}
