import cron, { type ScheduledTask } from "node-cron";
import type { Org } from "../config/org.ts";
import { addDays, type IsoDate, isoWeek, localDate, weekStart, zonedInstant } from "../domain/dates.ts";

/** What goes out on a schedule: a team's digest, the agency summary, or a team's workers' nudges. */
export type DigestKind = "team" | "agency" | "nudge";

export interface ScheduleSpec {
  readonly kind: DigestKind;
  /** a team id; "agency" for the summary */
  readonly scope: string;
  readonly cron: string;
}

/** Every schedule the config asks for: each team's digest and nudges (team overrides), the summary. */
export function schedules(org: Org): ScheduleSpec[] {
  return [
    ...org.teams.flatMap((t): ScheduleSpec[] => [
      { kind: "team", scope: t.id, cron: t.digest.team },
      { kind: "nudge", scope: t.id, cron: t.digest.nudges },
    ]),
    { kind: "agency", scope: "agency", cron: org.digest.agency },
  ];
}

/**
 * The period a run belongs to, which the ledger keys on: digests are weekly (`2026-W48`), nudges
 * daily (`2026-11-26`), both in the agency's time zone.
 */
export function periodOf(kind: DigestKind, instant: Date, timeZone: string): string {
  const day = localDate(instant, timeZone);
  return kind === "nudge" ? day : isoWeek(day);
}

/** The first and last day of the period containing `day`. */
export function periodDays(kind: DigestKind, day: IsoDate): { from: IsoDate; to: IsoDate } {
  if (kind === "nudge") return { from: day, to: day };
  const monday = weekStart(day);
  return { from: monday, to: addDays(monday, 6) };
}

const matchers = new Map<string, ScheduledTask>();

/** node-cron's own matcher for an expression in a zone (created, never started). */
function matcher(expr: string, timeZone: string): ScheduledTask {
  const key = `${timeZone} ${expr}`;
  let task = matchers.get(key);
  if (!task) {
    task = cron.createTask(expr, () => {}, { timezone: timeZone });
    matchers.set(key, task);
  }
  return task;
}

/**
 * The instants an expression fires on the days `from`..`to` (local), found by trying the hours and
 * minutes the expression names on each day and asking node-cron's matcher, so daylight-saving days
 * agree with what node-cron itself fires.
 */
export function occurrences(expr: string, timeZone: string, from: IsoDate, to: IsoDate): Date[] {
  const task = matcher(expr, timeZone);
  const fields = cron.parse(expr);
  const out: Date[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    for (const h of fields.hour) {
      for (const m of fields.minute) {
        const t = zonedInstant(day, h, m, timeZone);
        if (localDate(t, timeZone) === day && task.match(t)) out.push(t);
      }
    }
  }
  return out.sort((a, b) => a.getTime() - b.getTime());
}

/** The latest time a schedule was due in the current period, up to `now`: what a restart catches up. */
export function lastDue(spec: ScheduleSpec, now: Date, timeZone: string): Date | null {
  const { from } = periodDays(spec.kind, localDate(now, timeZone));
  const due = occurrences(spec.cron, timeZone, from, localDate(now, timeZone)).filter((t) => t <= now);
  return due[due.length - 1] ?? null;
}

export function isValidCron(expr: string): boolean {
  return cron.validate(expr) && expr.trim().split(/\s+/).length === 5;
}
