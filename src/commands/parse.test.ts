import { describe, expect, test } from "vitest";
import { DEMO_CONFIG } from "../app/paths.ts";
import { loadOrg } from "../config/load.ts";
import { ELEMENT_KEYS, ELEMENTS } from "../domain/elements.ts";
import type { IssueCode } from "./issues.ts";
import { buildLexicon } from "./lexicon.ts";
import { parseCommand } from "./parse.ts";

const org = loadOrg(DEMO_CONFIG);
const ctx = { lexicon: buildLexicon(org), org, today: "2016-03-01" };
const parse = (text: string) => parseCommand(text, ctx);
const ok = (text: string) => {
  const p = parse(text);
  if (!p.ok) throw new Error(`${text}: ${p.issue.code}`);
  return p.command;
};
const code = (text: string): IssueCode | "ok" => {
  const p = parse(text);
  return p.ok ? "ok" : p.issue.code;
};

describe("every element word logs its element", () => {
  const words = ELEMENT_KEYS.flatMap((k) => [k, ...ELEMENTS[k].aliases].map((w) => [w, k] as const));
  test.each(words)("%s → %s", (word, key) => {
    const needsValue = ELEMENTS[key].kind === "rating" || ELEMENTS[key].kind === "count";
    const cmd = ok(`/sos ${word} 12345${needsValue ? " 4" : ""}`);
    expect(cmd).toMatchObject({ kind: "log", element: key, caseId: "12345" });
  });

  test.each([
    ["mapped with family 12345", "mapping-with-family"],
    ["Mapped-With-Family 12345", "mapping-with-family"],
    ["mapped_with_family 12345", "mapping-with-family"],
    ["critical worry 12345", "danger-statement"],
    ["Participatory Conferences/Meetings including Network 12345", "network-meeting"],
    ["child wellbeing plan 12345", "child-safety-plan"],
    ["log three houses 12345", "three-houses"],
    ["sos danger 12345", "danger-statement"],
    ["My Three Houses 32345", "three-houses"],
    ["Case Trajectory 32345", "trajectory"],
  ])("dashboard labels and spaced phrases: %s", (text, key) => {
    expect(ok(text)).toMatchObject({ kind: "log", element: key });
  });
});

describe("log arguments", () => {
  test.each([
    ["mapped-with-family 12345", null],
    ["mapped-with-family 12345 today", "2016-03-01"],
    ["mapped-with-family 12345 yesterday", "2016-02-29"],
    ["mapped-with-family 12345 2016-01-06", "2016-01-06"],
    ["mapped-with-family 12345 6/1/16", "2016-01-06"],
    ["mapped-with-family 12345 06/01/2016", "2016-01-06"],
  ])("%s → date %s", (text, date) => {
    expect(ok(text)).toMatchObject({ date });
  });

  test("value and date in either order, a note after --", () => {
    expect(ok("scale 12345 6 yesterday -- family agreed")).toMatchObject({
      value: 6,
      date: "2016-02-29",
      note: "family agreed",
    });
    expect(ok("scale 12345 yesterday 6")).toMatchObject({ value: 6, date: "2016-02-29", note: null });
    expect(ok("network 12345 0")).toMatchObject({ element: "network", value: 0 });
  });

  test("phones turn -- into a dash, curly quotes are quotes", () => {
    expect(ok("three-houses 12345 — drawn with both children")).toMatchObject({
      note: "drawn with both children",
    });
    expect(ok("three-houses 12345 – with mum")).toMatchObject({ note: "with mum" });
    expect(ok("open 50001 “Ana Lee” 4 cp N")).toMatchObject({ childName: "Ana Lee" });
  });

  test("a case id written first is read the documented way round", () => {
    expect(ok("12345 mapped-with-family")).toMatchObject({ element: "mapping-with-family", caseId: "12345" });
    expect(ok("#12345 scale 7")).toMatchObject({ element: "safety-scale", caseId: "12345", value: 7 });
  });
});

