import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "../app/boot.ts";
import { occurrences } from "../digest/schedule.ts";
import { addDays, formatDate, localDate, localTime } from "../domain/dates.ts";
import { listBackups } from "../lifetime/backup.ts";
import { runBackup } from "../lifetime/backup-job.ts";
import { failuresSinceGood, lastGoodBackup, recentBackups } from "../lifetime/backup-ledger.ts";
import { lastDueBackup } from "../lifetime/backup-schedule.ts";
import { checkLine, sizeText } from "../lifetime/verify.ts";
import { table } from "../render/text.ts";
import { readArgs } from "./args.ts";
import { bootFromEnv, shown } from "./setup.ts";

/** `sos backup [--out FILE]` and `sos backup status`. */
export async function backup(argv: string[]): Promise<number> {
  const { values, positionals } = readArgs(
    "backup",
    argv,
    { out: { type: "string" }, scheduled: { type: "boolean" }, limit: { type: "string" } },
    true,
  );
  if (positionals[0] === "status") {
    if (positionals.length > 1 || values.out !== undefined || values.scheduled)
      throw new UsageError("sos backup status takes only --limit N. See `sos backup --help`.");
    return status(values.limit);
  }
  if (positionals.length > 0)
    throw new UsageError(
      `sos backup takes --out FILE or status, not "${positionals.join(" ")}". See \`sos backup --help\`.`,
    );
  if (values.limit !== undefined) throw new UsageError("--limit is for sos backup status");
  if (values.out !== undefined && values.scheduled)
    throw new UsageError("--scheduled writes into backup.dir: leave out --out");
  // Records in the backup ledger, so it opens for writing; it never migrates (a database behind this
  // version is backed up by `sos migrate` before it migrates).
  const { ctx, dbPath } = bootFromEnv({ open: { mode: "records" } });
  try {
    // Mistakes in the command are refused before anything is tried; the ledger records backups
    // that were attempted.
    const out = values.out === undefined ? undefined : resolve(process.cwd(), values.out);
    if (out !== undefined && existsSync(out))
      throw new UsageError(
        `${shown(out)} already exists: give --out a new file name (a backup never overwrites one)`,
      );
    if (out !== undefined && !existsSync(dirname(out)))
      throw new UsageError(
        `the folder ${shown(dirname(out))} does not exist: make it first, or give --out another path`,
      );
    if (out === undefined && !ctx.org.backup)
      throw new UsageError(
        `the config ${shown(ctx.org.source)} has no backup.dir: give --out FILE, or add backup: { dir: … } to the config`,
      );
    const outcome = await runBackup(
      ctx.org,
      ctx.store,
      {
        ...(out !== undefined ? { out } : {}),
        kind: values.scheduled ? "scheduled" : "manual",
      },
      undefined,
      shown,
    );
    if (!outcome.ok) {
      process.stderr.write(
        `sos: backup failed: ${outcome.error}. Nothing was written to ${shown(outcome.path || dbPath)}.\n`,
      );
      return 1;
    }
    const { made, pruned } = outcome;
    const seconds = ((made.finishedAt.getTime() - made.startedAt.getTime()) / 1000).toFixed(1);
    process.stdout.write(
      `Backed up ${shown(dbPath)} to ${shown(made.path)} (${sizeText(made.check.bytes)}, ${seconds} s), file mode 0600.\n` +
        `Checked the copy: ${checkLine(made.check)}; the database held ${made.eventsBefore.toLocaleString("en-GB")} ${made.eventsBefore === 1 ? "entry" : "entries"} when the copy began, and every one is in it.\n`,
    );
    if (pruned.length > 0)
      process.stdout.write(
        `Removed ${pruned.length} older backup${pruned.length === 1 ? "" : "s"} (backup.keep is ${ctx.org.backup?.keep}): ${pruned.map(shown).join(", ")}.\n`,
      );
    return 0;
  } finally {
    ctx.store.close();
  }
}

function status(limitText: string | undefined): number {
  const limit = Number(limitText ?? 20);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`--limit must be a whole number (got "${limitText}")`);
  const { ctx } = bootFromEnv({ open: { mode: "read" } });
  try {
    const tz = ctx.org.agency.timeZone;
    const local = (d: Date) => `${formatDate(localDate(d, tz), ctx.org.dates.format)} ${localTime(d, tz)}`;
    // Backups happen in real time whatever calendar a demo runs on: ages are from the real clock.
    const now = new Date();
    const say = (s: string) => process.stdout.write(`${s}\n`);
    const good = lastGoodBackup(ctx.store);
    if (good) {
      const at = new Date(good.finishedAt);
      say(
        `Last good backup: ${local(at)} (${age(now.getTime() - at.getTime())} ago), ${shown(good.path)}${existsSync(good.path) ? "" : " (file no longer there)"}, ${sizeText(good.bytes ?? 0)}, ${good.cases} cases, ${good.events} entries.`,
      );
    } else say("No good backup has been made yet.");
    const failures = failuresSinceGood(ctx.store);
    if (failures.length > 0) {
      say(`${failures.length} failed${good ? " since then" : ""}; the latest: ${failures[0]!.error}.`);
    }
    const rows = recentBackups(ctx.store, limit).map((r) => [
      local(new Date(r.startedAt)),
      r.kind,
      r.status,
      shown(r.path),
      r.bytes === null ? "" : sizeText(r.bytes),
      r.error ?? "",
    ]);
    say("");
    say(
      rows.length === 0
        ? "No backups have run yet."
        : table([`started (${tz})`, "kind", "status", "file", "size", "why it failed"], rows),
    );
    const b = ctx.org.backup;
    say("");
    if (!b) {
      say(
        "No backup folder or schedule in the config (backup: { dir, keep, schedule }); `sos backup --out FILE` makes one now.",
      );
      return 0;
    }
    const files = listBackups(b.dir, ctx.org.agency.id);
    say(
      `Folder: ${shown(b.dir)}, ${files.length} backup${files.length === 1 ? "" : "s"} there, keeping the newest ${b.keep}.`,
    );
    if (b.schedule === null) say("Schedule: off (backup.schedule); `sos backup` makes one now.");
    else {
      const today = localDate(now, tz);
      const next = occurrences(b.schedule, tz, today, addDays(today, 8)).find((t) => t > now);
      const due = lastDueBackup(b.schedule, tz, now);
      const lastScheduled = lastGoodBackup(ctx.store, "scheduled");
      say(
        `Schedule: ${b.schedule} (${tz}) in \`sos start\`; next ${next ? local(next) : "not in the next week"}.`,
      );
      if (due && (!lastScheduled || new Date(lastScheduled.finishedAt) < due))
        say(
          `Missed: the backup due ${local(due)} has not been made; \`sos start\` makes it at start-up, \`sos backup\` now.`,
        );
    }
    return 0;
  } finally {
    ctx.store.close();
  }
}

/** "3 hours", "2 days": how old, roughly, as a person says it. */
export function age(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes === 0) return "less than a minute";
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? "" : "s"}`;
  const days = Math.round(hours / 24);
  return `${days} days`;
}
