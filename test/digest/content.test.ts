import { afterEach, expect, test } from "vitest";
import { makeInvocation } from "../../src/commands/invocation.ts";
import { OPERATOR } from "../../src/commands/views.ts";
import { agencySummary } from "../../src/digest/agency-summary.ts";
import { planNudges } from "../../src/digest/nudges.ts";
import { teamDigest } from "../../src/digest/team-digest.ts";
import { teamDigestText } from "../../src/digest/text.ts";
import { JANE, makeTestCtx, SAM, type TestCtx } from "../helpers/ctx.ts";

let t: TestCtx;
afterEach(() => t?.close());

const channel = () => makeInvocation(t.ctx, OPERATOR, "digest", "channel");

test("the seed team's weekly digest: coverage now and a week ago, what changed, stuck and raised cases", async () => {
  t = makeTestCtx({ today: "2016-03-07" });
  await t.run(JANE, "mapped-with-family 12345 2016-03-04");
  await t.run(SAM, "close 22345 referred-on 2016-03-03");
  await t.run(SAM, `open 40001 "Tia Brown" 7 cp ${JANE} 2016-03-02`);
  const v = await teamDigest(channel(), "north", { asOf: "2016-03-07", period: "2016-W10", late: false });
  expect(v.headline).toBe("6 open cases · 1 with practice logged this week · 1 new · 1 closed · 5 stuck");
  expect(v.coverage.rows.find((r) => r[0] === "Mapping with Family")).toEqual([
    "Mapping with Family",
    "67% (4/6)",
    "50% (3/6)",
    "+1",
  ]);
  expect(v.newCases).toEqual(["40001 T.B. 7 · Front end statutory child protection · Jane Smith"]);
  expect(v.closedCases).toEqual(["22345 M.M. 13 · Referred to another service"]);
  expect(v.raised.map((i) => i.caseId)).toEqual(["22346", "12346", "32346", "32345", "12345"]);
  expect(v.dashboards.map((d) => d.title)).toEqual([
    "Front end statutory child protection",
    "Statutory family support / preventative",
    "Voluntary preventative",
  ]);
  expect(v.dashboards[0]!.groups.map((g) => g.title)).toEqual([
    "Jane Smith's Cases",
    "Ah Hin Xeng's Cases",
    "Alison Camp's Cases",
  ]);
  const text = teamDigestText(v);
  expect(text).not.toMatch(/Melli|Mary|Tia/);
  expect(text.split("\n").slice(0, 20).join("\n")).toMatchInlineSnapshot(`
    "North Team: weekly practice dashboard, week to 07/03/16
    6 open cases · 1 with practice logged this week · 1 new · 1 closed · 5 stuck

    Practice coverage (open cases with the element recorded)

                                                    Change
    Element                  Now        A week ago  (cases)
    -----------------------  ---------  ----------  --------
    Mapping Internal         83% (5/6)  100% (6/6)  −1
    Mapping with Family      67% (4/6)  50% (3/6)   +1
    Three Houses             83% (5/6)  100% (6/6)  −1
    Danger Statement         83% (5/6)  100% (6/6)  −1
    Safety Goal              67% (4/6)  83% (5/6)   −1
    Safety Scale             33% (2/6)  33% (2/6)   0
    Timeline and Trajectory  0% (0/2)   0% (0/2)    0
    Word and Pictures        67% (4/6)  67% (4/6)   0
    Network Provide number   83% (5/6)  100% (6/6)  −1
    Network Meetings         33% (1/3)  50% (1/2)   0
    Adult Safety Plan        33% (2/6)  33% (2/6)   0
    Child Safety Plan        17% (1/6)  17% (1/6)   0"
  `);
});