describe("every bad input gets its own issue", () => {
  test.each([
    ["mapped-wth-family 12345", "unknown_word"],
    ["frobnicate", "unknown_word"],
    ["mapped-with-family", "missing_case"],
    ["mapped-with-family 12/03/16", "bad_case_id"],
    ["mapped-with-family 12,345", "bad_case_id"],
    ["scale 12345", "missing_value"],
    ["scale 12345 11", "value_out_of_range"],
    ["scale 12345 -1", "value_out_of_range"],
    ["scale 12345 6.5", "value_out_of_range"],
    ["network 12345 -2", "value_out_of_range"],
    ["three-houses 12345 5", "value_not_allowed"],
    ["mapped-with-family 12345 31/02/26", "impossible_date"],
    ["mapped-with-family 12345 2016-02-30", "impossible_date"],
    ["mapped-with-family 12345 1/2/3/4", "extra_words"],
    ["mapped-with-family 12345 went well", "extra_words"],
    ["mapped-with-family 12345 today yesterday", "extra_words"],
    ["open", "usage"],
    ["open 50001", "usage"],
    ['open 50001 "Ana Lee"', "usage"],
    ['open 50001 "Ana Lee" 4', "usage"],
    ['open 50001 "Ana Lee" 40 cp', "bad_age"],
    ['open 50001 "Ana Lee" 4 protection', "unknown_service"],
    ['open 50001 "Ana Lee" 4 cp XX', "unknown_abuse"],
    ['open 50001 "Ana Lee" 31/02/15 cp', "impossible_date"],
    ['open 50001 "Ana Lee" 2017-01-01 cp', "dob_in_future"],
    ["case", "usage"],
    ["case 12345 now", "usage"],
    ["mine everything", "unknown_dashboard"],
    ["undo twelve", "usage"],
    ["assign 12345", "usage"],
    ["close 12345", "usage"],
    ["close 12345 happy", "unknown_outcome"],
    ["close 12345 safe-at-home 31/02/16", "impossible_date"],
    ["help nothing", "unknown_help_topic"],
  ] as const)("%s → %s", (text, expected) => {
    expect(code(text)).toBe(expected);
  });

  test("a typo suggests the nearest words, never guesses", () => {
    const p = parse("mapped-wth-family 12345");
    expect(p).toMatchObject({
      ok: false,
      issue: { code: "unknown_word", suggestions: ["mapped-with-family"] },
    });
  });
});

describe("named commands", () => {
  test.each([
    ["", { kind: "help", topic: null }],
    ["help", { kind: "help", topic: null }],
    ["help open", { kind: "help", topic: "open" }],
    ["help scale", { kind: "help", topic: "log" }],
    ["log", { kind: "help", topic: "log" }],
    ["mine", { kind: "mine", dashboard: null }],
    ["mine cp", { kind: "mine", dashboard: "statutory-cp" }],
    ["team", { kind: "team", team: null, dashboard: null }],
    ["team North Team overview", { kind: "team", team: "North Team", dashboard: "overview" }],
    ["agency", { kind: "agency" }],
    ["stuck", { kind: "stuck", team: null }],
    ["stuck north", { kind: "stuck", team: "north" }],
    ["undo", { kind: "undo", entryId: null }],
    ["undo #42", { kind: "undo", entryId: 42 }],
    ["case 12345", { kind: "case", caseId: "12345" }],
    [
      "assign 12345 to ah.hin.xeng@demo-agency.example",
      { kind: "assign", caseId: "12345", person: "ah.hin.xeng@demo-agency.example" },
    ],
    ["transfer 12345 <@U0DEMOAHIN|ahin>", { kind: "assign", caseId: "12345", person: "<@U0DEMOAHIN|ahin>" }],
    [
      "close 12345 safe-at-home",
      { kind: "close", caseId: "12345", outcome: "safe-at-home", date: null, note: null },
    ],
    [
      "close 12345 referred on yesterday -- to CAMHS",
      { kind: "close", outcome: "referred-on", date: "2016-02-29", note: "to CAMHS" },
    ],
    ["reopen 12345", { kind: "reopen", caseId: "12345" }],
    ["whoami", { kind: "whoami" }],
  ] as const)("%s", (text, expected) => {
    expect(ok(text)).toMatchObject(expected);
  });

  test("open reads name, age or birth date, service, abuse types, date and worker", () => {
    expect(
      ok('open 50001 "Ana Lee" 4 statutory-cp N & PA 2016-02-20 ah.hin.xeng@demo-agency.example'),
    ).toEqual({
      kind: "open",
      caseId: "50001",
      childName: "Ana Lee",
      age: 4,
      dob: null,
      service: "statutory-cp",
      abuse: ["N", "PA"],
      openedOn: "2016-02-20",
      worker: "ah.hin.xeng@demo-agency.example",
    });
    expect(ok("open 50002 Kai Wu 14/03/2012 vol")).toMatchObject({
      childName: "Kai Wu",
      age: null,
      dob: "2012-03-14",
      service: "voluntary",
    });
    expect(ok("open 50003 Mo 9 fs fdv,ea,n")).toMatchObject({
      abuse: ["FDV", "EA", "N"],
      service: "family-support",
    });
  });
});

