import { afterEach, expect, test } from "vitest";
import { JANE, SAM } from "../../test/helpers/ctx.ts";
import { describeEachStore, makeStoreCtx, type StoreTestCtx } from "../../test/helpers/stores.ts";
import { Conflict } from "../store/records.ts";

let t: StoreTestCtx | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describeEachStore("one case, two commands", (kind) => {
  test("two commands deciding on one case at once: the second is decided again on what the first wrote", async () => {
    t = await makeStoreCtx(kind);
    let conflicts = 0;
    // Neither batch goes to the store until both commands have decided on the same read: the
    // second to commit then finds the case moved on.
    let decided = 0;
    let release = () => {};
    const bothDecided = new Promise<void>((r) => {
      release = r;
    });
    const apply = t.ctx.records.apply.bind(t.ctx.records);
    Object.assign(t.ctx.records, {
      apply: async (...args: Parameters<typeof apply>) => {
        decided++;
        if (decided === 2) release();
        if (decided <= 2) await bothDecided;
        return apply(...args).catch((e: unknown) => {
          if (e instanceof Conflict) conflicts++;
          throw e;
        });
      },
    });
    const replies = await Promise.all([
      t.run(JANE, "three-houses 12345 yesterday"),
      t.run(SAM, "three-houses 12345 yesterday"),
    ]);
    expect(replies.map((r) => r.ok).sort()).toEqual([false, true]);
    expect(replies.find((r) => !r.ok)?.issue?.code).toBe("already_recorded");
    expect(conflicts).toBe(1);
    const live = (await t.ctx.records.reads.liveEntries("12345", "three-houses")).filter(
      (e) => e.occurredOn === "2016-02-29",
    );
    expect(live).toHaveLength(1);
  });

  test("different elements on one case at once both go in, each once", async () => {
    t = await makeStoreCtx(kind);
    const replies = await Promise.all([
      t.run(JANE, "three-houses 12345 yesterday"),
      t.run(JANE, "scale 12345 5"),
      t.run(SAM, "network 12345 4"),
    ]);
    expect(replies.map((r) => r.ok)).toEqual([true, true, true]);
    const c = (await t.ctx.records.reads.case("12345"))!;
    expect(c.states["safety-scale"]?.lastValue).toBe(5);
    expect(c.states.network?.lastValue).toBe(4);
    expect(c.states["three-houses"]?.count).toBeGreaterThan(0);
  });

  test("a change whose case moved on since it was read is refused by the store, and writes nothing", async () => {
    t = await makeStoreCtx(kind);
    const { reads } = t.ctx.records;
    const c = (await reads.case("12345"))!;
    await t.run(JANE, "scale 12345 5");
    const before = await t.snapshot();
    await expect(
      t.ctx.records.apply({
        expect: [{ kind: "caseVersion", caseId: "12345", version: c.version }],
        writes: [{ kind: "close", caseId: "12345", on: "2016-03-01", outcome: "other", note: null }],
        reply: () => ({ ok: true, text: "closed" }),
      }),
    ).rejects.toBeInstanceOf(Conflict);
    expect((await reads.case("12345"))!.status).toBe("open");
    expect(await t.snapshot()).toBe(before);
  });

  test("a case opened twice at once is opened once: the second is told it exists", async () => {
    t = await makeStoreCtx(kind);
    const [a, b] = await Promise.all([t.run(SAM, "open 70001 Ana 4 cp"), t.run(SAM, "open 70001 Ana 4 cp")]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect(await t.rows("SELECT id FROM cases WHERE id = $1", ["70001"])).toHaveLength(1);
    expect(await t.rows("SELECT id FROM allocations WHERE case_id = $1", ["70001"])).toHaveLength(1);
  });

  test("the same delivery sent twice at once is carried out once", async () => {
    t = await makeStoreCtx(kind);
    const [a, b] = await Promise.all([
      t.run(JANE, "mapped-with-family 12345", { idempotencyKey: "slack:T1:twice" }),
      t.run(JANE, "mapped-with-family 12345", { idempotencyKey: "slack:T1:twice" }),
    ]);
    expect([a.repeated ?? false, b.repeated ?? false].sort()).toEqual([false, true]);
    expect(a.text).toBe(b.text);
    const rows = await t.rows(
      "SELECT id FROM practice_events WHERE case_id = $1 AND element = $2 AND surface = 'cli'",
      ["12345", "mapping-with-family"],
    );
    expect(rows).toHaveLength(1);
  });
});
