import { eq, sql } from "drizzle-orm";
import type { Db } from "./open.ts";
import { idempotency } from "./schema.ts";

/** Delivery ids already handled, with the reply they got, so a retried delivery changes nothing. */
export function idempotencyQueries(db: Db) {
  const get = db
    .select()
    .from(idempotency)
    .where(eq(idempotency.key, sql.placeholder("key")))
    .prepare();
  return {
    get(key: string): unknown | undefined {
      return get.get({ key })?.reply;
    },
    put(key: string, reply: unknown, at: string): void {
      db.insert(idempotency).values({ key, reply, createdAt: at }).run();
    },
  };
}
