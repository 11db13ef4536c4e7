import type { Ctx } from "../commands/ctx.ts";
import type { Org } from "../config/org.ts";
import type { Store } from "../store/open.ts";
import { syncOrg } from "../store/org-sync.ts";
import { createRepo } from "../store/repo.ts";
import { sqliteRecords } from "../store/sqlite-records.ts";
import { type Clock, today } from "./clock.ts";
import { createPeople } from "./people.ts";

export type { Ctx };

export function createContext(org: Org, store: Store, clock: Clock): Ctx {
  const ids = syncOrg(store, org);
  const repo = createRepo(store);
  const people = createPeople(org, ids, repo.staff.all());
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
