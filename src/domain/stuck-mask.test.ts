import fc from "fast-check";
import { expect, test } from "vitest";
import { DASHBOARDS, type DashboardDef, elementColumn, isElementColumn } from "./dashboards.ts";
import { addDays, dayNumber, daysBetween, type IsoDate } from "./dates.ts";
import { ELEMENT_KEYS, type ElementKey } from "./elements.ts";
import type { CaseStates, ElementState } from "./projection.ts";
import {
  firstStuckDay,
  STUCK_RULES,
  type StuckCaseInput,
  type StuckFinding,
  type StuckRule,
  type StuckThresholds,
  stuckFindings,
  stuckMask,
} from "./stuck.ts";
import { stuckCells, stuckElements } from "./stuck-points.ts";

/**
 * The stuck rules as they were written before they were worked in day numbers (string dates, a
 * reason worded per check): the rules now must find exactly what these found, and `stuckMask`,
 * `firstStuckDay` and `stuckCells` must agree with the findings.
 */
function referenceFindings(
  input: StuckCaseInput,
  thresholds: StuckThresholds,
  today: IsoDate,
): StuckFinding[] {
  const has = (el: ElementKey) => (input.states[el]?.count ?? 0) > 0;
  const label = (el: ElementKey) => elementColumn(input.dashboard, el)?.label ?? null;
  const notBefore = (d: IsoDate, o: IsoDate) => (d < o ? o : d);
  const finding = (rule: StuckRule, since: IsoDate, reason: string) => ({
    rule,
    reason,
    since,
    days: daysBetween(since, today),
  });
  const opened = input.openedOn;
  const out: StuckFinding[] = [];
  for (const rule of STUCK_RULES) {
    const days = thresholds[rule];
    if (days === undefined) continue;
    let f: StuckFinding | null = null;
    if (rule === "no-internal-mapping" || rule === "no-family-mapping" || rule === "no-child-plan") {
      const el: ElementKey =
        rule === "no-internal-mapping"
          ? "mapping-internal"
          : rule === "no-family-mapping"
            ? "mapping-with-family"
            : "child-safety-plan";
      const name = label(el);
      const since = addDays(opened, days);
      if (!has(el) && name !== null && since <= today)
        f = finding(rule, since, `no ${name} ${days} days after opening`);
    } else if (rule === "no-danger-or-goal") {
      const danger = label("danger-statement");
      const goal = label("safety-goal");
      const noDanger = danger !== null && !has("danger-statement");
      const noGoal = goal !== null && !has("safety-goal");
      const a = input.states["mapping-internal"]?.firstOn ?? null;
      const b = input.states["mapping-with-family"]?.firstOn ?? null;
      // biome-ignore lint/complexity/useMathMinMax: ISO date strings, not numbers
      const mapped = a !== null && b !== null ? (a < b ? a : b) : (a ?? b);
      if ((noDanger || noGoal) && mapped !== null) {
        const since = addDays(notBefore(mapped, opened), days);
        const missing = noDanger && noGoal ? `${danger} or ${goal}` : noDanger ? danger : goal;
        if (since <= today) f = finding(rule, since, `no ${missing} ${days} days after first mapping`);
      }
    } else if (rule === "no-recent-scale") {
      const name = label("safety-scale");
      const last = input.states["safety-scale"]?.lastOn;
      const since = addDays(notBefore(last ?? opened, opened), days);
      if (name !== null && since <= today)
        f = finding(
          rule,
          since,
          has("safety-scale")
            ? `no ${name} rating for ${days} days`
            : `no ${name} rating ${days} days after opening`,
        );
    } else {
      let last = opened;
      for (const s of Object.values(input.states)) if (s?.lastOn && s.lastOn > last) last = s.lastOn;
      const since = addDays(last, days);
      if (since <= today) f = finding(rule, since, `no practice logged for ${days} days`);
    }
    if (f) out.push(f);
  }
  return out;
}

const day = fc.integer({ min: 0, max: 400 }).map((n) => addDays("2015-06-01", n));
const state: fc.Arbitrary<ElementState> = fc.record({
  count: fc.integer({ min: 0, max: 3 }),
  firstOn: fc.option(day),
  lastOn: fc.option(day),
  lastValue: fc.option(fc.integer({ min: 0, max: 10 })),
});
const states: fc.Arbitrary<CaseStates> = fc
  .array(fc.tuple(fc.constantFrom(...ELEMENT_KEYS), state), { maxLength: 12 })
  .map((pairs) => Object.fromEntries(pairs) as CaseStates);
const thresholds: fc.Arbitrary<StuckThresholds> = fc
  .array(fc.tuple(fc.constantFrom(...STUCK_RULES), fc.integer({ min: 0, max: 120 })), { maxLength: 6 })
  .map((pairs) => Object.fromEntries(pairs) as StuckThresholds);
const dashboards = Object.values(DASHBOARDS) as DashboardDef[];
const dashboard = fc.constantFrom(...dashboards);

test("the rules in day numbers find what the string-dated rules found, and the mask, first day and cells agree", () => {
  fc.assert(
    fc.property(day, states, dashboard, dashboard, thresholds, day, (openedOn, st, own, table, th, today) => {
      const input = { openedOn, states: st, dashboard: own };
      const findings = stuckFindings(input, th, today);
      expect(findings).toEqual(referenceFindings(input, th, today));
      const mask = stuckMask(input, th, dayNumber(today));
      expect(STUCK_RULES.filter((_, i) => mask & (1 << i))).toEqual(findings.map((f) => f.rule));
      const every = referenceFindings(input, th, "9999-12-31");
      expect(firstStuckDay(input, th, "9999-12-31")).toEqual(
        every.length === 0 ? null : every.map((f) => f.since).sort()[0],
      );
      // The cells a board row marks, as they were worked out from the findings' elements.
      const at = stuckElements(findings, st, own);
      const cells = table.columns.flatMap((col, i) => (isElementColumn(col) && at.has(col.id) ? [i] : []));
      expect(stuckCells(table, mask, st, own)).toEqual(cells);
    }),
    { numRuns: 3000 },
  );
});
