import { existsSync } from "node:fs";
import { loadOrg } from "../config/load.ts";
import type { Org } from "../config/org.ts";
import { isIsoDate } from "../domain/dates.ts";
import {
  backupBeforeMigration,
  type PreMigrationBackup,
  recordPreMigrationBackup,
} from "../lifetime/pre-migration.ts";
import { type AgencyRecord, countCases, readAgency, type SchemaState, schemaState } from "../store/meta.ts";
import { openStore, type Store } from "../store/open.ts";
import { openStoreReadOnly } from "../store/open-readonly.ts";
import { needsAcceptance, planSync, readOrgRows } from "../store/org-sync.ts";
import { type Clock, dayClock, shiftedClock, systemClock } from "./clock.ts";
import { type Ctx, readContext, type SetUp, syncContext } from "./context.ts";
import { DEMO_CONFIG, shown } from "./paths.ts";
import {
  noAgencyRecorded,
  noDatabase,
  notADatabase,
  notSetUp,
  schemaAhead,
  schemaBehind,
  staffRefusal,
  wrongAgency,
} from "./refusals.ts";
import { UsageError } from "./usage-error.ts";

export { UsageError };

/**
 * How a command opens the database. Each `sos` command picks one:
 * - `read`: read-only (dashboard, stuck, export, digest status, digest run --dry-run, sync --dry-run).
 *   The driver refuses writes; no migration, no sync; the schema must be current and the agency the
 *   config's.
 * - `records`: for commands that add records but must not reshape the database (chat, digest run):
 *   read-write, but the same checks as `read` and no migration or sync.
 * - `setup`: start, migrate, sync and demo: creates or migrates the database, records or checks its
 *   agency and syncs the config's staff, refusing a sync that needs `--accept-staff-changes`.
 */
export type Opening =
  | { readonly mode: "read" }
  | { readonly mode: "records" }
  | { readonly mode: "setup"; readonly command: string; readonly acceptStaffChanges?: boolean };

export interface Booted {
  readonly ctx: Ctx;
  /** the database had no cases before this start */
  readonly emptyDb: boolean;
  /** running the demo agency on its 2016 calendar (see `shiftedClock`) */
  readonly demoClock: boolean;
  /** what setting up did (setup only) */
  readonly setUp?: SetUp;
  /** the checked copy made before migrating a database that holds records (setup only) */
  readonly backedUp?: PreMigrationBackup;
}

/**
 * The day to act as: `--today`, else `SOS_TODAY`, else the real clock. For demos and tests, so the
 * seed's 2016 cases can be seen as they were.
 */
export function chooseClock(todayFlag: string | undefined, env: NodeJS.ProcessEnv, timeZone: string): Clock {
  const t = todayFlag ?? env.SOS_TODAY;
  if (t === undefined || t === "") return systemClock;
  if (!isIsoDate(t)) {
    throw new UsageError(
      `${todayFlag !== undefined ? "--today" : "SOS_TODAY"} must be a real date written YYYY-MM-DD, like 2016-03-01 (got "${t}")`,
    );
  }
  return dayClock(t, timeZone);
}

/** The demo agency's day: the seed document's sample rows are from early 2016. */
export const DEMO_TODAY = "2016-03-01";

/** What an existing database holds, read without writing: for checks made before anything is written. */
export interface Inspection {
  readonly schema: SchemaState;
  readonly agency: AgencyRecord | null;
  readonly cases: number;
}

/** null when there is no database file yet. */
export function inspectDatabase(dbPath: string): Inspection | null {
  if (dbPath === ":memory:" || !existsSync(dbPath)) return null;
  const store = openReadOnly(dbPath);
  try {
    return inspect(store);
  } finally {
    store.close();
  }
}

