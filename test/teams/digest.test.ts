import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { teamsDigestPoster } from "../../adapters/teams/digest.ts";
import { FILE_CONSENT, FILE_INFO } from "../../adapters/teams/files.ts";
import { createPoster as createTeamsPoster } from "../../adapters/teams/proactive.ts";
import type { AdaptiveCard } from "../../adapters/teams/render/adaptive-card-kit.ts";
import { VERB } from "../../adapters/teams/render/adaptive-card-kit.ts";
import { DEMO_CONFIG } from "../../src/app/paths.ts";
import { makeInvocation } from "../../src/commands/invocation.ts";
import { agencySummary } from "../../src/digest/agency-summary.ts";
import { planNudges } from "../../src/digest/nudges.ts";
import type { DigestMessage, DigestPoster } from "../../src/digest/post.ts";
import { createRunner } from "../../src/digest/runner.ts";
import { teamDigest } from "../../src/digest/team-digest.ts";
import { digestText } from "../../src/digest/text.ts";
import type { DigestView, NudgeView } from "../../src/digest/views.ts";
import { cardProblems, cardText } from "../helpers/cards.ts";
import { AH_HIN, JANE, MORGAN, SAM } from "../helpers/ctx.ts";
import { toChannel, toPerson } from "../helpers/digest.ts";
import { fakePicture } from "../helpers/picture.ts";
import {
  activity,
  BOT,
  CHANNEL_ID,
  cardOf,
  channelMessage,
  execute,
  invokeCard,
  PERSONAL,
  personalMessage,
  sends,
  startTeamsApp,
  submit,
  TEAM_ID,
  TENANT,
  type TeamsApp,
} from "./harness.ts";
import { type Call, type Recorder, startTeamsRecorder } from "./recorder.ts";

/**
 * The digests through the Teams poster, over HTTP into the recorded Bot Connector: a team digest as
 * one channel post and its thread, the agency summary, a nudge in the personal chat and its
 * buttons, failures as PostErrors; and the replies of the digest commands in Teams.
 */

const SAM_AAD = "00000000-0000-0000-0000-0000000000a5";
const SAM_TEAMS = { id: "29:sam", name: "Sam Okafor", aadObjectId: SAM_AAD };
const CONFIG = readFileSync(DEMO_CONFIG, "utf8").replace(
  "    slackId: U0DEMOSAM\n",
  `    slackId: U0DEMOSAM\n    teamsId: ${SAM_AAD}\n`,
);

let rec: Recorder;
let app: TeamsApp;
let poster: DigestPoster;
beforeAll(async () => {
  rec = await startTeamsRecorder();
  app = await startTeamsApp({ rec, config: CONFIG });
  let n = 0;
  poster = teamsDigestPoster(app.t.ctx, app.surface.poster, { nonce: () => `digest-${++n}`, pauseMs: 0 });
  // The app added to the North team (its General channel) and to Jane's personal chat.
  await app.post(
    activity(rec, {
      type: "conversationUpdate",
      conversation: { id: TEAM_ID, conversationType: "channel", isGroup: true, tenantId: TENANT },
      channelData: {
        tenant: { id: TENANT },
        team: { id: TEAM_ID },
        channel: { id: TEAM_ID },
        eventType: "teamMemberAdded",
      },
      membersAdded: [{ id: BOT.id }],
    }),
  );
  await app.post(activity(rec, { type: "installationUpdate", action: "add", conversation: PERSONAL }));
});
afterAll(async () => {
  await app.close();
  await rec.close();
});

const asOf = "2016-03-01";
const message = (view: DigestView, picture = false): DigestMessage => ({
  view,
  text: digestText(view),
  ...(picture ? { picture: fakePicture() } : {}),
});
const teamView = async () =>
  await teamDigest(makeInvocation(app.t.ctx, app.t.as(SAM), "digest", "channel"), "north", {
    asOf,
    period: "2016-W09",
    late: false,
  });
async function nudge(email: string): Promise<NudgeView> {
  const plan = await planNudges(app.t.ctx, "north", asOf);
  if (!("nudges" in plan)) throw new Error(plan.skipped);
  return plan.nudges.find((x) => x.actor.email === email)!.view;
}
const since = (n: number) => rec.calls.slice(n);
const cards = (calls: readonly Call[]): AdaptiveCard[] => sends(calls).map((c) => cardOf(c));

