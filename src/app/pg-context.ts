import { type Clock, shiftedClock, today } from "../commands/clock.ts";
import type { Ctx } from "../commands/ctx.ts";
import { createPeople } from "../commands/directory.ts";
import { loadOrg } from "../config/load.ts";
import type { Org } from "../config/org.ts";
import type { Store } from "../store/open.ts";
import { needsAcceptance, planSync } from "../store/org-sync.ts";
import { pgLedger } from "../store/pg/digests.ts";
import { migratePg, openPgStore, type PgStore, pgSchemaState } from "../store/pg/open.ts";
import { pgRecords } from "../store/pg/records.ts";
import { pgAgency, pgLeavers, pgOrgRows, pgStaffRows, setUpPg } from "../store/pg/setup.ts";
import type { Repo } from "../store/repo.ts";
import { chooseClock, DEMO_TODAY, type Opening } from "./boot.ts";
import type { SetUp } from "./context.ts";
import { DEMO_CONFIG } from "./paths.ts";
import {
  noAgencyRecorded,
  notSetUp,
  schemaAhead,
  schemaBehind,
  staffRefusal,
  wrongAgency,
} from "./refusals.ts";

/**
 * What is not on PostgreSQL yet: the SQLite file's own handles (`Ctx.store`, `Ctx.repo`), which the
 * command-line tools not on PostgreSQL (backup, restore, demo, config check) still use synchronously. On PostgreSQL they are this: any use says plainly what it was, so a
 * part that has not moved onto `Records` fails loudly instead of reading an empty or another file.
 */
export class NotOnPostgres extends Error {
  override name = "NotOnPostgres";
}

function absent<T extends object>(what: string): T {
  return new Proxy(Object.create(null) as T, {
    get(_target, key) {
      throw new NotOnPostgres(
        `${what}.${String(key)} reads the SQLite file, which this app does not have: it runs on PostgreSQL (DATABASE_URL), where this part is not served yet`,
      );
    },
  });
}

export interface PgSetUpOptions {
  readonly acceptStaffChanges?: boolean;
  readonly command?: string;
}

/** The context over a PostgreSQL database as it is: the database's staff matched to the config's. */
export async function pgReadContext(org: Org, store: PgStore, clock: Clock): Promise<Ctx> {
  const rows = await pgStaffRows(store);
  const ids = new Map(rows.filter((r) => r.active).map((r) => [r.email, r.id]));
  const ctx: Ctx = {
    org,
    people: createPeople(org, ids, rows),
    records: pgRecords(store),
    ledger: pgLedger(store),
    store: absent<Store>("ctx.store"),
    repo: absent<Repo>("ctx.repo"),
    clock,
    today: () => today(clock, org.agency.timeZone),
    pin: () => ctx,
  };
  return ctx;
}

/**
 * Claims a PostgreSQL database for the config's agency and syncs the staff (refusing another
 * agency's database, or a sync that needs accepting, before writing anything), then gives the
 * context that serves the chat commands through `pgRecords`: the command layer cannot tell it from
 * SQLite.
 */
export async function pgContext(
  org: Org,
  store: PgStore,
  clock: Clock,
  opts: PgSetUpOptions = {},
): Promise<{ ctx: Ctx; setUp: SetUp }> {
  const done = await setUpPg(store, org, clock.now().toISOString(), (previous, plan) => {
    if (previous && previous.id !== org.agency.id) throw wrongAgency(store.shown, org, previous);
    if (previous && opts.acceptStaffChanges !== true && needsAcceptance(plan))
      throw staffRefusal(org, plan, opts.command ?? "sync");
  });
  const setUp: SetUp = { ...done, leavers: await pgLeavers(store, org) };
  return { ctx: await pgReadContext(org, store, clock), setUp };
}

/**
 * `sos` on PostgreSQL (`DATABASE_URL`), opened as the command says, with the same checks as on
 * SQLite: `setup` migrates, claims the agency and syncs staff; `records` writes records only, on a
 * database whose schema is current and whose agency is the config's; `read` is `records` on
 * read-only connections.
 */
export async function bootPg(opts: {
  url: string;
  configPath: string;
  today?: string;
  env: NodeJS.ProcessEnv;
  open: Opening;
}): Promise<{ ctx: Ctx; store: PgStore; setUp?: SetUp }> {
  const org = loadOrg(opts.configPath);
  const demo = opts.configPath === DEMO_CONFIG && opts.today === undefined && !opts.env.SOS_TODAY;
  const clock = demo
    ? shiftedClock(DEMO_TODAY, org.agency.timeZone)
    : chooseClock(opts.today, opts.env, org.agency.timeZone);
  const { open } = opts;
  // Not migrated on opening: a set-up migrates only once the checks below let it.
  const store = await openPgStore(opts.url, { migrate: false, readOnly: open.mode === "read" });
  try {
    if (open.mode === "setup") {
      await refuseBeforeMigrating(store, org, open);
      await migratePg(store.pool);
      const { ctx, setUp } = await pgContext(org, store, clock, {
        command: open.command,
        acceptStaffChanges: open.acceptStaffChanges === true,
      });
      return { ctx, store, setUp };
    }
    const schema = await pgSchemaState(store.pool);
    if (schema === "none") throw notSetUp(store.shown);
    if (schema === "ahead") throw schemaAhead(store.shown);
    const agency = await pgAgency(store);
    if (agency && agency.id !== org.agency.id) throw wrongAgency(store.shown, org, agency);
    if (schema === "behind") throw schemaBehind(store.shown);
    if (!agency) throw noAgencyRecorded(store.shown);
    return { ctx: await pgReadContext(org, store, clock), store };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/**
 * A set-up's checks that can be made before anything is written, as `boot` makes them on SQLite: a
 * schema from a newer version, another agency's database, or a sync that needs accepting is refused
 * with the database as it was, not migrated first. The set-up's transaction checks again, under its
 * lock, on the rows it then writes.
 */
async function refuseBeforeMigrating(
  store: PgStore,
  org: Org,
  open: Extract<Opening, { mode: "setup" }>,
): Promise<void> {
  const schema = await pgSchemaState(store.pool);
  if (schema === "none") return;
  if (schema === "ahead") throw schemaAhead(store.shown);
  // Every schema since the first has the agency, teams and staff with these columns.
  const agency = await pgAgency(store);
  if (!agency) return;
  if (agency.id !== org.agency.id) throw wrongAgency(store.shown, org, agency);
  if (open.acceptStaffChanges) return;
  const plan = planSync(await pgOrgRows(store), org);
  if (needsAcceptance(plan)) throw staffRefusal(org, plan, open.command);
}
