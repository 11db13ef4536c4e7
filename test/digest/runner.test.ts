import { afterEach, describe, expect, test } from "vitest";
import { manualClock } from "../../src/commands/clock.ts";
import { digestPoster } from "../../src/digest/deliver.ts";
import { type DigestMessage, PostError } from "../../src/digest/post.ts";
import { createRunner, RETRY_DELAYS_MS } from "../../src/digest/runner.ts";
import { createScheduler } from "../../src/digest/scheduler.ts";
import type { Actor } from "../../src/domain/access.ts";
import { JANE, makeTestCtx, SAM, type TestCtx } from "../helpers/ctx.ts";

// A platform that records what it was asked to post (each digest as one message), and can be told
// to fail: through the shared posting step, as the real ones are. The real Slack and Teams posters
// are tested over HTTP against their recorders (test/slack, test/teams).
function recordingPoster(platform: "slack" | "teams", failures: (PostError | Error)[] = []) {
  const sent: { to: string; message: DigestMessage }[] = [];
  const state: { down: PostError | null } = { down: null };
  const poster = digestPoster<DigestMessage>({
    platform,
    name: platform === "slack" ? "Slack" : "Teams",
    channelFor: (scope) => (scope.kind === "team" ? `${platform}-${scope.teamId}` : `${platform}-managers`),
    addressOf: async (actor: Actor) => actor.email,
    layout: (_doc, message) => [message],
    pictureFile: false,
    thread: { place: "in the thread", unit: ["message", "messages"] },
    withLine: (m, line) => ({ ...m, text: `${m.text}\n${line}` }),
    async send(to, part) {
      const f = failures.shift() ?? state.down;
      if (f) throw f;
      if (part.kind !== "message") throw new Error("no files here");
      sent.push({ to: to.kind === "channel" ? to.channel : to.actor.email, message: part.message });
      return to.kind === "channel" ? `ref-${sent.length}` : `dm-${sent.length}`;
    },
  });
  return { poster, sent, state };
}

let t: TestCtx;
afterEach(() => t?.close());

// Monday 7 March 2016, 08:00 in London: the demo team's digest time.
const MONDAY_8 = "2016-03-07T08:00:00Z";

function setup(start = MONDAY_8, failures: (PostError | Error)[] = []) {
  const clock = manualClock(start);
  t = makeTestCtx({ clock });
  const slack = recordingPoster("slack", failures);
  const teams = recordingPoster("teams");
  const sleeps: number[] = [];
  const runner = createRunner({
    ctx: t.ctx,
    posters: [slack.poster, teams.poster],
    sleep: async (ms) => void sleeps.push(ms),
  });
  const scheduler = createScheduler(t.ctx, runner, { timers: false });
  return { clock, slack, teams, runner, scheduler, sleeps };
}

const teamSpec = { kind: "team", scope: "north", cron: "0 8 * * 1" } as const;
const nudgeSpec = { kind: "nudge", scope: "north", cron: "0 9 * * 1-5" } as const;