/** Every Execute action in a card body or its actions. */
function executes(c: AdaptiveCard): { title: string; verb: string; data: Record<string, unknown> }[] {
  const out: { title: string; verb: string; data: Record<string, unknown> }[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) for (const y of x) walk(y);
    else if (x && typeof x === "object") {
      const o = x as Record<string, unknown>;
      if (o.type === "Action.Execute") out.push(o as never);
      for (const [k, v] of Object.entries(o)) if (k !== "fallback" && k !== "data") walk(v);
    }
  };
  walk(c);
  return out;
}

describe("a team digest in the team's channel", () => {
  test("one new post in the channel, the other cards as replies in its thread", async () => {
    const channel = poster.channelFor({ kind: "team", teamId: "north" });
    expect(channel).toBe(CHANNEL_ID);
    const before = rec.calls.length;
    const id = await toChannel(poster, channel!, message(await teamView(), true));
    const calls = sends(since(before));
    expect(calls[0]).toMatchObject({ method: "POST", path: "/v3/conversations" });
    expect(calls[0]!.body).toMatchObject({ isGroup: true, channelData: { channel: { id: CHANNEL_ID } } });
    expect(calls[0]!.body.activity?.summary).toBe("North Team: weekly practice dashboard, week to 01/03/16");
    expect(id).toMatch(/^19:created-\d+@thread\.tacv2;messageid=\d+$/);
    for (const c of calls.slice(1))
      expect(c).toMatchObject({ method: "POST", path: `/v3/conversations/${id}/activities` });
    const all = cards(calls);
    expect(all.length).toBeGreaterThan(1);
    for (const c of all) expect(cardProblems(c)).toEqual([]);
    const first = cardText(all[0]);
    expect(first).toContain("North Team: weekly practice dashboard");
    expect(first).toContain("6 open cases · 1 with practice logged this week");
    expect(first).toContain(`The rest of this digest is in the replies below: ${all.length - 1} more card`);
    // The whiteboard picture, small enough to travel in the card.
    expect(all[0]!.body.find((e) => e.type === "Image")).toMatchObject({
      url: expect.stringMatching(/^data:image\/png;base64,/),
    });
    expect(cardText(all.slice(1))).toContain("Front end statutory child protection");
  });

  test("children are named by initials in everything posted to the channel", async () => {
    const before = rec.calls.length;
    await toChannel(poster, CHANNEL_ID, message(await teamView()));
    const all = JSON.stringify(sends(since(before)).map((c) => c.body));
    expect(all).toContain("M.M. 13");
    expect(all).not.toMatch(/Melli|Majid|Telis/);
  });
});

test("the agency summary goes to the managers' channel, with no worker named", async () => {
  const channel = poster.channelFor({ kind: "agency" });
  expect(channel).toBe("19:demo-managers@thread.tacv2");
  const view = await agencySummary(makeInvocation(app.t.ctx, app.t.as(MORGAN), "digest", "channel"), {
    asOf,
    period: "2016-W09",
    late: false,
  });
  const before = rec.calls.length;
  await toChannel(poster, channel!, message(view));
  const calls = sends(since(before));
  expect(calls[0]!.body.channelData?.channel?.id).toBe(channel);
  for (const c of cards(calls)) expect(cardProblems(c)).toEqual([]);
  const all = JSON.stringify(calls.map((c) => c.body));
  for (const s of app.t.ctx.org.staff) expect(all).not.toContain(s.name);
});

