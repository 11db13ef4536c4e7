import { expect, test } from "vitest";
import { fixedClock, shiftedClock, today } from "./clock.ts";

test("the demo clock keeps the time of day and moves the calendar", () => {
  const real = fixedClock("2026-11-26T09:15:00Z");
  const demo = shiftedClock("2016-03-01", "Europe/London", real);
  expect(demo.now().toISOString()).toBe("2016-03-01T09:15:00.000Z");
  expect(today(demo, "Europe/London")).toBe("2016-03-01");
});
