import { afterAll, beforeAll, expect, test } from "vitest";
import {
  buttonPress,
  findButton,
  limitProblems,
  type SlackHarness,
  startSlack,
  tableRows,
  textOf,
  U,
  viewOf,
} from "./harness.ts";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlack();
});
afterAll(() => h.close());

/** Opens someone's App Home and returns the view published for them. */
async function openHome(user: string, eventId?: string) {
  const before = h.rec.of("views.publish").length;
  const e = await h.event(
    { type: "app_home_opened", user, channel: `D${user}`, tab: "home", event_ts: "1.5" },
    eventId ? { eventId } : {},
  );
  expect(e.status).toBe(200);
  await e.done;
  const call = h.rec
    .of("views.publish")
    .slice(before)
    .find((c) => c.body.user_id === user);
  expect(limitProblems(call ? [call] : [])).toEqual([]);
  return viewOf(call);
}

test("a worker's Home: her cases as the seed's table, her stuck cases, a Log an element button", async () => {
  const view = await openHome(U.jane);
  expect(view.type).toBe("home");
  const text = textOf(view.blocks);
  expect(text).toContain("Jane Smith's Cases");
  expect(findButton(view.blocks, "sos_home_log")).toBeDefined();
  expect(findButton(view.blocks, "sos_home_open")).toBeUndefined();
  const rows = tableRows(view.blocks);
  expect(rows[0]!.slice(0, 5)).toEqual([
    "Case",
    "Name/Age/ID #",
    "Date Opened",
    "Abuse Type",
    "Mapping Internal",
  ]);
  expect(rows.slice(1).map((r) => r[0]!.replace("⚠ ", ""))).toEqual([
    "12345",
    "22345",
    "32345",
    "12346",
    "22346",
    "32346",
  ]);
  expect(text).toContain("Your stuck cases");
  expect(text).toContain("no Mapping with Family 28 days after opening");
});

test("a supervisor's Home: the team grouped by worker, stuck cases, Log and Open buttons", async () => {
  const view = await openHome(U.sam);
  const text = textOf(view.blocks);
  expect(text).toContain("North Team");
  expect(findButton(view.blocks, "sos_home_log")).toBeDefined();
  expect(findButton(view.blocks, "sos_home_open")).toBeDefined();
  expect(tableRows(view.blocks)[0]!.slice(0, 2)).toEqual(["Worker", "Case"]);
  expect(text).toContain("Ah Hin Xeng's Cases*: no open cases");
  expect(text).toContain("Stuck cases in North Team");
});

test("a manager's Home: agency coverage by team, no logging button", async () => {
  const view = await openHome(U.morgan);
  const rows = tableRows(view.blocks);
  expect(rows[0]!.slice(0, 2)).toEqual(["Team", "Open cases"]);
  expect(rows.map((r) => r[0])).toEqual(["Team", "North Team", "Whole agency"]);
  expect(findButton(view.blocks, "sos_home_log")).toBeUndefined();
  expect(textOf(view.blocks)).toContain("Stuck cases");
});

test("an admin's Home: the agency picture and an Open a case button", async () => {
  const view = await openHome(U.robin);
  expect(findButton(view.blocks, "sos_home_open")).toBeDefined();
  expect(tableRows(view.blocks).at(-1)![0]).toBe("Whole agency");
});

test("someone unknown sees a polite refusal on the Home", async () => {
  h.rec.users.set("UNOBODY", { id: "UNOBODY", email: "nobody@elsewhere.example" });
  const view = await openHome("UNOBODY");
  expect(textOf(view.blocks)).toContain("Robin Ellis (robin.ellis@demo-agency.example) can add you.");
  expect(tableRows(view.blocks)).toEqual([]);
});

test("the Messages tab publishes nothing; an Events API retry publishes once", async () => {
  const before = h.rec.of("views.publish").length;
  const tab = await h.event({ type: "app_home_opened", user: U.jane, channel: "D1", tab: "messages" });
  await tab.done;
  expect(h.rec.of("views.publish")).toHaveLength(before);

  await openHome(U.alison, "EvSame");
  const count = () => h.rec.of("views.publish").filter((c) => c.body.user_id === U.alison).length;
  expect(count()).toBe(1);
  const retry = await h.event(
    { type: "app_home_opened", user: U.alison, channel: "D1", tab: "home", event_ts: "1.5" },
    { eventId: "EvSame", headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } },
  );
  expect(retry.status).toBe(200);
  await openHome(U.alison, "EvOther");
  expect(count()).toBe(2);
});

test("the Home's Log an element button opens the log form", async () => {
  const press = buttonPress(U.jane, h.rec.responseUrl("home-log"), {
    action_id: "sos_home_log",
    value: "log",
  });
  const res = await h.interact(press);
  await res.done;
  const open = h.rec.of("views.open").find((c) => c.body.trigger_id === press.trigger_id);
  expect(viewOf(open).callback_id).toBe("sos_log");
});

test("the Home is published again after a change the person makes", async () => {
  await h.command(U.jane, "danger-statement 32346");
  const last = h.rec
    .of("views.publish")
    .filter((c) => c.body.user_id === U.jane)
    .at(-1);
  const row = tableRows(viewOf(last).blocks).find((r) => r[0]!.endsWith("32346"))!;
  // overview: Case, Name, Opened, Abuse, Mapping Internal, Mapping with Family, Three Houses, Danger Statement
  expect(row[7]).toBe("Yes");
});

test("every message and view sent in this file kept to Slack's limits", () => {
  expect(h.rec.calls.length).toBeGreaterThan(0);
  expect(limitProblems(h.rec.calls)).toEqual([]);
});
