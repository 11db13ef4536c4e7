import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { webApi } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { slackDigestPoster } from "../../adapters/slack/digest.ts";
import { createPoster } from "../../adapters/slack/post.ts";
import { NUDGE_LOG_ACTION, NUDGE_SNOOZE_ACTION } from "../../adapters/slack/render/blockkit-digest.ts";
import { makeInvocation } from "../../src/commands/invocation.ts";
import { agencySummary } from "../../src/digest/agency-summary.ts";
import { planNudges } from "../../src/digest/nudges.ts";
import { type DigestMessage, type DigestPoster, PostError } from "../../src/digest/post.ts";
import { createRunner } from "../../src/digest/runner.ts";
import { teamDigest } from "../../src/digest/team-digest.ts";
import { digestText } from "../../src/digest/text.ts";
import type { DigestView, NudgeView } from "../../src/digest/views.ts";
import { AH_HIN, JANE, MORGAN, SAM } from "../helpers/ctx.ts";
import { toChannel, toPerson } from "../helpers/digest.ts";
import { fakePicture, ONE_PIXEL_PNG } from "../helpers/picture.ts";
import {
  findButton,
  limitProblems,
  type SlackHarness,
  startSlack,
  tableRows,
  textOf,
  U,
  viewOf,
} from "./harness.ts";
import type { RecordedCall } from "./recorder.ts";

/**
 * The digests through the Slack poster, over HTTP into the recorder: a team digest as one channel
 * post and its thread (picture uploaded into it), the agency summary, a nudge by direct message and
 * its buttons, failures as PostErrors; and the chat replies of the digest commands.
 */

let h: SlackHarness;
let poster: DigestPoster;
beforeAll(async () => {
  h = await startSlack();
  poster = slackDigestPoster(h.t.ctx, h.surface.poster);
});
afterAll(() => h.close());
afterEach(() => {
  h.rec.responses = { ...BASE };
  h.rec.status = {};
});
let BASE: typeof h.rec.responses;
beforeAll(() => {
  BASE = { ...h.rec.responses };
});

const asOf = "2016-03-01";
const message = (view: DigestView, picture = false): DigestMessage => ({
  view,
  text: digestText(view),
  ...(picture ? { picture: fakePicture() } : {}),
});
const teamView = async () =>
  await teamDigest(makeInvocation(h.t.ctx, h.t.as(SAM), "digest", "channel"), "north", {
    asOf,
    period: "2016-W09",
    late: false,
  });
async function nudge(email: string): Promise<NudgeView> {
  const plan = await planNudges(h.t.ctx, "north", asOf);
  if (!("nudges" in plan)) throw new Error(plan.skipped);
  const n = plan.nudges.find((x) => x.actor.email === email);
  if (!n) throw new Error(`no nudge for ${email}`);
  return n.view;
}
const since = (n: number) => h.rec.calls.slice(n);
const posts = (calls: readonly RecordedCall[]) => calls.filter((c) => c.method === "chat.postMessage");

