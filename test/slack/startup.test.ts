import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { createSlackSurface } from "../../adapters/slack/app.ts";
import { slackEnv } from "../../adapters/slack/settings.ts";
import { surfacesFromEnv } from "../../src/app/surfaces.ts";
import { createApp, listen } from "../../src/server/http.ts";
import { makeTestCtx, type TestCtx } from "../helpers/ctx.ts";
import { logMessages } from "../helpers/log-lines.ts";
import { FORM, SECRET, sign, U } from "./harness.ts";
import { startSlackRecorder } from "./recorder.ts";

let t: TestCtx | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});

describe("settings from the environment", () => {
  test.each([
    [{}, null, []],
    [{ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" }, "http", []],
    [{ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }, "socket", []],
    [{ SLACK_BOT_TOKEN: "xoxp-1", SLACK_SIGNING_SECRET: "s" }, "http", ["does not start with xoxb-"]],
    [{ SLACK_API_URL: "https://slack-gov.com/api/" }, null, ["SLACK_API_URL is set but no Slack token is"]],
  ] as const)("%j → %s", (env, mode, warnings) => {
    const r = slackEnv(env);
    expect(r.problem).toBeNull();
    expect(r.settings?.mode ?? null).toBe(mode);
    expect(r.warnings.length).toBe(warnings.length);
    warnings.forEach((w, i) => {
      expect(r.warnings[i]).toContain(w);
    });
  });

  // Half a set-up never falls back to local mode (which answers anyone): it is refused, by name.
  test.each([
    [
      { SLACK_BOT_TOKEN: "xoxb-1" },
      "SLACK_BOT_TOKEN is set without SLACK_SIGNING_SECRET (HTTP mode, from the app's Basic Information) or SLACK_APP_TOKEN (Socket Mode, xapp-…): set one of them, or unset SLACK_BOT_TOKEN to run in local mode.",
    ],
    [
      { SLACK_SIGNING_SECRET: "s" },
      "SLACK_SIGNING_SECRET is set without SLACK_BOT_TOKEN: set the Bot User OAuth Token (xoxb-…, from the app's OAuth & Permissions page) too, or unset SLACK_SIGNING_SECRET to run in local mode.",
    ],
    [
      { SLACK_APP_TOKEN: "xapp-1" },
      "SLACK_APP_TOKEN is set without SLACK_BOT_TOKEN: set the Bot User OAuth Token (xoxb-…, from the app's OAuth & Permissions page) too, or unset SLACK_APP_TOKEN to run in local mode.",
    ],
    [
      { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", SLACK_API_URL: "slack-gov" },
      'SLACK_API_URL must be an http(s) URL such as https://slack.com/api/ (got "slack-gov").',
    ],
  ])("%j is refused: %s", async (env, problem) => {
    const r = slackEnv(env);
    expect(r).toMatchObject({ settings: null, configured: true, problem });
    t = makeTestCtx();
    await expect(surfacesFromEnv(t!.ctx, env)).rejects.toThrow(problem);
  });

  test("SLACK_API_URL (GovSlack, tests) gets its trailing slash", () => {
    const r = slackEnv({
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: "s",
      SLACK_API_URL: "https://slack-gov.com/api",
    });
    expect(r.settings?.apiUrl).toBe("https://slack-gov.com/api/");
  });

  test("no Slack variables: local mode (Teams answered without tokens); Slack variables: a Slack mount and a poster", async () => {
    t = makeTestCtx();
    const local = await surfacesFromEnv(t.ctx, {});
    expect(local).toMatchObject({ local: true, warnings: [] });
    expect(local.mounts.map((m) => m.name)).toEqual(["teams"]);
    expect(local.slack).toBeUndefined();
    const s = await surfacesFromEnv(t.ctx, { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" });
    expect(s.mounts.map((m) => m.name)).toEqual(["slack"]);
    expect(s.local).toBe(false);
    expect(s.slack).toBeDefined();
  });
});

async function freePort(): Promise<number> {
  const s = createServer().listen(0, "127.0.0.1");
  await once(s, "listening");
  const port = (s.address() as { port: number }).port;
  s.close();
  await once(s, "close");
  return port;
}

describe("when Slack can't be reached", () => {
  test("start-up does not crash; it logs a clear line, keeps trying, answers commands, and notices Slack is back", async () => {
    t = makeTestCtx();
    const port = await freePort();
    const logs: string[] = [];
    const waiters: { re: RegExp; resolve: () => void }[] = [];
    const log = (l: string) => {
      logs.push(l);
      for (const w of [...waiters]) if (w.re.test(l)) w.resolve();
    };
    const logged = (re: RegExp) =>
      logs.some((l) => re.test(l))
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ re, resolve }));
    const surface = createSlackSurface(
      t.ctx,
      { mode: "http", botToken: "xoxb-test", signingSecret: SECRET, apiUrl: `http://127.0.0.1:${port}/api/` },
      { log, retries: 0, backoff: { firstMs: 10, maxMs: 40 }, signatureClock: t.ctx.clock },
    );
    const running = await listen(createApp(t.ctx, [surface.mount]), 0, [surface.mount]);
    const responses = await startSlackRecorder();
    try {
      await logged(/can't reach Slack at http:\/\/127\.0\.0\.1:\d+\/api\/ \(ECONNREFUSED\); trying again in/);
      expect((await fetch(`http://127.0.0.1:${running.port}/healthz`)).status).toBe(200);

      // A worker's command is still acked and answered: the reply goes to its response_url.
      const ts = Math.floor(t.ctx.clock.now().getTime() / 1000);
      const body = new URLSearchParams({
        team_id: "T1",
        user_id: U.jane,
        command: "/sos",
        text: "mapped-with-family 12345",
        response_url: responses.responseUrl("down"),
        trigger_id: "t-down",
      }).toString();
      const res = await fetch(`http://127.0.0.1:${running.port}/slack/events`, {
        method: "POST",
        headers: {
          "content-type": FORM,
          "x-slack-request-timestamp": String(ts),
          "x-slack-signature": sign(SECRET, ts, body),
        },
        body,
      });
      expect(res.status).toBe(200);
      const reply = await responses.waitFor("response_url:down");
      expect(reply.body.text).toContain("Recorded Mapping with Family");

      // Slack comes back on the same address.
      const slack = await startSlackRecorder(port);
      await logged(/reached Slack again: workspace Demo, bot @sos/);
      await slack.close();
    } finally {
      await running.close();
      await responses.close();
    }
    expect(logs.filter((l) => /can't reach Slack/.test(l)).length).toBeGreaterThanOrEqual(1);
    expect(logs.join("\n")).not.toContain("Melli");
  });

  test("`sos start` with Slack set but unreachable serves, logs one clear line and stops cleanly", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sos-start-"));
    const port = await freePort();
    const child = spawn(process.execPath, ["bin/sos.js", "start"], {
      env: {
        ...process.env,
        PORT: "0",
        SOS_DB: join(dir, "sos.db"),
        SOS_TODAY: "2016-03-01",
        SOS_CONFIG: "",
        SLACK_BOT_TOKEN: "xoxb-test",
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d;
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const check = () => {
          if (/Server: +http:\/\/127\.0\.0\.1:\d+/.test(out) && /can't reach Slack/.test(err)) resolve();
        };
        child.stdout.on("data", check);
        child.stderr.on("data", check);
        child.once("exit", (code) => reject(new Error(`exited ${code}: ${out}\n${err}`)));
      });
      expect(out).toContain("sos-dashboards: slack");
      expect(out).toContain("POST /slack/events");
      const served = Number(/Server: +http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1]);
      expect((await fetch(`http://127.0.0.1:${served}/healthz`)).status).toBe(200);
      expect(logMessages(err)).toContainEqual(
        expect.stringMatching(/^Slack: can't reach Slack at \S+ \(ECONNREFUSED\); trying again in \d+ s\.$/),
      );
      // An operator's probe says the app is up but not ready, and why.
      const ready = await fetch(`http://127.0.0.1:${served}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([
        503,
        {
          ready: false,
          notReady: ["slack"],
          checks: {
            api: "ready",
            database: "ready",
            slack: "Slack has not answered yet (auth.test): see the log",
          },
        },
      ]);
      // SOS_TODAY puts the app on a demo day; Slack signs with the real time, and that is what counts.
      const responses = await startSlackRecorder();
      try {
        const ts = Math.floor(Date.now() / 1000);
        const body = new URLSearchParams({
          team_id: "T1",
          user_id: U.jane,
          command: "/sos",
          text: "whoami",
          response_url: responses.responseUrl("spawned"),
          trigger_id: "t-spawned",
        }).toString();
        const res = await fetch(`http://127.0.0.1:${served}/slack/events`, {
          method: "POST",
          headers: {
            "content-type": FORM,
            "x-slack-request-timestamp": String(ts),
            "x-slack-signature": sign(SECRET, ts, body),
          },
          body,
        });
        expect(res.status).toBe(200);
        expect((await responses.waitFor("response_url:spawned")).body.text).toContain("You are Jane Smith");
      } finally {
        await responses.close();
      }
      expect(err).not.toContain("http request failed");
    } finally {
      child.kill("SIGTERM");
      const [code] = (await once(child, "exit")) as [number | null];
      rmSync(dir, { recursive: true, force: true });
      expect(code).toBe(0);
    }
  });
});
