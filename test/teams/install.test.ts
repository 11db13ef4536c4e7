import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createTeamsSurface } from "../../adapters/teams/index.ts";
import { messageCard } from "../../adapters/teams/render/adaptive-card.ts";
import { cardText } from "../helpers/cards.ts";
import { AH_HIN, JANE, manualClock } from "../helpers/ctx.ts";
import {
  activity,
  BOT,
  CHANNEL_ID,
  cardOf,
  channelMessage,
  JANE_TEAMS,
  PERSONAL,
  personalMessage,
  sends,
  startTeamsApp,
  TEAM_ID,
  TENANT,
  type TeamsApp,
} from "./harness.ts";
import { type Recorder, startTeamsRecorder } from "./recorder.ts";

let rec: Recorder;
let app: TeamsApp;
beforeAll(async () => {
  rec = await startTeamsRecorder();
});
afterAll(() => rec.close());
beforeEach(async () => {
  app = await startTeamsApp({ rec });
  rec.refuse.clear();
});
afterEach(() => app.close());

const GENERAL = TEAM_ID; // a team's General channel has the team's id
const teamConversation = { id: GENERAL, conversationType: "channel", isGroup: true, tenantId: TENANT };
const teamData = { tenant: { id: TENANT }, team: { id: TEAM_ID }, channel: { id: GENERAL } };

const installPersonal = () =>
  app.post(activity(rec, { type: "installationUpdate", action: "add", conversation: PERSONAL }));
const installTeam = () =>
  app.post(
    activity(rec, {
      type: "conversationUpdate",
      conversation: teamConversation,
      channelData: { ...teamData, eventType: "teamMemberAdded" },
      membersAdded: [{ id: BOT.id }],
    }),
  );
const digest = messageCard({ ok: true, text: "North Team digest: 6 open cases, 2 stuck." }, { nonce: "d" });

describe("installing the app stores where it can post later", () => {
  test("personal install: the reference is stored with the staff member, and a welcome sent", async () => {
    const r = await installPersonal();
    expect(r.status).toBe(200);
    const [row] = await app.surface.bot.deps.installs.all();
    expect(row).toMatchObject({
      id: PERSONAL.id,
      kind: "personal",
      staffId: app.t.as(JANE).staffId,
      removedAt: null,
    });
    expect(row!.reference).toMatchObject({
      serviceUrl: rec.url,
      conversation: PERSONAL,
      agent: BOT,
      channelId: "msteams",
    });
    expect(row!.reference).not.toHaveProperty("activityId");
    const welcome = cardText(cardOf(sends(r.calls)[0]));
    expect(welcome).toContain("Hello Jane Smith.");
    expect(welcome).toContain("**sos log**");
  });

  test("team install: the channel is stored by its own id, with its team and no person", async () => {
    await installTeam();
    const [row] = await app.surface.bot.deps.installs.all();
    expect(row).toMatchObject({ id: GENERAL, kind: "channel", teamId: TEAM_ID, staffId: null });
    expect(row!.reference).not.toHaveProperty("user");
  });

  test("a message in a channel thread stores the channel, not the thread", async () => {
    await app.post(channelMessage(rec, "sos whoami"));
    const [row] = await app.surface.bot.deps.installs.all();
    expect(row).toMatchObject({ id: CHANNEL_ID, kind: "channel", teamId: TEAM_ID });
    expect(row!.reference.conversation.id).toBe(CHANNEL_ID);
  });

  test("the same install twice keeps one row; removing the app marks it, adding it again clears the mark", async () => {
    await installPersonal();
    await installPersonal();
    expect(await app.surface.bot.deps.installs.all()).toHaveLength(1);
    await app.post(activity(rec, { type: "installationUpdate", action: "remove", conversation: PERSONAL }));
    expect((await app.surface.bot.deps.installs.get(PERSONAL.id))?.removedAt).toBe(
      "2016-03-01T12:00:00.000Z",
    );
    await app.post(personalMessage(rec, "sos whoami"));
    expect((await app.surface.bot.deps.installs.get(PERSONAL.id))?.removedAt).toBeNull();
  });

  test("a message where nothing changed writes nothing", async () => {
    const clock = manualClock("2016-03-01T12:00:00Z");
    const timed = await startTeamsApp({ rec, clock });
    try {
      await timed.post(personalMessage(rec, "sos whoami"));
      clock.advance(3_600_000);
      await timed.post(personalMessage(rec, "sos whoami"));
      expect((await timed.surface.bot.deps.installs.all())[0]).toMatchObject({
        staffId: timed.t.as(JANE).staffId,
      });
      const row = timed.t.ctx.store.sqlite.prepare("SELECT updated_at AS u FROM teams_conversations").get();
      expect(row).toEqual({ u: "2016-03-01T12:00:00.000Z" });
    } finally {
      await timed.close();
    }
  });

  test("the bot removed from a team marks the channel", async () => {
    await installTeam();
    await app.post(
      activity(rec, {
        type: "conversationUpdate",
        conversation: teamConversation,
        channelData: teamData,
        membersRemoved: [{ id: BOT.id }],
      }),
    );
    expect((await app.surface.bot.deps.installs.get(GENERAL))?.removedAt).not.toBeNull();
  });
});

