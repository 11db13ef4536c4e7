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

test("the raw-mode rows name every column of the table, as the query builder reads them", () => {
  for (const row of t.ctx.repo.cases.open({})) {
    const built = t.ctx.repo.cases.get(row.id)!;
    expect(Object.keys(row).sort()).toEqual(Object.keys(built).sort());
    expect(row).toEqual(built);
  }
});

test("open boards are read in the seed's order from an index, with no sort", () => {
  const plan = (sql: string) =>
    (t.ctx.store.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
      .map((r) => r.detail)
      .join("; ");
  for (const where of [
    "status = 'open'",
    "team_id = 'north' AND status = 'open'",
    "worker_id = 1 AND status = 'open'",
  ]) {
    const p = plan(`SELECT * FROM cases WHERE ${where} ORDER BY opened_on DESC, id`);
    expect(p).toMatch(/USING INDEX cases_\w*open_order/);
    expect(p).not.toMatch(/TEMP B-TREE/);
  }
});
