import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  dashboardCases,
  FORM,
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

const events = (caseId: string) => h.t.ctx.repo.events.forCase(caseId);

describe("/sos over signed HTTP", () => {
  test("a worker logs an element: acked at once, confirmed privately with Undo, App Home refreshed", async () => {
    const before = events("12345").length;
    const r = await h.command(U.jane, "mapped-with-family 12345");
    expect(r.status).toBe(200);
    expect(r.text).toBe("");
    expect(r.reply?.body).toMatchObject({ response_type: "ephemeral" });
    expect(r.reply?.body.text).toContain(
      "Recorded Mapping with Family on 01/03/16 (today) for case 12345 (Melli Majid 13).",
    );
    const stored = events("12345");
    expect(stored).toHaveLength(before + 1);
    const entry = stored.at(-1)!;
    expect(entry).toMatchObject({
      element: "mapping-with-family",
      occurredOn: "2016-03-01",
      surface: "slack",
    });
    expect(findButton(r.reply?.body.blocks, "sos_undo")).toEqual({
      action_id: "sos_undo",
      value: String(entry.id),
    });
    const home = h.rec.of("views.publish").find((c) => c.body.user_id === U.jane);
    expect(textOf(home?.body.view)).toContain("Jane Smith's Cases");
    expect(limitProblems(h.rec.calls)).toEqual([]);
  });

  test("the ack goes out before the work: the reply waits on Slack, the HTTP 200 does not", async () => {
    const release = h.rec.hold("response_url:slow");
    const sent = h.command(U.jane, "whoami", { id: "slow" });
    const call = await h.rec.waitFor("response_url:slow");
    expect(call.body.text).toContain("You are Jane Smith");
    release();
    expect((await sent).status).toBe(200);
  });

  test.each([
    [U.jane, "mine", "⚠ *12345*  Melli Majid 13"],
    [U.jane, "case 12345", "Case 12345: Melli Majid 13"],
    [U.jane, "stuck", "Your stuck cases"],
    [U.jane, "help", "What you can type as a worker"],
    [U.jane, "whoami", "You are Jane Smith (jane.smith@demo-agency.example), a worker in North Team."],
    [U.sam, "team", "Alison Camp's Cases*: no open cases"],
    [U.morgan, "agency", "Demo Family Services: practice coverage by team"],
    [U.morgan, "stuck", "Stuck cases in Demo Family Services"],
  ])("%s: /sos %s answers privately with %j", async (user, text, expected) => {
    const r = await h.command(user, text);
    expect(r.reply?.body.response_type).toBe("ephemeral");
    expect(textOf(r.reply?.body)).toContain(expected);
    expect(limitProblems(r.reply ? [r.reply] : [])).toEqual([]);
  });

  test("dashboards come case by case, each column a field, so they read on a phone", async () => {
    const mine = await h.command(U.jane, "mine statutory-cp");
    expect(tableRows(mine.reply?.body.blocks)).toEqual([]);
    const cases = dashboardCases(mine.reply?.body.blocks);
    expect(cases.map((c) => c.heading)).toEqual(["⚠ *12345*  Melli Majid 13", "⚠ *12346*  Mary Telis 5"]);
    expect(cases[0]!.fields.slice(0, 2)).toEqual(["*Date Opened*\n03/02/16", "*Abuse Type*\nN &amp; PA"]);
    expect(cases[0]!.fields).toContain("*Safety Goal*\nNo ⚠");
    expect(cases[0]!.fields).toHaveLength(13);
    const team = await h.command(U.sam, "team statutory-cp");
    expect(textOf(team.reply?.body.blocks)).toContain("*Jane Smith's Cases*");
    expect(textOf(team.reply?.body.blocks)).toContain("*Alison Camp's Cases*: no open cases");
    expect(textOf(team.reply?.body.blocks)).toContain("Abuse Type:* PA: Physical Abuse");
  });

  test.each([
    [U.jane, "mapped-wth-family 12345", "Did you mean"],
    [U.jane, "scale 12345 11", "must be a whole number from 0 to 10"],
    [U.jane, "three-houses 12345 2016-03-05", "is in the future"],
    [U.jane, "mapped-with-family 99999", "I can't find case 99999"],
    [U.alison, "mapped-with-family 12345", "I can't find case 12345"],
    [U.morgan, "mapped-with-family 12345", "As a manager you can't record practice"],
  ])("%s: /sos %s is refused, marked as a warning, and stores nothing", async (user, text, expected) => {
    const before = h.t.ctx.repo.events.forCase("12345").length;
    const r = await h.command(user, text);
    expect(r.reply?.body.text).toContain(expected);
    expect(textOf(r.reply?.body.blocks)).toContain(":warning:");
    expect(findButton(r.reply?.body.blocks, "sos_undo")).toBeUndefined();
    expect(events("12345")).toHaveLength(before);
  });

  test("a supervisor opens, allocates, closes and reopens a case by command", async () => {
    const open = await h.command(U.sam, 'open 77001 "Ana Lima" 7 voluntary N jane.smith@demo-agency.example');
    expect(open.reply?.body.text).toContain("Opened case 77001 (Ana Lima 7) on Voluntary preventative");
    const assign = await h.command(U.sam, "assign 77001 ah.hin.xeng@demo-agency.example");
    expect(assign.reply?.body.text).toContain("77001");
    const close = await h.command(U.sam, "close 77001 referred-on");
    expect(close.reply?.body.text).toContain("Closed case 77001");
    const reopen = await h.command(U.sam, "reopen 77001");
    expect(reopen.reply?.body.text).toContain("Reopened case 77001");
    expect(h.t.ctx.repo.cases.get("77001")?.status).toBe("open");
  });

  test("text arrives as Slack escapes it: entities, links and mentions are read as typed", async () => {
    const r = await h.command(
      U.jane,
      "adult-plan 12346 -- Mum &amp; Dad agreed, see <https://docs.example/plan|the plan>",
    );
    expect(r.reply?.body.text).toContain("Recorded Interim Adult Safety Plan");
    expect(events("12346").at(-1)?.note).toBe("Mum & Dad agreed, see https://docs.example/plan");
    await h.command(
      U.sam,
      'open 77002 "Ben Ora" 3 statutory-cp <mailto:jane.smith@demo-agency.example|jane.smith@demo-agency.example>',
    );
    const moved = await h.command(U.sam, "assign 77002 <@U0DEMOAHIN|ah.hin>");
    expect(moved.reply?.body.text).toContain("Ah Hin Xeng");
    expect(h.t.ctx.repo.cases.get("77002")?.workerId).toBe(h.t.as("ah.hin.xeng@demo-agency.example").staffId);
  });

  test("typed text can't become a mention in the reply: it goes back escaped", async () => {
    const r = await h.command(U.jane, "trajectory 32346 -- told &lt;!channel&gt; &amp; the school");
    expect(events("32346").at(-1)?.note).toBe("told <!channel> & the school");
    expect(JSON.stringify(r.reply?.body)).not.toContain("<!channel>");
    expect(r.reply?.body.text).toContain('Note saved: "told &lt;!channel&gt; &amp; the school"');
  });

  test("an unexpected failure is answered, says nothing was stored, and logs no child's data", async () => {
    const { repo } = h.t.ctx;
    const real = repo.transaction;
    repo.transaction = () => {
      throw new Error("SQLITE_BUSY: database is locked (case 12345, Melli Majid)");
    };
    try {
      const r = await h.command(U.jane, "mapped-with-family 12345 yesterday");
      expect(r.reply?.body.text).toContain("something went wrong on our side, so nothing was stored");
    } finally {
      repo.transaction = real;
    }
    expect(h.logs.at(-1)).toMatch(/^a typed command failed \(Error at [\w.-]+\/slash\.test\.ts:\d+\)$/);
    expect(h.logs.join("\n")).not.toContain("Melli");
  });

  test("a Slack retry of the same command is carried out once and says so", async () => {
    const words = () => events("12346").filter((e) => e.element === "words-and-pictures").length;
    const before = words();
    const first = await h.command(U.jane, "words-and-pictures 12346 yesterday", { trigger: "trig-same" });
    expect(first.reply?.body.text).toContain("Recorded Word and Pictures on 29/02/16");
    const retry = await h.command(U.jane, "words-and-pictures 12346 yesterday", {
      trigger: "trig-same",
      headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
    });
    expect(retry.status).toBe(200);
    expect(retry.reply?.body.text).toBe(first.reply?.body.text);
    expect(textOf(retry.reply?.body.blocks)).toContain("This was sent twice");
    expect(findButton(retry.reply?.body.blocks, "sos_undo")).toBeDefined();
    expect(words()).toBe(before + 1);
  });
});

