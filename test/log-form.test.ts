import { afterEach, describe, expect, test } from "vitest";
import { makeInvocation } from "../src/commands/invocation.ts";
import { casesToLog, logField, logFormFor } from "../src/commands/log-form.ts";
import type { Command } from "../src/commands/registry.ts";
import { runCommand } from "../src/commands/run.ts";
import { AH_HIN, JANE, MORGAN, makeTestCtx, SAM, type TestCtx } from "./helpers/ctx.ts";

let t: TestCtx;
afterEach(() => t?.close());

const env = (email: string, audience: "private" | "channel" = "private") =>
  makeInvocation(t.ctx, t.as(email), "teams", audience);

describe("casesToLog: the case picker", () => {
  test("a worker gets her own open cases, newest first, full names in private", async () => {
    t = makeTestCtx();
    const cases = await casesToLog(env(JANE));
    expect(cases.map((c) => c.caseId)).toEqual(["12345", "22345", "32345", "12346", "22346", "32346"]);
    expect(cases[0]).toEqual({
      caseId: "12345",
      child: "Melli Majid 13",
      worker: "Jane Smith",
      dashboard: "Front end statutory child protection",
    });
  });

  test("in a channel the names follow channelNames (initials)", async () => {
    t = makeTestCtx();
    expect((await casesToLog(env(JANE, "channel")))[0]?.child).toBe("M.M. 13");
  });

  test("a supervisor gets the team's cases; a worker with none and a manager get none", async () => {
    t = makeTestCtx();
    expect(await casesToLog(env(SAM))).toHaveLength(6);
    expect(await casesToLog(env(AH_HIN))).toEqual([]);
    expect(await casesToLog(env(MORGAN))).toEqual([]);
  });

  test("closed cases are not offered", async () => {
    t = makeTestCtx();
    expect((await t.run(SAM, "close 12345 safe-at-home")).ok).toBe(true);
    expect((await casesToLog(env(JANE))).map((c) => c.caseId)).not.toContain("12345");
  });
});

describe("logFormFor: the elements of one case's dashboard", () => {
  test("offers only the columns of the case's dashboard, with their labels and number ranges", async () => {
    t = makeTestCtx();
    const r = await logFormFor(env(JANE), "32345");
    if (!("form" in r)) throw new Error(r.reply.text);
    expect(r.form).toMatchObject({
      caseId: "32345",
      dashboard: "Voluntary preventative",
      today: "2016-03-01",
    });
    const labels = r.form.elements.map((e) => e.label);
    expect(labels).toContain("Wellbeing Scale");
    expect(labels).not.toContain("Participatory Conferences/Meetings including Network");
    expect(r.form.elements.find((e) => e.element === "safety-scale")?.range).toEqual({ min: 0, max: 10 });
    expect(r.form.elements.find((e) => e.element === "three-houses")?.range).toBeNull();
  });

  test("refuses a case the person may not record on, as the typed command would", async () => {
    t = makeTestCtx();
    const r = await logFormFor(env(AH_HIN), "12345");
    expect("reply" in r && r.reply.issue?.code).toBe("unknown_case");
  });
});

describe("a log from a form gets the checks typed text gets", () => {
  const base = { kind: "log", caseId: "12345", date: null, value: null, note: null } as const;
  test.each<[string, Command, string]>([
    ["a rating without its number", { ...base, element: "safety-scale" }, "missing_value"],
    ["a rating above 10", { ...base, element: "safety-scale", value: 11 }, "value_out_of_range"],
    ["a negative network", { ...base, element: "network", value: -1 }, "value_out_of_range"],
    ["half a rating", { ...base, element: "safety-scale", value: 6.5 }, "value_out_of_range"],
    ["a number on a date element", { ...base, element: "three-houses", value: 3 }, "value_not_allowed"],
    ["30 February", { ...base, element: "three-houses", date: "2016-02-30" }, "impossible_date"],
    ["a date that is no date", { ...base, element: "three-houses", date: "soon" }, "impossible_date"],
  ])("%s", async (_name, command, code) => {
    t = makeTestCtx();
    const r = await runCommand(t.ctx, { actor: t.as(JANE), command, surface: "teams", audience: "private" });
    expect(r.ok).toBe(false);
    expect(r.issue?.code).toBe(code);
    expect(
      (await t.run(JANE, "case 12345")).caseView?.history.filter((h) => h.text.includes("via teams")),
    ).toEqual([]);
  });

  test("a good one is recorded", async () => {
    t = makeTestCtx();
    const command: Command = { ...base, element: "safety-scale", value: 6, date: "2016-02-29" };
    const r = await runCommand(t.ctx, { actor: t.as(JANE), command, surface: "teams", audience: "private" });
    expect(r.logged).toMatchObject({
      caseId: "12345",
      element: "safety-scale",
      value: 6,
      occurredOn: "2016-02-29",
    });
  });
});

test.each([
  ["future_date", "date"],
  ["before_opened", "date"],
  ["impossible_date", "date"],
  ["value_out_of_range", "value"],
  ["missing_value", "value"],
  ["unknown_case", "case"],
  ["not_your_case", "case"],
  ["case_closed", "case"],
  ["not_on_dashboard", "element"],
  ["already_recorded", "element"],
  ["nothing_to_undo", null],
] as const)("logField(%s) is %s", (code, field) => {
  expect(logField(code)).toBe(field);
});
