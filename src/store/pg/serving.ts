import { lt, sql } from "drizzle-orm";
import { type StartRecord, startRow } from "../config-reload.ts";
import type { PgStore } from "./open.ts";
import { configReload, idempotency } from "./schema.ts";

/**
 * What `sos start` itself writes on PostgreSQL, beside the records: the same rows as on SQLite
 * (`src/store/config-reload.ts`, the idempotency pruning), each one statement.
 */

/** Forgets delivery ids, and the replies stored with them, kept before `before`. */
export async function pgForgetDeliveries(store: PgStore, before: string): Promise<void> {
  await store.db.delete(idempotency).where(lt(idempotency.createdAt, before));
}

/** This instance began serving: the reload record starts again from it (the latest start wins). */
export async function pgRecordStart(store: PgStore, start: StartRecord): Promise<void> {
  const row = startRow(start);
  await store.db.insert(configReload).values(row).onConflictDoUpdate({ target: configReload.id, set: row });
}

/** A cheap real round trip on a pooled connection: what /healthz and /readyz ask. */
export async function pgPing(store: PgStore): Promise<void> {
  await store.db.execute(sql`SELECT 1`);
}