describe("a team digest in the team's channel", () => {
  test("one post in the channel, the rest and the picture in its thread; every message within limits", async () => {
    const channel = poster.channelFor({ kind: "team", teamId: "north" });
    expect(channel).toBe("C0DEMONORTH");
    const before = h.rec.calls.length;
    const ts = await toChannel(poster, channel!, message(await teamView(), true));
    const calls = since(before);
    const sent = posts(calls);
    expect(sent[0]!.body).toMatchObject({ channel: "C0DEMONORTH" });
    expect(sent[0]!.body.thread_ts).toBeUndefined();
    expect(ts).toMatch(/^\d+\.\d+$/);
    for (const c of sent.slice(1)) expect(c.body).toMatchObject({ channel: "C0DEMONORTH", thread_ts: ts });
    // The first post: heading, headline, the coverage table; and what is in the thread.
    const first = textOf(sent[0]!.body.blocks);
    expect(first).toContain("North Team: weekly practice dashboard");
    expect(first).toContain("6 open cases · 1 with practice logged this week");
    expect(tableRows(sent[0]!.body.blocks)[0]).toEqual(["Element", "Now", "A week ago", "Change (cases)"]);
    expect(first).toContain(
      `The rest of this digest is in the thread: the whiteboard picture and ${sent.length - 1} more messages`,
    );
    // The picture: the three calls of files.uploadV2, into the same thread.
    const url = calls.find((c) => c.method === "files.getUploadURLExternal")!;
    expect(url.body).toMatchObject({
      filename: "north-team-2016-W09.png",
      length: String(ONE_PIXEL_PNG.length),
      alt_text: "North Team whiteboard, week to 01/03/16: cases by practice element",
    });
    const upload = calls.find((c) => c.method === "upload:F_north-team-2016-W09.png")!;
    expect(upload.raw.includes(ONE_PIXEL_PNG)).toBe(true);
    const done = calls.find((c) => c.method === "files.completeUploadExternal")!;
    expect(done.body).toMatchObject({ channel_id: "C0DEMONORTH", thread_ts: ts });
    expect(JSON.stringify(done.body.files)).toContain("North Team whiteboard");
    // The dashboards, one page per message, in the thread.
    const boards = sent.slice(1).map((c) => textOf(c.body.blocks));
    expect(boards.some((b) => b.includes("Front end statutory child protection"))).toBe(true);
    expect(limitProblems(calls)).toEqual([]);
  });

  test("children are named by initials in everything posted to the channel", async () => {
    const before = h.rec.calls.length;
    await toChannel(poster, "C0DEMONORTH", message(await teamView()));
    const all = JSON.stringify(since(before).map((c) => c.body));
    expect(all).toContain("M.M. 13");
    expect(all).not.toMatch(/Melli|Majid|Telis/);
  });

  test("a quiet week: one message with the raised and stuck cases, no tables, nothing in a thread, no picture", async () => {
    const before = h.rec.calls.length;
    await toChannel(poster, "C0DEMONORTH", message({ ...(await teamView()), quiet: true }, true));
    const sent = posts(since(before));
    expect(sent).toHaveLength(1);
    const text = textOf(sent[0]!.body.blocks);
    expect(text).toContain("Nothing changed this week");
    expect(text).toContain("Raised to the supervisor: stuck a long time (5)");
    expect(text).toContain("22346");
    expect(text).not.toContain("The rest of this digest is in the thread");
    expect(tableRows(sent[0]!.body.blocks)).toEqual([]);
    expect(since(before).some((c) => c.method.startsWith("files."))).toBe(false);
  });
});

test("the agency summary goes to the managers' channel, its tables in the thread, no worker named", async () => {
  const channel = poster.channelFor({ kind: "agency" });
  expect(channel).toBe("C0DEMOMGRS");
  const view = await agencySummary(makeInvocation(h.t.ctx, h.t.as(MORGAN), "digest", "channel"), {
    asOf,
    period: "2016-W09",
    late: true,
  });
  const before = h.rec.calls.length;
  const ts = await toChannel(poster, channel!, message(view));
  const sent = posts(since(before));
  expect(sent).toHaveLength(4);
  expect(sent.slice(1).every((c) => c.body.thread_ts === ts)).toBe(true);
  expect(textOf(sent[0]!.body.blocks)).toContain("Posted late");
  const all = JSON.stringify(sent.map((c) => c.body));
  for (const s of h.t.ctx.org.staff) expect(all).not.toContain(s.name);
  expect(limitProblems(sent)).toEqual([]);
});

