import { afterEach, expect, test } from "vitest";
import { ALISON, JANE, MORGAN, makeTestCtx, ROBIN, SAM, type TestCtx } from "../../test/helpers/ctx.ts";
import { caseholdersFor, logFormFor, loggableCases } from "./log-form.ts";
import { viewEnv } from "./views.ts";

let t: TestCtx;
afterEach(() => t?.close());

const env = (email: string) => viewEnv(t.ctx, t.as(email), "slack", "private");

test("a worker may log on her own open cases only; managers on none", async () => {
  t = makeTestCtx();
  expect((await loggableCases(env(JANE))).map((c) => c.id)).toEqual([
    "12345",
    "22345",
    "32345",
    "12346",
    "22346",
    "32346",
  ]);
  expect(await loggableCases(env(ALISON))).toEqual([]);
  expect(await loggableCases(env(MORGAN))).toEqual([]);
  expect((await loggableCases(env(SAM))).map((c) => c.id)).toContain("12345");
});

test("the log form lists the elements of the case's own dashboard, with its labels and ranges", async () => {
  t = makeTestCtx();
  const found = await logFormFor(env(JANE), "22345");
  if ("reply" in found) throw new Error(found.reply.text);
  const { form } = found;
  expect(form.child).toBe("Melli Majid 13");
  expect(form.dashboard).toBe("Statutory family support / preventative");
  expect(form.elements.map((e) => e.label)).toContain("Success Scale");
  expect(form.elements.find((e) => e.element === "safety-scale")?.range).toEqual({ min: 0, max: 10 });
  expect(form.elements.find((e) => e.element === "three-houses")?.range).toBeNull();
  expect(form.elements.some((e) => e.element === "network-meeting")).toBe(false);
});

test("the log form refuses a case that is not the person's, or closed", async () => {
  t = makeTestCtx();
  const other = await logFormFor(env(ALISON), "12345");
  expect("reply" in other && other.reply.issue?.code).toBe("unknown_case");
  await t.run(SAM, "close 12345 referred-on");
  const closed = await logFormFor(env(JANE), "12345");
  expect("reply" in closed && closed.reply.issue?.code).toBe("case_closed");
});

test("supervisors may allocate to their team's caseholders; admins to anyone's; workers to no one", () => {
  t = makeTestCtx();
  expect(caseholdersFor(env(SAM)).map((a) => a.name)).toEqual([
    "Jane Smith",
    "Ah Hin Xeng",
    "Alison Camp",
    "Sam Okafor",
  ]);
  expect(caseholdersFor(env(ROBIN))).toHaveLength(4);
  expect(caseholdersFor(env(JANE))).toEqual([]);
});
