import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { FORM, type SlackHarness, startSlack, U } from "./harness.ts";

/**
 * What the HTTP server answers when a request is not one it can serve: plain JSON with a status,
 * never express's HTML page (which shows the error's stack and the install's paths unless
 * NODE_ENV=production), never a 500 for a signed request of the wrong shape, and one log line each.
 */

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlack();
});
afterAll(() => h.close());

/** Lines about refusals and failures (not the background "connected" line). */
const logged = () => h.logs.filter((l) => !l.startsWith("connected:"));
let before = 0;
beforeEach(() => {
  before = logged().length;
});
const newLines = () => logged().slice(before);

const payload = (p: unknown) => `payload=${encodeURIComponent(JSON.stringify(p))}`;

describe("a signed request Slack would never send is a 400 with one log line, and Bolt never sees it", () => {
  test.each([
    ["a null JSON body", "null", "application/json", "the body is not a Slack event"],
    [
      "an event callback with no event",
      '{"type":"event_callback"}',
      "application/json",
      "the body is not a Slack event",
    ],
    ["a payload of null", "payload=null", FORM, "the payload is not an interaction from a Slack user"],
    [
      "a button press with no user",
      payload({ type: "block_actions", actions: [{ action_id: "undo", value: "1" }] }),
      FORM,
      "the payload is not an interaction from a Slack user",
    ],
    [
      "a form submission with no user",
      payload({ type: "view_submission", view: { callback_id: "log" } }),
      FORM,
      "the payload is not an interaction from a Slack user",
    ],
    [
      "a payload that is not JSON",
      "payload=%7Bbad",
      FORM,
      "the payload is not an interaction from a Slack user",
    ],
    ["an empty form", "", FORM, "the form is not a slash command from a Slack user"],
    [
      "a slash command with no user",
      "command=%2Fsos&text=help",
      FORM,
      "the form is not a slash command from a Slack user",
    ],
    ["plain text", "hello", "text/plain", "the body is neither a form nor JSON, which is all Slack sends"],
  ])("%s", async (_name, body, type, error) => {
    const r = await h.post(body, type);
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error });
    expect(newLines()).toEqual([`refused a request (HTTP 400): ${error}`]);
  });

  test("a real command still goes through", async () => {
    const done = await h.command(U.jane, "whoami");
    expect(done.status).toBe(200);
    expect(done.reply?.body.text).toContain("You are Jane Smith");
    expect(newLines()).toEqual([]);
  });
});

describe("signatures", () => {
  test.each([
    ["no signature", { signature: "" }, "no Slack signature"],
    ["a wrong signature", { signature: "v0=00" }, "the Slack signature does not match"],
    [
      "a replayed request (10 minutes old)",
      { ts: Math.floor(Date.parse("2016-03-01T11:50:00Z") / 1000) },
      "the Slack signature's timestamp is more than 5 minutes from now",
    ],
  ])("%s: 401, one log line", async (_name, opts, error) => {
    const r = await h.post("command=%2Fsos&user_id=U0DEMOJANE&text=help", FORM, opts);
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ error });
    expect(newLines()).toEqual([`refused a request (HTTP 401): ${error}`]);
  });
});

describe("errors never show a stack or a path, whatever NODE_ENV says", () => {
  test("a body over 1 MB: 413 as JSON", async () => {
    const r = await h.post(`command=%2Fsos&text=${"x".repeat(1_100_000)}`, FORM);
    expect(r.status).toBe(413);
    expect(r.json).toEqual({ error: "the request body is too large (1 MB at most)" });
    expect(r.text).not.toMatch(/node_modules|<pre>|\bat \S+ \(/);
    expect(newLines()).toEqual(["http: POST /slack/events refused (HTTP 413, entity.too.large)"]);
  });

  test.each(["/nope", "/%E0%A4%A", "/slack/events/../../etc/passwd"])(
    "an unknown path %s: 404 as JSON",
    async (path) => {
      const res = await fetch(`${h.base}${path}`);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({
        error: "nothing here: this server answers GET /healthz and its chat routes",
      });
    },
  );

  test("a failure inside a route: 500 as JSON, one line naming its kind, not its message", async () => {
    h.t.ctx.store.sqlite.close(); // /healthz's query now throws
    const res = await fetch(`${h.base}/healthz`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "something went wrong on our side" });
    expect(newLines()).toEqual(["http: GET /healthz refused (HTTP 500, TypeError)"]);
  });
});
