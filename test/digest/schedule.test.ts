import { describe, expect, test } from "vitest";
import { lastDue, occurrences, periodOf, schedules } from "../../src/digest/schedule.ts";
import { makeTestCtx } from "../helpers/ctx.ts";

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

describe("schedules fire at the agency's local time", () => {
  test("Monday 08:00 in London is 08:00 UTC in winter and 07:00 UTC after the clocks go forward", () => {
    expect(iso(occurrences("0 8 * * 1", "Europe/London", "2026-03-16", "2026-04-05"))).toEqual([
      "2026-03-16T08:00:00.000Z",
      "2026-03-23T08:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
    ]);
    expect(iso(occurrences("0 8 * * 1", "Europe/London", "2026-10-19", "2026-11-02"))).toEqual([
      "2026-10-19T07:00:00.000Z",
      "2026-10-26T08:00:00.000Z",
      "2026-11-02T08:00:00.000Z",
    ]);
  });

  test("Monday 08:00 in Sydney moves by an hour when daylight saving ends in April", () => {
    expect(iso(occurrences("0 8 * * 1", "Australia/Sydney", "2026-03-30", "2026-04-13"))).toEqual([
      "2026-03-29T21:00:00.000Z",
      "2026-04-05T22:00:00.000Z",
      "2026-04-12T22:00:00.000Z",
    ]);
  });

  test("weekday nudges fire Monday to Friday only", () => {
    const days = occurrences("0 9 * * 1-5", "Europe/London", "2026-11-23", "2026-11-29").map((d) =>
      d.toISOString().slice(0, 10),
    );
    expect(days).toEqual(["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]);
  });

  test("a time that does not exist on the day the clocks go forward is not invented", () => {
    expect(occurrences("30 1 * * *", "Europe/London", "2026-03-29", "2026-03-29")).toEqual([]);
    expect(iso(occurrences("30 1 * * *", "Europe/London", "2026-03-30", "2026-03-30"))).toEqual([
      "2026-03-30T00:30:00.000Z",
    ]);
  });

  test("periods are ISO weeks for digests and days for nudges, in local time", () => {
    // Sunday 23:30 UTC is already Monday in Sydney
    const t = new Date("2026-11-29T23:30:00Z");
    expect(periodOf("team", t, "Europe/London")).toBe("2026-W48");
    expect(periodOf("team", t, "Australia/Sydney")).toBe("2026-W49");
    expect(periodOf("nudge", t, "Australia/Sydney")).toBe("2026-11-30");
  });

  test("lastDue finds this period's latest time, and nothing before the first", () => {
    const spec = { kind: "team", scope: "north", cron: "0 8 * * 1" } as const;
    expect(lastDue(spec, new Date("2026-11-25T12:00:00Z"), "Europe/London")?.toISOString()).toBe(
      "2026-11-23T08:00:00.000Z",
    );
    expect(lastDue(spec, new Date("2026-11-23T07:59:00Z"), "Europe/London")).toBeNull();
  });
});

test("each team's schedule follows its override, else the agency's", () => {
  const t = makeTestCtx({
    config: `
agency: { name: A, timeZone: Australia/Sydney }
digest: { team: "0 7 * * 1", nudges: "30 8 * * 1-5" }
teams:
  - { name: North, digest: { team: "0 16 * * 5" } }
  - { name: South }
staff:
  - { email: a@x.example, name: A, role: worker, team: North }
`,
  });
  try {
    expect(schedules(t.ctx.org)).toEqual([
      { kind: "team", scope: "north", cron: "0 16 * * 5" },
      { kind: "nudge", scope: "north", cron: "30 8 * * 1-5" },
      { kind: "team", scope: "south", cron: "0 7 * * 1" },
      { kind: "nudge", scope: "south", cron: "30 8 * * 1-5" },
      { kind: "agency", scope: "agency", cron: "0 9 * * 1" },
    ]);
  } finally {
    t.close();
  }
});

test("sos digest run --at reads a time without a zone on the agency's clock", async () => {
  const { readAt } = await import("../../src/cli/digest.ts");
  expect(readAt("2026-11-30T02:00", "America/Los_Angeles").toISOString()).toBe("2026-11-30T10:00:00.000Z");
  expect(readAt("2026-11-30T08:00Z", "America/Los_Angeles").toISOString()).toBe("2026-11-30T08:00:00.000Z");
  expect(readAt("2026-11-30", "Europe/London").toISOString()).toBe("2026-11-30T12:00:00.000Z");
  expect(Number.isNaN(readAt("2026-02-30T08:00", "Europe/London").getTime())).toBe(true);
});
