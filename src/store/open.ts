import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { PACKAGE_ROOT } from "../util/package-root.ts";
import * as schema from "./schema.ts";

export type Db = BetterSQLite3Database<typeof schema>;

export interface Store {
  readonly db: Db;
  /** the driver underneath, for the few hot reads that skip the query builder */
  readonly sqlite: Database.Database;
  readonly path: string;
  close(): void;
}

// From the package root, so the compiled `dist/src/store/open.js` finds the same folder.
export const MIGRATIONS_DIR = join(PACKAGE_ROOT, "migrations");

/**
 * Opens (creating when new) the SQLite file and applies any migrations not yet applied. WAL lets the
 * digest read while a worker writes; a busy timeout covers the CLI and the server sharing the file.
 */
export function openStore(path: string): Store {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return { db, sqlite, path, close: () => sqlite.close() };
}
