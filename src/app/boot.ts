import { loadOrg } from "../config/load.ts";
import { isIsoDate } from "../domain/dates.ts";
import { openStore } from "../store/open.ts";
import { type Clock, dayClock, shiftedClock, systemClock } from "./clock.ts";
import { type Ctx, createContext } from "./context.ts";
import { DEMO_CONFIG } from "./paths.ts";

export interface Booted {
  readonly ctx: Ctx;
  /** the database had no cases before this start */
  readonly emptyDb: boolean;
  /** running the demo agency on its 2016 calendar (see `shiftedClock`) */
  readonly demoClock: boolean;
}

/** A usage mistake the person at the terminal can fix: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
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

export function boot(opts: {
  configPath: string;
  dbPath: string;
  today?: string;
  env: NodeJS.ProcessEnv;
}): Booted {
  const org = loadOrg(opts.configPath);
  const demo = opts.configPath === DEMO_CONFIG && opts.today === undefined && !opts.env.SOS_TODAY;
  const clock = demo
    ? shiftedClock(DEMO_TODAY, org.agency.timeZone)
    : chooseClock(opts.today, opts.env, org.agency.timeZone);
  const store = openStore(opts.dbPath);
  const ctx = createContext(org, store, clock);
  const emptyDb = (store.sqlite.prepare("SELECT count(*) AS n FROM cases").get() as { n: number }).n === 0;
  return { ctx, emptyDb, demoClock: demo };
}
