import { afterAll, beforeAll, expect, test } from "vitest";
import type { SlackPoster } from "../../adapters/slack/post.ts";
import type { TeamsPoster } from "../../adapters/teams/proactive.ts";
import { makeTestCtx, type TestCtx } from "../../test/helpers/ctx.ts";
import { digestPosters } from "./posters.ts";
import { surfacesFromEnv } from "./surfaces.ts";

let t: TestCtx;
beforeAll(() => {
  t = makeTestCtx();
});
afterAll(() => t.close());

const never = () => Promise.reject(new Error("not called here"));
const slack: SlackPoster = {
  post: never,
  postDashboards: never,
  dm: never,
  dmStaff: never,
  dmChannel: never,
  postFile: never,
};
const teams: TeamsPoster = {
  postToChannel: never,
  postToUser: never,
  postInThread: never,
  reaches: async () => false,
};

test("one poster per platform served, each finding its channels in the config", () => {
  const both = digestPosters(t.ctx, { slack, teams });
  expect(both.map((p) => p.platform)).toEqual(["slack", "teams"]);
  expect(both.map((p) => p.channelFor({ kind: "team", teamId: "north" }))).toEqual([
    "C0DEMONORTH",
    "19:demo-north@thread.tacv2",
  ]);
  expect(both.map((p) => p.channelFor({ kind: "agency" }))).toEqual([
    "C0DEMOMGRS",
    "19:demo-managers@thread.tacv2",
  ]);
  expect(both[0]!.channelFor({ kind: "team", teamId: "nowhere" })).toBeUndefined();
  expect(digestPosters(t.ctx, {})).toEqual([]);
});

test("from the environment: local mode serves Teams anonymously, so digests can be tried in the playground", async () => {
  const surfaces = await surfacesFromEnv(t.ctx, {});
  expect(digestPosters(t.ctx, surfaces).map((p) => p.platform)).toEqual(["teams"]);
});
