import { type DashboardDef, elementColumn } from "./dashboards.ts";
import { addDays, daysBetween, type IsoDate } from "./dates.ts";
import type { ElementKey } from "./elements.ts";
import type { CaseStates } from "./projection.ts";

/**
 * The stuck-case rules of DESIGN §5. Each names the point a case should have reached by a number of
 * days after some start; thresholds come from config, per dashboard.
 */
export const STUCK_RULES = [
  "no-internal-mapping",
  "no-family-mapping",
  "no-danger-or-goal",
  "no-recent-scale",
  "no-child-plan",
  "no-activity",
] as const;

export type StuckRule = (typeof STUCK_RULES)[number];

export const DEFAULT_STUCK_DAYS: Readonly<Record<StuckRule, number>> = {
  "no-internal-mapping": 14,
  "no-family-mapping": 28,
  "no-danger-or-goal": 14,
  "no-recent-scale": 28,
  "no-child-plan": 90,
  "no-activity": 21,
};

/** Days per rule for one dashboard; a missing rule is switched off. */
export type StuckThresholds = Partial<Record<StuckRule, number>>;

export interface StuckCaseInput {
  /** the day the case came onto this dashboard: opened, or moved here */
  readonly openedOn: IsoDate;
  readonly states: CaseStates;
  readonly dashboard: DashboardDef;
}

export interface StuckFinding {
  readonly rule: StuckRule;
  /** what is missing, in the dashboard's own words: "no Mapping Internal 14 days after opening" */
  readonly reason: string;
  /** the day the case became stuck under this rule */
  readonly since: IsoDate;
  /** whole days since then; 0 means it became stuck today */
  readonly days: number;
}

function has(input: StuckCaseInput, element: ElementKey): boolean {
  return (input.states[element]?.count ?? 0) > 0;
}

function label(input: StuckCaseInput, element: ElementKey): string | null {
  return elementColumn(input.dashboard, element)?.label ?? null;
}

/** Stuck from `since` on, `days` whole days of it by `today`. */
function finding(rule: StuckRule, since: IsoDate, today: IsoDate, reason: string): StuckFinding {
  return { rule, reason, since, days: daysBetween(since, today) };
}

/** A day no earlier than the case came onto this dashboard. */
function notBefore(d: IsoDate, opened: IsoDate): IsoDate {
  return d < opened ? opened : d;
}

/**
 * A rule applies only to the dashboards that show its element: a voluntary case has no danger statement.
 * The reason is only worded once the case is known to be stuck (most are not), and no closure is
 * made per call: this runs for every rule of every case of the agency's boards and digests.
 */
function check(rule: StuckRule, input: StuckCaseInput, days: number, today: IsoDate): StuckFinding | null {
  // A case moved onto this dashboard is held to its rules from the move (`openedOn` is then the day
  // it moved): practice from before still counts as done, but no clock starts before the move.
  const opened = input.openedOn;
  switch (rule) {
    case "no-internal-mapping":
    case "no-family-mapping":
    case "no-child-plan": {
      const element: ElementKey =
        rule === "no-internal-mapping"
          ? "mapping-internal"
          : rule === "no-family-mapping"
            ? "mapping-with-family"
            : "child-safety-plan";
      if (has(input, element)) return null;
      const name = label(input, element);
      if (name === null) return null;
      const since = addDays(opened, days);
      if (since > today) return null;
      return finding(rule, since, today, `no ${name} ${days} days after opening`);
    }
    case "no-danger-or-goal": {
      const danger = label(input, "danger-statement");
      const goal = label(input, "safety-goal");
      const noDanger = danger !== null && !has(input, "danger-statement");
      const noGoal = goal !== null && !has(input, "safety-goal");
      if (!noDanger && !noGoal) return null;
      const a = input.states["mapping-internal"]?.firstOn ?? null;
      const b = input.states["mapping-with-family"]?.firstOn ?? null;
      // biome-ignore lint/complexity/useMathMinMax: ISO date strings, not numbers
      const mapped = a !== null && b !== null ? (a < b ? a : b) : (a ?? b);
      if (mapped === null) return null;
      const since = addDays(notBefore(mapped, opened), days);
      if (since > today) return null;
      const missing = noDanger && noGoal ? `${danger} or ${goal}` : noDanger ? danger : goal;
      return finding(rule, since, today, `no ${missing} ${days} days after first mapping`);
    }
    case "no-recent-scale": {
      const name = label(input, "safety-scale");
      if (name === null) return null;
      const last = input.states["safety-scale"]?.lastOn;
      const since = addDays(notBefore(last ?? opened, opened), days);
      if (since > today) return null;
      return finding(
        rule,
        since,
        today,
        has(input, "safety-scale")
          ? `no ${name} rating for ${days} days`
          : `no ${name} rating ${days} days after opening`,
      );
    }
    case "no-activity": {
      let last = opened;
      const { states } = input;
      for (const k in states) {
        const s = states[k as ElementKey];
        if (s?.lastOn && s.lastOn > last) last = s.lastOn;
      }
      const since = addDays(last, days);
      if (since > today) return null;
      return finding(rule, since, today, `no practice logged for ${days} days`);
    }
  }
}

export function stuckFindings(
  input: StuckCaseInput,
  thresholds: StuckThresholds,
  today: IsoDate,
): StuckFinding[] {
  const out: StuckFinding[] = [];
  for (const rule of STUCK_RULES) {
    const days = thresholds[rule];
    if (days === undefined) continue;
    const f = check(rule, input, days, today);
    if (f) out.push(f);
  }
  return out;
}
