import { chmodSync, existsSync, mkdirSync, renameSync } from "node:fs";
import { basename, dirname } from "node:path";
import Database from "better-sqlite3";
import type { Org } from "../config/org.ts";
import type { AgencyRecord } from "../store/meta.ts";
import { openStoreReadOnly } from "../store/open-readonly.ts";
import { backupDatabase, removeDatabaseFiles } from "./backup.ts";
import { PRIVATE_MODE, partialPath, syncFolder } from "./files.ts";
import { lockTakenBy, takeServerLock } from "./server-lock.ts";
import { CheckFailed, checkDatabaseFile, type DatabaseCheck, problemsOf } from "./verify.ts";

/**
 * `sos restore FILE`: the database replaced by a checked backup. Refused while a server holds the
 * database, when the file fails its check (nothing overrides that), when it is another agency's,
 * and when the database there holds records (those two unless `--force`). A database that is
 * replaced is never deleted: it is moved aside beside the new one.
 */

export interface RestoreRequest {
  readonly file: string;
  readonly dbPath: string;
  readonly org: Org;
  readonly force: boolean;
  readonly shown: (path: string) => string;
  readonly now?: () => Date;
}

export interface Restored {
  readonly check: DatabaseCheck;
  /** where the database that was there went, and how many cases it held */
  readonly movedAside: { readonly path: string; readonly cases: number | null } | null;
}

/** A restore refused, in one sentence that says nothing was changed. */
export class RestoreRefused extends Error {
  override name = "RestoreRefused";
}

export async function restoreDatabase(req: RestoreRequest): Promise<Restored> {
  const { file, dbPath, org, shown } = req;
  const now = req.now ?? (() => new Date());
  if (!existsSync(file))
    throw new RestoreRefused(`there is no file ${shown(file)}, so nothing was restored.`);
  mkdirSync(dirname(dbPath), { recursive: true });
  // Held for the whole restore, so a `sos start` cannot open the database half-way through.
  const lock = takeServerLock(dbPath);
  if (!lock) throw new RestoreRefused(lockTakenBy(dbPath, shown, "restore"));
  try {
    const check = checked(file, shown);
    refuseOtherAgency(check.agency, org, file, req.force, shown);
    const target = existingTarget(dbPath);
    if (target && !req.force) {
      if (target.cases === null)
        throw new RestoreRefused(
          `${shown(dbPath)} is there but is not a database sos can read, so nothing was restored: add --force to move it aside and restore over it.`,
        );
      if (target.cases > 0)
        throw new RestoreRefused(
          `${shown(dbPath)} holds ${target.cases} case${target.cases === 1 ? "" : "s"}, so nothing was restored: add --force to restore over it (it is moved aside, not deleted).`,
        );
    }
    // Copied through SQLite, not byte for byte: a file that is itself a live WAL database comes over
    // whole, and the copy is checked again where it will be used.
    const staged = partialPath(`${dbPath}.restored`);
    removeDatabaseFiles(staged);
    const source = openStoreReadOnly(file);
    let copy: DatabaseCheck;
    try {
      copy = (await backupDatabase(source.sqlite, staged, now)).check;
    } finally {
      source.close();
    }
    if (copy.events !== check.events || copy.cases !== check.cases)
      throw new RestoreRefused(`the copy of ${shown(file)} did not match it, so nothing was restored.`);
    if (copy.schema === "current") recordRestore(staged, file, copy, now());
    const movedAside = target ? moveAside(dbPath, target.cases, now(), shown) : null;
    renameSync(staged, dbPath);
    chmodSync(dbPath, PRIVATE_MODE);
    syncFolder(dirname(dbPath));
    return { check, movedAside };
  } finally {
    lock.release();
  }
}

function checked(file: string, shown: (path: string) => string): DatabaseCheck {
  let check: DatabaseCheck;
  try {
    check = checkDatabaseFile(file);
  } catch (e) {
    if (e instanceof CheckFailed)
      throw new RestoreRefused(`${e.message.replace(file, shown(file))}, so nothing was restored.`);
    throw e;
  }
  const problems = problemsOf(check);
  if (check.schema === "ahead")
    problems.push("it was made by a newer version of sos-dashboards than this one");
  if (problems.length > 0)
    throw new RestoreRefused(
      `${shown(file)} failed its check (${problems.join("; ")}), so nothing was restored.`,
    );
  return check;
}

