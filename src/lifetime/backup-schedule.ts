import { spawn } from "node:child_process";
import { resolve } from "node:path";
import cron, { type ScheduledTask } from "node-cron";
import { PACKAGE_ROOT } from "../app/paths.ts";
import type { BackupConfig } from "../config/org.ts";
import { occurrences } from "../digest/schedule.ts";
import { addDays, localDate } from "../domain/dates.ts";

/**
 * Scheduled backups inside `sos start`: node-cron in the agency's time zone, and at start-up a
 * catch-up when the last scheduled time passed with no good backup since (the app was down then).
 *
 * Each backup runs as its own `sos backup --scheduled` process: copying, checking the integrity of
 * and comparing a database of an agency's size takes seconds, which would stall every chat reply if
 * done on the server's event loop. The child records the outcome in the ledger itself; the server
 * only says what happened, failures as one line on standard error.
 */

export interface BackupSchedule {
  /** the backup at start-up, when one is owed; resolves once it is over */
  readonly caughtUp: Promise<void>;
  next(): Date | null;
  stop(): Promise<void>;
}

export interface ScheduleEnv {
  readonly backup: BackupConfig & { readonly schedule: string };
  readonly timeZone: string;
  readonly dbPath: string;
  readonly configPath: string;
  /** the last good scheduled backup's finishing instant, if any */
  readonly lastGood: () => Date | null;
  /** progress, for standard output */
  readonly say: (line: string) => void;
  /** failures, one line each, for standard error */
  readonly log: (line: string) => void;
  readonly now?: () => Date;
}

/** The latest time the schedule was due in the past week, up to `now`. */
export function lastDueBackup(expr: string, timeZone: string, now: Date): Date | null {
  const today = localDate(now, timeZone);
  const due = occurrences(expr, timeZone, addDays(today, -7), today).filter((t) => t <= now);
  return due.at(-1) ?? null;
}

/** Whether a backup is owed at start-up: its time came and no good one was made since. */
export function backupOwed(expr: string, timeZone: string, now: Date, lastGood: Date | null): boolean {
  const due = lastDueBackup(expr, timeZone, now);
  return due !== null && (lastGood === null || lastGood < due);
}

export function startBackupSchedule(env: ScheduleEnv): BackupSchedule {
  const now = env.now ?? (() => new Date());
  const { schedule } = env.backup;
  let running: Promise<void> | null = null;

  const once = (why: string): Promise<void> => {
    // One at a time: a slow backup overlapping the next minute's is skipped, not doubled.
    if (running) return running;
    running = runChild(env, why).finally(() => {
      running = null;
    });
    return running;
  };

  const task: ScheduledTask = cron.schedule(schedule, () => void once("scheduled"), {
    timezone: env.timeZone,
    name: "backup",
    noOverlap: true,
  });
  const owed = backupOwed(schedule, env.timeZone, now(), env.lastGood());
  const caughtUp = owed ? once("caught up: none since its last scheduled time") : Promise.resolve();

  return {
    caughtUp,
    next() {
      const today = localDate(now(), env.timeZone);
      return occurrences(schedule, env.timeZone, today, addDays(today, 8)).find((t) => t > now()) ?? null;
    },
    async stop() {
      await task.destroy();
      // A backup half made is worth finishing: it is a separate process, waited for, not killed.
      if (running) await running;
    },
  };
}

function runChild(env: ScheduleEnv, why: string): Promise<void> {
  return new Promise<void>((done) => {
    const child = spawn(process.execPath, [resolve(PACKAGE_ROOT, "bin/sos.js"), "backup", "--scheduled"], {
      env: { ...process.env, SOS_DB: env.dbPath, SOS_CONFIG: env.configPath },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on("data", (b: Buffer) => {
      err += b.toString();
    });
    child.once("error", (e) => {
      env.log(`sos: backup failed: could not start it (${e.message})`);
      done();
    });
    child.once("close", (code) => {
      if (code === 0) {
        const first = (out.split("\n")[0] ?? "").replace(/\.$/, "");
        env.say(`Backup:    ${first} (${why}).`);
      } else {
        // The child has recorded why in the ledger; this is the one line for whoever reads the log.
        const reason =
          err
            .trim()
            .split("\n")
            .at(-1)
            ?.replace(/^sos: (backup failed: )?/, "") ?? "";
        env.log(`sos: backup failed: ${reason || `exit code ${code}`}`);
      }
      done();
    });
  });
}

/**
 * The schedule for `sos start`, with the banner line that says it: started when the config has a
 * backup schedule, otherwise only the line saying there is none.
 */
export function scheduleBackups(opts: {
  backup: BackupConfig | null;
  timeZone: string;
  dbPath: string;
  configPath: string;
  lastGood: () => Date | null;
  say: (line: string) => void;
  log: (line: string) => void;
  local: (d: Date) => string;
  shown: (path: string) => string;
}): { line: string; stop(): Promise<void> } {
  const { backup } = opts;
  if (!backup || backup.schedule === null)
    return {
      line: backup
        ? `Backups:   no schedule (backup.schedule: off); \`sos backup\` writes one into ${opts.shown(backup.dir)}`
        : "Backups:   none scheduled (config backup: { dir, keep, schedule }); `sos backup --out FILE` makes one now",
      stop: async () => {},
    };
  const schedule = startBackupSchedule({ ...opts, backup: { ...backup, schedule: backup.schedule } });
  const next = schedule.next();
  return {
    line: `Backups:   ${backup.schedule} into ${opts.shown(backup.dir)}, keeping ${backup.keep}; next ${next ? opts.local(next) : "not within a week"}`,
    stop: () => schedule.stop(),
  };
}
