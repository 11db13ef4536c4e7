import { afterEach, beforeEach, expect, test } from "vitest";
import { AH_HIN, JANE, makeTestCtx, SAM, type TestCtx } from "../../test/helpers/ctx.ts";
import { demoWithout } from "../../test/helpers/demo-config.ts";
import { parseOrg } from "../config/load.ts";
import { leaversLines, leaversSentence } from "../domain/leavers.ts";
import { leaversWithOpenCases } from "./leavers.ts";

let t: TestCtx;
beforeEach(() => {
  t = makeTestCtx();
});
afterEach(() => t.close());

const without = (emails: string[]) => parseOrg(demoWithout(emails), "without.yaml");

test("people no longer in the config are listed with their open cases, most first, closed cases not counted", async () => {
  expect((await t.run(SAM, `assign 12346 ${AH_HIN}`)).ok).toBe(true);
  expect((await t.run(SAM, "close 22345 safe-at-home")).ok).toBe(true);
  const org = without([JANE, AH_HIN]);
  const leavers = leaversWithOpenCases(t.ctx.store, org);
  expect(leavers.map(({ name, openCases }) => [name, openCases])).toEqual([
    ["Jane Smith", 4],
    ["Ah Hin Xeng", 1],
  ]);
  expect(leaversSentence(leavers)).toBe(
    "5 open cases are allocated to people no longer in the config: Jane Smith (4), Ah Hin Xeng (1): reallocate them with `/sos assign`.",
  );
  expect(leaversLines(leavers)).toEqual([
    "5 open cases are allocated to people no longer in the config: reallocate them with `/sos assign`:",
    "  Jane Smith (4)",
    "  Ah Hin Xeng (1)",
  ]);
});

test("a supervisor's digest asks for its own teams only; nobody gone means nothing to say", () => {
  const org = without([JANE]);
  expect(leaversWithOpenCases(t.ctx.store, org, { teamIds: ["north"] })).toHaveLength(1);
  expect(leaversWithOpenCases(t.ctx.store, org, { teamIds: ["south"] })).toEqual([]);
  expect(leaversWithOpenCases(t.ctx.store, org, { teamIds: [] })).toEqual([]);
  expect(leaversWithOpenCases(t.ctx.store, t.ctx.org)).toEqual([]);
  expect(leaversSentence([])).toBeNull();
  expect(leaversSentence([{ staffId: 1, name: "Jane Smith", openCases: 1 }])).toBe(
    "1 open case is allocated to someone no longer in the config: Jane Smith (1): reallocate it with `/sos assign`.",
  );
});