describe("a nudge in the personal chat", () => {
  let card: AdaptiveCard;
  let view: NudgeView;
  beforeAll(async () => {
    view = await nudge(JANE);
    const before = rec.calls.length;
    const id = await toPerson(poster, app.t.as(JANE), message(view));
    expect(id).toBe(PERSONAL.id);
    const [call] = sends(since(before));
    expect(call).toMatchObject({ method: "POST", path: `/v3/conversations/${PERSONAL.id}/activities` });
    card = cardOf(call);
  });

  test("lists each stuck case with its rule and days, and Log… and Snooze beside it", () => {
    expect(cardProblems(card)).toEqual([]);
    const text = cardText(card);
    expect(text).toContain("Jane Smith: 6 of your cases are stuck.");
    expect(text).toContain("Melli Majid 13");
    expect(text).toContain("no Mapping with Family 28 days after opening: stuck 30 days (since 31/01/16)");
    expect(executes(card).map((a) => a.title)).toEqual(view.items.flatMap(() => ["Log…", "Snooze 7 days"]));
  });

  test("Snooze pressed twice (Action.Execute): one snooze; the nudge comes back saying so", async () => {
    const snooze = executes(card).find((a) => a.verb === VERB.snooze)!;
    const caseId = String(snooze.data.caseId);
    const first = await app.post(execute(rec, VERB.snooze, snooze.data));
    const second = await app.post(execute(rec, VERB.snooze, snooze.data));
    const rows = app.t.ctx.store.sqlite.prepare("SELECT case_id AS c, until FROM snoozes").all();
    expect(rows).toEqual([{ c: caseId, until: "2016-03-07" }]);
    for (const r of [first, second]) {
      const after = invokeCard(r.body);
      expect(cardProblems(after)).toEqual([]);
      expect(cardText(after)).toContain(
        `Snoozed. No reminders about case ${caseId} for 7 days: they start again on 08/03/16.`,
      );
      // That case has no buttons any more; the others keep theirs.
      expect(executes(after).filter((a) => a.data.caseId === caseId)).toEqual([]);
      expect(executes(after).filter((a) => a.verb === VERB.snooze)).toHaveLength(view.items.length - 1);
    }
  });

  test("the Action.Submit fallback snoozes once too, and puts the nudge back in place", async () => {
    const snooze = executes(card).filter((a) => a.verb === VERB.snooze)[1]!;
    const data = { ...snooze.data, verb: VERB.snooze };
    const r1 = await app.post(submit(rec, data, { replyToId: "nudge-1" }));
    await app.post(submit(rec, data, { replyToId: "nudge-1" }));
    const rows = app.t.ctx.store.sqlite
      .prepare("SELECT case_id AS c FROM snoozes WHERE case_id = ?")
      .all(String(snooze.data.caseId));
    expect(rows).toHaveLength(1);
    const [put] = sends(r1.calls);
    expect(put).toMatchObject({ method: "PUT", path: `/v3/conversations/${PERSONAL.id}/activities/nudge-1` });
    expect(cardText(cardOf(put))).toContain("Snoozed.");
  });

  test("Log… sends the log form on that case as a new message; the nudge stays", async () => {
    const log = executes(card).filter((a) => a.verb === VERB.nudgeLog)[2]!;
    const r = await app.post(execute(rec, VERB.nudgeLog, log.data));
    expect(r.body).toEqual({
      statusCode: 200,
      type: "application/vnd.microsoft.activity.message",
      value: `The form for case ${log.data.caseId} is in a new message below.`,
    });
    const [form] = sends(r.calls);
    // A message of its own in the chat (posted as the answer to the button's activity).
    expect(form!.method).toBe("POST");
    expect(form!.path.startsWith(`/v3/conversations/${PERSONAL.id}/activities`)).toBe(true);
    expect(cardText(cardOf(form))).toContain(`Log practice on case ${log.data.caseId}`);
    expect(sends(r.calls).some((c) => c.method === "PUT")).toBe(false);
  });
});

