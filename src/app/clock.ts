import { type IsoDate, localDate } from "../domain/dates.ts";

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
