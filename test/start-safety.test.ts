import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SAM } from "./helpers/ctx.ts";
import { personalMessage } from "./teams/harness.ts";
import { startTeamsRecorder } from "./teams/recorder.ts";

/**
 * `sos start` as a real process: where it listens (HOST), and that half a platform set-up refuses
 * to start instead of falling back to local mode, which answers anyone.
 */

const SOS = resolve(import.meta.dirname, "../bin/sos.js");
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sos-start-safety-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const baseEnv = (db: string, extra: Record<string, string>) => ({
  PATH: process.env.PATH ?? "",
  HOME: process.env.HOME ?? "",
  SOS_DB: db,
  SOS_TODAY: "2016-03-01",
  PORT: "0",
  ...extra,
});

describe("half a platform set-up refuses to start, naming the missing variable", () => {
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
      { TEAMS_CLIENT_SECRET: "x" },
      "TEAMS_CLIENT_SECRET is set without TEAMS_APP_ID: set the bot's Microsoft Entra application (client) id too, or unset TEAMS_CLIENT_SECRET to run in local mode.",
    ],
    [
      { TEAMS_APP_ID: "11111111-2222-3333-4444-555555555555" },
      "TEAMS_APP_ID is set without TEAMS_CLIENT_SECRET: the bot could check Microsoft's tokens but never reply. Set the app's client secret too, or unset TEAMS_APP_ID to run in local mode.",
    ],
  ])("%j", (extra, sentence) => {
    const db = join(dir, `refused-${Object.keys(extra).join("-")}.db`);
    const r = spawnSync(process.execPath, [SOS, "start"], {
      cwd: dir,
      input: "",
      encoding: "utf8",
      env: baseEnv(db, extra),
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`sos: ${sentence}\n`);
    expect(r.stdout).toBe("");
    expect(existsSync(db)).toBe(false);
  });
});

test("HOST=0.0.0.0 without credentials: Teams is not served, the banner says why, an anonymous activity changes nothing", async () => {
  // A connector that would vouch for anyone: it answers every member lookup with Sam Okafor's email.
  const fake = await startTeamsRecorder();
  fake.members.set("29:stranger", { id: "29:stranger", name: "Sam Okafor", email: SAM });
  const db = join(dir, "public.db");
  const child = spawn(process.execPath, [SOS, "start"], {
    cwd: dir,
    env: baseEnv(db, { HOST: "0.0.0.0" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((res) => child.once("exit", (code) => res(code)));
  try {
    const port = await new Promise<number>((res, rej) => {
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /Server: +http:\/\/0\.0\.0\.0:(\d+)/.exec(out);
        if (m && out.includes("Console:")) res(Number(m[1]));
      });
      void exited.then((code) => rej(new Error(`exited ${code}: ${out}\n${err}`)));
    });
    expect(out).toContain(
      "Warning:   Teams is not served: HOST=0.0.0.0 is not a loopback address, and without Teams credentials anyone who reaches it could act as any staff member. Use HOST=127.0.0.1 for the Agents Playground, or set TEAMS_APP_ID and TEAMS_CLIENT_SECRET.\n",
    );
    expect(out).not.toContain("/api/messages");
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    // No chat platform is served; the HTTP API is (it refuses anyone without a client's token).
    expect(await health.json()).toMatchObject({ ok: true, surfaces: ["api"] });

    const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(
        personalMessage(fake, "sos close 12345 safe-at-home", {
          from: { id: "29:stranger", name: "Sam Okafor", aadObjectId: "aad-stranger" },
        }),
      ),
    });
    expect(res.status).toBe(404);
    // The API is mounted, so the 404 names its routes as well as the chat ones.
    expect(await res.json()).toEqual({
      error:
        "nothing here: this server answers GET /healthz, its chat routes and GET /api/v1/openapi.json, POST /api/v1/practice, POST /api/v1/cases, PATCH /api/v1/cases/:id, POST /api/v1/cases/:id/close, GET /api/v1/dashboards/:slug, GET /api/v1/stuck, GET /api/v1/coverage, GET /api/v1/cases/:id",
    });
    expect(fake.calls).toEqual([]);
  } finally {
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    await fake.close();
  }
  const check = new Database(db, { readonly: true });
  try {
    expect(check.prepare("SELECT status FROM cases WHERE id = '12345'").get()).toEqual({ status: "open" });
    expect(check.prepare("SELECT count(*) AS n FROM practice_events WHERE surface = 'teams'").get()).toEqual({
      n: 0,
    });
  } finally {
    check.close();
  }
});

test("what the config leaves nobody to do is said at start, and it still starts", async () => {
  const config = join(dir, "thin.config.yaml");
  writeFileSync(
    config,
    `agency: { name: Thin Agency, timeZone: Europe/London }
teams: [{ name: North Team }, { name: South Team }]
staff:
  - { email: sue@thin.example, name: Sue, role: supervisor, team: North Team }
  - { email: wes@thin.example, name: Wes, role: worker, team: South Team }
`,
  );
  const child = spawn(process.execPath, [SOS, "start"], {
    cwd: dir,
    env: baseEnv(join(dir, "thin.db"), { SOS_CONFIG: config }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<number | null>((res) => child.once("exit", (code) => res(code)));
  await new Promise<void>((res, rej) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("Console:")) res();
    });
    void exited.then((code) => rej(new Error(`exited ${code}: ${out}`)));
  });
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(out.split("\n").filter((l) => l.startsWith("Warning:"))).toEqual([
    "Warning:   a team has no supervisor (South Team): only an admin can open, allocate or close their cases, and nobody reads their team digest as its supervisor.",
    "Warning:   nobody in staff has the role admin: people the bot does not know are told to ask an admin, and only an admin can manage cases of teams with no supervisor.",
  ]);
});
