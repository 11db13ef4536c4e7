import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { JANE, makeTestCtx, SAM, type TestCtx } from "../../test/helpers/ctx.ts";
import { rebuildProjection } from "./rebuild.ts";

let t: TestCtx;
beforeAll(() => {
  t = makeTestCtx();
});
afterAll(() => t.close());

const states = () =>
  (
    t.ctx.store.sqlite.prepare("SELECT id, states FROM cases ORDER BY id").all() as {
      id: string;
      states: string;
    }[]
  ).map((r) => [r.id, JSON.parse(r.states)]);

test("the projection kept on each write equals one rebuilt from the events", async () => {
  const step = fc.oneof(
    fc
      .record({
        word: fc.constantFrom("mapped-with-family", "scale", "network", "meeting", "three-houses", "danger"),
        caseId: fc.constantFrom("12345", "12346"),
        day: fc.integer({ min: 1, max: 28 }),
        value: fc.integer({ min: 0, max: 10 }),
      })
      .map(
        ({ word, caseId, day, value }) =>
          `${word} ${caseId} ${day}/02/16${word === "scale" || word === "network" ? ` ${value}` : ""}`,
      ),
    fc.constant("undo"),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.array(step, { minLength: 1, maxLength: 25 }),
      fc.constantFrom(JANE, SAM),
      async (steps, who) => {
        for (const s of steps) await t.run(who, s);
        const kept = states();
        rebuildProjection(t.ctx.store);
        expect(states()).toEqual(kept);
      },
    ),
    { numRuns: 60, seed: 42 },
  );
});
