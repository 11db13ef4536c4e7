import { lt, sql } from "drizzle-orm";
import type { PgStore } from "./open.ts";
import { idempotency } from "./schema.ts";

/**
 * What `sos start` itself writes on PostgreSQL, beside the records: the idempotency pruning, as on
 * SQLite, each one statement. Its start and reloads are one row per instance: `instances.ts`.
 */

/** Forgets delivery ids, and the replies stored with them, kept before `before`. */
export async function pgForgetDeliveries(store: PgStore, before: string): Promise<void> {
  await store.db.delete(idempotency).where(lt(idempotency.createdAt, before));
}

/** A cheap real round trip on a pooled connection: what /healthz and /readyz ask. */
export async function pgPing(store: PgStore): Promise<void> {
  await store.db.execute(sql`SELECT 1`);
}
