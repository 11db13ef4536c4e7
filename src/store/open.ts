import { closeSync, mkdirSync, openSync } from "node:fs";
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
 * How long to wait for a database another process is writing before giving up with SQLITE_BUSY.
 * A `sos` command waits long (an import or a backup may hold the file a while, and nobody is waiting
 * on a 3-second acknowledgement); the server lowers it once it serves (`SERVER_BUSY_TIMEOUT_MS`).
 */
export const CLI_BUSY_TIMEOUT_MS = 30_000;
export const SERVER_BUSY_TIMEOUT_MS = 5_000;

/** `SOS_BUSY_TIMEOUT_MS` (whole milliseconds), else the CLI's wait; tests set it to stay quick. */
export function busyTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SOS_BUSY_TIMEOUT_MS?.trim();
  return raw && /^\d+$/.test(raw) ? Number(raw) : CLI_BUSY_TIMEOUT_MS;
}

/** Whether an error (or what it wraps: Drizzle keeps the driver's error as `cause`) is SQLITE_BUSY. */
export function isBusy(e: unknown): boolean {
  for (let at = e, depth = 0; at instanceof Error && depth < 5; at = at.cause, depth++) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("SQLITE_BUSY")) return true;
  }
  return false;
}

/**
 * Children's records: a new database file is created readable by its owner only, and SQLite gives
 * its -wal and -shm files the database file's permissions. A new folder for it likewise.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, "wx", 0o600));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
}

/**
 * Opens (creating when new) the SQLite file and applies any migrations not yet applied. WAL lets the
 * readers (their own connections, in worker threads) read while commands write; the busy timeout
 * covers the CLI and the server sharing the file.
 */
export function openStore(path: string, opts: { busyTimeoutMs?: number } = {}): Store {
  if (path !== ":memory:") createPrivately(path);
  const sqlite = new Database(path);
  // First: switching to WAL on a new file, and the migrations, may wait for another process.
  sqlite.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? busyTimeoutMs()}`);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  // FULL: a commit is on disk before "Recorded …" is said. NORMAL (the WAL default) syncs only at
  // checkpoints, so a power cut could lose an entry a worker had been told was kept. Measured: about
  // 0.3 ms more per commit here, a few per cent of a Slack log's server time (README, Performance).
  sqlite.pragma("synchronous = FULL");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return { db, sqlite, path, close: () => sqlite.close() };
}
