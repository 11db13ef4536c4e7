import { readMigrationFiles } from "drizzle-orm/migrator";
import { MIGRATIONS_DIR, type Store } from "./open.ts";
import { meta } from "./schema.ts";

/** The agency a database belongs to, as recorded in it. */
export interface AgencyRecord {
  readonly id: string;
  readonly name: string;
}

/**
 * How the database's schema stands against this program's migrations: `none` (nothing applied: a
 * new or empty file), `behind` (`sos migrate` brings it up), `current`, or `ahead` (written by a
 * newer version). Read without writing, for the read-only commands that never migrate.
 */
export type SchemaState = "none" | "behind" | "current" | "ahead";

export function schemaState(store: Store): SchemaState {
  if (!hasTable(store, "__drizzle_migrations")) return "none";
  const row = store.sqlite.prepare("SELECT max(created_at) AS at FROM __drizzle_migrations").get() as {
    at: number | string | null;
  };
  if (row.at === null) return "none";
  // Drizzle's migrator applies every migration newer than the latest one recorded: the same test.
  const applied = Number(row.at);
  const latest = readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR }).at(-1)?.folderMillis ?? 0;
  return applied < latest ? "behind" : applied > latest ? "ahead" : "current";
}

/** null when nothing is recorded yet (a new database, or one made before agencies were recorded). */
export function readAgency(store: Store): AgencyRecord | null {
  if (!hasTable(store, "meta")) return null;
  const row = store.db.select().from(meta).get();
  return row ? { id: row.agencyId, name: row.agencyName } : null;
}

/** Records the agency, or its new name. Call inside the set-up transaction, after checking the id. */
export function writeAgency(store: Store, agency: AgencyRecord, at: string): void {
  store.db
    .insert(meta)
    .values({ id: 1, agencyId: agency.id, agencyName: agency.name, recordedAt: at })
    .onConflictDoUpdate({ target: meta.id, set: { agencyName: agency.name } })
    .run();
}

/** Anything recorded at all: a database with no agency but with staff or cases was in use before. */
export function holdsRecords(store: Store): boolean {
  const q = (t: string) => hasTable(store, t) && store.sqlite.prepare(`SELECT 1 FROM ${t} LIMIT 1`).get();
  return Boolean(q("staff") || q("cases"));
}

export function countCases(store: Store): number {
  if (!hasTable(store, "cases")) return 0;
  return (store.sqlite.prepare("SELECT count(*) AS n FROM cases").get() as { n: number }).n;
}

function hasTable(store: Store, name: string): boolean {
  return (
    store.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
    undefined
  );
}
