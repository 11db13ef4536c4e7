import { afterAll, beforeAll, expect, test } from "vitest";
import { JANE, makeTestCtx, type TestCtx } from "../../test/helpers/ctx.ts";

let t: TestCtx;
beforeAll(async () => {
  t = makeTestCtx();
  await t.run(JANE, "scale 12345 4");
  // A case closed and opened again: its open row holds nothing of the close.
  for (const text of ["close 12346 safe at home", "reopen 12346"])
    if (!(await t.run("sam.okafor@demo-agency.example", text)).ok) throw new Error(`${text} was refused`);
});
afterAll(() => t.close());

test("a board's open rows are the full rows, in the same order, without outcome, closing note, creation and version", () => {
  const jane = t.as(JANE).staffId;
  for (const scope of [{}, { workerId: jane }, { teamIds: ["north"] }, { teamIds: [] }]) {
    const full = t.ctx.repo.cases.open(scope);
    const board = [...t.ctx.repo.cases.eachOpenForBoard(scope)];
    expect(board).toEqual(
      full.map(
        ({ outcome: _o, closingNote: _n, createdAt: _a, createdBy: _b, version: _v, ...rest }) => rest,
      ),
    );
  }
  expect(t.ctx.repo.cases.open({}).some((c) => c.id === "12346")).toBe(true);
});

test("cases with the same abuse types share one list, which no reader can change", () => {
  const rows = [...t.ctx.repo.cases.eachOpenForBoard({})];
  const byText = new Map<string, readonly string[]>();
  for (const r of rows) {
    const seen = byText.get(JSON.stringify(r.abuseTypes));
    if (seen) expect(r.abuseTypes).toBe(seen);
    else byText.set(JSON.stringify(r.abuseTypes), r.abuseTypes);
    expect(Object.isFrozen(r.abuseTypes)).toBe(true);
  }
  expect(byText.size).toBeLessThan(rows.length);
  expect(() => (rows[0]!.abuseTypes as string[]).push("PA")).toThrow(TypeError);
});
