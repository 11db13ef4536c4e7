import { afterEach, expect, test } from "vitest";
import { JANE, makeTestCtx, SAM, type TestCtx } from "../../test/helpers/ctx.ts";
import { Conflict } from "../store/records.ts";

let t: TestCtx;
afterEach(() => t?.close());

test("two commands deciding on one case at once: the second is decided again on what the first wrote", async () => {
  t = makeTestCtx();
  let conflicts = 0;
  const apply = t.ctx.records.apply.bind(t.ctx.records);
  Object.assign(t.ctx.records, {
    apply: (...args: Parameters<typeof apply>) =>
      apply(...args).catch((e: unknown) => {
        if (e instanceof Conflict) conflicts++;
        throw e;
      }),
  });
  // Both read the case before either writes (the reads are awaited, so they interleave).
  const [a, b] = await Promise.all([
    t.run(JANE, "three-houses 12345 yesterday"),
    t.run(SAM, "three-houses 12345 yesterday"),
  ]);
  expect([a.ok, b.ok]).toEqual([true, false]);
  expect(b.issue?.code).toBe("already_recorded");
  expect(conflicts).toBe(1);
  const live = t.ctx.repo.events.live("12345", "three-houses").filter((e) => e.occurredOn === "2016-02-29");
  expect(live).toHaveLength(1);
});

test("different elements on one case at once both go in, each once", async () => {
  t = makeTestCtx();
  const replies = await Promise.all([
    t.run(JANE, "three-houses 12345 yesterday"),
    t.run(JANE, "scale 12345 5"),
    t.run(SAM, "network 12345 4"),
  ]);
  expect(replies.map((r) => r.ok)).toEqual([true, true, true]);
  expect(t.ctx.repo.cases.get("12345")!.states["safety-scale"]?.lastValue).toBe(5);
  expect(t.ctx.repo.cases.get("12345")!.states.network?.lastValue).toBe(4);
});

test("a change whose case moved on since it was read is refused by the store, and writes nothing", async () => {
  t = makeTestCtx();
  const c = t.ctx.repo.cases.get("12345")!;
  await t.run(JANE, "scale 12345 5");
  const before = t.ctx.repo.events.forCase("12345").length;
  await expect(
    t.ctx.records.apply({
      expect: [{ kind: "caseVersion", caseId: "12345", version: c.version }],
      writes: [{ kind: "close", caseId: "12345", on: "2016-03-01", outcome: "other", note: null }],
      reply: () => ({ ok: true, text: "closed" }),
    }),
  ).rejects.toBeInstanceOf(Conflict);
  expect(t.ctx.repo.cases.get("12345")!.status).toBe("open");
  expect(t.ctx.repo.events.forCase("12345")).toHaveLength(before);
});
