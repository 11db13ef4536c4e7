import type { Ctx } from "../commands/ctx.ts";
import type { Org } from "../config/org.ts";
import type { Store } from "../store/open.ts";
import { needsAcceptance } from "../store/org-sync.ts";
import type { PgStore } from "../store/pg/open.ts";
import { pgRecords } from "../store/pg/records.ts";
import { type PgSetUp, pgStaffRows, setUpPg } from "../store/pg/setup.ts";
import type { Repo } from "../store/repo.ts";
import { type Clock, today } from "./clock.ts";
import { createPeople } from "./people.ts";
import { staffRefusal, wrongAgency } from "./refusals.ts";

/**
 * What is not on PostgreSQL yet: the SQLite file's own handles (`Ctx.store`, `Ctx.repo`), which the
 * digests, the views for non-chat surfaces, App Home, Teams conversations and the lifetime tools
 * still read synchronously. On PostgreSQL they are this: any use says plainly what it was, so a
 * part that has not moved onto `Records` fails loudly instead of reading an empty or another file.
 */
export class NotOnPostgres extends Error {
  override name = "NotOnPostgres";
}

function absent<T extends object>(what: string): T {
  return new Proxy(Object.create(null) as T, {
    get(_target, key) {
      throw new NotOnPostgres(
        `${what}.${String(key)} reads the SQLite file, which this app does not have: it runs on PostgreSQL (DATABASE_URL), where only the chat commands are served yet`,
      );
    },
  });
}

export interface PgSetUpOptions {
  readonly acceptStaffChanges?: boolean;
  readonly command?: string;
}

/**
 * The context over a PostgreSQL database: claims it for the config's agency and syncs the staff
 * (refusing another agency's database, or a sync that needs accepting, before writing anything),
 * then serves the chat commands through `pgRecords`. The command layer cannot tell it from SQLite.
 */
export async function pgContext(
  org: Org,
  store: PgStore,
  clock: Clock,
  opts: PgSetUpOptions = {},
): Promise<{ ctx: Ctx; setUp: PgSetUp }> {
  const setUp = await setUpPg(store, org, clock.now().toISOString(), (previous, plan) => {
    if (previous && previous.id !== org.agency.id) throw wrongAgency(store.shown, org, previous);
    if (previous && opts.acceptStaffChanges !== true && needsAcceptance(plan))
      throw staffRefusal(org, plan, opts.command ?? "sync");
  });
  const rows = await pgStaffRows(store);
  const ids = new Map(rows.filter((r) => r.active).map((r) => [r.email, r.id]));
  const ctx: Ctx = {
    org,
    people: createPeople(org, ids, rows),
    records: pgRecords(store),
    store: absent<Store>("ctx.store"),
    repo: absent<Repo>("ctx.repo"),
    clock,
    today: () => today(clock, org.agency.timeZone),
    pin() {
      return this;
    },
  };
  return { ctx, setUp };
}
