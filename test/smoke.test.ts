import { afterEach, expect, test } from "vitest";
import { JANE, makeTestCtx, type TestCtx } from "./helpers/ctx.ts";

let t: TestCtx;
afterEach(() => t?.close());

test("a worker logs an element and sees it on her dashboard", async () => {
  t = makeTestCtx();
  const r = await t.run(JANE, "/sos mapped-with-family 12345");
  expect(r.ok).toBe(true);
  expect(r.text).toContain(
    "Recorded Mapping with Family on 01/03/16 (today) for case 12345 (Melli Majid 13).",
  );
  const mine = await t.run(JANE, "mine statutory-cp");
  const row = mine.dashboards?.[0]?.groups[0]?.rows.find((x) => x.caseId === "12345");
  expect(row?.cells[4]).toBe("01/03/16");
});
