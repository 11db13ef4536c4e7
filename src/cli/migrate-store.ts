import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { UsageError } from "../app/boot.ts";
import { lockHolder } from "../lifetime/lock-holder.ts";
import { type HeldLock, lockPath, serverHolds, takeServerLock } from "../lifetime/server-lock.ts";
import { schemaState } from "../store/meta.ts";
import { openStoreReadOnly } from "../store/open-readonly.ts";
import { CopyRefused, copyToPostgres } from "../store/pg/copy.ts";
import { openPgStore } from "../store/pg/open.ts";
import { isPostgresUrl } from "../store/pg/url.ts";
import { readArgs } from "./args.ts";

/**
 * `sos migrate-store --from sqlite:./data/sos.db --to postgres://…`: an agency's SQLite file copied
 * into an empty PostgreSQL database, checked, in one transaction (`src/store/pg/copy.ts`). The file
 * is opened read-only, so a refused or failed copy leaves both stores as they were. A file a server
 * is still writing to is refused: what it wrote after the copy's snapshot would be left behind.
 */
export async function migrateStore(argv: string[]): Promise<number> {
  const { values } = readArgs("migrate-store", argv, { from: { type: "string" }, to: { type: "string" } });
  const from = values.from?.trim();
  if (!from?.startsWith("sqlite:") || from.length === "sqlite:".length)
    throw new UsageError(
      "--from must name the SQLite file to copy, like --from sqlite:./data/sos.db. See `sos migrate-store --help`.",
    );
  const to = (values.to ?? process.env.DATABASE_URL)?.trim();
  if (!to)
    throw new UsageError(
      "--to must name the PostgreSQL database to copy into (or set DATABASE_URL), like --to postgres://sos@db.example:5432/sos.",
    );
  if (!isPostgresUrl(to))
    throw new UsageError("--to must be a PostgreSQL URL, like postgres://sos@db.example:5432/sos.");
  const path = from.slice("sqlite:".length);
  if (!existsSync(path)) throw new UsageError(`can't find ${path}: check the path given to --from.`);

  const lock = holdServerLock(path);
  if (lock === "held") {
    process.stderr.write(`sos: ${heldSentence(path)}\n`);
    return 1;
  }
  try {
    return await copyFile(path, to);
  } finally {
    lock?.release();
  }
}

/**
 * The server lock (`src/lifetime/server-lock.ts`), taken for the length of the copy so no
 * `sos start` (nor a restore) begins writing to the file meanwhile; `held` when a live process has
 * it. The operating system lets go of a lock when its process ends, so a lock file left by a
 * crashed server does not count. A folder this process may not write to (a file copied off a
 * read-only mount) cannot take it: then only asked, and the copy goes ahead unguarded.
 */
function holdServerLock(path: string): HeldLock | "held" | null {
  try {
    return takeServerLock(path) ?? "held";
  } catch {
    return serverHolds(path) ? "held" : null;
  }
}

function heldSentence(path: string): string {
  const holder = lockHolder(path);
  const who = holder
    ? `${holder.command ? `\`${holder.command}\`` : "a sos"} (process ${holder.pid})`
    : "a running `sos start` (or a restore)";
  return `${who} is using ${path} (it holds the lock on ${lockPath(path)}), so nothing was copied: stop it first, then run migrate-store again.`;
}

async function copyFile(path: string, to: string): Promise<number> {
  const started = performance.now();
  const source = openStoreReadOnly(path);
  try {
    const state = schemaState(source);
    if (state !== "current") {
      process.stderr.write(`sos: ${path} ${SCHEMA_SENTENCE[state]}, so nothing was copied.\n`);
      return 1;
    }
    const target = await openPgStore(to, { max: 1 });
    try {
      const report = await copyToPostgres(source, target);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const width = Math.max(...report.tables.map((t) => t.name.length));
      const lines = [
        `Copied ${path} into ${target.shown}: ${report.rows} rows in ${report.tables.length} tables, ${seconds} s.`,
        ...report.tables.map((t) => `  ${t.name.padEnd(width)}  ${t.rows}`),
        "Checked: every table's rows counted on both sides, the dashboard states folded again from the",
        "entries, and the coverage counts counted again from the cases: all equal.",
        "Next: stop the server using the SQLite file, set DATABASE_URL to this database, and start sos",
        "again (`sos start`). The SQLite file was only read: keep it as the backup of the day you moved.",
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
      return 0;
    } catch (e) {
      if (!(e instanceof CopyRefused)) throw e;
      process.stderr.write(`sos: ${e.message}\n`);
      return 1;
    } finally {
      await target.close();
    }
  } finally {
    source.close();
  }
}

const SCHEMA_SENTENCE = {
  none: "holds no sos database (no migrations applied)",
  behind:
    "is at an older schema than this version of sos: run `sos migrate` on it first (SOS_DB pointing at it)",
  ahead: "was written by a newer version of sos than this one: copy it with that version",
} as const;
