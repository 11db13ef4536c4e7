import { daysBetween, type IsoDate, localDate } from "../domain/dates.ts";

/** The one source of "now". Passed in everywhere so tests and demos can set the day. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(instant: Date | string): Clock {
  const t = new Date(instant);
  return { now: () => new Date(t) };
}

/** A clock whose time moves only when told: for scheduler tests. */
export function manualClock(start: Date | string) {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set(instant: Date | string) {
      t = new Date(instant).getTime();
    },
    advance(ms: number) {
      t += ms;
    },
  };
}

/**
 * A clock that stands still at midday on `date` in `timeZone` (for `--today` and `SOS_TODAY`), so
 * "today" is that date whatever the zone's offset.
 */
export function dayClock(date: IsoDate, timeZone: string): Clock {
  let t = Date.parse(`${date}T12:00:00Z`);
  for (let i = 0; i < 3 && localDate(new Date(t), timeZone) !== date; i++) {
    t += localDate(new Date(t), timeZone) > date ? -12 * 3_600_000 : 12 * 3_600_000;
  }
  return fixedClock(new Date(t));
}

export function today(clock: Clock, timeZone: string): IsoDate {
  return localDate(clock.now(), timeZone);
}

/**
 * Real time of day, on a calendar moved back so that today is `date`: the demo agency's clock. Its
 * sample cases are from a 2016 document; seen from 2026 every child would be ten years older and every
 * case stuck for years. Time still passes, so schedules and "yesterday" keep working.
 */
export function shiftedClock(date: IsoDate, timeZone: string, base: Clock = systemClock): Clock {
  const shiftMs = daysBetween(localDate(base.now(), timeZone), date) * 86_400_000;
  return { now: () => new Date(base.now().getTime() + shiftMs) };
}
