import { generateKeyPairSync, sign } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { surfacesFromEnv } from "../../src/app/surfaces.ts";
import { makeTestCtx } from "../helpers/ctx.ts";
import { personalMessage, startTeamsApp, type TeamsApp } from "./harness.ts";
import { type Recorder, startTeamsRecorder } from "./recorder.ts";

let rec: Recorder;
let app: TeamsApp;
beforeAll(async () => {
  rec = await startTeamsRecorder();
});
afterAll(() => rec.close());
afterEach(() => app?.close());

const APP_ID = "11111111-2222-3333-4444-555555555555";

async function raw(body: string, contentType: string) {
  const res = await fetch(`${app.base}/api/messages`, {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  });
  return { status: res.status, text: await res.text() };
}

describe("/api/messages refuses what is not an activity, plainly", () => {
  test.each([
    ["text that is not JSON", "hello", "text/plain", "expected a Bot Framework activity as JSON"],
    ["broken JSON", "{not json", "application/json", "the body is not a JSON object"],
    [
      "JSON that is no activity",
      '{"hello":1}',
      "application/json",
      "expected a Bot Framework activity as JSON",
    ],
  ])("%s: 400 with a one-line reason, no stack trace", async (_name, body, type, reason) => {
    app = await startTeamsApp({ rec });
    const r = await raw(body, type);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toEqual({ error: expect.stringContaining(reason) });
    expect(r.text).not.toMatch(/at \S+ \(/);
  });

  test("an activity without a conversation is refused by the SDK, nothing sent", async () => {
    app = await startTeamsApp({ rec });
    const before = rec.calls.length;
    const r = await app.post({ type: "message", text: "sos help", serviceUrl: rec.url });
    expect(r.status).toBe(400);
    expect(rec.calls.length).toBe(before);
  });

  test("the server still answers /healthz, naming the Teams surface", async () => {
    app = await startTeamsApp({ rec });
    const res = await fetch(`${app.base}/healthz`);
    expect(await res.json()).toMatchObject({ ok: true, surfaces: ["teams"] });
  });
});

describe("with an app id configured, every request needs a valid Microsoft token", () => {
  const token = (() => {
    // A well-formed RS256 token from a key Microsoft never issued, for another app: refused offline.
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const head = b64({ alg: "RS256", typ: "JWT", kid: "test" });
    const body = b64({
      aud: "someone-else",
      iss: "https://api.botframework.com",
      iat: now,
      nbf: now,
      exp: now + 600,
    });
    return `${head}.${body}.${sign("RSA-SHA256", Buffer.from(`${head}.${body}`), privateKey).toString("base64url")}`;
  })();

  test.each([
    ["no Authorization header", undefined],
    ["not a token", "Bearer not-a-jwt"],
    ["not a bearer token", "Basic eHl6"],
    ["a token for another app", `Bearer ${token}`],
  ])("%s: 401, and the bot never runs", async (_name, authorization) => {
    app = await startTeamsApp({ rec, settings: { appId: APP_ID, clientSecret: "s3cret" } });
    const before = rec.calls.length;
    const r = await app.post(
      personalMessage(rec, "sos mapped-with-family 12345"),
      authorization ? { authorization } : {},
    );
    expect(r.status).toBe(401);
    expect(rec.calls.length).toBe(before);
    expect((await app.t.run("jane.smith@demo-agency.example", "case 12345")).text).not.toContain("via teams");
  });
});

describe("which Teams set-up the environment asks for", () => {
  const ctx = makeTestCtx();
  afterAll(() => ctx.close());

  test("nothing set: local mode, Teams served anonymously for the Agents Playground, on this machine", async () => {
    const s = await surfacesFromEnv(ctx.ctx, {});
    expect(s.local).toBe(true);
    expect(s.mounts.map((m) => m.name)).toEqual(["teams"]);
    expect(s.mounts[0]!.describe).toContain(
      "npx agentsplayground -e http://127.0.0.1:3978/api/messages -c msteams",
    );
    expect(s.teams).toBeDefined();
    expect(s.warnings).toEqual([]);
    expect((await surfacesFromEnv(ctx.ctx, { HOST: "localhost" })).mounts.map((m) => m.name)).toEqual([
      "teams",
    ]);
    expect((await surfacesFromEnv(ctx.ctx, { HOST: "::1" })).mounts[0]!.describe).toContain(
      "http://[::1]:3978/",
    );
  });

  test("nothing set in production: no anonymous Teams route, and the banner says why", async () => {
    const s = await surfacesFromEnv(ctx.ctx, { NODE_ENV: "production" });
    expect(s.mounts).toEqual([]);
    expect(s.teams).toBeUndefined();
    expect(s.warnings).toEqual([
      "Teams is not served: NODE_ENV is production and no Teams credentials are set (TEAMS_APP_ID, TEAMS_CLIENT_SECRET).",
    ]);
  });

  test.each(["0.0.0.0", "::", "192.0.2.2", "sos.example.org"])(
    "nothing set and HOST=%s (not loopback): no anonymous Teams route, and the banner says why",
    async (host) => {
      const s = await surfacesFromEnv(ctx.ctx, { HOST: host });
      expect(s.local).toBe(true);
      expect(s.mounts).toEqual([]);
      expect(s.warnings).toEqual([
        `Teams is not served: HOST=${host} is not a loopback address, and without Teams credentials anyone who reaches it could act as any staff member. Use HOST=127.0.0.1 for the Agents Playground, or set TEAMS_APP_ID and TEAMS_CLIENT_SECRET.`,
      ]);
    },
  );

  test("an app id and secret: tokens are checked, on any HOST", async () => {
    const s = await surfacesFromEnv(ctx.ctx, {
      TEAMS_APP_ID: APP_ID,
      TEAMS_CLIENT_SECRET: "x",
      NODE_ENV: "production",
      HOST: "0.0.0.0",
    });
    expect(s.local).toBe(false);
    expect(s.mounts[0]!.describe).toContain(`bot ${APP_ID}; requests must carry a Microsoft token`);
    expect(s.warnings).toEqual([]);
  });

  test("an app id that is not a GUID is warned about", async () => {
    expect(
      (await surfacesFromEnv(ctx.ctx, { TEAMS_APP_ID: "my-bot", TEAMS_CLIENT_SECRET: "x" })).warnings,
    ).toEqual(["TEAMS_APP_ID should be the bot's Microsoft Entra application (client) id, a GUID."]);
  });

  // Half a set-up never falls back to local mode (which answers anyone): it is refused, by name.
  test.each([
    [
      { TEAMS_CLIENT_SECRET: "x" },
      "TEAMS_CLIENT_SECRET is set without TEAMS_APP_ID: set the bot's Microsoft Entra application (client) id too, or unset TEAMS_CLIENT_SECRET to run in local mode.",
    ],
    [
      { TEAMS_TENANT_ID: "t" },
      "TEAMS_TENANT_ID is set without TEAMS_APP_ID: set the bot's Microsoft Entra application (client) id too, or unset TEAMS_TENANT_ID to run in local mode.",
    ],
    [
      { TEAMS_APP_ID: APP_ID },
      "TEAMS_APP_ID is set without TEAMS_CLIENT_SECRET: the bot could check Microsoft's tokens but never reply. Set the app's client secret too, or unset TEAMS_APP_ID to run in local mode.",
    ],
  ])("%j is refused: %s", async (env, problem) => {
    await expect(surfacesFromEnv(ctx.ctx, env)).rejects.toThrow(problem);
  });
});
