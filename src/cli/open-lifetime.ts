import type { LifetimeStore } from "../lifetime/lifetime-store.ts";
import { sqliteLifetime } from "../lifetime/sqlite-lifetime.ts";
import type { OpenedRecords } from "./setup.ts";

/** The lifetime reads and erasure path of whichever store `openFromEnv` opened. */
export async function lifetimeOf(opened: OpenedRecords): Promise<LifetimeStore> {
  if (!opened.pg) return sqliteLifetime(opened.ctx.store);
  // Loaded only here: a SQLite command never pays for the pg driver.
  const { pgLifetime } = await import("../lifetime/pg-lifetime.ts");
  return pgLifetime(opened.pg);
}
