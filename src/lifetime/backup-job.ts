import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Org } from "../config/org.ts";
import type { Store } from "../store/open.ts";
import type { BackupRow } from "../store/schema.ts";
import { type BackupMade, backupDatabase, backupName, pruneBackups } from "./backup.ts";
import { recordBackup } from "./backup-ledger.ts";
import { CheckFailed } from "./verify.ts";

export interface BackupJob {
  /** a file named by the admin; without it, a new file in the config's `backup.dir` (then pruned) */
  readonly out?: string;
  readonly kind: BackupRow["kind"];
}

export type BackupOutcome =
  | { readonly ok: true; readonly made: BackupMade; readonly pruned: readonly string[] }
  | { readonly ok: false; readonly path: string; readonly error: string };

/**
 * One backup as `sos backup` and the schedule make it: copied, checked, recorded in the ledger
 * (good or failed, with why) and, in the backup folder, older ones pruned to `backup.keep`. Pruning
 * happens only after a good backup, so a run of failures never eats the last good copies.
 */
export async function runBackup(
  org: Org,
  store: Store,
  job: BackupJob,
  now: () => Date = () => new Date(),
  shown: (path: string) => string = (p) => p,
): Promise<BackupOutcome> {
  const startedAt = now();
  const path = job.out ?? (org.backup ? join(org.backup.dir, backupName(org.agency.id, startedAt)) : "");
  try {
    if (job.out === undefined) {
      if (!org.backup)
        throw new CheckFailed("there is no backup.dir in the config: give --out FILE, or add backup.dir");
      mkdirSync(org.backup.dir, { recursive: true, mode: 0o700 });
    }
    const made = await backupDatabase(store.sqlite, path, now);
    recordBackup(store, {
      kind: job.kind,
      path,
      startedAt: made.startedAt.toISOString(),
      finishedAt: made.finishedAt.toISOString(),
      status: "ok",
      bytes: made.check.bytes,
      cases: made.check.cases,
      events: made.check.events,
      error: null,
    });
    const pruned =
      job.out === undefined && org.backup ? pruneBackups(org.backup.dir, org.agency.id, org.backup.keep) : [];
    return { ok: true, made, pruned };
  } catch (e) {
    const error = plainError(e, path, shown);
    recordBackup(store, {
      kind: job.kind,
      path,
      startedAt: startedAt.toISOString(),
      finishedAt: now().toISOString(),
      status: "failed",
      bytes: null,
      cases: null,
      events: null,
      error,
    });
    return { ok: false, path, error };
  }
}

/** A failure as the sentence `sos backup status` shows: ours as they are, the system's by their code. */
export function plainError(e: unknown, path: string, shown: (path: string) => string = (p) => p): string {
  if (e instanceof CheckFailed) return e.message.replaceAll(path, shown(path));
  const err = e as NodeJS.ErrnoException;
  const where = shown(err.path ?? path);
  switch (err.code) {
    case "ENOENT":
      return `the folder for ${where} does not exist`;
    case "EACCES":
    case "EPERM":
      return `not allowed to write ${where}: check its permissions`;
    case "ENOSPC":
    case "SQLITE_FULL":
      return `the disk is full: ${where} could not be written`;
    case "ENOTDIR":
    case "EEXIST":
      return `${where} is in the way: the backup folder's path holds a file`;
    default:
      return `${err.code ? `${err.code}: ` : ""}${e instanceof Error ? e.message : String(e)}`;
  }
}