describe("exactly once per period", () => {
  test("the team digest posts once to each platform; a second run says when it went", async () => {
    const { runner, slack, teams } = setup();
    const first = await runner.run({ kind: "team", scope: "north", at: new Date(MONDAY_8) });
    expect(first.period).toBe("2016-W10");
    expect(first.outcomes.map((o) => [o.platform, o.status])).toEqual([
      ["slack", "posted"],
      ["teams", "posted"],
    ]);
    expect(slack.sent).toHaveLength(1);
    expect(slack.sent[0]!.to).toBe("slack-north");
    const again = await runner.run({ kind: "team", scope: "north", at: new Date("2016-03-09T10:00:00Z") });
    expect(again.outcomes.map((o) => o.status)).toEqual(["already", "already"]);
    expect(again.outcomes[0]!.detail).toBe("already posted 07/03/16 08:00. Use --force to post it again.");
    expect(slack.sent).toHaveLength(1);
    expect(teams.sent).toHaveLength(1);
  });

  test("--force posts again, and the ledger keeps both", async () => {
    const { runner, slack } = setup();
    await runner.run({ kind: "team", scope: "north", at: new Date(MONDAY_8) });
    const forced = await runner.run({ kind: "team", scope: "north", at: new Date(MONDAY_8), force: true });
    expect(forced.outcomes[0]!.status).toBe("posted");
    expect(slack.sent).toHaveLength(2);
    expect(
      t.ctx.repo.digests
        .recent(10)
        .filter((r) => r.platform === "slack")
        .map((r) => r.forced),
    ).toEqual([true, false]);
  });

  test("a restart in the middle of the week does not post again", async () => {
    const a = setup();
    await a.scheduler.fire(teamSpec);
    a.clock.set("2016-03-09T12:00:00Z");
    // A new process on the same database: new runner, new scheduler, same ledger.
    const slack = recordingPoster("slack");
    const runner = createRunner({ ctx: t.ctx, posters: [slack.poster], sleep: async () => {} });
    const outcomes = await createScheduler(t.ctx, runner, { timers: false }).catchUp();
    expect(outcomes.filter((o) => o.kind === "team")).toEqual([]);
    expect(slack.sent.filter((s) => s.message.view.kind === "team")).toEqual([]);
  });

  test("a run missed while the app was down is posted once after start-up, marked late", async () => {
    const { clock, scheduler, slack } = setup("2016-03-09T12:00:00Z"); // Wednesday: Monday's run never happened
    const first = await scheduler.catchUp();
    const team = first.find((o) => o.kind === "team")!;
    expect(team.outcomes.map((o) => o.status)).toEqual(["posted", "posted"]);
    const posted = slack.sent.find((s) => s.message.view.kind === "team")!.message;
    expect(posted.view).toMatchObject({ late: true });
    expect(posted.text).toContain("(Posted late: the app was not running at the scheduled time.)");
    clock.set("2016-03-09T12:05:00Z");
    expect((await scheduler.catchUp()).filter((o) => o.kind === "team")).toEqual([]);
    expect(slack.sent.filter((s) => s.message.view.kind === "team")).toHaveLength(1);
  });

  test("last week's missed digest is not posted in a new week", async () => {
    const { scheduler, slack } = setup("2016-03-14T07:30:00Z"); // Monday, before this week's 08:00
    await scheduler.catchUp();
    expect(slack.sent.filter((s) => s.message.view.kind === "team")).toEqual([]);
  });
});

describe("failures", () => {
  test("a failed post is retried with back-off, then recorded as failed for admins", async () => {
    const down = () => new PostError("Slack answered 503", true);
    const { runner, sleeps } = setup(MONDAY_8, [down(), down(), down()]);
    const r = await runner.run({ kind: "team", scope: "north", at: new Date(MONDAY_8) });
    expect(r.outcomes[0]).toMatchObject({
      platform: "slack",
      status: "failed",
      detail: "Slack answered 503",
    });
    expect(r.outcomes[1]).toMatchObject({ platform: "teams", status: "posted" });
    expect(sleeps).toEqual(RETRY_DELAYS_MS);
    const row = t.ctx.repo.digests.recent(5).find((x) => x.platform === "slack")!;
    expect(row).toMatchObject({ status: "failed", attempts: 3, error: "Slack answered 503" });
  });

  test("a failed period is tried again by the next catch-up; success on the second attempt is recorded", async () => {
    const { runner, scheduler, slack, sleeps } = setup(MONDAY_8, [new PostError("timeout", true)]);
    const r = await runner.run({ kind: "team", scope: "north", at: new Date(MONDAY_8) });
    expect(r.outcomes[0]).toMatchObject({
      status: "posted",
      detail: "posted to slack-north after 2 attempts",
    });
    expect(sleeps).toEqual([RETRY_DELAYS_MS[0]]);
    expect(slack.sent).toHaveLength(1);
    expect((await scheduler.catchUp()).filter((o) => o.kind === "team")).toEqual([]);
  });

  test("one platform failing leaves the digest due there: catch-up posts it on that platform only", async () => {
    const { scheduler, slack, teams, clock } = setup(MONDAY_8);
    teams.state.down = new PostError("Teams is down", true);
    await scheduler.fire(teamSpec);
    expect(slack.sent).toHaveLength(1);
    teams.state.down = null;
    clock.set("2016-03-08T10:00:00Z");
    const caught = (await scheduler.catchUp()).find((o) => o.kind === "team")!;
    expect(caught.outcomes.map((o) => [o.platform, o.status])).toEqual([
      ["slack", "already"],
      ["teams", "posted"],
    ]);
    expect(slack.sent.filter((x) => x.message.view.kind === "team")).toHaveLength(1);
    expect(teams.sent.filter((x) => x.message.view.kind === "team")).toHaveLength(1);
    expect((await scheduler.catchUp()).filter((o) => o.kind === "team")).toEqual([]);
  });

  test("a nudge that failed to reach someone is sent again to them only", async () => {
    const NUDGE = "2016-03-07T09:00:00Z";
    const { clock } = setup(NUDGE);
    // Slack only, so the failed message reached Jane nowhere.
    const slack = recordingPoster("slack", [new PostError("down", false)]);
    const scheduler = createScheduler(
      t.ctx,
      createRunner({ ctx: t.ctx, posters: [slack.poster], sleep: async () => {} }),
      {
        timers: false,
      },
    );
    await scheduler.fire(nudgeSpec);
    expect(slack.sent.filter((x) => x.message.view.kind === "nudge")).toHaveLength(0);
    clock.set("2016-03-07T11:00:00Z");
    await scheduler.catchUp();
    expect(slack.sent.filter((x) => x.message.view.kind === "nudge").map((x) => x.to)).toEqual([JANE]);
    await scheduler.catchUp();
    expect(slack.sent.filter((x) => x.message.view.kind === "nudge")).toHaveLength(1);
  });

  test("a channel the app is not in is not retried", async () => {
    const { runner, sleeps } = setup(MONDAY_8, [
      new PostError("The app is not in channel C0DEMONORTH: invite it", false),
    ]);
    const r = await runner.run({ kind: "team", scope: "north", at: new Date(MONDAY_8) });
    expect(r.outcomes[0]).toMatchObject({
      status: "failed",
      detail: "The app is not in channel C0DEMONORTH: invite it",
    });
    expect(sleeps).toEqual([]);
  });
});