function refuseOtherAgency(
  found: AgencyRecord | null,
  org: Org,
  file: string,
  force: boolean,
  shown: (path: string) => string,
): void {
  if (!found || found.id === org.agency.id || force) return;
  throw new RestoreRefused(
    `${shown(file)} belongs to ${found.name} (agency id ${found.id}) but the config ${shown(org.source)} is for ${org.agency.name} (agency id ${org.agency.id}), so nothing was restored: set SOS_CONFIG to that agency's config, or add --force if this is right.`,
  );
}

/** The database at the path, if any: how many cases it holds, or null when it is not one. */
function existingTarget(dbPath: string): { cases: number | null } | null {
  if (!existsSync(dbPath)) return null;
  try {
    const store = openStoreReadOnly(dbPath);
    try {
      const hasCases = store.sqlite
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cases'")
        .get();
      return {
        cases: hasCases
          ? (store.sqlite.prepare("SELECT count(*) AS n FROM cases").get() as { n: number }).n
          : 0,
      };
    } finally {
      store.close();
    }
  } catch {
    return { cases: null };
  }
}

/**
 * Moves the database out of the way as one file: its WAL folded in first, so nothing committed is
 * left behind in a side file. Refused when something else has it open (the checkpoint cannot finish).
 */
function moveAside(dbPath: string, cases: number | null, at: Date, shown: (path: string) => string) {
  const aside = `${dbPath}.replaced-${at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z")}`;
  if (cases !== null) {
    const db = new Database(dbPath, { fileMustExist: true });
    try {
      db.pragma("busy_timeout = 5000");
      db.pragma("wal_checkpoint(TRUNCATE)");
      db.pragma("journal_mode = DELETE");
    } catch (e) {
      throw new RestoreRefused(
        `${shown(dbPath)} is open in another sos process (${(e as Error).message}), so nothing was restored: let it finish, then try again.`,
      );
    } finally {
      db.close();
    }
  }
  for (const side of ["", "-wal", "-shm", "-journal"])
    if (existsSync(`${dbPath}${side}`)) renameSync(`${dbPath}${side}`, `${aside}${side}`);
  chmodSync(aside, PRIVATE_MODE);
  return { path: aside, cases };
}

/** An audit line in the restored database, saying where it came from (no child data). */
function recordRestore(staged: string, file: string, check: DatabaseCheck, at: Date): void {
  const db = new Database(staged, { fileMustExist: true });
  try {
    db.prepare(
      "INSERT INTO audit (at, actor_id, surface, action, case_id, detail) VALUES (?, NULL, 'cli', 'restore', NULL, ?)",
    ).run(
      at.toISOString(),
      JSON.stringify({ from: basename(file), cases: check.cases, entries: check.events }),
    );
  } finally {
    db.close();
  }
}

/** What `sos restore` says when it is done. */
export function restoredLines(r: Restored, req: RestoreRequest, checkText: string): string[] {
  const { shown } = req;
  const lines = [`Checked ${shown(req.file)}: ${checkText}.`];
  if (r.movedAside)
    lines.push(
      `Moved the database that was at ${shown(req.dbPath)} to ${shown(r.movedAside.path)}${r.movedAside.cases !== null ? ` (${r.movedAside.cases} case${r.movedAside.cases === 1 ? "" : "s"})` : ""}: a restore deletes nothing.`,
    );
  const agency = r.check.agency ? ` (${r.check.agency.name})` : "";
  lines.push(`Restored ${shown(req.dbPath)} from ${shown(req.file)}${agency}, file mode 0600.`);
  if (r.check.schema === "behind")
    lines.push(
      "It was made by an earlier version: `sos start` or `sos migrate` brings it up to date (backing it up first).",
    );
  else lines.push("`sos start` serves it.");
  return lines;
}
