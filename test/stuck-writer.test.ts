import pg from "pg";
import { afterEach, beforeEach, expect, test } from "vitest";
import { startStuckWriter, type WriterTimers } from "../src/app/stuck-writer.ts";
import { stuckRules } from "../src/commands/board.ts";
import { parseOrg } from "../src/config/load.ts";
import { addDays, type IsoDate } from "../src/domain/dates.ts";
import type { CaseRow } from "../src/store/schema.ts";
import type { StuckCount, StuckRules } from "../src/store/stuck-since.ts";
import { JANE } from "./helpers/ctx.ts";
import { DEMO_YAML } from "./helpers/demo-config.ts";
import { describeEachStore, makeStoreCtx, type StoreTestCtx } from "./helpers/stores.ts";

/**
 * The stuck-since writer on both stores (`Records.refreshStuck`, run by `sos start` through
 * `src/app/stuck-writer.ts`): what it stores is what the rules say of each open case, the counts
 * read are the same before and after it, a write during its work is never overwritten with a stale
 * value, and a config with other thresholds makes everything due until it has caught up.
 */

const STRICTER = `${DEMO_YAML}\nstuck: { no-family-mapping: 3, no-activity: 5, no-recent-scale: off }\n`;

/** Timers a test fires by hand: nothing waits on the wall clock. */
function handTimers() {
  const queue: { at: number; fn: () => void; every?: number; gone: boolean }[] = [];
  let now = 0;
  let added: (() => void) | null = null;
  const add = (t: { at: number; fn: () => void; every?: number; gone: boolean }) => {
    queue.push(t);
    added?.();
    return () => {
      t.gone = true;
    };
  };
  const timers: WriterTimers = {
    after: (ms, fn) => add({ at: now + ms, fn, gone: false }),
    every: (ms, fn) => add({ at: now + ms, fn, every: ms, gone: false }),
  };
  /**
   * Moves the clock on by `ms`, firing in order each timer that comes due and those they set; after
   * each, waits until the writer has finished or set its next timer (a batch awaits the database).
   */
  async function advance(ms: number, writer: { settled(): Promise<void> }): Promise<void> {
    const until = now + ms;
    for (;;) {
      const next = queue.filter((t) => !t.gone && t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      now = next.at;
      if (next.every) next.at += next.every;
      else next.gone = true;
      const set = new Promise<void>((r) => {
        added = r;
      });
      next.fn();
      await Promise.race([writer.settled(), set]);
      added = null;
    }
    now = until;
  }
  const waiting = () => queue.filter((t) => !t.gone && !t.every).length;
  return { timers, advance, waiting };
}

describeEachStore("stuck since kept by the writer", (kind) => {
  let t: StoreTestCtx;
  beforeEach(async () => {
    t = await makeStoreCtx(kind);
  });
  afterEach(async () => {
    await t.close();
  });

  const day = (): IsoDate => t.ctx.today();
  const raisedBy = (): IsoDate => addDays(day(), -t.ctx.org.escalateAfterDays);

  /** Per team, the stuck counts as checking every open case by its rules says. */
  async function countsByHand(rules: StuckRules): Promise<Map<string, StuckCount>> {
    const out = new Map<string, { stuck: number; raised: number }>();
    for (const c of await t.ctx.records.reads.openCases({})) {
      const since = rules.since(c);
      if (since === null || since > day()) continue;
      const n = out.get(c.teamId) ?? { stuck: 0, raised: 0 };
      n.stuck++;
      if (since <= raisedBy()) n.raised++;
      out.set(c.teamId, n);
    }
    return out;
  }

  /** Each open case: its id, what is stored, and whether it is current for the rules' generation. */
  async function stored() {
    const [meta] = await t.rows("SELECT stuck_generation AS gen, stuck_fingerprint AS fp FROM derived");
    const rows = await t.rows(
      "SELECT id, stuck_since AS since, stuck_for AS gen FROM cases WHERE status = 'open' ORDER BY id",
    );
    return { meta: meta as { gen: number; fp: string | null }, rows };
  }

  /** What the rules say of every open case, as `stored()` would show it once current. */
  async function expected(rules: StuckRules, gen: number) {
    const open = [...(await t.ctx.records.reads.openCases({}))].sort((a, b) => (a.id < b.id ? -1 : 1));
    return open.map((c) => ({ id: c.id, since: rules.since(c), gen }));
  }

  async function catchUp(rules: StuckRules, batch: number): Promise<number> {
    let batches = 0;
    for (;;) {
      batches++;
      if ((await t.ctx.records.refreshStuck(rules, batch)) === 0) return batches;
    }
  }

  test("after the writer, every open case holds what its rules say, and the counts read are the same", async () => {
    const rules = stuckRules(t.ctx.org);
    const byHand = await countsByHand(rules);
    expect([...byHand.values()].some((c) => c.stuck > 0)).toBe(true);
    // The longest stuck three, as a caller picks them from "at least three" (by day, then id).
    const top3 = (cs: readonly CaseRow[]) =>
      cs
        .map((c) => `${rules.since(c)} ${c.id}`)
        .sort()
        .slice(0, 3);
    const longestBefore = top3(await t.ctx.records.reads.longestStuck(rules, day(), 3));
    expect(await t.ctx.records.reads.stuckCounts(rules, day(), raisedBy())).toEqual(byHand);
    const open = (await t.ctx.records.reads.openCases({})).length;
    // Batches of 2: the run takes several, each its own transaction.
    expect(await catchUp(rules, 2)).toBeGreaterThan(open / 2 - 1);
    const after = await stored();
    expect(after.meta.fp).toBe(rules.fingerprint);
    expect(after.rows).toEqual(await expected(rules, after.meta.gen));
    expect(await t.ctx.records.reads.stuckCounts(rules, day(), raisedBy())).toEqual(byHand);
    expect(top3(await t.ctx.records.reads.longestStuck(rules, day(), 3))).toEqual(longestBefore);
    // Caught up, a run writes nothing: not one row changes.
    const snapshot = await t.snapshot();
    expect(await t.ctx.records.refreshStuck(rules, 2)).toBe(0);
    expect(await t.snapshot()).toBe(snapshot);
  });

  test("a write between two batches makes its case due again, and the next batch works it out from the new record", async () => {
    const rules = stuckRules(t.ctx.org);
    await catchUp(rules, 100);
    const before = await stored();
    // A scale on 12346 moves its first stuck day (from July 2015 to March 2016): a stale value would show.
    expect((await t.run(JANE, "scale 12346 6")).ok).toBe(true);
    const due = (await stored()).rows.filter((r) => r.gen === null).map((r) => r.id);
    expect(due).toEqual(["12346"]);
    // Read meanwhile, the counts are still exact.
    expect(await t.ctx.records.reads.stuckCounts(rules, day(), raisedBy())).toEqual(
      await countsByHand(rules),
    );
    expect(await t.ctx.records.refreshStuck(rules, 100)).toBe(0);
    const after = await stored();
    expect(after.meta.gen).toBe(before.meta.gen);
    expect(after.rows).toEqual(await expected(rules, after.meta.gen));
  });

  test("a config with other thresholds makes every case due at once, and the writer catches up under it", async () => {
    const rules = stuckRules(t.ctx.org);
    await catchUp(rules, 100);
    const gen = (await stored()).meta.gen;
    const stricter = stuckRules(parseOrg(STRICTER, "stricter.config.yaml"));
    expect(stricter.fingerprint).not.toBe(rules.fingerprint);
    const byHand = await countsByHand(stricter);
    expect(byHand).not.toEqual(await countsByHand(rules));
    // Nothing stored under the old thresholds is read for the new ones.
    expect(await t.ctx.records.reads.stuckCounts(stricter, day(), raisedBy())).toEqual(byHand);
    await catchUp(stricter, 3);
    const after = await stored();
    expect(after.meta).toEqual({ gen: gen + 1, fp: stricter.fingerprint });
    expect(after.rows).toEqual(await expected(stricter, gen + 1));
    expect(await t.ctx.records.reads.stuckCounts(stricter, day(), raisedBy())).toEqual(byHand);
    // And the old config's values are due again, not taken as current.
    expect(await t.ctx.records.reads.stuckCounts(rules, day(), raisedBy())).toEqual(
      await countsByHand(rules),
    );
  });

  test("the started writer catches up at once, works a write out a moment later, and is idle when nothing is due", async () => {
    const rules = stuckRules(t.ctx.org);
    const { timers, advance, waiting } = handTimers();
    let batches = 0;
    const writer = startStuckWriter({
      refresh: async (batch) => {
        batches++;
        return t.ctx.records.refreshStuck(rules, batch);
      },
      batch: 2,
      afterWriteMs: 1_000,
      beatMs: 60_000,
      timers,
    });
    const go = (ms: number) => advance(ms, writer);
    try {
      // At start: batch after batch, each on its own turn of the event loop, until caught up.
      await go(0);
      await writer.settled();
      const open = (await t.ctx.records.reads.openCases({})).length;
      expect(batches).toBeGreaterThanOrEqual(Math.ceil(open / 2));
      let now = await stored();
      expect(now.rows).toEqual(await expected(rules, now.meta.gen));
      // Nothing due: nothing waits to run until the beat.
      expect(waiting()).toBe(0);
      const idle = batches;
      await go(59_000);
      expect(batches).toBe(idle);

      // A write: due at once, worked out a second later, in one run for all that moment's writes.
      expect((await t.run(JANE, "scale 12346 6")).ok).toBe(true);
      writer.written();
      writer.written();
      await go(999);
      expect((await stored()).rows.find((r) => r.id === "12346")?.gen).toBeNull();
      await go(1);
      await writer.settled();
      expect(batches).toBe(idle + 1);
      now = await stored();
      expect(now.rows).toEqual(await expected(rules, now.meta.gen));

      // What another process wrote is found on the beat.
      await t.rows("UPDATE cases SET stuck_for = NULL WHERE id = '12345'");
      await go(60_000);
      await writer.settled();
      now = await stored();
      expect(now.rows).toEqual(await expected(rules, now.meta.gen));
    } finally {
      await writer.stop();
    }
    // Stopped: no timer of its own is left to fire.
    const stoppedAt = batches;
    await advance(120_000, writer);
    expect(batches).toBe(stoppedAt);
  });

  test("a writer that does not lead writes nothing, and catches up when it takes the lead", async () => {
    const rules = stuckRules(t.ctx.org);
    const { timers, advance } = handTimers();
    let leading = false;
    const writer = startStuckWriter({
      refresh: (batch) => t.ctx.records.refreshStuck(rules, batch),
      leads: () => leading,
      timers,
    });
    const go = (ms: number) => advance(ms, writer);
    try {
      const before = await t.snapshot();
      await go(120_000);
      await writer.settled();
      expect(await t.snapshot()).toBe(before);
      leading = true;
      writer.catchUp();
      await go(0);
      await writer.settled();
      const now = await stored();
      expect(now.rows).toEqual(await expected(rules, now.meta.gen));
    } finally {
      await writer.stop();
    }
  });

  if (kind === "postgres") {
    test("a command writing to a case while a batch runs is never overwritten with a stale value", async () => {
      const rules = stuckRules(t.ctx.org);
      // Another connection holds the case as a command's batch does (SELECT … FOR UPDATE), the
      // writer's batch runs meanwhile, then the command writes and commits.
      const [was] = (await expected(rules, 0)).filter((e) => e.id === "12345");
      const command = new pg.Client(t.pgStore!.pool.options);
      await command.connect();
      try {
        await command.query("BEGIN");
        await command.query("SELECT id FROM cases WHERE id = '12345' FOR UPDATE");
        // The writer does not wait for it: the case is left for a later batch.
        expect(await t.ctx.records.refreshStuck(rules, 1_000)).toBe(0);
        expect((await stored()).rows.find((r) => r.id === "12345")?.gen).toBeNull();
        await command.query("UPDATE cases SET states = '{}', version = version + 1 WHERE id = '12345'");
        await command.query("COMMIT");
      } finally {
        await command.end();
      }
      expect((await stored()).rows.find((r) => r.id === "12345")?.gen).toBeNull();
      await t.ctx.records.refreshStuck(rules, 1_000);
      const now = await stored();
      // The command's change does move the case's first stuck day: a stale value would show.
      const [is] = (await expected(rules, now.meta.gen)).filter((e) => e.id === "12345");
      expect(is?.since).not.toBe(was?.since);
      expect(now.rows).toEqual(await expected(rules, now.meta.gen));
    });

    test("commands racing the writer leave every case due or right, never stale", async () => {
      const rules = stuckRules(t.ctx.org);
      const cases = ["12345", "12346"];
      for (let round = 0; round < 6; round++) {
        await t.rows("UPDATE cases SET stuck_for = NULL");
        const [, ...replies] = await Promise.all([
          t.ctx.records.refreshStuck(rules, 1),
          ...cases.map((id) => t.run(JANE, `scale ${id} ${round + 2}`)),
          t.ctx.records.refreshStuck(rules, 1_000),
        ]);
        expect(replies.slice(0, cases.length).map((r) => typeof r !== "number" && r.ok)).toEqual([
          true,
          true,
        ]);
        const now = await stored();
        const right = await expected(rules, now.meta.gen);
        for (const r of now.rows) {
          if (r.gen === null) continue;
          expect(r).toEqual(right.find((e) => e.id === r.id));
        }
      }
    });

    test("two writers with a new config move the generation on once", async () => {
      const rules = stuckRules(t.ctx.org);
      await catchUp(rules, 100);
      const gen = (await stored()).meta.gen;
      const stricter = stuckRules(parseOrg(STRICTER, "stricter.config.yaml"));
      await Promise.all([
        t.ctx.records.refreshStuck(stricter, 2),
        t.ctx.records.refreshStuck(stricter, 2),
        t.ctx.records.refreshStuck(stricter, 2),
      ]);
      expect((await stored()).meta).toEqual({ gen: gen + 1, fp: stricter.fingerprint });
      await catchUp(stricter, 100);
      const now = await stored();
      expect(now.rows).toEqual(await expected(stricter, gen + 1));
    });
  }
});
