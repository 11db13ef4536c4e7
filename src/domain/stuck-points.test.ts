import { expect, test } from "vitest";
import { DASHBOARDS } from "./dashboards.ts";
import type { ElementKey } from "./elements.ts";
import { type CaseStates, foldElement } from "./projection.ts";
import { type StuckRule, stuckFindings } from "./stuck.ts";
import { stuckElements } from "./stuck-points.ts";

const done = (...els: ElementKey[]): CaseStates =>
  Object.fromEntries(els.map((el) => [el, foldElement([{ id: 1, occurredOn: "2016-01-02", value: 5 }])]));
const finding = (rule: StuckRule) => ({ rule, reason: "", since: "2016-01-01", days: 1 });
const cp = DASHBOARDS["statutory-cp"];

test.each<[StuckRule, CaseStates, ElementKey[]]>([
  ["no-internal-mapping", {}, ["mapping-internal"]],
  ["no-family-mapping", {}, ["mapping-with-family"]],
  ["no-danger-or-goal", done("danger-statement"), ["safety-goal"]],
  ["no-danger-or-goal", done("safety-goal"), ["danger-statement"]],
  ["no-danger-or-goal", {}, ["danger-statement", "safety-goal"]],
  ["no-recent-scale", {}, ["safety-scale"]],
  // rated, but not lately: nothing missing to point at
  ["no-recent-scale", done("safety-scale"), []],
  ["no-child-plan", {}, ["child-safety-plan"]],
  ["no-activity", {}, []],
])("%s with %o points at %o", (rule, states, cells) => {
  expect([...stuckElements([finding(rule)], states, cp)].sort()).toEqual(cells);
});

test("an element the dashboard does not show is never pointed at", () => {
  const noScale = { ...cp, columns: cp.columns.filter((c) => c.id !== "safety-scale") };
  expect([...stuckElements([finding("no-recent-scale")], {}, noScale)]).toEqual([]);
});

test("agrees with the rules: every finding on a bare case points at a cell, except no-activity", () => {
  const findings = stuckFindings(
    { openedOn: "2016-01-01", states: done("mapping-internal"), dashboard: cp },
    { "no-danger-or-goal": 14, "no-child-plan": 90, "no-activity": 21 },
    "2016-06-01",
  );
  expect(findings.map((f) => f.rule)).toEqual(["no-danger-or-goal", "no-child-plan", "no-activity"]);
  expect([...stuckElements(findings, done("mapping-internal"), cp)].sort()).toEqual([
    "child-safety-plan",
    "danger-statement",
    "safety-goal",
  ]);
});
