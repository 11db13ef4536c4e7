import { afterEach, expect, test } from "vitest";
import { JANE, makeTestCtx, SAM, type TestCtx } from "../../test/helpers/ctx.ts";
import type { Command } from "./registry.ts";

let t: TestCtx;
afterEach(() => t?.close());

const log = (over: Partial<Extract<Command, { kind: "log" }>>): Command => ({
  kind: "log",
  element: "safety-scale",
  caseId: "12345",
  date: null,
  value: 6,
  note: null,
  ...over,
});

const open = (over: Partial<Extract<Command, { kind: "open" }>>): Command => ({
  kind: "open",
  caseId: "77001",
  childName: "Ana Lima",
  age: 7,
  dob: null,
  service: "voluntary",
  abuse: [],
  openedOn: null,
  worker: JANE,
  ...over,
});

test.each([
  ["a rating above 10", log({ value: 11 }), "value_out_of_range"],
  ["a negative network size", log({ element: "network", value: -1 }), "value_out_of_range"],
  ["a rating that is not whole", log({ value: 6.5 }), "value_out_of_range"],
  ["a rating left out", log({ value: null }), "missing_value"],
  ["a number on a dated element", log({ element: "three-houses", value: 3 }), "value_not_allowed"],
  ["a case id with a space", log({ caseId: "123 45" }), "bad_case_id"],
  ["a date that does not exist", log({ date: "2016-02-30" }), "impossible_date"],
])("a form-built log with %s is refused and stores nothing", async (_what, command, code) => {
  t = makeTestCtx();
  const before = t.ctx.repo.events.forCase("12345").length;
  const r = await t.run(JANE, "", { command });
  expect(r.ok).toBe(false);
  expect(r.issue?.code).toBe(code);
  expect(t.ctx.repo.events.forCase("12345")).toHaveLength(before);
});

test("a well-formed form-built log goes through", async () => {
  t = makeTestCtx();
  const r = await t.run(JANE, "", { command: log({ value: 7 }) });
  expect(r.ok).toBe(true);
  expect(r.logged).toMatchObject({ caseId: "12345", element: "safety-scale", value: 7 });
});

test.each([
  ["no age and no date of birth", open({ age: null }), "usage"],
  ["an age of 40", open({ age: 40 }), "bad_age"],
  ["a date of birth tomorrow", open({ age: null, dob: "2016-03-02" }), "dob_in_future"],
  ["an empty name", open({ childName: "  " }), "usage"],
  ["a case id with a slash", open({ caseId: "77/001" }), "bad_case_id"],
])("a form-built open with %s is refused and opens nothing", async (_what, command, code) => {
  t = makeTestCtx();
  const r = await t.run(SAM, "", { command });
  expect(r.issue?.code).toBe(code);
  expect(t.ctx.repo.cases.get((command as { caseId: string }).caseId)).toBeUndefined();
});