test("a quiet week drops the tables, never the stuck cases and those raised to the supervisor", async () => {
  t = makeTestCtx({ today: "2016-04-04" });
  const v = await teamDigest(channel(), "north", { asOf: "2016-04-04", period: "2016-W14", late: false });
  expect(v.quiet).toBe(true);
  const text = teamDigestText(v);
  expect(text.split("\n").slice(0, 8).join("\n")).toBe(
    [
      "North Team: weekly practice dashboard, week to 04/04/16",
      "Nothing changed this week: no practice logged, no new and no closed cases. 6 open cases · 0 with practice logged this week · 0 new · 0 closed · 6 stuck.",
      "",
      "Raised to the supervisor: stuck a long time (6)",
      "",
      "22346  M.T. 5  ·  Jane Smith, North Team  ·  Statutory family support / preventative",
      "  - no Success Scale rating 28 days after opening: stuck 269 days (since 10/07/15)",
      "  - no Child Success Plan 90 days after opening: stuck 207 days (since 10/09/15)",
    ].join("\n"),
  );
  // Every stuck case, with its rules and days; no coverage table and no dashboard.
  for (const i of v.stuck) expect(text).toContain(`${i.caseId}  ${i.child}  ·  Jane Smith, North Team`);
  expect(text).toContain(
    "12345  M.M. 13  ·  Jane Smith, North Team  ·  Front end statutory child protection",
  );
  expect(text).toContain("no practice logged for 21 days: stuck 16 days (since 19/03/16)");
  expect(text).not.toContain("Practice coverage");
  expect(text).not.toContain("Jane Smith's Cases");
});

test("a quiet week with a stuck case not yet raised lists it under the stuck cases", async () => {
  t = makeTestCtx({ today: "2016-03-07" });
  expect((await t.run(SAM, `open 40001 "Tia Brown" 7 cp ${JANE} 2016-02-25`)).ok).toBe(true);
  const v = await teamDigest(channel(), "north", { asOf: "2016-03-21", period: "2016-W12", late: false });
  expect(v.quiet).toBe(true);
  const text = teamDigestText(v);
  expect(text).toContain("Raised to the supervisor: stuck a long time (");
  expect(text).toMatch(/Other stuck cases \(\d+\)\n\n40001 {2}T\.B\. 7/);
});

test("the agency summary sets elements against outcomes and names no worker and no child", async () => {
  t = makeTestCtx({ today: "2016-03-07" });
  await t.run(SAM, "close 12345 safe-at-home");
  await t.run(SAM, "close 22346 referred-on");
  const v = await agencySummary(channel(), { asOf: "2016-03-07", period: "2016-W10", late: false });
  expect(v.outcomes.columns).toEqual([
    "Element",
    "Safety achieved, child living at home (1)",
    "Referred to another service (1)",
  ]);
  expect(v.outcomes.rows.find((r) => r[0] === "Danger Statement")).toEqual([
    "Danger Statement",
    "100% (1/1)",
    "100% (1/1)",
  ]);
  expect(v.outcomes.rows.find((r) => r[0] === "Safety Goal")).toEqual([
    "Safety Goal",
    "0% (0/1)",
    "100% (1/1)",
  ]);
  expect(v.trend.columns).toHaveLength(9);
  expect(v.stuckCounts.rows.at(-1)).toEqual(["Whole agency", "4", "4", "4"]);
  expect(JSON.stringify(v)).not.toMatch(/Jane|Ah Hin|Alison|Melli|Mary/);
});

test("a digest for an earlier week counts what was open then, and stuck days as of then", async () => {
  t = makeTestCtx({ today: "2016-03-07" });
  await t.run(SAM, `open 40001 "Tia Brown" 7 cp ${JANE} 2016-02-20`);
  const v = await teamDigest(channel(), "north", { asOf: "2016-02-10", period: "2016-W06", late: false });
  expect(v.headline.startsWith("6 open cases")).toBe(true);
  expect(v.dashboards.flatMap((d) => d.groups.flatMap((g) => g.rows.map((r) => r.caseId)))).not.toContain(
    "40001",
  );
  const melli = v.stuck.find((i) => i.caseId === "22345")!;
  expect(melli.findings.find((f) => f.rule === "no-family-mapping")).toMatchObject({
    since: "31/01/16",
    days: 10,
  });
});

test("nudges planned for a day count stuck days, and children's ages, as of that day", async () => {
  t = makeTestCtx({ today: "2016-03-01" });
  const plan = await planNudges(t.ctx, "north", "2016-03-14");
  if (!("nudges" in plan)) throw new Error(plan.skipped);
  const mary = plan.nudges[0]!.view.items.find((i) => i.caseId === "22346")!;
  expect(mary.findings.find((f) => f.rule === "no-recent-scale")).toMatchObject({
    since: "10/07/15",
    days: 248,
  });
  expect(mary.child).toBe("Mary Telis 5");
});
