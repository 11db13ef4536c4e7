import { describe, expect, test } from "vitest";
import type { RetentionPolicy } from "../config/org.ts";
import { addMonths, type RetentionFacts, retentionOf, ruleWords } from "./retention-rules.ts";

const closed = (over: Partial<RetentionFacts> = {}): RetentionFacts => ({
  id: "12345",
  status: "closed",
  closedOn: "2016-02-29",
  openedOn: "2016-02-03",
  dob: null,
  ageAtOpening: 13,
  ...over,
});

describe("addMonths never lands early", () => {
  test.each([
    ["2016-02-29", 12, "2017-03-01"],
    ["2016-02-29", 48, "2020-02-29"],
    ["2016-01-31", 1, "2016-03-01"],
    ["2016-12-31", 2, "2017-03-01"],
    ["2016-03-15", 84, "2023-03-15"],
    ["2016-11-30", 1, "2016-12-30"],
  ])("%s + %i months = %s", (from, months, to) => {
    expect(addMonths(from, months)).toBe(to);
  });
});

describe("retentionOf", () => {
  const seven: RetentionPolicy = { afterClosing: { years: 7, months: 0 } };
  const both: RetentionPolicy = { afterClosing: { years: 7, months: 0 }, afterBirthday: 25 };

  test.each<[string, RetentionPolicy, RetentionFacts, string, string]>([
    ["open cases are never due", seven, closed({ status: "open", closedOn: null }), "2099-01-01", "open"],
    ["7 years after closing, the day before", seven, closed(), "2023-02-28", "kept until 2023-03-01"],
    [
      "7 years after closing, from a 29 February: 1 March",
      seven,
      closed(),
      "2023-03-01",
      "due since 2023-03-01",
    ],
    [
      "the 25th birthday from a date of birth, later than 7 years",
      both,
      closed({ dob: "2010-05-12" }),
      "2035-05-11",
      "kept until 2035-05-12",
    ],
    [
      "the 25th birthday from a date of birth, on the day",
      both,
      closed({ dob: "2010-05-12" }),
      "2035-05-12",
      "due since 2035-05-12",
    ],
    [
      // Aged 13 on 2016-02-03: born on 2003-02-03 at the latest, so 25 on 2028-02-03 at the latest.
      "the birthday estimated from the age at opening: the latest it can be",
      both,
      closed(),
      "2028-02-02",
      "kept until 2028-02-03",
    ],
    [
      "7 years after closing is later than an early birthday",
      both,
      closed({ dob: "1995-01-01", closedOn: "2016-02-03" }),
      "2023-02-03",
      "due since 2023-02-03",
    ],
    [
      "no date of birth and no age: the birthday rule cannot be worked out, so kept",
      both,
      closed({ ageAtOpening: null }),
      "2099-01-01",
      "unknown",
    ],
    [
      "months as well as years",
      { afterClosing: { years: 1, months: 6 } },
      closed({ closedOn: "2016-01-10" }),
      "2017-07-10",
      "due since 2017-07-10",
    ],
  ])("%s", (_name, policy, facts, today, expected) => {
    const r = retentionOf(policy, facts, today);
    const said =
      r.kind === "due" ? `due since ${r.since}` : r.kind === "kept" ? `kept until ${r.until}` : r.kind;
    expect(said).toBe(expected);
  });

  test("the rules in words name no date of the child's", () => {
    const r = retentionOf(
      { afterClosing: { years: 7, months: 0 }, afterBirthday: 21 },
      closed({ dob: "2000-01-01" }),
      "2099-01-01",
    );
    expect(r.kind === "due" && r.rules.map(ruleWords)).toEqual([
      "7 years after closing",
      "the child's 21st birthday",
    ]);
  });
});