export function boot(opts: {
  configPath: string;
  dbPath: string;
  today?: string;
  env: NodeJS.ProcessEnv;
  open: Opening;
}): Booted {
  const org = loadOrg(opts.configPath);
  const demo = opts.configPath === DEMO_CONFIG && opts.today === undefined && !opts.env.SOS_TODAY;
  const clock = demo
    ? shiftedClock(DEMO_TODAY, org.agency.timeZone)
    : chooseClock(opts.today, opts.env, org.agency.timeZone);
  const { open } = opts;
  if (open.mode === "setup") {
    // Every check that can be made without writing is made first, so a wrong config is refused
    // before the database is even migrated. The transaction in `syncContext` checks again.
    const before = inspectDatabase(opts.dbPath);
    if (before) {
      if (before.schema === "ahead") throw schemaAhead(opts.dbPath);
      if (before.agency && before.agency.id !== org.agency.id)
        throw wrongAgency(opts.dbPath, org, before.agency);
      refuseUnacceptedSync(opts.dbPath, org, before, open);
    }
    const backedUp = before?.schema === "behind" ? backUpFirst(opts.dbPath, org) : null;
    const store = openStore(opts.dbPath);
    try {
      if (backedUp) recordPreMigrationBackup(store, backedUp);
      const { ctx, setUp } = syncContext(org, store, clock, {
        command: open.command,
        acceptStaffChanges: open.acceptStaffChanges === true,
      });
      return {
        ctx,
        emptyDb: countCases(store) === 0,
        demoClock: demo,
        setUp,
        ...(backedUp ? { backedUp } : {}),
      };
    } catch (e) {
      store.close();
      throw e;
    }
  }

  if (!existsSync(opts.dbPath)) throw noDatabase(opts.dbPath);
  const reader = openReadOnly(opts.dbPath);
  try {
    checkReadable(opts.dbPath, org, inspect(reader));
  } catch (e) {
    reader.close();
    throw e;
  }
  let store: Store = reader;
  if (open.mode === "records") {
    reader.close();
    // The schema is current (checked above), so opening for writing applies no migration.
    store = openStore(opts.dbPath);
  }
  const ctx = readContext(org, store, clock);
  return { ctx, emptyDb: countCases(store) === 0, demoClock: demo };
}

/** A migration rewrites tables: a database holding records is copied and checked first, or not migrated. */
function backUpFirst(dbPath: string, org: Org): PreMigrationBackup | null {
  try {
    return backupBeforeMigration(dbPath, org);
  } catch (e) {
    throw new UsageError(
      `${shown(dbPath)} needs migrating, but it could not be backed up first, so nothing was changed: ${e instanceof Error ? e.message : String(e)}. Free some space or set backup.dir, then try again.`,
    );
  }
}

function openReadOnly(dbPath: string): Store {
  try {
    return openStoreReadOnly(dbPath);
  } catch (e) {
    throw plainOpenError(dbPath, e);
  }
}

function inspect(store: Store): Inspection {
  try {
    const schema = schemaState(store);
    return {
      schema,
      agency: schema === "none" ? null : readAgency(store),
      cases: schema === "none" ? 0 : countCases(store),
    };
  } catch (e) {
    throw plainOpenError(store.path, e);
  }
}

function plainOpenError(dbPath: string, e: unknown): unknown {
  const code = (e as { code?: unknown }).code;
  return code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT" ? notADatabase(dbPath) : e;
}

function checkReadable(dbPath: string, org: Org, found: Inspection): void {
  if (found.schema === "none") throw notSetUp(dbPath);
  if (found.schema === "ahead") throw schemaAhead(dbPath);
  // Checked before "behind": a database made before agencies were kept is behind and has none.
  if (found.agency && found.agency.id !== org.agency.id) throw wrongAgency(dbPath, org, found.agency);
  if (found.schema === "behind") throw schemaBehind(dbPath);
  if (!found.agency) throw noAgencyRecorded(dbPath);
}

/** The staff check made before migrating, from the rows as they are. */
function refuseUnacceptedSync(
  dbPath: string,
  org: Org,
  found: Inspection,
  open: Extract<Opening, { mode: "setup" }>,
): void {
  if (found.schema === "none" || open.acceptStaffChanges) return;
  const store = openReadOnly(dbPath);
  try {
    const plan = planSync(readOrgRows(store), org);
    if (needsAcceptance(plan)) throw staffRefusal(org, plan, open.command);
  } finally {
    store.close();
  }
}
