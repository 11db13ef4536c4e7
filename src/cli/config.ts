import { existsSync } from "node:fs";
import { resolveConfigPath, resolveDbPath, shown } from "../app/paths.ts";
import { notADatabase, staffRefusal, wrongAgency } from "../app/refusals.ts";
import { acceptance, unchangeable } from "../app/reload.ts";
import { syncSummary } from "../app/set-up-report.ts";
import { chosenStore } from "../app/store-choice.ts";
import { UsageError } from "../app/usage-error.ts";
import type { Org } from "../config/org.ts";
import { readReloadState } from "../store/config-reload.ts";
import { readAgency, schemaState } from "../store/meta.ts";
import type { Store } from "../store/open.ts";
import { openStoreReadOnly } from "../store/open-readonly.ts";
import { changesNothing, needsAcceptance, planSync, readOrgRows } from "../store/org-sync.ts";
import type { ConfigReloadRow } from "../store/schema.ts";
import { readArgs } from "./args.ts";
import { readConfigFiles, runningAppLines, verdictLines, when } from "./config-lines.ts";

/** `sos config check`, on the SQLite file or, with DATABASE_URL, on PostgreSQL (`config-pg.ts`). */
export async function config(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== "check")
    throw new UsageError(`sos config needs check${sub ? `, not "${sub}"` : ""}. See \`sos config --help\`.`);
  readArgs("config", rest, {});
  const chosen = chosenStore(process.env);
  if (chosen.kind === "postgres") {
    // Loaded only here: a check of the SQLite file never pays for the pg driver.
    const { checkOnPg } = await import("./config-pg.ts");
    return checkOnPg(chosen.url, resolveConfigPath(process.env, process.cwd()));
  }
  return check();
}

/**
 * Checks the config and its staff file as the running app would before applying them (the same
 * loading, the agency, the time zone it started with, the staff guard), prints every problem, and
 * says how the running app's last reload went. Reads only: the database is opened read-only.
 * Exit 0 when the files can be used as they are, 1 when not.
 */
function check(): number {
  const configPath = resolveConfigPath(process.env, process.cwd());
  const dbPath = resolveDbPath(process.env, process.cwd());
  const { org, problems } = readConfigFiles(configPath);
  const store = dbPath !== ":memory:" && existsSync(dbPath) ? openReadOnly(dbPath) : null;
  try {
    const state = store ? readReloadState(store) : null;
    const running = state && isRunning(state.pid) ? state : null;
    let staff: string | null = null;
    if (org && store && schemaState(store) !== "none") {
      const agency = readAgency(store);
      if (agency && agency.id !== org.agency.id) problems.push(wrongAgency(dbPath, org, agency).message);
      else if (running)
        problems.push(...unchangeable(org, { agency: agency ?? org.agency, timeZone: running.timeZone }));
      if (problems.length === 0) {
        const plan = planSync(readOrgRows(store), org);
        if (needsAcceptance(plan))
          problems.push(
            running ? acceptance(org, plan, running.pid) : staffRefusal(org, plan, "sync").message,
          );
        else
          staff = changesNothing(plan)
            ? "the database already has these teams and staff"
            : `a reload or sync now would change: ${syncSummary(plan)}`;
      }
    }
    const out = [
      ...verdictLines(configPath, org, problems, staff),
      ...runningLines(store, dbPath, state, running !== null, org),
    ];
    process.stdout.write(`${out.join("\n")}\n`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    store?.close();
  }
}

function runningLines(
  store: Store | null,
  dbPath: string,
  state: ConfigReloadRow | null,
  running: boolean,
  org: Org | null,
): string[] {
  if (!store) return [`Running:   no database at ${shown(dbPath)} yet, so no app has run on it.`];
  if (!state) return [`Running:   no sos start has run on ${shown(dbPath)} since reloads were kept.`];
  if (!running)
    return [
      `Running:   no sos start is running on ${shown(dbPath)} now (the last one, pid ${state.pid}, started ${when(state.startedAt, org)}).`,
    ];
  return runningAppLines(state, `pid ${state.pid}`, org);
}

/** Whether the process that recorded itself is still there (EPERM: there, under another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function openReadOnly(dbPath: string): Store {
  try {
    return openStoreReadOnly(dbPath);
  } catch {
    throw notADatabase(dbPath);
  }
}
