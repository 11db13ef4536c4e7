import { networkInterfaces } from "node:os";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { cardText } from "../helpers/cards.ts";
import { SAM } from "../helpers/ctx.ts";
import { cardOf, personalMessage, type Recorder, sends, startTeamsApp, type TeamsApp } from "./harness.ts";
import { type Microsoft, startMicrosoft } from "./microsoft.ts";
import { startTeamsRecorder } from "./recorder.ts";

/**
 * Whom the Teams route believes. Anonymous (local mode), a caller can name any connector and make
 * it answer any email: a fake one answering "sam.okafor" let an anonymous caller act as the
 * supervisor, and replies with children's names went where the caller chose. So anonymous, people
 * are matched by `teamsId` only and only a connector on this machine is answered; with credentials,
 * only the connector the token vouches for.
 */

/** Someone the config does not know by Teams id, whom a connector could claim is Sam Okafor. */
const STRANGER = { id: "29:stranger", name: "Sam Okafor", aadObjectId: "aad-stranger" };

let rec: Recorder;
let ms: Microsoft;
let app: TeamsApp | undefined;
beforeAll(async () => {
  rec = await startTeamsRecorder();
  ms = await startMicrosoft();
});
afterAll(async () => {
  await rec.close();
  await ms.close();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Everything the bot recorded or allocated: compared before and after a refused request. */
function records(t: TeamsApp) {
  const db = t.t.ctx.store.sqlite;
  return {
    events: db.prepare("SELECT count(*) AS n FROM practice_events").get(),
    cases: db.prepare("SELECT count(*) AS n, max(status) AS s FROM cases").get(),
    allocations: db.prepare("SELECT count(*) AS n FROM allocations").get(),
  };
}

describe("anonymous (local mode)", () => {
  test("a person is matched by teamsId only: no member lookup, however the connector would answer", async () => {
    app = await startTeamsApp({ rec });
    rec.members.set(STRANGER.id, { id: STRANGER.id, name: "Sam Okafor", email: SAM });
    const before = records(app);
    const r = await app.post(personalMessage(rec, "sos close 12345 safe-at-home", { from: STRANGER }));
    expect(r.status).toBe(200);
    expect(r.calls.filter((c) => c.method === "GET")).toEqual([]);
    const [reply] = sends(r.calls);
    expect(cardText(cardOf(reply))).toContain("Sorry, I can't find you (Sam Okafor) on the staff list");
    expect(records(app)).toEqual(before);
  });

  // 0.0.0.0 reaches this machine too, and is not loopback by name; so is this machine's own address.
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !a.internal)?.address;
  test.each(["0.0.0.0", ...(external ? [external] : [])])(
    "an activity naming a connector at %s gets nothing sent there, and changes nothing",
    async (address) => {
      const fake = await startTeamsRecorder("0.0.0.0");
      try {
        fake.members.set(STRANGER.id, { id: STRANGER.id, email: SAM });
        app = await startTeamsApp({ rec });
        const before = records(app);
        const serviceUrl = fake.url.replace("127.0.0.1", address);
        const r = await app.post(
          personalMessage(rec, "sos case 12345", {
            serviceUrl,
            from: { id: "user-id-0", name: "Jane Smith" },
          }),
        );
        expect(r.status).toBe(403);
        expect(r.body).toEqual({
          error: "without Teams credentials only a connector on this machine is answered",
        });
        expect(fake.calls).toEqual([]);
        expect(r.calls).toEqual([]); // nor to the usual connector: the SDK never ran
        expect(records(app)).toEqual(before);
        expect(app.logs).toEqual([
          "teams: refused a request (HTTP 403): without Teams credentials only a connector on this machine is answered",
        ]);
      } finally {
        await fake.close();
      }
    },
  );
});

describe("with credentials", () => {
  test("member lookups and replies go to the connector the token vouches for, with the bot's token", async () => {
    app = await startTeamsApp({ rec, microsoft: ms });
    rec.members.set("29:sam-lookup", { id: "29:sam-lookup", name: "Sam Okafor", email: SAM });
    const r = await app.post(
      personalMessage(rec, "sos whoami", { from: { id: "29:sam-lookup", name: "Sam Okafor" } }),
    );
    expect(r.status).toBe(200);
    expect(r.calls.map((c) => [c.method, c.path.replace(/m\d+$/, "m")])).toEqual([
      ["GET", "/v3/conversations/a:personal-jane/members/29:sam-lookup"],
      ["POST", "/v3/conversations/a:personal-jane/activities/m"],
    ]);
    expect(r.calls.every((c) => c.authorization === `Bearer ${ms.outgoingToken}`)).toBe(true);
    expect(cardText(cardOf(sends(r.calls)[0]))).toContain("You are Sam Okafor");
  });

  test.each([
    ["vouches for another connector", "other"],
    ["vouches for no connector", "none"],
  ] as const)("a valid token that %s is refused: nothing fetched, sent or written", async (_name, which) => {
    const fake = await startTeamsRecorder();
    try {
      fake.members.set(STRANGER.id, { id: STRANGER.id, name: "Sam Okafor", email: SAM });
      app = await startTeamsApp({ rec, microsoft: ms });
      const before = records(app);
      const token = ms.token(which === "other" ? rec.url : null);
      const r = await app.post(
        personalMessage(rec, "sos close 12345 safe-at-home", { serviceUrl: fake.url, from: STRANGER }),
        { authorization: `Bearer ${token}` },
      );
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: "the Microsoft token does not vouch for the activity's serviceUrl" });
      expect(fake.calls).toEqual([]);
      expect(r.calls).toEqual([]);
      expect(records(app)).toEqual(before);
      expect(app.logs).toEqual([
        "teams: refused a request (HTTP 401): the Microsoft token does not vouch for the activity's serviceUrl",
      ]);
    } finally {
      await fake.close();
    }
  });

  test("a request without a valid token is one log line", async () => {
    app = await startTeamsApp({ rec, microsoft: ms });
    const r = await app.post(personalMessage(rec, "sos whoami"), { authorization: "Bearer not-a-jwt" });
    expect(r.status).toBe(401);
    expect(app.logs).toEqual(["teams: refused a request (HTTP 401): no valid Microsoft token"]);
  });
});

describe("what is not an activity is a 400 (or 413), one log line, never a 500", () => {
  async function raw(body: string) {
    const res = await fetch(`${app!.base}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    return { status: res.status, json: (await res.json()) as unknown };
  }
  const NOT_AN_ACTIVITY =
    "expected a Bot Framework activity as JSON (Content-Type: application/json) with a type, a sender and a conversation";

  test.each([
    ["null", "null", 400, "the body is not a JSON object"],
    ["a list", "[]", 400, NOT_AN_ACTIVITY],
    [
      "a message from nobody",
      '{"type":"message","conversation":{"id":"a:1"},"text":"sos help"}',
      400,
      NOT_AN_ACTIVITY,
    ],
    [
      "a button press from nobody",
      '{"type":"invoke","name":"adaptiveCard/action","conversation":{"id":"a:1"}}',
      400,
      NOT_AN_ACTIVITY,
    ],
    [
      "more than 1 MB",
      `{"type":"message","text":"${"x".repeat(1_100_000)}"}`,
      413,
      "the body is larger than 1 MB",
    ],
  ])("%s", async (_name, body, status, error) => {
    app = await startTeamsApp({ rec });
    const r = await raw(body);
    expect(r).toEqual({ status, json: { error } });
    expect(app.logs).toEqual([`teams: refused a request (HTTP ${status}): ${error}`]);
  });
});
