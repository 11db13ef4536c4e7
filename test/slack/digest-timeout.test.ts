import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, expect, test } from "vitest";
import { slackDigestPoster } from "../../adapters/slack/digest.ts";
import { createPoster } from "../../adapters/slack/post.ts";
import { createRunner } from "../../src/digest/runner.ts";
import { JANE, makeTestCtx, type TestCtx } from "../helpers/ctx.ts";
import { type Recorder, startSlackRecorder } from "./recorder.ts";

/**
 * Slack takes a message and answers after the client has stopped waiting. The Web client's own
 * retries used to send it again on their own (a copy Slack had already taken, 3 of 3 held answers
 * in the probe); now the client never re-sends, and the ledger sends it once more, saying so.
 */

let t: TestCtx;
let rec: Recorder;
beforeAll(async () => {
  t = makeTestCtx();
  // Practice in the week, so the digest is a full one of several messages.
  expect((await t.run(JANE, "mapped-with-family 12345 2016-02-29")).ok).toBe(true);
  rec = await startSlackRecorder();
});
afterAll(async () => {
  await rec.close();
  t.close();
});

const quiet = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => "error" as never,
  setName() {},
};

test("an answer after the client's timeout: no automatic re-send; sent once more, marked; every other message once", async () => {
  // The client as the app builds it (adapters/slack/app.ts): with retries for calls people wait on.
  const client = new webApi.WebClient("xoxb-test", {
    slackApiUrl: rec.apiUrl,
    retryConfig: { retries: 2, factor: 2, minTimeout: 10, maxTimeout: 20 },
    timeout: 10_000,
    logger: quiet,
  });
  const release = rec.holdNext("chat.postMessage");
  const slack = slackDigestPoster(
    t.ctx,
    createPoster(t.ctx, client, () => {}, { timeoutMs: 200 }),
  );
  const runner = createRunner({ ctx: t.ctx, posters: [slack], sleep: async () => {} });
  const r = await runner.run({ kind: "team", scope: "north", at: new Date("2016-02-29T08:00:00Z") });
  release();
  expect(r.outcomes[0]).toMatchObject({ platform: "slack", status: "posted" });

  const posts = rec.of("chat.postMessage").map((c) => JSON.stringify(c.body.blocks));
  const run = t.ctx.repo.digests.runs({
    kind: "team",
    scope: "north",
    period: "2016-W09",
    platform: "slack",
  })[0]!;
  // One message more than the digest has: its first, sent again after no answer came.
  expect(posts).toHaveLength(run.partsTotal! + 1);
  const [held, again, ...rest] = posts;
  expect(held).not.toContain("may repeat");
  expect(again).toContain("This message may repeat one sent at 01/03/16 12:00 that Slack did not confirm.");
  // The same message, with the line at its foot.
  expect(JSON.parse(again!).slice(0, -1)).toEqual(JSON.parse(held!));
  // Every other message exactly once, and none of them says it may repeat.
  expect(new Set(rest).size).toBe(rest.length);
  expect(rest.join()).not.toContain("may repeat");
  expect(rest).not.toContain(held);
  // The ledger: the first part's two sends, the first with no answer.
  expect(
    t.ctx.repo.digests
      .parts(run.id)
      .filter((p) => p.part === 0)
      .map((p) => [p.status, p.repeat]),
  ).toEqual([
    ["unknown", false],
    ["sent", true],
  ]);
});