describe("a nudge by direct message", () => {
  let ts: string;
  let sent: RecordedCall;
  let view: NudgeView;
  beforeAll(async () => {
    view = await nudge(JANE);
    const before = h.rec.calls.length;
    ts = (await toPerson(poster, h.t.as(JANE), message(view)))!;
    sent = posts(since(before))[0]!;
  });

  test("arrives in the person's DM, with each stuck case, its rule and days, and two buttons", () => {
    expect(sent.body.channel).toBe("DU0DEMOJANE");
    expect(ts).toMatch(/^\d+\.\d+$/);
    const text = textOf(sent.body.blocks);
    expect(text).toContain("Jane Smith");
    expect(text).toContain("6 of your cases are stuck");
    expect(text).toContain("Melli Majid 13"); // private: full names
    expect(text).toContain("no Mapping with Family 28 days after opening: stuck 30 days (since 31/01/16)");
    expect(findButton(sent.body.blocks, NUDGE_LOG_ACTION)).toBeDefined();
    expect(limitProblems([sent])).toEqual([]);
  });

  const press = (actionId: string, value: string, n: number) => ({
    type: "block_actions",
    user: { id: U.jane, username: "jane", team_id: "T1" },
    api_app_id: "A1",
    token: "unused",
    container: { type: "message", message_ts: ts, channel_id: "DU0DEMOJANE", is_ephemeral: false },
    trigger_id: `trig-nudge-${n}`,
    team: { id: "T1", domain: "agency" },
    channel: { id: "DU0DEMOJANE", name: "directmessage" },
    message: { type: "message", ts, text: sent.body.text, blocks: sent.body.blocks },
    response_url: h.rec.responseUrl(`nudge-${n}`),
    actions: [{ type: "button", block_id: "b", action_id: actionId, value, action_ts: "1.2", text: {} }],
  });

  test("Snooze, clicked twice: one snooze, and the nudge says so in place of that case's buttons", async () => {
    const caseId = view.items[0]!.caseId;
    const snooze = findButton(sent.body.blocks, NUDGE_SNOOZE_ACTION)!;
    const [a, b] = await Promise.all([
      h.interact(press(NUDGE_SNOOZE_ACTION, snooze.value, 1)),
      h.interact(press(NUDGE_SNOOZE_ACTION, snooze.value, 2)),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await Promise.all([a.done, b.done]);
    const rows = h.t.ctx.store.sqlite.prepare("SELECT case_id AS c, until FROM snoozes").all();
    expect(rows).toEqual([{ c: caseId, until: "2016-03-07" }]);
    for (const id of ["nudge-1", "nudge-2"]) {
      const r = h.replyTo(id)!;
      expect(r.body.replace_original).toBe(true);
      const blocks = r.body.blocks as { type: string; block_id?: string }[];
      const row = blocks.find((x) => x.block_id === `nudge_${caseId}`)!;
      expect(row.type).toBe("context");
      expect(textOf(row)).toContain(
        `Snoozed.* No reminders about case ${caseId} for 7 days: they start again on 08/03/16`,
      );
      // The other cases keep their buttons.
      expect(blocks.filter((x) => x.type === "actions")).toHaveLength(view.items.length - 1);
      expect(limitProblems([r])).toEqual([]);
    }
    // Snoozed cases are left out of the next nudges.
    const again = await planNudges(h.t.ctx, "north", "2016-03-02");
    expect("nudges" in again && again.nudges.flatMap((n) => n.view.items.map((i) => i.caseId))).not.toContain(
      caseId,
    );
  });

  test("Log… opens the log form already on that case", async () => {
    const caseId = view.items[1]!.caseId;
    const before = h.rec.calls.length;
    const r = await h.interact(press(NUDGE_LOG_ACTION, caseId, 3));
    await r.done;
    const opened = since(before).find((c) => c.method === "views.open");
    expect(opened!.body.trigger_id).toBe("trig-nudge-3");
    const v = viewOf(opened);
    expect(JSON.parse(v.private_metadata!)).toEqual({ c: caseId });
    expect(textOf(v.blocks)).toContain(`${caseId} · Mary Telis 5`);
    expect(textOf(v.blocks)).toContain("What was done");
  });

  test("someone not on Slack: null, nothing sent", async () => {
    const noSlack = { ...h.t.as(AH_HIN), email: "not.on.slack@demo-agency.example" };
    expect(await toPerson(poster, noSlack, message(await nudge(JANE)))).toBeNull();
  });
});

describe("failures say whether trying again helps", () => {
  test.each([
    ["channel_not_found", false, "check the channel id in the config and invite the app"],
    ["not_in_channel", false, "invite it there with /invite @sos"],
    ["is_archived", false, "archived"],
    ["invalid_auth", false, "SLACK_BOT_TOKEN"],
    ["internal_error", true, "internal_error"],
    ["ratelimited", true, "ratelimited"],
  ])("Slack says %s: retryable %s", async (error, retryable, says) => {
    h.rec.responses["chat.postMessage"] = () => ({ ok: false, error });
    const e = await toChannel(poster, "CNOPE", message(await teamView())).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PostError);
    expect(e).toMatchObject({ retryable });
    expect((e as PostError).message).toContain(says);
    expect((e as PostError).message).toContain("CNOPE");
  });

  test.each([
    ["user_not_found", false],
    ["account_inactive", false],
  ])("a direct message Slack refuses with %s: retryable %s", async (error, retryable) => {
    h.rec.responses["conversations.open"] = () => ({ ok: false, error });
    const e = await toPerson(poster, h.t.as(JANE), message(await nudge(JANE))).catch((x: unknown) => x);
    expect(e).toMatchObject({ name: "PostError", retryable });
  });

  test("HTTP 500 from Slack: retryable", async () => {
    h.rec.status["chat.postMessage"] = 500;
    const e = await toChannel(poster, "C0DEMONORTH", message(await teamView())).catch((x: unknown) => x);
    expect(e).toMatchObject({
      name: "PostError",
      retryable: true,
      message: expect.stringContaining("HTTP 500"),
    });
  });

  test("Slack out of reach (connection refused): retryable", async () => {
    // A port that was free a moment ago: nothing listens there.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const client = new webApi.WebClient("xoxb-test", {
      slackApiUrl: `http://127.0.0.1:${port}/api/`,
      retryConfig: { retries: 0 },
      logger: {
        debug() {},
        info() {},
        warn() {},
        error() {},
        setLevel() {},
        getLevel: () => "error" as never,
        setName() {},
      },
    });
    const offline = slackDigestPoster(
      h.t.ctx,
      createPoster(h.t.ctx, client, () => {}),
    );
    const e = await toChannel(offline, "C0DEMONORTH", message(await teamView())).catch((x: unknown) => x);
    expect(e).toMatchObject({
      name: "PostError",
      retryable: true,
      message: expect.stringContaining("ECONNREFUSED"),
    });
  });

  test("a failure half-way stops at that part; trying again posts the rest in the same thread, each once", async () => {
    // Slack takes the first two messages, then refuses the third three times (internal_error).
    const accepted: RecordedCall[] = [];
    let n = 0;
    h.rec.responses["chat.postMessage"] = (c) => {
      n++;
      if (n >= 3 && n <= 5) return { ok: false, error: "internal_error" };
      accepted.push(c);
      return BASE["chat.postMessage"]!(c);
    };
    const runner = createRunner({ ctx: h.t.ctx, posters: [poster], sleep: async () => {} });
    const at = new Date("2016-02-29T08:00:00Z");
    const first = await runner.run({ kind: "team", scope: "north", at });
    expect(first.outcomes[0]).toMatchObject({
      status: "failed",
      detail: expect.stringMatching(
        /internal_error.*2 of \d+ parts are posted; the rest follow in the same thread when it is tried again\.$/,
      ),
    });
    expect(accepted).toHaveLength(2);

    const again = await runner.run({ kind: "team", scope: "north", at });
    expect(again.outcomes[0]).toMatchObject({ status: "posted" });
    const [top, ...thread] = accepted;
    const parts = h.t.ctx.repo.digests.runs({
      kind: "team",
      scope: "north",
      period: "2016-W09",
      platform: "slack",
    })[0]!;
    expect(accepted).toHaveLength(parts.partsTotal!);
    expect(top!.body.thread_ts).toBeUndefined();
    expect(parts.detail.ref).toEqual(expect.stringMatching(/^\d+\.\d+$/));
    for (const c of thread) expect(c.body.thread_ts).toBe(parts.detail.ref);
    // Each message once: none of them repeated, none says it may repeat.
    const texts = accepted.map((c) => JSON.stringify(c.body.blocks));
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.join()).not.toContain("may repeat");
  });
});

