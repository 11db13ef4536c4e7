import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { ConfigError, readConfig } from "../config/load.ts";
import type { Org } from "../config/org.ts";
import { type ReloadRecord, recordReload } from "../store/config-reload.ts";
import { type AgencyRecord, readAgency, writeAgency } from "../store/meta.ts";
import { isBusy } from "../store/open.ts";
import { needsAcceptance, type SyncPlan, syncOrg } from "../store/org-sync.ts";
import { configChanges } from "./config-changes.ts";
import { type Ctx, type LiveConfig, type Settled, settle } from "./context.ts";
import { shown } from "./paths.ts";
import { staffRefusal } from "./refusals.ts";

/** What set a reload off: a changed file (the watcher), or SIGHUP. */
export type ReloadTrigger = "file" | "signal";

export type ReloadResult =
  /** a file event whose files hold what the last reload already read: nothing to do */
  | { readonly kind: "same" }
  | { readonly kind: "applied"; readonly changes: readonly string[]; readonly line: string }
  | { readonly kind: "refused"; readonly problems: readonly string[]; readonly line: string };

export interface Reloader {
  reload(trigger: ReloadTrigger): ReloadResult;
  /** the files to watch: the config, and the staff file it names (even while it can't be used) */
  files(): string[];
}

export interface ReloaderDeps {
  readonly configPath: string;
  /** the live context (`liveContext`) and the config it reads through */
  readonly ctx: Ctx;
  readonly config: LiveConfig;
  /** one line per reload, applied or refused */
  readonly log: (line: string) => void;
  /** the instant recorded for `sos config check` (default: the machine's clock) */
  readonly now?: () => Date;
  /** the process, for the sentence saying how to reload it after accepting staff changes */
  readonly pid?: number;
  /** after a new config is in place: rescheduling the digests */
  readonly applied?: (before: Org, after: Org) => void;
}

const WHY: Record<ReloadTrigger, string> = { file: "a file changed", signal: "SIGHUP" };
/** How many problems the log line names; `sos config check` lists them all. */
const LOGGED_PROBLEMS = 3;

/**
 * Reloads the running app's config: the config and staff file are read and checked as at start
 * (the same `loadOrg`), the agency must be the database's and the time zone the running one, and
 * the staff sync must pass its guard; then teams and staff are synced, and the outcome recorded, in
 * one transaction, and only then is the new config swapped in whole. Anything refused leaves the
 * database and the running config as they were. Synchronous from reading the files to the swap, so
 * no request is served between the sync and the swap.
 */
export function createReloader(deps: ReloaderDeps): Reloader {
  const { ctx, config, configPath } = deps;
  const store = ctx.store;
  const now = deps.now ?? (() => new Date());
  const pid = deps.pid ?? process.pid;
  const files = reloadReader(configPath, config);

  function refuse(trigger: ReloadTrigger, problems: readonly string[]): ReloadResult {
    const line = refusalLine(trigger, problems);
    try {
      recordReload(store, { at: now().toISOString(), trigger, applied: false, summary: line, problems });
    } catch (e) {
      if (!isBusy(e)) throw e;
      deps.log("config: the database was busy, so this refusal is not recorded for sos config check");
    }
    deps.log(line);
    return { kind: "refused", problems, line };
  }

  function reload(trigger: ReloadTrigger): ReloadResult {
    const read = files.read(trigger);
    if (read.kind === "same") return read;
    if (read.kind === "refused") return refuse(trigger, read.problems);
    const { before, next } = read;
    const problems = unchangeable(next, {
      agency: readAgency(store) ?? before.agency,
      timeZone: before.agency.timeZone,
    });
    if (problems.length > 0) return refuse(trigger, problems);

    let done: { settled: Settled; changes: string[] };
    try {
      done = store.sqlite
        .transaction(() => {
          syncOrg(store, next, (p) => {
            if (needsAcceptance(p)) throw new Refused([acceptance(next, p, pid)]);
          });
          if (before.agency.name !== next.agency.name) writeAgency(store, next.agency, now().toISOString());
          const changes = configChanges(before, next);
          recordReload(store, appliedRecord(now(), trigger, changes));
          return { settled: settle(next, store), changes };
        })
        .immediate();
    } catch (e) {
      if (e instanceof Refused) return refuse(trigger, e.problems);
      if (isBusy(e)) {
        // The files were fine: the same bytes saved again must be tried again.
        files.retry();
        return refuse(trigger, [BUSY]);
      }
      throw e;
    }
    config.swap(done.settled);
    deps.applied?.(before, next);
    const line = appliedLine(configPath, trigger, done.changes);
    deps.log(line);
    return { kind: "applied", changes: done.changes, line };
  }

  return { reload, files: files.files };
}

/** The database refused the write for now: the same bytes are tried again on the next save or signal. */
export const BUSY =
  "the database was busy (another sos command was writing), so nothing was changed; send SIGHUP or save the file again to try again";

/** A reason a reload is refused, with what to do; thrown inside the transaction to write nothing. */
export class Refused extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("; "));
    this.name = "Refused";
  }
}