describe("failures say whether trying again helps", () => {
  test("a person who has not added the app can't be reached on Teams: skipped, not a failure", async () => {
    expect(await toPerson(poster, app.t.as(AH_HIN), message(await nudge(JANE)))).toBeNull();
  });

  test("a channel in a team the app is not in (Teams answers 403): not retryable", async () => {
    rec.refuse.add("19:elsewhere@thread.tacv2");
    try {
      const e = await toChannel(poster, "19:elsewhere@thread.tacv2", message(await teamView())).catch(
        (x: unknown) => x,
      );
      expect(e).toMatchObject({
        name: "PostError",
        retryable: false,
        message: expect.stringContaining("HTTP 403"),
      });
    } finally {
      rec.refuse.clear();
    }
  });

  test("the connector failing (HTTP 500): retryable", async () => {
    rec.failSends = true;
    try {
      const e = await toChannel(poster, CHANNEL_ID, message(await teamView())).catch((x: unknown) => x);
      expect(e).toMatchObject({ name: "PostError", retryable: true });
    } finally {
      rec.failSends = false;
    }
  });

  test("a failure half-way stops at that card; trying again posts the rest in the same thread, each once", async () => {
    // The connector takes the first post, then fails the first reply three times (HTTP 500).
    const accepted: Call[] = [];
    let replies = 0;
    rec.failWhen = (c) => {
      const fail = c.path.includes(";messageid=") && ++replies <= 3;
      if (!fail && c.method === "POST") accepted.push(c);
      return fail;
    };
    try {
      const runner = createRunner({ ctx: app.t.ctx, posters: [poster], sleep: async () => {} });
      const at = new Date("2016-02-29T08:00:00Z");
      const first = await runner.run({ kind: "team", scope: "north", at });
      expect(first.outcomes[0]).toMatchObject({
        status: "failed",
        detail: expect.stringMatching(/1 of \d+ parts are posted; the rest follow in the same thread/),
      });
      expect(accepted).toHaveLength(1);
      const again = await runner.run({ kind: "team", scope: "north", at });
      expect(again.outcomes[0]).toMatchObject({ status: "posted" });
      const run = app.t.ctx.repo.digests.runs({
        kind: "team",
        scope: "north",
        period: "2016-W09",
        platform: "teams",
      })[0]!;
      expect(accepted).toHaveLength(run.partsTotal!);
      expect(accepted[0]!.path).toBe("/v3/conversations");
      for (const c of accepted.slice(1))
        expect(c.path).toBe(`/v3/conversations/${String(run.detail.ref)}/activities`);
      const texts = cards(accepted).map((c) => JSON.stringify(c.body));
      expect(new Set(texts).size).toBe(texts.length);
      expect(texts.join()).not.toContain("may repeat");
    } finally {
      rec.failWhen = null;
    }
  });
});

test("a reply Teams answers after the poster's timeout goes once more, saying it may repeat; every other card once", async () => {
  // The connector takes the first reply in the thread but answers only after the poster gave up.
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let replies = 0;
  rec.holdWhen = (c) => (c.path.includes(";messageid=") && ++replies === 1 ? gate : null);
  try {
    const slow = teamsDigestPoster(app.t.ctx, createTeamsPoster(app.surface.bot, { timeoutMs: 200 }), {
      pauseMs: 0,
    });
    const runner = createRunner({ ctx: app.t.ctx, posters: [slow], sleep: async () => {} });
    const before = rec.calls.length;
    // Posted again on purpose (--force): the week's digest went out in the test above.
    const r = await runner.run({
      kind: "team",
      scope: "north",
      at: new Date("2016-02-29T08:00:00Z"),
      force: true,
    });
    release();
    expect(r.outcomes[0]).toMatchObject({
      status: "posted",
      detail: expect.stringContaining(
        "part 2 went again after Teams gave no answer, marked as a possible repeat",
      ),
    });
    const run = app.t.ctx.repo.digests.runs({
      kind: "team",
      scope: "north",
      period: "2016-W09",
      platform: "teams",
    })[0]!;
    const sent = cards(since(before)).map((c) => JSON.stringify(c.body));
    expect(sent).toHaveLength(run.partsTotal! + 1);
    const [, held, again, ...rest] = sent;
    expect(held).not.toContain("may repeat");
    expect(again).toContain("This message may repeat one sent at 01/03/16 12:00 that Teams did not confirm.");
    expect(new Set(rest).size).toBe(rest.length);
    expect(rest.join()).not.toContain("may repeat");
  } finally {
    rec.holdWhen = null;
    release();
  }
});

