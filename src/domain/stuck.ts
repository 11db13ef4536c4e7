import { type DashboardDef, elementColumn } from "./dashboards.ts";
import { dayNumber, fromDayNumber, type IsoDate } from "./dates.ts";
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

/** The element a "missing element" rule is about. */
function missingElement(rule: "no-internal-mapping" | "no-family-mapping" | "no-child-plan"): ElementKey {
  return rule === "no-internal-mapping"
    ? "mapping-internal"
    : rule === "no-family-mapping"
      ? "mapping-with-family"
      : "child-safety-plan";
}

/**
 * The first day `rule` holds for the case as its record stands, whatever today is, as a day number
 * (`dayNumber`); null: never (the element is done, or not on the case's dashboard). A rule applies
 * only to the dashboards that show its element: a voluntary case has no danger statement.
 *
 * Worked in day numbers and without wording a reason: this runs for every rule of every case of the
 * agency's boards and digests, and the 20,000-case overview only needs to know which rules hold
 * (the strings `addDays` and the reasons made were a fifth of its garbage, bench/profile.ts).
 * `opened` is `dayNumber(input.openedOn)`, read once per case.
 */
function ruleStart(rule: StuckRule, input: StuckCaseInput, days: number, opened: number): number | null {
  // A case moved onto this dashboard is held to its rules from the move (`openedOn` is then the day
  // it moved): practice from before still counts as done, but no clock starts before the move.
  switch (rule) {
    case "no-internal-mapping":
    case "no-family-mapping":
    case "no-child-plan": {
      const element = missingElement(rule);
      if (has(input, element) || label(input, element) === null) return null;
      return opened + days;
    }
    case "no-danger-or-goal": {
      const noDanger = label(input, "danger-statement") !== null && !has(input, "danger-statement");
      const noGoal = label(input, "safety-goal") !== null && !has(input, "safety-goal");
      if (!noDanger && !noGoal) return null;
      const a = input.states["mapping-internal"]?.firstOn ?? null;
      const b = input.states["mapping-with-family"]?.firstOn ?? null;
      if (a === null && b === null) return null;
      const mapped = Math.min(a === null ? Infinity : dayNumber(a), b === null ? Infinity : dayNumber(b));
      return Math.max(mapped, opened) + days;
    }
    case "no-recent-scale": {
      if (label(input, "safety-scale") === null) return null;
      const last = input.states["safety-scale"]?.lastOn;
      return (last ? Math.max(dayNumber(last), opened) : opened) + days;
    }
    case "no-activity": {
      let last = opened;
      const { states } = input;
      for (const k in states) {
        const s = states[k as ElementKey];
        if (s?.lastOn) {
          const d = dayNumber(s.lastOn);
          if (d > last) last = d;
        }
      }
      return last + days;
    }
  }
}

/** What is missing, in the dashboard's own words: worded only once the rule is known to hold. */
function reasonFor(rule: StuckRule, input: StuckCaseInput, days: number): string {
  switch (rule) {
    case "no-internal-mapping":
    case "no-family-mapping":
    case "no-child-plan":
      return `no ${label(input, missingElement(rule))} ${days} days after opening`;
    case "no-danger-or-goal": {
      const danger = label(input, "danger-statement");
      const goal = label(input, "safety-goal");
      const noDanger = danger !== null && !has(input, "danger-statement");
      const noGoal = goal !== null && !has(input, "safety-goal");
      const missing = noDanger && noGoal ? `${danger} or ${goal}` : noDanger ? danger : goal;
      return `no ${missing} ${days} days after first mapping`;
    }
    case "no-recent-scale": {
      const name = label(input, "safety-scale");
      return has(input, "safety-scale")
        ? `no ${name} rating for ${days} days`
        : `no ${name} rating ${days} days after opening`;
    }
    case "no-activity":
      return `no practice logged for ${days} days`;
  }
}

export function stuckFindings(
  input: StuckCaseInput,
  thresholds: StuckThresholds,
  today: IsoDate,
): StuckFinding[] {
  const out: StuckFinding[] = [];
  const opened = dayNumber(input.openedOn);
  const t = dayNumber(today);
  for (const rule of STUCK_RULES) {
    const days = thresholds[rule];
    if (days === undefined) continue;
    const since = ruleStart(rule, input, days, opened);
    if (since === null || since > t) continue;
    out.push({ rule, reason: reasonFor(rule, input, days), since: fromDayNumber(since), days: t - since });
  }
  return out;
}

/**
 * Which rules hold for the case on `today` (a `dayNumber`), as bits: bit i is `STUCK_RULES[i]`. The
 * same rules as `stuckFindings`, for a board that only marks stuck rows and cells: nothing is made.
 */
export function stuckMask(input: StuckCaseInput, thresholds: StuckThresholds, today: number): number {
  const opened = dayNumber(input.openedOn);
  let mask = 0;
  for (let i = 0; i < STUCK_RULES.length; i++) {
    const days = thresholds[STUCK_RULES[i]!];
    if (days === undefined) continue;
    const since = ruleStart(STUCK_RULES[i]!, input, days, opened);
    if (since !== null && since <= today) mask |= 1 << i;
  }
  return mask;
}

/**
 * The first day the case is stuck as its record stands, whatever today is (the earliest start of
 * its rules), but none later than `upTo`; null: never. What "stuck since" keeps per case.
 */
export function firstStuckDay(
  input: StuckCaseInput,
  thresholds: StuckThresholds,
  upTo: IsoDate,
): IsoDate | null {
  const opened = dayNumber(input.openedOn);
  const limit = dayNumber(upTo);
  let first: number | null = null;
  for (const rule of STUCK_RULES) {
    const days = thresholds[rule];
    if (days === undefined) continue;
    const since = ruleStart(rule, input, days, opened);
    if (since !== null && since <= limit && (first === null || since < first)) first = since;
  }
  return first === null ? null : fromDayNumber(first);
}
