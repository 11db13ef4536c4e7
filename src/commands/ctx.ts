import type { Org } from "../config/org.ts";
import type { DigestLedger } from "../store/ledger.ts";
import type { Store } from "../store/open.ts";
import type { Records } from "../store/records.ts";
import type { Repo } from "../store/repo.ts";
import type { Clock } from "./clock.ts";
import type { People } from "./directory.ts";
import type { Offload } from "./offload.ts";

/**
 * Everything a command needs, built once at start-up and passed in: no globals. Commands read and
 * write only through `records`, which does not say which database is underneath; `store` and `repo`
 * are the SQLite file's own, for the digests and tools that have not moved onto `records` yet.
 * In the running app `org` and `people` are the config of the moment (it is reloaded when its files
 * change); `pin()` fixes them, so whatever reads them over several awaits sees one whole config.
 */
export interface Ctx {
  readonly org: Org;
  readonly records: Records;
  /** ledger-pg: the digest ledger (runs, parts, nudge caps, leave), on whichever database holds the record */
  readonly ledger: DigestLedger;
  readonly store: Store;
  readonly repo: Repo;
  readonly people: People;
  readonly clock: Clock;
  /**
   * The server's reader threads, when it runs them (`sos start`): reads and view building go there,
   * off the main thread. Absent, everything runs here (the CLI, tests, and inside a reader).
   */
  readonly readers?: Offload;
  /** the agency's calendar date now */
  today(): string;
  /** this context with the config of this moment fixed (itself when it never changes) */
  pin(): Ctx;
}