describe("the digest commands in Slack", () => {
  test("/sos digest preview: the digest as it would be posted, privately, a part at a time", async () => {
    const r = await h.command(U.sam, "digest preview");
    expect(r.reply!.body.response_type).toBe("ephemeral");
    const text = textOf(r.reply!.body.blocks);
    expect(text).toContain("Preview: nothing was posted. Names as the team's channel will see them.");
    expect(text).toContain("part 1 of");
    expect(text).toContain("North Team: weekly practice dashboard");
    expect(text).not.toContain("Melli");
    const next = findButton(r.reply!.body.blocks, /sos_page_next/)!;
    const url = h.rec.responseUrl("preview-2");
    const p = await h.interact({
      type: "block_actions",
      user: { id: U.sam, username: "sam", team_id: "T1" },
      api_app_id: "A1",
      token: "unused",
      container: { type: "message", message_ts: "1.1", channel_id: "C0DEMONORTH", is_ephemeral: true },
      trigger_id: "trig-preview-2",
      team: { id: "T1", domain: "agency" },
      channel: { id: "C0DEMONORTH", name: "north-team" },
      response_url: url,
      actions: [{ type: "button", block_id: "b", text: {}, action_ts: "1.2", ...next }],
    });
    await p.done;
    const second = h.replyTo("preview-2")!;
    expect(second.body.replace_original).toBe(true);
    expect(textOf(second.body.blocks)).toContain("part 2 of");
    expect(limitProblems([r.reply!, second])).toEqual([]);
  });

  test("/sos digest preview by a worker: their own reminder, with its buttons", async () => {
    const r = await h.command(U.jane, "digest preview");
    expect(r.reply!.body.response_type).toBe("ephemeral");
    const text = textOf(r.reply!.body.blocks);
    expect(text).toContain("Preview of the reminder you would get today: nothing was sent.");
    expect(text).toContain("Melli Majid 13");
    expect(findButton(r.reply!.body.blocks, NUDGE_SNOOZE_ACTION)).toBeDefined();
    // Alison holds no cases in the demo: she is told so instead.
    const a = await h.command(U.alison, "digest preview");
    expect(textOf(a.reply!.body.blocks)).toContain("Nothing to remind you about today");
    const j = await h.command(U.jane, "digest agency preview");
    expect(textOf(j.reply!.body.blocks)).toContain("see the agency summary");
  });

  test("/sos export csv: the file goes to the person's DM, the channel is told privately", async () => {
    const before = h.rec.calls.length;
    const r = await h.command(U.sam, "export csv");
    const calls = since(before);
    expect(calls.find((c) => c.method === "conversations.open")!.body.users).toBe(U.sam);
    const url = calls.find((c) => c.method === "files.getUploadURLExternal")!;
    expect(String(url.body.filename)).toMatch(/^north-team-overview-2016-03-01\.csv$/);
    const upload = calls.find((c) => c.method.startsWith("upload:"))!;
    const csv = upload.raw.toString("utf8");
    expect(csv).toContain("Melli Majid 13"); // the person's own copy: full names, as any private reply
    expect(csv).toContain("Worker,Case ID");
    const done = calls.find((c) => c.method === "files.completeUploadExternal")!;
    expect(done.body).toMatchObject({ channel_id: `D${U.sam}` });
    expect(calls.some((c) => c.method === "chat.postMessage" && c.body.channel === "C0DEMONORTH")).toBe(
      false,
    );
    expect(r.reply!.body.response_type).toBe("ephemeral");
    expect(String(r.reply!.body.text)).toContain(
      "sent `north-team-overview-2016-03-01.csv` to you in a direct message",
    );
  });

  test("/sos export csv when Slack refuses the upload: said plainly", async () => {
    h.rec.responses["files.getUploadURLExternal"] = () => ({ ok: false, error: "missing_scope" });
    const r = await h.command(U.jane, "export csv");
    expect(String(r.reply!.body.text)).toContain("I couldn't send you the file (Slack said missing_scope)");
  });

  test("/sos snooze and /sos away are plain confirmations", async () => {
    const s = await h.command(U.jane, "snooze 12345 3");
    expect(textOf(s.reply!.body.blocks)).toContain(
      "No reminders about case 12345 for 3 days: they start again on 04/03/16",
    );
    const a = await h.command(U.jane, "away 2016-03-07 2016-03-11");
    expect(textOf(a.reply!.body.blocks)).toContain("Away from 07/03/16 to 11/03/16");
  });
});

test("every message and view sent in this file kept to Slack's limits", () => {
  expect(limitProblems(h.rec.calls)).toEqual([]);
});
