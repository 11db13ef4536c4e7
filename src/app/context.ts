import type { Org } from "../config/org.ts";
import type { Store } from "../store/open.ts";
import { syncOrg } from "../store/org-sync.ts";
import { createRepo, type Repo } from "../store/repo.ts";
import { type Clock, today } from "./clock.ts";
import { createPeople, type People } from "./people.ts";

/** Everything a command needs, built once at start-up and passed in: no globals. */
export interface Ctx {
  readonly org: Org;
  readonly store: Store;
  readonly repo: Repo;
  readonly people: People;
  readonly clock: Clock;
  /** the agency's calendar date now */
  today(): string;
}

export function createContext(org: Org, store: Store, clock: Clock): Ctx {
  const ids = syncOrg(store, org);
  const repo = createRepo(store);
  const people = createPeople(org, ids, repo.staff.all());
  return { org, store, repo, people, clock, today: () => today(clock, org.agency.timeZone) };
}