describe("the digest commands in Teams", () => {
  async function say(text: string, where: "personal" | "channel" = "personal", from?: object) {
    const a = where === "personal" ? personalMessage(rec, text) : channelMessage(rec, text);
    const r = await app.post(from ? { ...a, from } : a);
    expect(r.status).toBe(200);
    return sends(r.calls);
  }

  test("sos digest preview (a supervisor, in the team channel): the team digest as posted, a part at a time", async () => {
    const [call] = await say("sos digest preview", "channel", SAM_TEAMS);
    const c = cardOf(call);
    expect(cardProblems(c)).toEqual([]);
    expect(cardText(c)).toMatch(
      /^Preview: nothing was posted\. Names as the team's channel will see them\. Part 1 of 2\./,
    );
    expect(cardText(c)).not.toContain("Melli");
    const next = c.actions!.find((a) => a.title === "Next part")!;
    const r = await app.post(execute(rec, VERB.page, next.data, { from: SAM_TEAMS }));
    expect(cardText(invokeCard(r.body))).toContain("Part 2 of 2.");
  });

  test("sos digest preview (a worker): their own reminder; in a channel, children by initials", async () => {
    const [mine] = await say("sos digest preview");
    expect(cardText(cardOf(mine))).toContain(
      "Preview of the reminder you would get today: nothing was sent.",
    );
    expect(cardText(cardOf(mine))).toContain("Melli Majid 13");
    const [shared] = await say("sos digest preview", "channel");
    expect(JSON.stringify(cardOf(shared))).not.toMatch(/Melli|Majid|Telis/);
  });

  test("sos export csv in the personal chat: a file consent card; Allow uploads the CSV and shows the file", async () => {
    const [call] = await say("sos export csv");
    const attachment = call!.body.attachments?.[0] as unknown as {
      contentType: string;
      name: string;
      content: { sizeInBytes: number; acceptContext: { command: string; nonce: string } };
    };
    expect(attachment.contentType).toBe(FILE_CONSENT);
    expect(attachment.name).toBe("jane-smith-overview-2016-03-01.csv");
    expect(attachment.content.sizeInBytes).toBeGreaterThan(100);
    expect(attachment.content.acceptContext.command).toBe("sos export csv");
    // The consent card carries no children's data: the export runs again on Allow.
    expect(JSON.stringify(call!.body)).not.toContain("Melli");

    const uploadInfo = {
      name: "jane-smith-overview-2016-03-01.csv",
      uploadUrl: `${rec.url}upload/session-1`,
      contentUrl:
        "https://tenant-my.sharepoint.com/personal/jane/Documents/Microsoft Teams Chat Files/jane.csv",
      uniqueId: "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
      fileType: "csv",
    };
    const r = await app.post(
      activity(rec, {
        type: "invoke",
        name: "fileConsent/invoke",
        replyToId: "consent-1",
        value: {
          type: "fileUpload",
          action: "accept",
          context: attachment.content.acceptContext,
          uploadInfo,
        },
      }),
    );
    expect(r.status).toBe(200);
    const put = r.calls.find((c) => c.path === "/upload/session-1")!;
    expect(put.method).toBe("PUT");
    expect(put.raw!.toString("utf8")).toContain("Melli Majid 13");
    expect(put.raw!.toString("utf8")).toContain("Worker,Case ID");
    const info = sends(r.calls).find((c) => c.body.attachments?.[0]?.contentType === FILE_INFO)!;
    expect(info.body.attachments![0]).toMatchObject({
      contentUrl: uploadInfo.contentUrl,
      name: uploadInfo.name,
      content: { uniqueId: uploadInfo.uniqueId, fileType: "csv" },
    });
  });

  test("Decline: nothing is uploaded, and the bot says so", async () => {
    const r = await app.post(
      activity(rec, {
        type: "invoke",
        name: "fileConsent/invoke",
        value: { type: "fileUpload", action: "decline", context: { command: "sos export csv", nonce: "x" } },
      }),
    );
    expect(r.calls.some((c) => c.path.startsWith("/upload/"))).toBe(false);
    expect(cardText(cardOf(sends(r.calls)[0]))).toContain("the file was not sent");
  });

  test("sos export csv in a channel: no file there; it says to ask in the personal chat", async () => {
    const [call] = await say("sos export csv", "channel", SAM_TEAMS);
    expect(call!.body.attachments?.[0]?.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(cardText(cardOf(call))).toContain(
      "Teams lets an app send a file only in your personal chat with it",
    );
  });

  test("sos snooze and sos away: plain confirmations", async () => {
    const [s] = await say("sos snooze 12346 3");
    expect(cardText(cardOf(s))).toContain(
      "No reminders about case 12346 for 3 days: they start again on 04/03/16",
    );
    const [a] = await say("sos away 2016-03-07 2016-03-11");
    expect(cardText(cardOf(a))).toContain("Away from 07/03/16 to 11/03/16");
  });
});
