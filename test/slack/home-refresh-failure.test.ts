import type { webApi } from "@slack/bolt";
import { expect, test } from "vitest";
import { coalescedRefresh, type Timers } from "../../adapters/slack/home-refresh.ts";
import { JANE, makeTestCtx } from "../helpers/ctx.ts";

/**
 * A refresh runs on a timer with nobody waiting on it: when building or sending the Home fails, that
 * is one line and the next refresh still goes, never an unhandled rejection that ends the server
 * (it did, on PostgreSQL, while App Home still read the SQLite handles).
 */
test("a failed App Home refresh is one line naming the error, and the person's next refresh still publishes", async () => {
  const due: (() => void)[] = [];
  const timers: Timers = { now: () => 0, after: (_ms, run) => void due.push(run) };
  const lines: string[] = [];
  let said: () => void = () => {};
  const logged = new Promise<void>((resolve) => {
    said = resolve;
  });
  let calls = 0;
  const t = makeTestCtx();
  try {
    const jane = t.as(JANE);
    const { refresh } = coalescedRefresh(
      async () => {
        calls += 1;
        if (calls === 1) throw new TypeError("the store was not there");
      },
      5000,
      timers,
      (l) => {
        lines.push(l);
        said();
      },
    );
    const client = {} as webApi.WebClient;
    await refresh("U0DEMOJANE", jane, client);
    due.shift()?.();
    await logged;
    expect(lines).toEqual(["slack: an App Home refresh for U0DEMOJANE failed (TypeError)"]);
    await refresh("U0DEMOJANE", jane, client);
    due.shift()?.();
    expect(calls).toBe(2);
  } finally {
    t.close();
  }
});
