import { existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { createPrivateFile, partialPath, syncFolder } from "./files.ts";
import { CheckFailed, checkDatabaseFile, type DatabaseCheck, problemsOf } from "./verify.ts";

/** A backup made and checked. */
export interface BackupMade {
  readonly path: string;
  /** entries the database held when the copy began: every one must be in the copy */
  readonly eventsBefore: number;
  readonly check: DatabaseCheck;
  readonly startedAt: Date;
  readonly finishedAt: Date;
}

/**
 * Copies the database behind `source` (an open connection) to `out` with SQLite's online backup,
 * while others keep writing, then checks the copy. The copy is one self-contained file (rollback
 * journal, no WAL beside it), mode 0600, and appears at `out` only once it has passed its check: a
 * failed backup leaves nothing that could later be mistaken for a good one.
 *
 * The pages go over in one step, under one read transaction: the copy is the database as of one
 * commit. Copied a few pages at a time, each write from another process (the server, while `sos
 * backup` runs beside it) would restart the copy from the beginning, and a busy server could keep it
 * from ever finishing. WAL lets writers go on committing meanwhile.
 */
export async function backupDatabase(
  source: Database.Database,
  out: string,
  now: () => Date = () => new Date(),
): Promise<BackupMade> {
  if (existsSync(out)) throw new CheckFailed(`${out} already exists: choose a new file name`);
  if (!existsSync(dirname(out))) throw new CheckFailed(`the folder ${dirname(out)} does not exist`);
  const startedAt = now();
  const eventsBefore = (source.prepare("SELECT count(*) AS n FROM practice_events").get() as { n: number }).n;
  const tmp = partialPath(out);
  rmSync(tmp, { force: true });
  createPrivateFile(tmp);
  try {
    // The first step (0 pages) only starts the backup; the callback then asks for every page at once.
    await source.backup(tmp, { progress: () => 0x7fffffff });
    asOneFile(tmp);
    const check = checkDatabaseFile(tmp);
    const problems = problemsOf(check);
    if (check.events < eventsBefore)
      problems.push(
        `the copy holds ${check.events} entries but the database held ${eventsBefore} when it began`,
      );
    if (problems.length > 0) throw new CheckFailed(`the copy failed its check: ${problems.join("; ")}`);
    renameSync(tmp, out);
    syncFolder(dirname(out));
    return { path: out, eventsBefore, check: { ...check, path: out }, startedAt, finishedAt: now() };
  } catch (e) {
    removeDatabaseFiles(tmp);
    throw e;
  }
}

/**
 * The copy carries the source's WAL setting in its header; switched to a rollback journal it is one
 * file that can be moved, copied or read-only opened without side files appearing beside it.
 */
function asOneFile(path: string): void {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma("journal_mode = DELETE");
  } finally {
    db.close();
  }
}

export function removeDatabaseFiles(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) rmSync(p, { force: true });
}

/**
 * Backups the schedule (and `sos backup` without `--out`) writes into `backup.dir`: the agency's id
 * and the UTC instant to the millisecond, so names sort in time order, two agencies can share a
 * folder, and two backups in one second (a compiled `sos backup` takes less) do not collide.
 */
export function backupName(agencyId: string, at: Date): string {
  return `${agencyId}-${at.toISOString().replace(/[-:]/g, "")}.db`;
}

/** The one taken before a migration; never pruned. */
export function preMigrationName(agencyId: string, at: Date): string {
  return backupName(`${agencyId}-before-migration`, at);
}

// Names from before milliseconds were added have none.
const STAMP = /^\d{8}T\d{6}(?:\.\d{3})?Z\.db$/;

/** This agency's scheduled-style backups in a folder, oldest first (names sort in time order). */
export function listBackups(dir: string, agencyId: string): string[] {
  if (!existsSync(dir)) return [];
  const prefix = `${agencyId}-`;
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && STAMP.test(f.slice(prefix.length)))
    .sort()
    .map((f) => join(dir, f));
}

/** Which of those to remove so that the newest `keep` are left. */
export function toPrune(files: readonly string[], keep: number): string[] {
  return files.length > keep ? files.slice(0, files.length - keep) : [];
}

export function pruneBackups(dir: string, agencyId: string, keep: number): string[] {
  const gone = toPrune(listBackups(dir, agencyId), keep);
  for (const f of gone) removeDatabaseFiles(f);
  return gone;
}
