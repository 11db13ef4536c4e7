import type { webApi } from "@slack/bolt";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { coalescedRefresh, type Timers } from "../adapters/slack/home-refresh.ts";
import type { Actor } from "../src/domain/access.ts";
import { type HomeClaims, memoryHomeClaims, sqliteHomeClaims } from "../src/store/home-claims.ts";
import { pgHomeClaims } from "../src/store/pg/home-claims.ts";
import { openPgStore } from "../src/store/pg/open.ts";
import { JANE, makeTestCtx } from "./helpers/ctx.ts";
import { describeEachStore, emptyPgDatabase, type StoreKind } from "./helpers/stores.ts";

/**
 * App Home coalescing across instances: the claim in the database lets one instance publish a
 * person's Home per window, whichever of them is asked; on both stores.
 */

const WINDOW = 5000;
const VIEWING = 15 * 60_000;

async function claimsOn(
  kind: StoreKind,
): Promise<{ claims: HomeClaims; actor: Actor; close(): Promise<void> }> {
  const t = makeTestCtx();
  const actor = t.as(JANE);
  if (kind === "sqlite")
    return { claims: sqliteHomeClaims(t.ctx.store.db), actor, close: async () => t.close() };
  const db = await emptyPgDatabase();
  const store = await openPgStore(db.url, { max: 4 });
  return {
    claims: pgHomeClaims(store),
    actor,
    async close() {
      t.close();
      await store.close();
      await db.drop();
    },
  };
}

/** Timers moved by hand, for one instance; `fire` moves a window on and runs what was set. */
function handTimers(): Timers & { fire(): void; waiting(): number } {
  let due: (() => void)[] = [];
  let now = 0;
  return {
    now: () => now,
    after: (_ms, run) => void due.push(run),
    fire() {
      now += WINDOW;
      const ready = due;
      due = [];
      for (const run of ready) run();
    },
    waiting: () => due.length,
  };
}

/** What a claim answers, the same on every store and in memory. */
function answersOf(get: () => HomeClaims): void {
  test("one claim per person per window, only while they look at their Home; another person's apart", async () => {
    const claims = get();
    const t0 = 1_000_000;
    // Never opened: nobody is looking, and asking again does not change that.
    expect(await claims.claim("U1", t0, WINDOW, VIEWING)).toBe("unseen");
    expect(await claims.claim("U1", t0 + 1, WINDOW, VIEWING)).toBe("unseen");
    await claims.opened("U1", t0);
    expect(await claims.claim("U1", t0, WINDOW, VIEWING)).toBe("publish");
    expect(await claims.claim("U1", t0 + WINDOW - 1, WINDOW, VIEWING)).toBe("wait");
    expect(await claims.claim("U2", t0 + 1, WINDOW, VIEWING)).toBe("unseen");
    await claims.opened("U2", t0 + 1);
    expect(await claims.claim("U2", t0 + 1, WINDOW, VIEWING)).toBe("publish");
    expect(await claims.claim("U1", t0 + WINDOW, WINDOW, VIEWING)).toBe("publish");
    expect(await claims.claim("U1", t0 + WINDOW + 1, WINDOW, VIEWING)).toBe("wait");
  });

  test("a Home opened long ago is not refreshed; opening it again is", async () => {
    const claims = get();
    const t0 = 5_000_000;
    await claims.opened("U4", t0);
    expect(await claims.claim("U4", t0 + 1, WINDOW, VIEWING)).toBe("publish");
    // Looked at until just inside the viewing time; not past it, even with the window free.
    expect(await claims.claim("U4", t0 + VIEWING - 1, WINDOW, VIEWING)).toBe("publish");
    expect(await claims.claim("U4", t0 + VIEWING + WINDOW, WINDOW, VIEWING)).toBe("unseen");
    await claims.opened("U4", t0 + VIEWING + WINDOW + 1);
    expect(await claims.claim("U4", t0 + VIEWING + WINDOW + 2, WINDOW, VIEWING)).toBe("publish");
  });
}

