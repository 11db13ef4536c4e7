import { type Clock, today } from "../commands/clock.ts";
import type { Ctx } from "../commands/ctx.ts";
import { createPeople, type People } from "../commands/directory.ts";
import type { Org } from "../config/org.ts";
import type { Leaver } from "../domain/leavers.ts";
import { sqliteLedger } from "../store/digests.ts";
import { leaversWithOpenCases } from "../store/leavers.ts";
import type { DigestLedger } from "../store/ledger.ts";
import { type AgencyRecord, holdsRecords, readAgency, writeAgency } from "../store/meta.ts";
import type { Store } from "../store/open.ts";
import { needsAcceptance, type SyncPlan, syncOrg } from "../store/org-sync.ts";
import type { Records } from "../store/records.ts";
import { createRepo, type Repo } from "../store/repo.ts";
import { sqliteRecords } from "../store/sqlite-records.ts";
import { staffRefusal, wrongAgency } from "./refusals.ts";

export type { Ctx };

/** One whole config as the app runs it: the org, and the people it makes of the database's staff. */
export interface Settled {
  readonly org: Org;
  readonly people: People;
}

/**
 * The config the running app serves, replaced whole by a reload. Everything reads it through the
 * live context (`liveContext`), so a person added is known on the next message; a command pins it
 * at its start (`Ctx.pin`), so a swap while it runs is never half seen.
 */
export interface LiveConfig {
  current(): Settled;
  swap(next: Settled): void;
}

/**
 * People are the config's staff who have an active row (matched by email); anyone in the config
 * but not yet in the database is unknown until the next sync. Reads only.
 */
export function settle(org: Org, store: Store, repo: Repo = createRepo(store)): Settled {
  const rows = repo.staff.all();
  const ids = new Map(rows.filter((r) => r.active).map((r) => [r.email, r.id]));
  return { org, people: createPeople(org, ids, rows) };
}

interface Parts {
  readonly records: Records;
  readonly ledger: DigestLedger;
  readonly store: Store;
  readonly repo: Repo;
  readonly clock: Clock;
}

function fixedContext({ org, people }: Settled, parts: Parts): Ctx {
  return {
    org,
    people,
    ...parts,
    today: () => today(parts.clock, org.agency.timeZone),
    pin() {
      return this;
    },
  };
}

/**
 * The context over the database as it is: writes nothing, so it serves the read-only commands as
 * well as the ones that sync first. Its config is the one given, for the life of the command.
 */
export function readContext(org: Org, store: Store, clock: Clock): Ctx {
  const repo = createRepo(store);
  return fixedContext(settle(org, store, repo), {
    records: sqliteRecords(repo),
    ledger: sqliteLedger(repo.digests),
    store,
    repo,
    clock,
  });
}

/**
 * The running app's context: `org` and `people` are whatever the live config holds now, read at
 * each use, so the adapters, the server and the digests built at start see a reloaded config.
 */
export function liveContext(start: Ctx): { ctx: Ctx; config: LiveConfig } {
  let current: Settled = { org: start.org, people: start.people };
  const parts: Parts = {
    records: start.records,
    ledger: start.ledger,
    store: start.store,
    repo: start.repo,
    clock: start.clock,
  };
  const config: LiveConfig = {
    current: () => current,
    swap(next) {
      current = next;
    },
  };
  const ctx: Ctx = {
    get org() {
      return current.org;
    },
    get people() {
      return current.people;
    },
    ...parts,
    today: () => today(parts.clock, current.org.agency.timeZone),
    pin: () => fixedContext(current, parts),
  };
  return { ctx, config };
}

/** What setting up a database for a config did: the agency line, the sync, who left holding cases. */
export interface SetUp {
  /** `recorded` new, `adopted` by a database made before agencies were kept, `renamed`, or `same` */
  readonly agency: "recorded" | "adopted" | "renamed" | "same";
  readonly previous: AgencyRecord | null;
  readonly sync: SyncPlan;
  readonly leavers: readonly Leaver[];
}

export interface SetUpOptions {
  /** allow a sync that marks a quarter or more of the staff, or a whole team, as gone */
  readonly acceptStaffChanges?: boolean;
  /** the `sos` command, for the sentence that says how to accept the changes */
  readonly command?: string;
}

/**
 * Claims the database for the config's agency (or checks it is that agency's) and writes its teams
 * and staff, in one transaction: a config for another agency, or a sync that needs accepting,
 * changes nothing. Only the commands that set up (start, migrate, sync, demo) and tests call this.
 */
export function syncContext(
  org: Org,
  store: Store,
  clock: Clock,
  opts: SetUpOptions = {},
): { ctx: Ctx; setUp: SetUp } {
  const setUp = store.sqlite
    .transaction((): SetUp => {
      const previous = readAgency(store);
      if (previous && previous.id !== org.agency.id) throw wrongAgency(store.path, org, previous);
      const agency: SetUp["agency"] =
        previous === null
          ? holdsRecords(store)
            ? "adopted"
            : "recorded"
          : previous.name !== org.agency.name
            ? "renamed"
            : "same";
      if (agency !== "same") writeAgency(store, org.agency, clock.now().toISOString());
      const sync = syncOrg(store, org, (plan) => {
        if (needsAcceptance(plan) && !opts.acceptStaffChanges)
          throw staffRefusal(org, plan, opts.command ?? "sync");
      });
      return { agency, previous, sync, leavers: leaversWithOpenCases(store, org) };
    })
    .immediate();
  return { ctx: readContext(org, store, clock), setUp };
}
