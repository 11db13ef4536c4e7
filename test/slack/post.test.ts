import { afterAll, beforeAll, expect, test } from "vitest";
import { header } from "../../adapters/slack/render/blockkit.ts";
import { runCommand } from "../../src/commands/run.ts";
import { dashboardFor, viewEnv } from "../../src/commands/views.ts";
import { limitProblems, type SlackHarness, startSlack, tableRows, textOf } from "./harness.ts";

/** The posting API the digests will use: channels, direct messages, dashboards page by page, files. */

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlack();
});
afterAll(() => h.close());

test("posts blocks to a channel and returns the message's ts", async () => {
  const ts = await h.surface.poster.post("C0DEMONORTH", {
    text: "Hello team",
    blocks: [header("Weekly digest")],
  });
  expect(ts).toMatch(/^\d+\.\d+$/);
  const call = h.rec.of("chat.postMessage").at(-1)!;
  expect(call.body).toMatchObject({ channel: "C0DEMONORTH", text: "Hello team" });
  expect(call.headers.authorization).toBe("Bearer xoxb-test");
  expect(textOf(call.body.blocks)).toContain("Weekly digest");
});

test("a team dashboard for a channel goes one message per page, with the channel's name rule", async () => {
  const { ctx } = h.t;
  const env = viewEnv(ctx, h.t.as("sam.okafor@demo-agency.example"), "slack", "channel");
  const views = await dashboardFor(env, { kind: "team", teamId: "north" }, null);
  const before = h.rec.of("chat.postMessage").length;
  const ts = await h.surface.poster.postDashboards("C0DEMONORTH", views, "North Team: weekly dashboard");
  const sent = h.rec.of("chat.postMessage").slice(before);
  expect(sent).toHaveLength(ts.length);
  expect(sent.length).toBe(views.length);
  const names = sent.flatMap((c) =>
    tableRows(c.body.blocks)
      .slice(1)
      .map((r) => r[2]),
  );
  expect(names).toContain("M.M. 13");
  expect(JSON.stringify(sent.map((c) => c.body))).not.toContain("Melli");
  expect(limitProblems(sent)).toEqual([]);
});

test("direct messages: to a Slack user, and to a staff member by config id or by email", async () => {
  await h.surface.poster.dm("U0DEMOJANE", { text: "Nudge", blocks: [] });
  expect(h.rec.of("conversations.open").at(-1)?.body.users).toBe("U0DEMOJANE");
  expect(h.rec.of("chat.postMessage").at(-1)?.body.channel).toBe("DU0DEMOJANE");

  const reply = await runCommand(h.t.ctx, {
    actor: h.t.as("jane.smith@demo-agency.example"),
    command: { kind: "stuck", team: null },
    surface: "digest",
    audience: "private",
  });
  expect(
    await h.surface.poster.dmStaff(h.t.as("jane.smith@demo-agency.example"), {
      text: reply.text,
      blocks: [],
    }),
  ).toBeTruthy();

  // A staff member without a Slack id in the config is found by email, once; someone not on Slack is skipped.
  const noId = { ...h.t.as("jane.smith@demo-agency.example"), email: "new.worker@demo-agency.example" };
  h.rec.users.set("UNEW", { id: "UNEW", email: "new.worker@demo-agency.example" });
  expect(await h.surface.poster.dmStaff(noId, { text: "Hi", blocks: [] })).toBeTruthy();
  expect(h.rec.of("conversations.open").at(-1)?.body.users).toBe("UNEW");
  const nobody = { ...noId, email: "not.on.slack@demo-agency.example" };
  expect(await h.surface.poster.dmStaff(nobody, { text: "Hi", blocks: [] })).toBeNull();
});

test("a file goes up in the three steps of files.uploadV2, into the channel", async () => {
  await h.surface.poster.postFile("C0DEMONORTH", {
    filename: "north-team.csv",
    content: "case,worker\n12345,Jane Smith\n",
    title: "North Team",
    comment: "This week's dashboard as a spreadsheet",
  });
  const url = h.rec.of("files.getUploadURLExternal").at(-1)!;
  expect(url.body).toMatchObject({ filename: "north-team.csv", length: "29" });
  const upload = h.rec.of("upload:F_north-team.csv").at(-1)!;
  expect(upload.raw.toString()).toContain("12345,Jane Smith");
  const done = h.rec.of("files.completeUploadExternal").at(-1)!;
  expect(done.body).toMatchObject({
    channel_id: "C0DEMONORTH",
    initial_comment: "This week's dashboard as a spreadsheet",
  });
});

test("a refusal from Slack reaches the caller, so a digest run can record it and try again", async () => {
  h.rec.responses["chat.postMessage"] = () => ({ ok: false, error: "channel_not_found" });
  await expect(h.surface.poster.post("CNOPE", { text: "x", blocks: [] })).rejects.toMatchObject({
    data: { error: "channel_not_found" },
  });
  delete h.rec.responses["chat.postMessage"];
});

test("a message that would break Slack's limits is sent as its text instead, and logged", async () => {
  const blocks = Array.from({ length: 60 }, (_, i) => header(`Block ${i}`));
  await h.surface.poster.post("C0DEMONORTH", { text: "Too many blocks", blocks });
  const call = h.rec.of("chat.postMessage").at(-1)!;
  expect((call.body.blocks as unknown[]).length).toBe(1);
  expect(h.logs.some((l) => l.includes("60 blocks > 50"))).toBe(true);
});

test("every message and view sent in this file kept to Slack's limits", async () => {
  expect(h.rec.calls.length).toBeGreaterThan(0);
  expect(limitProblems(h.rec.calls)).toEqual([]);
});
