import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { PRIVATE_MODE } from "./files.ts";

/**
 * Whether a server is using a database, told by an operating-system lock rather than a pid file: a
 * running `sos start` (and a restore while it swaps files) holds an exclusive SQLite lock on
 * `<database>.lock` for as long as it runs. The operating system lets go of it when the process ends,
 * however it ends, so a crash never leaves a stale "server running".
 *
 * SQLite's own locks on the database cannot say this: in WAL mode connections share the file, and
 * nothing tells another process that one of them is a long-running server.
 */
export function lockPath(dbPath: string): string {
  return `${dbPath}.lock`;
}

export interface HeldLock {
  readonly path: string;
  release(): void;
}

/** null when another process holds it. */
export function takeServerLock(dbPath: string): HeldLock | null {
  if (dbPath === ":memory:") return { path: dbPath, release: () => {} };
  const path = lockPath(dbPath);
  // The database's folder, made here as opening the database would make it.
  mkdirSync(dirname(path), { recursive: true });
  const created = !existsSync(path);
  const db = new Database(path);
  try {
    if (created) chmodSync(path, PRIVATE_MODE);
    db.pragma("busy_timeout = 0");
    // No journal file beside it: the table holds one row, and losing it in a crash loses nothing.
    db.pragma("journal_mode = MEMORY");
    // In exclusive locking mode a connection keeps the lock of its first write until it closes.
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec(
      "BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (pid INTEGER, since TEXT); DELETE FROM holder;",
    );
    db.prepare("INSERT INTO holder VALUES (?, ?)").run(process.pid, new Date().toISOString());
    db.exec("COMMIT");
  } catch (e) {
    db.close();
    if ((e as { code?: unknown }).code === "SQLITE_BUSY") return null;
    throw e;
  }
  return {
    path,
    release: () => {
      if (db.open) db.close();
    },
  };
}

/** Whether some other process holds the lock now. Reads only; creates nothing. */
export function serverHolds(dbPath: string): boolean {
  const path = lockPath(dbPath);
  if (dbPath === ":memory:" || !existsSync(path)) return false;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 0");
    db.prepare("SELECT count(*) FROM sqlite_master").get();
    return false;
  } catch (e) {
    if ((e as { code?: unknown }).code === "SQLITE_BUSY") return true;
    throw e;
  } finally {
    db.close();
  }
}

/** The sentence for a start (or a restore) finding the lock taken. */
export function lockTakenBy(
  dbPath: string,
  shown: (p: string) => string,
  doing: "start" | "restore",
): string {
  return doing === "start"
    ? `another sos is already serving ${shown(dbPath)}, or restoring it (it holds the lock on ${shown(lockPath(dbPath))}), so this one did not start: stop that one first, or set SOS_DB to another database.`
    : `a server is running on ${shown(dbPath)} (a running \`sos start\` holds the lock on ${shown(lockPath(dbPath))}), so nothing was restored: stop it first (Ctrl+C in its terminal, or SIGTERM to its process, e.g. \`systemctl stop\` for a service), then restore.`;
}
