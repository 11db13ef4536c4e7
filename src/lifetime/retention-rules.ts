import type { RetentionPolicy } from "../config/org.ts";
import { daysInMonth, type IsoDate, ymd } from "../domain/dates.ts";

/**
 * When a closed case is due to be removed under the agency's retention policy. Pure: the case's
 * dates and the policy in, a day out. Every rule the policy gives must have passed (the later day
 * wins), and where a day can only be estimated the estimate is the latest it can be: removing a
 * record early cannot be undone, keeping it a little longer can.
 */

export interface RetentionFacts {
  readonly id: string;
  readonly status: "open" | "closed";
  readonly closedOn: IsoDate | null;
  readonly openedOn: IsoDate;
  readonly dob: IsoDate | null;
  readonly ageAtOpening: number | null;
}

/** One rule of the policy, as it applies to one case. */
export type RuleDay =
  | { readonly rule: "afterClosing"; readonly years: number; readonly months: number; readonly on: IsoDate }
  | {
      readonly rule: "afterBirthday";
      readonly age: number;
      readonly on: IsoDate;
      /** from the age at opening, not a date of birth: the latest the birthday can fall */
      readonly estimated: boolean;
    };

export type Retention =
  /** open cases are never due */
  | { readonly kind: "open" }
  /** a rule cannot be worked out (no date of birth or age for a birthday rule): kept */
  | { readonly kind: "unknown"; readonly why: string }
  | { readonly kind: "kept"; readonly until: IsoDate; readonly rules: readonly RuleDay[] }
  | { readonly kind: "due"; readonly since: IsoDate; readonly rules: readonly RuleDay[] };

export function retentionOf(policy: RetentionPolicy, c: RetentionFacts, today: IsoDate): Retention {
  if (c.status !== "closed" || c.closedOn === null) return { kind: "open" };
  const rules: RuleDay[] = [];
  if (policy.afterClosing) {
    const { years, months } = policy.afterClosing;
    rules.push({ rule: "afterClosing", years, months, on: addMonths(c.closedOn, years * 12 + months) });
  }
  if (policy.afterBirthday !== undefined) {
    const age = policy.afterBirthday;
    if (c.dob !== null)
      rules.push({ rule: "afterBirthday", age, on: addMonths(c.dob, age * 12), estimated: false });
    else if (c.ageAtOpening !== null)
      // Aged A on the day it opened: born A years before that day at the latest.
      rules.push({
        rule: "afterBirthday",
        age,
        on: addMonths(c.openedOn, (age - c.ageAtOpening) * 12),
        estimated: true,
      });
    else
      return {
        kind: "unknown",
        why: "no date of birth or age is recorded, so the birthday rule cannot be worked out",
      };
  }
  // ISO days compare as text: the latest rule's day, and never before the close itself.
  const last = [c.closedOn, ...rules.map((r) => r.on)].sort().at(-1)!;
  return last <= today ? { kind: "due", since: last, rules } : { kind: "kept", until: last, rules };
}

/**
 * `months` later on the calendar; a day the target month lacks (31 January plus one month, 29
 * February plus a year) becomes the first of the month after it, never the day before.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const tm = (total % 12) + 1;
  if (d <= daysInMonth(ty, tm)) return ymd(ty, tm, d);
  return tm === 12 ? ymd(ty + 1, 1, 1) : ymd(ty, tm + 1, 1);
}

/** "7 years after closing", "the 25th birthday": the rule in words, with no date of the child's. */
export function ruleWords(r: RuleDay): string {
  if (r.rule === "afterBirthday") return `the child's ${ordinal(r.age)} birthday`;
  const parts = [
    r.years > 0 ? `${r.years} year${r.years === 1 ? "" : "s"}` : "",
    r.months > 0 ? `${r.months} month${r.months === 1 ? "" : "s"}` : "",
  ].filter(Boolean);
  return `${parts.join(" and ")} after closing`;
}

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? "th" : (({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th");
  return `${n}${suffix}`;
}
