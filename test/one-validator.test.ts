import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startConsoleChat } from "../adapters/console/chat.ts";
import { NUDGE_SNOOZE_ACTION, snoozeValue } from "../adapters/slack/render/blockkit-digest.ts";
import { VERB } from "../adapters/teams/render/adaptive-card-kit.ts";
import type { Command } from "../src/commands/registry.ts";
import { cardText } from "./helpers/cards.ts";
import { JANE, makeTestCtx } from "./helpers/ctx.ts";
import { describeEachStore, makeStoreCtx } from "./helpers/stores.ts";
import { buttonPress, type SlackHarness, startSlack, textOf, U } from "./slack/harness.ts";
import {
  cardOf,
  execute,
  invokeCard,
  personalMessage,
  startTeamsApp,
  type TeamsApp,
} from "./teams/harness.ts";

/**
 * The same bad commands, by every route a command can come: typed in chat, typed at the console,
 * a Slack slash command, a Slack button, a Teams message, a Teams card, the CLI. Each gets the same
 * refusal, and nothing is written. A snooze of 100,000 days from a card was once accepted ("they
 * start again on 15/12/89") because buttons and text were checked by different code.
 */
const SNOOZE_REFUSAL =
  'That snooze command is not complete: snooze for 1 to 90 days, not "100000". Type it as `/sos snooze <case-id> [days]`.';
const CASES: { what: string; text: string; command: Command; refusal: string }[] = [
  {
    what: "a snooze of 100,000 days",
    text: "snooze 12345 100000",
    command: { kind: "snooze", caseId: "12345", days: 100000 },
    refusal: SNOOZE_REFUSAL,
  },
  {
    what: "a rating of 11",
    text: "safety-scale 12345 11",
    command: { kind: "log", element: "safety-scale", caseId: "12345", date: null, value: 11, note: null },
    refusal:
      "Safety Scale must be a whole number from 0 to 10, and you typed 11. Try `/sos safety-scale 12345 6`.",
  },
  {
    what: "a network of -1",
    text: "network 12345 -1",
    command: { kind: "log", element: "network", caseId: "12345", date: null, value: -1, note: null },
    refusal:
      "Network can't be negative (you typed -1). Type a whole number from 0 to 999, for example `/sos network 12345 7`.",
  },
];

/** A sentence as a platform shows it, markup aside: Slack escapes `<`, Teams turns code into bold. */
const plain = (s: string) =>
  s
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&")
    .replace(/[`*]/g, "")
    .replace(/\/sos\b/g, "sos");

const writes = (t: { ctx: { store: { sqlite: { prepare(s: string): { get(): unknown } } } } }) =>
  t.ctx.store.sqlite
    .prepare(
      "SELECT (SELECT count(*) FROM practice_events) || '/' || (SELECT count(*) FROM snoozes) || '/' || (SELECT count(*) FROM audit) AS n",
    )
    .get();

describeEachStore("one validator, in the command layer", (kind) => {
  test.each(CASES)("$what, typed or built", async ({ text, command, refusal }) => {
    const t = await makeStoreCtx(kind);
    const counts = async () =>
      t.rows(
        "SELECT (SELECT count(*) FROM practice_events) || '/' || (SELECT count(*) FROM snoozes) || '/' || (SELECT count(*) FROM audit) AS n",
      );
    try {
      const before = await counts();
      expect((await t.run(JANE, text)).text).toBe(refusal);
      expect((await t.run(JANE, "", { command })).text).toBe(refusal);
      expect(await counts()).toEqual(before);
    } finally {
      await t.close();
    }
  });
});

describe("one validator for every route", () => {
  test.each(CASES)("$what at the console", async ({ text, refusal }) => {
    const t = makeTestCtx();
    try {
      const input = new PassThrough();
      const output = new PassThrough();
      let shown = "";
      output.on("data", (d: Buffer) => {
        shown += d.toString("utf8");
      });
      const done = startConsoleChat(t.ctx, t.as(JANE), { input, output });
      const before = writes(t);
      input.end(`/sos ${text}\n`);
      await done;
      expect(shown).toContain(refusal);
      expect(writes(t)).toEqual(before);
    } finally {
      t.close();
    }
  });

  describe("Slack", () => {
    let h: SlackHarness;
    beforeAll(async () => {
      h = await startSlack();
    });
    afterAll(() => h.close());

    test.each(CASES)("$what as a slash command", async ({ text, refusal }) => {
      const before = writes(h.t);
      const r = await h.command(U.jane, text);
      expect(plain(String(r.reply?.body.text))).toBe(plain(refusal));
      expect(writes(h.t)).toEqual(before);
    });

    test("a nudge's Snooze button carrying 100,000 days is refused, as typed", async () => {
      const before = writes(h.t);
      const url = h.rec.responseUrl("snooze-huge");
      const sent = await h.interact(
        buttonPress(U.jane, url, { action_id: NUDGE_SNOOZE_ACTION, value: snoozeValue("12345", 100000) }),
      );
      await sent.done;
      expect(plain(textOf(h.replyTo("snooze-huge")?.body))).toContain(plain(SNOOZE_REFUSAL));
      expect(writes(h.t)).toEqual(before);
    });
  });

  describe("Teams", () => {
    let app: TeamsApp;
    beforeAll(async () => {
      app = await startTeamsApp();
    });
    afterAll(() => app.close());

    test.each(CASES)("$what as a message", async ({ text, refusal }) => {
      const before = writes(app.t);
      const r = await app.post(personalMessage(app.rec, `sos ${text}`));
      expect(r.status).toBeLessThan(300);
      const sent = r.calls.find((c) => c.method === "POST");
      expect(plain(cardText(cardOf(sent)))).toContain(plain(refusal));
      expect(writes(app.t)).toEqual(before);
    });

    test("a nudge card's Snooze carrying 100,000 days is refused, as typed", async () => {
      const before = writes(app.t);
      const r = await app.post(
        execute(app.rec, VERB.snooze, { caseId: "12345", days: 100000, nonce: "n-huge", cases: "12345" }),
      );
      expect(plain(cardText(invokeCard(r.body)))).toContain(plain(SNOOZE_REFUSAL));
      expect(writes(app.t)).toEqual(before);
    });
  });

  describe("the CLI (sos chat, a child process)", () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "sos-one-validator-"));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test("each bad line gets its refusal, and the database is unchanged", () => {
      const SOS = resolve(import.meta.dirname, "../bin/sos.js");
      const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", SOS_DB: join(dir, "sos.db") };
      const run = (args: string[], input = "") =>
        spawnSync(process.execPath, [SOS, ...args], { cwd: dir, env, input, encoding: "utf8" });
      expect(run(["demo"]).status).toBe(0);
      const r = run(["chat", "--as", JANE], `${CASES.map((c) => c.text).join("\n")}\ncase 12345\n`);
      expect(r.status).toBe(0);
      const replies = r.stdout.trim().split("\n\n");
      expect(replies.slice(0, CASES.length)).toEqual(CASES.map((c) => c.refusal));
      expect(replies.at(-1)).not.toContain("via cli");
    });
  });
});