describe("App Home claims in memory (SQLite's sos start: the file's one server)", () => {
  let claims: HomeClaims;
  beforeEach(() => {
    claims = memoryHomeClaims();
  });
  answersOf(() => claims);
});

describeEachStore("App Home claims", (kind) => {
  let on: Awaited<ReturnType<typeof claimsOn>>;
  beforeEach(async () => {
    on = await claimsOn(kind);
  });
  afterEach(() => on.close());

  answersOf(() => on.claims);

  test("two instances asking at the same instant: exactly one is told to publish", async () => {
    await on.claims.opened("U3", 2_000_000);
    const answers = await Promise.all([
      on.claims.claim("U3", 2_000_000, WINDOW, VIEWING),
      on.claims.claim("U3", 2_000_000, WINDOW, VIEWING),
    ]);
    expect(answers.sort()).toEqual(["publish", "wait"]);
  });

  test("two instances refreshing one person: one publish per window, and the change the second was asked for still shows a window on", async () => {
    let wall = 3_000_000;
    const published: string[] = [];
    const client = {} as webApi.WebClient;
    const instance = (name: string) => {
      const timers = handTimers();
      const refresher = coalescedRefresh(
        async (userId) => {
          published.push(`${name}:${userId}`);
        },
        WINDOW,
        timers,
        (line) => {
          throw new Error(line);
        },
        { claims: on.claims, wallNow: () => wall, viewingMs: VIEWING },
      );
      return { refresher, timers };
    };
    const a = instance("A");
    const b = instance("B");
    // Opened on A: B, told of the change, still knows she is looking.
    await a.refresher.opened("U0DEMOJANE");
    await a.refresher.refresh("U0DEMOJANE", on.actor, client);
    await b.refresher.refresh("U0DEMOJANE", on.actor, client);
    // A's window fires first and is claimed before B's: fired together, the two claims race on the
    // database, and B winning left this test waiting on A's publish (a CI flake on PostgreSQL).
    a.timers.fire();
    await until(() => published.length > 0);
    b.timers.fire();
    await until(() => b.timers.waiting() > 0);
    // A claimed and published; B found the window taken and keeps its change for a window on.
    expect(published).toEqual(["A:U0DEMOJANE"]);
    expect(b.timers.waiting()).toBe(1);
    wall += WINDOW;
    b.timers.fire();
    await until(() => published.length === 2);
    expect(published).toEqual(["A:U0DEMOJANE", "B:U0DEMOJANE"]);
  });

  test("two instances, a person who never opened their Home: neither builds it, and nothing waits to retry", async () => {
    const published: string[] = [];
    const client = {} as webApi.WebClient;
    const answers: string[] = [];
    const counting: HomeClaims = {
      opened: (id, at) => on.claims.opened(id, at),
      claim: async (...args) => {
        const said = await on.claims.claim(...args);
        answers.push(said);
        return said;
      },
    };
    const instances = ["A", "B"].map((name) => {
      const timers = handTimers();
      const refresher = coalescedRefresh(
        async (userId) => {
          published.push(`${name}:${userId}`);
        },
        WINDOW,
        timers,
        (line) => {
          throw new Error(line);
        },
        { claims: counting, wallNow: () => 4_000_000, viewingMs: VIEWING },
      );
      return { refresher, timers };
    });
    for (const { refresher, timers } of instances) {
      await refresher.refresh("U0NOBODY", on.actor, client);
      timers.fire();
    }
    await until(() => answers.length === 2);
    await until(() => instances.every((i) => i.timers.waiting() === 0));
    expect(answers).toEqual(["unseen", "unseen"]);
    expect(published).toEqual([]);
  });
});

/**
 * Waits for a condition the store's answer makes true. Bounded by a generous time, not by a count of
 * event-loop turns: an idle loop turns 10,000 times in a few milliseconds, less than one PostgreSQL
 * round trip takes on a loaded machine (the count made this test fail there). Nothing is timed.
 */
async function until(done: () => boolean): Promise<void> {
  await vi.waitFor(
    () => {
      if (!done()) throw new Error("the condition never held");
    },
    { timeout: 20_000, interval: 2 },
  );
}
