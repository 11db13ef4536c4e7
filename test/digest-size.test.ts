import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { slackDigestPoster } from "../adapters/slack/digest.ts";
import { LIMITS } from "../adapters/slack/render/blockkit.ts";
import { teamsDigestPoster } from "../adapters/teams/digest.ts";
import { makeInvocation } from "../src/commands/invocation.ts";
import { agencySummary } from "../src/digest/agency-summary.ts";
import { planNudges } from "../src/digest/nudges.ts";
import type { DigestMessage } from "../src/digest/post.ts";
import { teamDigest } from "../src/digest/team-digest.ts";
import { digestText } from "../src/digest/text.ts";
import type { DigestView } from "../src/digest/views.ts";
import { BIG, BIG_CHILD_NAMES, bigAgencyConfig, seedBigAgency } from "./helpers/big-agency.ts";
import { cardProblems, TEAMS_MAX_BYTES } from "./helpers/cards.ts";
import type { TestCtx } from "./helpers/ctx.ts";
import { toChannel, toPerson } from "./helpers/digest.ts";
import { fakePicture } from "./helpers/picture.ts";
import { limitProblems, type SlackHarness, shownText, startSlack } from "./slack/harness.ts";
import { activity, BOT, cardOf, sends, startTeamsApp, TENANT, type TeamsApp } from "./teams/harness.ts";

/**
 * An agency-sized team (400 cases, 12 workers; 40 teams in all) through both posters, over HTTP to
 * the recorders: every message Slack would get keeps to its limits, every Teams activity to its
 * ~28 KB, and no child's name reaches a channel.
 */

const asOf = "2016-03-01";
const period = "2016-W09";

async function views(t: TestCtx): Promise<{ team: DigestView; agency: DigestView; nudge: DigestView }> {
  const team = await teamDigest(makeInvocation(t.ctx, t.as(BIG.supervisor), "digest", "channel"), "big", {
    asOf,
    period,
    late: false,
  });
  const agency = await agencySummary(makeInvocation(t.ctx, t.as(BIG.manager), "digest", "channel"), {
    asOf,
    period,
    late: false,
  });
  const plan = await planNudges(t.ctx, "big", asOf);
  if (!("nudges" in plan)) throw new Error(plan.skipped);
  const nudge = plan.nudges.find((n) => n.actor.email === BIG.worker(1))!.view;
  return { team, agency, nudge };
}

const message = (view: DigestView, picture = false): DigestMessage => ({
  view,
  text: digestText(view),
  ...(picture ? { picture: fakePicture() } : {}),
});

describe("Slack", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlack({ config: bigAgencyConfig(), demo: false });
    seedBigAgency(h.t.ctx);
  });
  afterAll(() => h.close());

  test("team digest, agency summary and a 30-case nudge: every message within Slack's limits", async () => {
    const poster = slackDigestPoster(h.t.ctx, h.surface.poster);
    const v = await views(h.t);
    await toChannel(poster, BIG.channel.slack, message(v.team, true));
    await toChannel(poster, BIG.managers.slack, message(v.agency));
    await toPerson(poster, h.t.as(BIG.worker(1)), message(v.nudge));
    const sent = h.rec.of("chat.postMessage");
    expect(sent.length).toBeGreaterThan(10);
    expect(limitProblems(sent)).toEqual([]);
    for (const c of sent) {
      const blocks = c.body.blocks as { type: string; rows?: unknown[][] }[];
      expect(blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
      for (const b of blocks.filter((x) => x.type === "table")) {
        expect(b.rows!.length).toBeLessThanOrEqual(LIMITS.tableRows);
        expect(Math.max(...b.rows!.map((r) => r.length))).toBeLessThanOrEqual(LIMITS.tableCells);
        expect(shownText(b.rows).length).toBeLessThanOrEqual(LIMITS.tableChars);
      }
    }
    const channel = JSON.stringify(
      sent.filter((c) => String(c.body.channel).startsWith("C")).map((c) => c.body),
    );
    for (const name of BIG_CHILD_NAMES) expect(channel).not.toContain(name);
  });
});

describe("Teams", () => {
  let app: TeamsApp;
  beforeAll(async () => {
    app = await startTeamsApp({ config: bigAgencyConfig(), demo: false });
    seedBigAgency(app.t.ctx);
    const team = "19:big-team-id@thread.tacv2";
    await app.post(
      activity(app.rec, {
        type: "conversationUpdate",
        conversation: { id: team, conversationType: "channel", isGroup: true, tenantId: TENANT },
        channelData: {
          tenant: { id: TENANT },
          team: { id: team },
          channel: { id: team },
          eventType: "teamMemberAdded",
        },
        membersAdded: [{ id: BOT.id }],
      }),
    );
  });
  afterAll(() => app.close());

  test("every card of the team digest and agency summary fits one Teams message", async () => {
    const poster = teamsDigestPoster(app.t.ctx, app.surface.poster, { pauseMs: 0 });
    const v = await views(app.t);
    const before = app.rec.calls.length;
    await toChannel(poster, BIG.channel.teams, message(v.team, true));
    await toChannel(poster, BIG.managers.teams, message(v.agency));
    const calls = sends(app.rec.calls.slice(before));
    expect(calls.length).toBeGreaterThan(10);
    for (const c of calls) {
      // The whole activity, as the connector receives it, and the card inside it.
      expect(Buffer.byteLength(JSON.stringify(c.body))).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
      expect(cardProblems(cardOf(c))).toEqual([]);
    }
    const all = JSON.stringify(calls.map((c) => c.body));
    for (const name of BIG_CHILD_NAMES) expect(all).not.toContain(name);
  });
});
