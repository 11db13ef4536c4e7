import type { Ctx } from "../commands/ctx.ts";
import type { Org } from "../config/org.ts";
import type { Leaver } from "../domain/leavers.ts";
import { leaversWithOpenCases } from "../store/leavers.ts";
import { type AgencyRecord, holdsRecords, readAgency, writeAgency } from "../store/meta.ts";
import type { Store } from "../store/open.ts";
import { needsAcceptance, type SyncPlan, syncOrg } from "../store/org-sync.ts";
import { createRepo } from "../store/repo.ts";
import { sqliteRecords } from "../store/sqlite-records.ts";
import { type Clock, today } from "./clock.ts";
import { createPeople } from "./people.ts";
import { staffRefusal, wrongAgency } from "./refusals.ts";

export type { Ctx };

/**
 * The context over the database as it is: writes nothing, so it serves the read-only commands as
 * well as the ones that sync first. People are the config's staff who have an active row (matched
 * by email); anyone in the config but not yet in the database is unknown until the next sync.
 */
export function readContext(org: Org, store: Store, clock: Clock): Ctx {
  const repo = createRepo(store);
  const rows = repo.staff.all();
  const ids = new Map(rows.filter((r) => r.active).map((r) => [r.email, r.id]));
  const people = createPeople(org, ids, rows);
  return {
    org,
    records: sqliteRecords(repo),
    store,
    repo,
    people,
    clock,
    today: () => today(clock, org.agency.timeZone),
  };
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