describe("phone typing", () => {
  test.each([
    ["mapped-with-family 12345.", { caseId: "12345", date: null }],
    ["mapped-with-family 12345,", { caseId: "12345", date: null }],
    ["mapped-with-family 12345 yesterday.", { caseId: "12345", date: "2016-02-29" }],
    ["scale 12345 6.", { caseId: "12345", value: 6 }],
    ["mapped-with-family 12345 .", { caseId: "12345" }],
  ])("a trailing full stop or comma: %s", (text, args) => {
    expect(ok(text)).toMatchObject({ kind: "log", ...args });
  });

  test.each([
    ["case 12345.", { kind: "case", caseId: "12345" }],
    ["mine.", { kind: "mine" }],
    ["snooze 12345, 14", { kind: "snooze", caseId: "12345", days: 14 }],
  ])("in any command: %s", (text, cmd) => {
    expect(ok(text)).toMatchObject(cmd);
  });

  test.each([
    // Arabic-Indic, Extended Arabic-Indic (Persian, Urdu) and full-width digits: case ids, dates, values
    ["scale ١٢٣٤٥ ٦", { caseId: "12345", value: 6 }],
    ["scale ۱۲۳۴۵ ۶ ۲۹/۲/۱۶", { caseId: "12345", value: 6, date: "2016-02-29" }],
    ["network １２３４５ ７ ２０１６-０２-２０", { caseId: "12345", value: 7, date: "2016-02-20" }],
    ["three-houses ١٢٣٤٥ ٦/١/١٦", { caseId: "12345", date: "2016-01-06" }],
    ["three-houses ١٢٣٤٥ ٦؍١؍١٦", { caseId: "12345", date: "2016-01-06" }],
    ["three-houses #１２３４５ ０６／０１／２０１６", { caseId: "12345", date: "2016-01-06" }],
  ])("digits from other scripts read as digits: %s", (text, args) => {
    expect(ok(text)).toMatchObject({ kind: "log", ...args });
  });

  test("a half rating in Arabic-Indic digits is refused as a half rating, not read as a date", () => {
    expect(code("scale ١٢٣٤٥ ٦٫٥")).toBe("value_out_of_range");
  });

  test("a quoted name and the note stay exactly as typed", () => {
    expect(ok('open 40001 "Zoë ٣." 9 cp N')).toMatchObject({ caseId: "40001", childName: "Zoë ٣." });
    expect(ok("three-houses 12345 -- met at ٣, drew all three.")).toMatchObject({
      note: "met at ٣, drew all three.",
    });
  });
});
