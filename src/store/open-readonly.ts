import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import type { Store } from "./open.ts";
import * as schema from "./schema.ts";

/**
 * Opens an existing database for reading only (`sos dashboard`, `sos stuck`, `sos export`, …): the
 * driver refuses every write on this connection, so no command run through it can change a record,
 * and no migration is run.
 *
 * A WAL database read while nothing else has it open gets its `-wal` and `-shm` files created by
 * the reader, and a read-only connection cannot remove them on close. Left behind, they would carry
 * this user's owner and mode (a root `sos dashboard` could lock the server out of its own database),
 * so when this opening created them, closing hands them back to SQLite: a plain connection that
 * reads one row and closes removes them when it is the last one open, exactly as every normal close
 * does. When another process has the database open they stay, because it is using them.
 */
export function openStoreReadOnly(path: string): Store {
  const sideFilesWereThere = existsSync(`${path}-wal`) || existsSync(`${path}-shm`);
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  // A reader waits on a writer only while the WAL is being reset; the same patience as the writers.
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema });
  return {
    db,
    sqlite,
    path,
    close() {
      sqlite.close();
      if (!sideFilesWereThere && (existsSync(`${path}-wal`) || existsSync(`${path}-shm`))) tidy(path);
    },
  };
}

function tidy(path: string): void {
  try {
    const last = new Database(path, { fileMustExist: true });
    last.prepare("SELECT count(*) FROM sqlite_master").get();
    last.close();
  } catch {
    // Tidying is a courtesy: the read already succeeded, and leftover side files are harmless to SQLite.
  }
}