describe("signatures", () => {
  const body = () =>
    new URLSearchParams({
      team_id: "T1",
      channel_id: "C1",
      user_id: U.jane,
      command: "/sos",
      text: "trajectory 12346",
      response_url: h.rec.responseUrl("sig"),
      trigger_id: `sig-${Math.random()}`,
    }).toString();
  const now = () => Math.floor(h.clock.now().getTime() / 1000);
  const trajectories = () => events("12346").filter((e) => e.element === "trajectory").length;

  test.each([
    ["a bad signature", { signature: "v0=deadbeef" }],
    ["a timestamp six minutes old", { ts: -360 }],
    ["a timestamp six minutes ahead", { ts: 360 }],
  ])("%s gets 401 and nothing is stored", async (_what, o) => {
    const before = trajectories();
    const opts = "ts" in o ? { ts: now() + o.ts } : { signature: o.signature };
    const r = await h.post(body(), FORM, opts);
    expect(r.status).toBe(401);
    expect(trajectories()).toBe(before);
  });

  test("missing signature headers get 401", async () => {
    const r = await fetch(`${h.base}/slack/events`, {
      method: "POST",
      headers: { "content-type": FORM },
      body: body(),
    });
    expect(r.status).toBe(401);
  });

  test("the five minutes run on the app's clock: 300 s old passes, 301 s does not", async () => {
    const ts = now();
    h.clock.advance(301_000);
    expect((await h.post(body(), FORM, { ts })).status).toBe(401);
    h.clock.advance(-1_000);
    expect((await h.post(body(), FORM, { ts })).status).toBe(200);
    h.clock.advance(-300_000);
  });

  test("a form content type with a charset is still read", async () => {
    const r = await h.post(body(), `${FORM}; charset=utf-8`);
    expect(r.status).toBe(200);
  });
});

