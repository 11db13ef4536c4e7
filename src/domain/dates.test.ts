import { describe, expect, test } from "vitest";
import {
  addDays,
  daysBetween,
  formatDate,
  fullYears,
  isoWeek,
  isValidDatePattern,
  localDate,
  parseDate,
  weekday,
  weekStart,
  zonedInstant,
} from "./dates.ts";

const TODAY = "2026-11-26";

describe("parseDate reads what workers type", () => {
  test.each([
    ["today", "2026-11-26"],
    ["Today", "2026-11-26"],
    ["yesterday", "2026-11-25"],
    ["tomorrow", "2026-11-27"],
    ["2016-01-06", "2016-01-06"],
    ["2016-1-6", "2016-01-06"],
    ["6/1/16", "2016-01-06"],
    ["06/01/16", "2016-01-06"],
    ["06/01/2016", "2016-01-06"],
    ["6.1.16", "2016-01-06"],
    ["6-1-2016", "2016-01-06"],
    ["29/02/16", "2016-02-29"],
    ["12/11", "2026-11-12"],
    // no year and not yet this year: the most recent such day, last year
    ["30/12", "2025-12-30"],
  ])("%s → %s (day first)", (typed, iso) => {
    expect(parseDate(typed, TODAY, "dmy")).toEqual({ ok: true, date: iso });
  });

  test.each([
    ["1/6/16", "mdy", "2016-01-06"],
    ["16/1/6", "ymd", "2016-01-06"],
    ["2016/01/06", "dmy", "2016-01-06"],
  ] as const)("%s in %s order → %s", (typed, order, iso) => {
    expect(parseDate(typed, TODAY, order)).toEqual({ ok: true, date: iso });
  });

  test.each(["31/02/26", "29/02/25", "32/01/16", "00/01/16", "15/13/16", "2016-02-30", "2016-13-01"])(
    "%s is an impossible date",
    (typed) => {
      expect(parseDate(typed, TODAY, "dmy")).toEqual({ ok: false, reason: "impossible" });
    },
  );

  test.each(["soon", "12345", "6/1/16/1", "next-week", "", "1//2"])("%s is not a date", (typed) => {
    expect(parseDate(typed, TODAY, "dmy")).toEqual({ ok: false, reason: "not-a-date" });
  });
});

describe("formatting and arithmetic", () => {
  test.each([
    ["dd/MM/yy", "06/01/16"],
    ["d/M/yy", "6/1/16"],
    ["dd/MM/yyyy", "06/01/2016"],
    ["yyyy-MM-dd", "2016-01-06"],
    ["MM/dd/yy", "01/06/16"],
  ])("2016-01-06 as %s is %s", (pattern, out) => {
    expect(formatDate("2016-01-06", pattern)).toBe(out);
  });

  test("patterns need a day, a month and a year", () => {
    expect(isValidDatePattern("dd/MM/yy")).toBe(true);
    expect(isValidDatePattern("dd/MM")).toBe(false);
    expect(isValidDatePattern("dd/dd/yy")).toBe(false);
  });

  test("days across month, year and leap day", () => {
    expect(addDays("2016-02-28", 1)).toBe("2016-02-29");
    expect(addDays("2015-12-31", 1)).toBe("2016-01-01");
    expect(daysBetween("2016-02-03", "2016-03-01")).toBe(27);
    expect(daysBetween("2016-03-01", "2016-02-03")).toBe(-27);
  });

  test("a child's age counts full years", () => {
    expect(fullYears("2009-03-14", "2016-03-13")).toBe(6);
    expect(fullYears("2009-03-14", "2016-03-14")).toBe(7);
  });

  test("the local date depends on the agency's time zone", () => {
    const instant = new Date("2026-03-29T23:30:00Z");
    expect(localDate(instant, "Europe/London")).toBe("2026-03-30");
    expect(localDate(instant, "America/New_York")).toBe("2026-03-29");
    expect(localDate(instant, "Australia/Sydney")).toBe("2026-03-30");
  });
});

test("day arithmetic agrees with the calendar over centuries", () => {
  let d = "1899-12-25";
  let t = Date.UTC(1899, 11, 25);
  for (let i = 0; i < 80_000; i += 7) {
    expect(d).toBe(new Date(t).toISOString().slice(0, 10));
    d = addDays(d, 7);
    t += 7 * 86_400_000;
  }
  expect(daysBetween("1900-02-28", "1900-03-01")).toBe(1);
  expect(daysBetween("2000-02-28", "2000-03-01")).toBe(2);
  expect(weekday("2026-11-26")).toBe(4);
  expect(weekday("1970-01-01")).toBe(4);
  expect(weekday("1969-12-28")).toBe(0);
});

describe("weeks and zones", () => {
  test.each([
    ["2026-11-26", "2026-W48", "2026-11-23"],
    ["2026-11-23", "2026-W48", "2026-11-23"],
    ["2026-11-29", "2026-W48", "2026-11-23"],
    ["2021-01-03", "2020-W53", "2020-12-28"],
    ["2024-12-30", "2025-W01", "2024-12-30"],
    ["2016-03-01", "2016-W09", "2016-02-29"],
  ])("%s is in %s, which starts %s", (day, week, monday) => {
    expect(isoWeek(day)).toBe(week);
    expect(weekStart(day)).toBe(monday);
  });

  test("08:00 local is a different UTC hour either side of a daylight-saving change", () => {
    expect(zonedInstant("2026-03-23", 8, 0, "Europe/London").toISOString()).toBe("2026-03-23T08:00:00.000Z");
    expect(zonedInstant("2026-03-30", 8, 0, "Europe/London").toISOString()).toBe("2026-03-30T07:00:00.000Z");
    expect(zonedInstant("2026-03-30", 8, 0, "Australia/Sydney").toISOString()).toBe(
      "2026-03-29T21:00:00.000Z",
    );
    expect(zonedInstant("2026-04-06", 8, 0, "Australia/Sydney").toISOString()).toBe(
      "2026-04-05T22:00:00.000Z",
    );
  });
});
