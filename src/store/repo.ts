import { auditQueries } from "./audit.ts";
import { caseEventQueries } from "./case-events.ts";
import { caseQueries } from "./cases.ts";
import { coverageQueries } from "./coverage.ts";
import { digestReadQueries } from "./digest-reads.ts";
import { digestQueries } from "./digests.ts";
import { erasureQueries } from "./erasures.ts";
import { eventQueries } from "./events.ts";
import { idempotencyQueries } from "./idempotency.ts";
import type { Store } from "./open.ts";
import { staffQueries } from "./staff.ts";
import { stuckQueries } from "./stuck-since.ts";

/**
 * Every query the program runs, prepared once per open database. All of them use the one
 * better-sqlite3 connection, so a call made inside `transaction` is part of it.
 */
export function createRepo(store: Store) {
  return {
    cases: caseQueries(store),
    events: eventQueries(store),
    caseEvents: caseEventQueries(store.db),
    audit: auditQueries(store.db),
    staff: staffQueries(store.db),
    idempotency: idempotencyQueries(store.db),
    digests: digestQueries(store.db),
    coverage: coverageQueries(store),
    stuck: stuckQueries(store),
    // cleanups: the erasure record, for `open` to refuse an id erased under retention
    erasures: erasureQueries(store.db),
    /** the digests' aggregate reads (digest-perf) */
    digestReads: digestReadQueries(store),
    /**
     * Runs `fn` in one transaction: all of it or none of it. Synchronous on purpose — never await in
     * here; platform calls happen after it returns.
     */
    transaction<T>(fn: () => T): T {
      // IMMEDIATE takes the write lock up front: with the CLI or a second process writing too, a
      // deferred transaction could fail half-way with SQLITE_BUSY instead of waiting its turn.
      return store.sqlite.transaction(fn).immediate();
    },
  };
}

export type Repo = ReturnType<typeof createRepo>;