describe("posting when nobody asked (the digests' API)", () => {
  test("to a configured channel of a team the app is in: a new post, the card in it", async () => {
    await installTeam();
    const before = rec.calls.length;
    const r = await app.surface.poster.postToChannel(CHANNEL_ID, digest, "North Team digest");
    expect(r).toEqual({ ok: true, conversationId: expect.stringMatching(/^19:created-/) });
    const [call] = rec.calls.slice(before);
    expect(call).toMatchObject({ method: "POST", path: "/v3/conversations" });
    expect(call!.body).toMatchObject({
      isGroup: true,
      channelData: { channel: { id: CHANNEL_ID }, tenant: { id: TENANT } },
      tenantId: TENANT,
      agent: BOT,
    });
    expect(cardText(cardOf(call))).toContain("North Team digest: 6 open cases, 2 stuck.");
    expect(call!.body.activity?.summary).toBe("North Team digest");
  });

  test("to a channel when the app is in no team: says so, and calls nobody", async () => {
    await installPersonal();
    const before = rec.calls.length;
    const r = await app.surface.poster.postToChannel(CHANNEL_ID, digest, "digest");
    expect(r).toEqual({
      ok: false,
      reason: "not_installed",
      message: `The app is not installed in any team yet, so it can't post to Teams channel ${CHANNEL_ID}. Add the app to the team that has this channel.`,
    });
    expect(rec.calls.length).toBe(before);
  });

  test("to a channel whose team Teams says the app is not in", async () => {
    await installTeam();
    rec.refuse.add("19:other@thread.tacv2");
    const r = await app.surface.poster.postToChannel("19:other@thread.tacv2", digest, "digest");
    expect(r).toMatchObject({ ok: false, reason: "not_installed" });
    expect(r.ok || r.message).toContain("HTTP 403");
  });

  test("to a channel the app was removed from", async () => {
    await app.post(channelMessage(rec, "sos whoami"));
    await app.post(
      activity(rec, {
        type: "installationUpdate",
        action: "remove",
        conversation: { id: CHANNEL_ID, conversationType: "channel", tenantId: TENANT },
        channelData: { tenant: { id: TENANT }, team: { id: TEAM_ID }, channel: { id: CHANNEL_ID } },
      }),
    );
    const r = await app.surface.poster.postToChannel(CHANNEL_ID, digest, "digest");
    expect(r).toMatchObject({ ok: false, reason: "not_installed" });
    expect(r.ok || r.message).toContain("was removed");
  });

  test("to a group chat the app is in, by its id: a message of its own there", async () => {
    const chat = {
      id: "19:group-1@thread.v2",
      conversationType: "groupChat",
      isGroup: true,
      tenantId: TENANT,
    };
    await app.post(activity(rec, { type: "installationUpdate", action: "add", conversation: chat }));
    const before = rec.calls.length;
    const r = await app.surface.poster.postToChannel(chat.id, digest, "digest");
    expect(r).toEqual({ ok: true, conversationId: chat.id });
    expect(rec.calls.slice(before)).toMatchObject([
      { method: "POST", path: `/v3/conversations/${chat.id}/activities` },
    ]);
  });

  test("to a person in their personal chat: a message of its own, not a reply", async () => {
    await installPersonal();
    const before = rec.calls.length;
    const r = await app.surface.poster.postToUser(app.t.as(JANE), digest, "Your stuck cases");
    expect(r).toEqual({ ok: true, conversationId: PERSONAL.id });
    const [call] = rec.calls.slice(before);
    expect(call).toMatchObject({ method: "POST", path: `/v3/conversations/${PERSONAL.id}/activities` });
    expect(call!.body.replyToId).toBeUndefined();
    expect(call!.body.recipient).toMatchObject({ id: JANE_TEAMS.id });
    expect(cardText(cardOf(call))).toContain("North Team digest");
  });

  test("to a person who has not installed the app", async () => {
    await installPersonal();
    const r = await app.surface.poster.postToUser(app.t.as(AH_HIN), digest, "nudge");
    expect(r).toEqual({
      ok: false,
      reason: "not_installed",
      message:
        "Ah Hin Xeng has not added the app in Teams (or has removed it), so they can't get a personal message. They can add it from Apps in Teams, or an admin can install it for them.",
    });
  });

  test("to a person whose chat Teams refuses: said so, and remembered", async () => {
    await installPersonal();
    rec.refuse.add(PERSONAL.id);
    const r = await app.surface.poster.postToUser(app.t.as(JANE), digest, "nudge");
    expect(r).toMatchObject({ ok: false, reason: "not_installed" });
    expect(await app.surface.bot.deps.installs.personal(app.t.as(JANE).staffId)).toBeUndefined();
  });

  test("removed and added again: a personal post reaches the person again", async () => {
    await app.post(personalMessage(rec, "sos whoami"));
    await app.post(activity(rec, { type: "installationUpdate", action: "remove", conversation: PERSONAL }));
    expect(await app.surface.poster.postToUser(app.t.as(JANE), digest, "nudge")).toMatchObject({
      reason: "not_installed",
    });
    await app.post(personalMessage(rec, "sos whoami"));
    expect(await app.surface.poster.postToUser(app.t.as(JANE), digest, "nudge")).toEqual({
      ok: true,
      conversationId: PERSONAL.id,
    });
  });

  test("Teams refused a post from another instance, then the app was added again here: posts reach the person", async () => {
    // Two servers on one database (PostgreSQL's several instances; here the SQLite file): this one
    // takes Jane's messages, the other posts her digest.
    const other = createTeamsSurface(app.t.ctx, {}, { log: () => {} });
    await app.post(personalMessage(rec, "sos whoami"));
    rec.refuse.add(PERSONAL.id);
    expect(await other.poster.postToUser(app.t.as(JANE), digest, "nudge")).toMatchObject({
      reason: "not_installed",
    });
    rec.refuse.delete(PERSONAL.id);
    await installPersonal();
    expect(await other.poster.postToUser(app.t.as(JANE), digest, "nudge")).toEqual({
      ok: true,
      conversationId: PERSONAL.id,
    });
  });

  test("a connector failure is a failure, not 'not installed'", async () => {
    await installPersonal();
    rec.failSends = true;
    try {
      const r = await app.surface.poster.postToUser(app.t.as(JANE), digest, "nudge");
      expect(r).toMatchObject({ ok: false, reason: "failed" });
    } finally {
      rec.failSends = false;
    }
    expect(app.logs).toEqual(["teams: posting to Jane Smith's personal chat failed: HttpError (HTTP 500)"]);
  });
});