/** What the files say now, before the database is asked: nothing new, unusable, or a config to apply. */
export type ReloadRead =
  | { readonly kind: "same" }
  | { readonly kind: "refused"; readonly problems: readonly string[] }
  | { readonly kind: "ready"; readonly before: Org; readonly next: Org };

/**
 * The store-neutral half of a reload: the config and the staff file it names read and checked as at
 * start (the same `loadOrg`), and whether they hold anything the last reload did not read. Both
 * stores' reloaders start here, so a reload checks and says the same on either.
 */
export function reloadReader(
  configPath: string,
  config: LiveConfig,
): { read(trigger: ReloadTrigger): ReloadRead; retry(): void; files(): string[] } {
  // At start the config was read a moment ago: the staff file it names is the org's. Reading the
  // file again to find it parsed a large agency's YAML twice more before serving (0.5-0.7 s each
  // under load); it is read afresh at each reload, when the file may name another.
  let watched = config.current().org.staffFile;
  let lastRead = fingerprint([configPath, watched]);
  return {
    read(trigger) {
      // One read and one parse of the config for both the staff file it names and the org it makes.
      const file = readConfig(configPath);
      watched = file.staffFile ?? config.current().org.staffFile;
      // The config's bytes as parsed, not read again: an edit landing in between is seen next time.
      const read = fingerprint([configPath, watched], file.bytes);
      // Editors save in several steps and the watcher sees each; a signal always reloads.
      if (trigger === "file" && read === lastRead) return { kind: "same" };
      lastRead = read;
      const before = config.current().org;
      try {
        return { kind: "ready", before, next: file.org() };
      } catch (e) {
        if (e instanceof ConfigError) return { kind: "refused", problems: e.problems };
        const code = (e as NodeJS.ErrnoException).code;
        return {
          kind: "refused",
          problems: [`the config could not be read (${code ?? (e instanceof Error ? e.name : "error")})`],
        };
      }
    },
    retry() {
      lastRead = "";
    },
    files: () => [configPath, watched].filter((f): f is string => f !== null),
  };
}

/** The one line a refused reload logs, and the summary `sos config check` shows. */
export function refusalLine(trigger: ReloadTrigger, problems: readonly string[]): string {
  const shownProblems = problems.slice(0, LOGGED_PROBLEMS).join("; ");
  const more = problems.length > LOGGED_PROBLEMS ? `; and ${problems.length - LOGGED_PROBLEMS} more` : "";
  return `config: not reloaded (${WHY[trigger]}), the running config stays as it was: ${shownProblems}${more} (sos config check shows ${problems.length === 1 ? "it" : "them all"})`;
}

/** The one line an applied reload logs. */
export function appliedLine(configPath: string, trigger: ReloadTrigger, changes: readonly string[]): string {
  return `config: reloaded ${shown(configPath)} (${WHY[trigger]}): ${changes.length === 0 ? "nothing changed" : changes.join(", ")}`;
}

/** An applied reload as recorded, inside its own transaction. */
export function appliedRecord(at: Date, trigger: ReloadTrigger, changes: readonly string[]): ReloadRecord {
  return {
    at: at.toISOString(),
    trigger,
    applied: true,
    summary: changes.length === 0 ? "nothing changed" : changes.join(", "),
    problems: [],
  };
}

/**
 * What a reload may not change, whatever the files say: the agency (a database keeps one), and the
 * time zone (the digests' periods and "today" are keyed on it while the app runs).
 */
export function unchangeable(
  next: Org,
  running: { readonly agency: AgencyRecord; readonly timeZone: string | null },
): string[] {
  const { agency } = running;
  if (next.agency.id !== agency.id)
    return [
      `agency.id: the config is now for ${next.agency.name} (agency id ${next.agency.id}), but the running app and its database belong to ${agency.name} (agency id ${agency.id}); a database keeps one agency`,
    ];
  if (running.timeZone !== null && next.agency.timeZone !== running.timeZone)
    return [
      `agency.timeZone: ${next.agency.timeZone} instead of ${running.timeZone}; the digests' weeks and "today" follow the time zone the app started with, so restart sos start to change it`,
    ];
  return [];
}

/** The staff guard's refusal, saying how to accept the changes for the app that is running. */
export function acceptance(org: Org, plan: SyncPlan, pid: number): string {
  const sentence = staffRefusal(org, plan, "sync").message.replace(/\.$/, "");
  return `${sentence}, then reload the app (kill -HUP ${pid}); or restart it with \`sos start --accept-staff-changes\``;
}

/** The files' bytes, hashed: whether what a file event points at is new. */
/** `firstRead`: the first file's bytes as already read (null: it could not be), so they are not read again. */
function fingerprint(files: readonly (string | null)[], firstRead?: Buffer | null): string {
  const h = createHash("sha256");
  for (const [i, f] of files.entries()) {
    if (f === null) continue;
    h.update(f);
    try {
      if (i === 0 && firstRead !== undefined) {
        if (firstRead === null) throw new Error("missing");
        h.update(firstRead);
      } else h.update(readFileSync(f));
    } catch {
      h.update("\0missing");
    }
  }
  return h.digest("hex");
}
