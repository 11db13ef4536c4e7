import { afterAll, beforeAll, expect, test } from "vitest";
import { JANE, makeTestCtx, type TestCtx } from "../../test/helpers/ctx.ts";

let t: TestCtx;
beforeAll(async () => {
  t = makeTestCtx();
  await t.run(JANE, "scale 12345 4");
});
afterAll(() => t.close());

test("streamed rows are the same rows, decoded the same way, as the query builder's", () => {
  const jane = t.as(JANE).staffId;
  for (const scope of [{}, { workerId: jane }, { teamIds: ["north"] }, { teamIds: [] }]) {
    expect([...t.ctx.repo.cases.eachOpen(scope)]).toEqual(t.ctx.repo.cases.open(scope));
  }
  const first = [...t.ctx.repo.cases.eachOpen({})][0]!;
  expect(first.abuseTypes).toEqual(["N", "PA"]);
  expect(first.states["safety-scale"]).toMatchObject({ count: 2, lastValue: 4 });
});
