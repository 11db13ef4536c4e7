import { existsSync, mkdirSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Org } from "../config/org.ts";
import { countCases, holdsRecords } from "../store/meta.ts";
import type { Store } from "../store/open.ts";
import { openStoreReadOnly } from "../store/open-readonly.ts";
import { preMigrationName, removeDatabaseFiles } from "./backup.ts";
import { recordBackup } from "./backup-ledger.ts";
import { createPrivateFile, partialPath, syncFolder } from "./files.ts";
import { CheckFailed, checkDatabaseFile, checkLine, type DatabaseCheck, problemsOf } from "./verify.ts";

/** The copy made before migrating a database that holds records. */
export interface PreMigrationBackup {
  readonly path: string;
  readonly check: DatabaseCheck;
  readonly startedAt: string;
  readonly finishedAt: string;
}

/**
 * Before `start` or `migrate` changes the schema of a database holding records, a checked copy of it
 * as it is (beside the database, or in `backup.dir`). A migration is the one moment the program
 * rewrites tables; if it goes wrong the copy is what the agency goes back to. When the copy cannot
 * be made or fails its check the migration does not happen.
 *
 * This copy is made with `VACUUM INTO` rather than the step-by-step online backup: setting up runs
 * before anything is served, synchronously, and one statement gives a consistent copy of the
 * database as of one moment.
 */
export function backupBeforeMigration(
  dbPath: string,
  org: Org,
  now: () => Date = () => new Date(),
): PreMigrationBackup | null {
  // Read-only, so a refused or failed copy leaves the database and its side files as they were.
  const reader = openStoreReadOnly(dbPath);
  try {
    if (!holdsRecords(reader)) return null;
    const eventsBefore = countCases(reader) > 0 ? countEvents(reader) : 0;
    const startedAt = now();
    const dir = org.backup?.dir ?? dirname(dbPath);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const out = join(dir, preMigrationName(org.agency.id, startedAt));
    if (existsSync(out)) throw new CheckFailed(`${out} already exists`);
    const tmp = partialPath(out);
    removeDatabaseFiles(tmp);
    createPrivateFile(tmp);
    try {
      reader.sqlite.prepare("VACUUM INTO ?").run(tmp);
      const check = checkDatabaseFile(tmp);
      const problems = problemsOf(check);
      if (check.events < eventsBefore)
        problems.push(`the copy holds ${check.events} entries, not ${eventsBefore}`);
      if (problems.length > 0) throw new CheckFailed(`the copy failed its check: ${problems.join("; ")}`);
      renameSync(tmp, out);
      syncFolder(dir);
      return {
        path: out,
        check: { ...check, path: out },
        startedAt: startedAt.toISOString(),
        finishedAt: now().toISOString(),
      };
    } catch (e) {
      removeDatabaseFiles(tmp);
      throw e;
    }
  } finally {
    reader.close();
  }
}

/** Into the ledger once the migration has made its table. */
export function recordPreMigrationBackup(store: Store, b: PreMigrationBackup): void {
  recordBackup(store, {
    kind: "pre-migration",
    path: b.path,
    startedAt: b.startedAt,
    finishedAt: b.finishedAt,
    status: "ok",
    bytes: b.check.bytes,
    cases: b.check.cases,
    events: b.check.events,
    error: null,
  });
}

function countEvents(store: Store): number {
  return (store.sqlite.prepare("SELECT count(*) AS n FROM practice_events").get() as { n: number }).n;
}

/** What `start` and `migrate` say about it: where the copy is and how it checked. */
export function preMigrationLine(b: PreMigrationBackup, shown: (path: string) => string): string {
  return `Backup:    before migrating, copied the database to ${shown(b.path)} (mode 0600): ${checkLine(b.check)}.`;
}