describe("identity", () => {
  test("someone Slack knows only by email is matched through users.info, once", async () => {
    h.rec.users.set("UNEWJANE", { id: "UNEWJANE", email: "Jane.Smith@demo-agency.example" });
    const a = await h.command("UNEWJANE", "whoami");
    expect(a.reply?.body.text).toContain("You are Jane Smith");
    await h.command("UNEWJANE", "whoami");
    expect(h.rec.of("users.info").filter((c) => c.body.user === "UNEWJANE")).toHaveLength(1);
  });

  test("an unknown person is refused politely, told who can add them, and nothing is stored", async () => {
    h.rec.users.set("USTRANGER", { id: "USTRANGER", email: "visitor@elsewhere.example" });
    const before = events("12345").length;
    const r = await h.command("USTRANGER", "mapped-with-family 12345");
    expect(r.reply?.body.text).toContain("Sorry, I don't know you yet.");
    expect(r.reply?.body.text).toContain("visitor@elsewhere.example");
    expect(r.reply?.body.text).toContain("Robin Ellis (robin.ellis@demo-agency.example) can add you.");
    expect(events("12345")).toHaveLength(before);
  });

  test("a guest whose email matches staff is still refused", async () => {
    h.rec.users.set("UGUEST", { id: "UGUEST", email: "jane.smith@demo-agency.example", is_restricted: true });
    const r = await h.command("UGUEST", "mine");
    expect(r.reply?.body.text).toContain("guest accounts");
  });

  test("when Slack can't say who someone is, nothing is done and the next try asks again", async () => {
    h.rec.responses["users.info"] = () => ({ ok: false, error: "ratelimited" });
    const r = await h.command("UFLAKY", "mine");
    expect(r.reply?.body.text).toContain("I couldn't check who you are");
    delete h.rec.responses["users.info"];
    h.rec.responses["users.info"] = () => ({
      ok: true,
      user: { id: "UFLAKY", profile: { email: "jane.smith@demo-agency.example" } },
    });
    const again = await h.command("UFLAKY", "whoami");
    expect(again.reply?.body.text).toContain("You are Jane Smith");
  });
});

describe("forms from the command", () => {
  test("/sos alone and /sos log open the log form on the command's trigger", async () => {
    for (const text of ["", "log"]) {
      const r = await h.command(U.jane, text);
      const open = h.rec.of("views.open").find((c) => c.body.trigger_id === `trig-${r.id}`);
      expect(viewOf(open).callback_id).toBe("sos_log");
      expect(JSON.parse(viewOf(open).private_metadata!)).toEqual({
        r: h.rec.responseUrl(r.id),
      });
      expect(r.reply).toBeUndefined();
    }
  });

  test("/sos open alone opens the open-case form for a supervisor; a manager typing /sos gets help", async () => {
    const r = await h.command(U.sam, "open");
    const open = h.rec.of("views.open").find((c) => c.body.trigger_id === `trig-${r.id}`);
    expect(viewOf(open).callback_id).toBe("sos_open");
    const m = await h.command(U.morgan, "");
    expect(m.reply?.body.text).toContain("What you can type as a manager");
  });
});

test("every message and view sent in this file kept to Slack's limits", () => {
  expect(h.rec.calls.length).toBeGreaterThan(0);
  expect(limitProblems(h.rec.calls)).toEqual([]);
});
