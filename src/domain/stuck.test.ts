import { describe, expect, test } from "vitest";
import { DASHBOARDS } from "./dashboards.ts";
import type { ElementKey } from "./elements.ts";
import { type CaseStates, foldElement } from "./projection.ts";
import { DEFAULT_STUCK_DAYS, stuckFindings } from "./stuck.ts";

const opened = "2016-01-01";
function states(entries: [ElementKey, (string | null)[]][]): CaseStates {
  return Object.fromEntries(
    entries.map(([k, dates]) => [
      k,
      foldElement(dates.map((d, i) => ({ id: i + 1, occurredOn: d, value: 5 }))),
    ]),
  );
}
const rulesOn = (today: string, s = states([]), dashboard = DASHBOARDS["statutory-cp"]) =>
  stuckFindings({ openedOn: opened, states: s, dashboard }, DEFAULT_STUCK_DAYS, today).map((f) => [
    f.rule,
    f.days,
    f.since,
  ]);

describe("stuck rules", () => {
  test("a new case is not stuck", () => {
    expect(rulesOn("2016-01-10")).toEqual([]);
  });

  test("no internal mapping 14 days after opening: stuck from day 14, counted in days since", () => {
    expect(rulesOn("2016-01-15")).toEqual([["no-internal-mapping", 0, "2016-01-15"]]);
    expect(rulesOn("2016-01-20")).toContainEqual(["no-internal-mapping", 5, "2016-01-15"]);
  });

  test("each rule at its threshold", () => {
    const all = rulesOn("2016-04-01").map((r) => r[0]);
    expect(all).toEqual([
      "no-internal-mapping",
      "no-family-mapping",
      "no-recent-scale",
      "no-child-plan",
      "no-activity",
    ]);
  });

  test("danger statement or goal missing 14 days after the first mapping", () => {
    const s = states([
      ["mapping-internal", ["2016-01-05"]],
      ["mapping-with-family", ["2016-01-03"]],
      ["safety-goal", [null]],
    ]);
    const f = stuckFindings(
      { openedOn: opened, states: s, dashboard: DASHBOARDS["statutory-cp"] },
      { "no-danger-or-goal": 14 },
      "2016-01-20",
    );
    expect(f).toEqual([
      {
        rule: "no-danger-or-goal",
        reason: "no Danger Statement 14 days after first mapping",
        since: "2016-01-17",
        days: 3,
      },
    ]);
  });

  test("the reason uses the case's own dashboard labels", () => {
    const s = states([["mapping-internal", ["2016-01-05"]]]);
    const f = stuckFindings(
      { openedOn: opened, states: s, dashboard: DASHBOARDS.voluntary },
      { "no-danger-or-goal": 14 },
      "2016-02-01",
    );
    expect(f[0]?.reason).toBe("no Critical Worry or Wellbeing Goal 14 days after first mapping");
  });

  test("a scale rating older than 28 days is stuck again", () => {
    const s = states([["safety-scale", ["2016-01-10"]]]);
    const f = stuckFindings(
      { openedOn: opened, states: s, dashboard: DASHBOARDS["statutory-cp"] },
      { "no-recent-scale": 28 },
      "2016-02-10",
    );
    expect(f).toEqual([
      { rule: "no-recent-scale", reason: "no Safety Scale rating for 28 days", since: "2016-02-07", days: 3 },
    ]);
  });

  test("no practice for 21 days counts from the latest occurrence", () => {
    const s = states([["mapping-internal", ["2016-01-05", "2016-02-01"]]]);
    const f = stuckFindings(
      { openedOn: opened, states: s, dashboard: DASHBOARDS["statutory-cp"] },
      { "no-activity": 21 },
      "2016-02-25",
    );
    expect(f).toEqual([
      { rule: "no-activity", reason: "no practice logged for 21 days", since: "2016-02-22", days: 3 },
    ]);
  });

  test("a rule switched off in config never fires", () => {
    expect(
      stuckFindings(
        { openedOn: opened, states: states([]), dashboard: DASHBOARDS["statutory-cp"] },
        {},
        "2017-01-01",
      ),
    ).toEqual([]);
  });
});