describe("nudges", () => {
  const NUDGE = "2016-03-07T09:00:00Z";

  test("each person gets their own stuck cases, at most once per case and rule each week", async () => {
    const { runner, slack, clock } = setup(NUDGE);
    const monday = await runner.run({ kind: "nudge", scope: "north", at: new Date(NUDGE) });
    expect(monday.outcomes.filter((o) => o.status === "posted").map((o) => [o.platform, o.to])).toEqual([
      ["slack", "Jane Smith"],
      ["teams", "Jane Smith"],
    ]);
    const dm = slack.sent[0]!;
    expect(dm.to).toBe(JANE);
    expect(dm.message.text).toContain("Jane Smith: 6 of your cases are stuck.");
    expect(dm.message.text).toContain("12345  Melli Majid 13");

    clock.set("2016-03-08T09:00:00Z");
    const tuesday = await runner.run({ kind: "nudge", scope: "north", at: clock.now() });
    expect(tuesday.outcomes).toEqual([
      { platform: "-", to: "North Team", status: "skipped", detail: "nobody has a newly stuck case" },
    ]);

    // A new rule breaking on a case is news; the old ones stay quiet until next week.
    await t.run(SAM, `open 40001 "Tia Brown" 7 cp ${JANE} 2016-02-20`);
    clock.set("2016-03-09T09:00:00Z");
    await runner.run({ kind: "nudge", scope: "north", at: clock.now() });
    const wednesday = slack.sent.at(-1)!.message;
    expect(wednesday.view).toMatchObject({ kind: "nudge", items: [{ caseId: "40001" }] });
  });

  test("no nudges at the weekend or on a public holiday; none to someone on leave", async () => {
    const { runner, slack, clock } = setup("2016-03-05T09:00:00Z");
    expect((await runner.run({ kind: "nudge", scope: "north", at: clock.now() })).outcomes[0]!.detail).toBe(
      "no nudges: weekend",
    );

    t.close();
    const holiday = setup(NUDGE);
    const org = { ...t.ctx.org, holidays: ["2016-03-07"] };
    const runner2 = createRunner({ ctx: { ...t.ctx, org }, posters: [recordingPoster("slack").poster] });
    expect(
      (await runner2.run({ kind: "nudge", scope: "north", at: new Date(NUDGE) })).outcomes[0]!.detail,
    ).toBe("no nudges: public holiday");

    expect((await t.run(JANE, "away 07/03/16 11/03/16")).ok).toBe(true);
    const r = await holiday.runner.run({ kind: "nudge", scope: "north", at: new Date(NUDGE) });
    expect(r.outcomes).toContainEqual({
      platform: "-",
      to: "Jane Smith",
      status: "skipped",
      detail: "Jane Smith is away",
    });
    expect(holiday.slack.sent).toEqual([]);
    expect(slack.sent).toEqual([]);
  });

  test("a snoozed case is left out", async () => {
    const { runner, slack } = setup(NUDGE);
    for (const id of ["12345", "12346", "22345", "22346", "32345"])
      expect((await t.run(JANE, `snooze ${id} 14`)).ok).toBe(true);
    await runner.run({ kind: "nudge", scope: "north", at: new Date(NUDGE) });
    expect(slack.sent[0]!.message.view).toMatchObject({ items: [{ caseId: "32346" }] });
  });

  test("the nudge run of a day happens once across restarts", async () => {
    const { scheduler, slack, clock } = setup(NUDGE);
    await scheduler.fire(nudgeSpec);
    clock.set("2016-03-07T15:00:00Z");
    await scheduler.catchUp();
    expect(slack.sent.filter((s) => s.message.view.kind === "nudge")).toHaveLength(1);
  });
});
