import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runForSlack } from "../adapters/slack/run.ts";
import { liveContext } from "../src/app/context.ts";
import { BUSY_TEXT } from "../src/commands/offload.ts";
import { type Readers, startReaders } from "../src/server/readers.ts";
import { withReaders } from "../src/server/readers-context.ts";
import { JANE, makeTestCtx, type TestCtx } from "./helpers/ctx.ts";
import { type SlackHarness, startSlack, U } from "./slack/harness.ts";
import { cardOf, personalMessage, sends, startTeamsApp, type TeamsApp } from "./teams/harness.ts";

/**
 * Bounded admission: past the bound, the person is told at once that the server is busy and to try
 * again in a minute, and nothing is done; not silence. The bound is reached here by holding a
 * request's handler where it waits on the platform (its reply held at the recorder).
 */

const entries = (t: TestCtx) =>
  (t.ctx.store.sqlite.prepare("SELECT count(*) AS n FROM practice_events").get() as { n: number }).n;

describe("Slack", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlack({ options: { maxInFlight: 1 } });
  });
  afterAll(() => h.close());

  test("one slash command past the bound is acknowledged and told the server is busy, and nothing is stored", async () => {
    const release = h.rec.hold("response_url:held");
    const first = h.command(U.jane, "whoami", { id: "held" });
    await h.rec.waitFor("response_url:held");
    const before = entries(h.t);
    const turned = await h.command(U.jane, "mapped-with-family 12345", { id: "turned" });
    expect(turned.status).toBe(200);
    expect(turned.reply?.body.text).toBe(BUSY_TEXT);
    expect(entries(h.t)).toBe(before);
    expect(h.logs).toContain("busy: a /sos command was turned away (1 being served)");
    release();
    expect((await first).reply?.body.text).toContain("You are Jane Smith");
    // The place given back, the next is served.
    const after = await h.command(U.jane, "mapped-with-family 12345", { id: "after" });
    expect(after.reply?.body.text).toContain("Recorded Mapping with Family");
    expect(entries(h.t)).toBe(before + 1);
  });
});

describe("Teams", () => {
  let app: TeamsApp;
  beforeAll(async () => {
    app = await startTeamsApp({ maxInFlight: 1 });
  });
  afterAll(() => app.close());

  test("one message past the bound is answered that the server is busy, and nothing is stored", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let held: () => void = () => {};
    const holding = new Promise<void>((r) => {
      held = r;
    });
    let replies = 0;
    app.rec.holdWhen = () => {
      if (++replies !== 1) return null;
      held();
      return gate;
    };
    try {
      const first = app.post(personalMessage(app.rec, "whoami"));
      await holding;
      const before = entries(app.t);
      const turned = await app.post(personalMessage(app.rec, "mapped-with-family 12345"));
      expect(turned.status).toBe(200);
      expect(JSON.stringify(cardOf(sends(turned.calls)[0]))).toContain(BUSY_TEXT);
      expect(entries(app.t)).toBe(before);
      expect(app.logs).toContain("teams: busy: a message was turned away (1 being served)");
      release();
      expect(JSON.stringify(cardOf(sends((await first).calls)[0]))).toContain("You are Jane Smith");
      const after = await app.post(personalMessage(app.rec, "mapped-with-family 12345"));
      expect(JSON.stringify(cardOf(sends(after.calls)[0]))).toContain("Recorded Mapping with Family");
      expect(entries(app.t)).toBe(before + 1);
    } finally {
      app.rec.holdWhen = null;
      release();
    }
  });
});

describe("the reader queue full", () => {
  let t: TestCtx;
  let readers: Readers;
  beforeAll(() => {
    t = makeTestCtx();
    // No people's job may wait: every read is turned away at once, as when the queue is full.
    readers = startReaders({
      dbPath: t.dbPath,
      threads: 1,
      maxWaiting: 0,
      source: () => ({ org: t.ctx.org, now: t.ctx.clock.now() }),
    });
  });
  afterAll(async () => {
    await readers.close();
    t.close();
  });

  test("a read is answered that the server is busy; a write is still carried out on the main thread", async () => {
    const served = withReaders(liveContext(t.ctx).ctx, readers);
    const logs: string[] = [];
    const ask = (text: string) =>
      runForSlack(served, { actor: t.as(JANE), text, surface: "slack", audience: "private" }, (l) =>
        logs.push(l),
      );
    expect(await ask("mine")).toEqual({ ok: false, text: BUSY_TEXT });
    expect(logs).toEqual(["busy: a typed command was turned away (the readers are full)"]);
    expect((await ask("mapped-with-family 12345")).text).toContain("Recorded Mapping with Family");
  });
});
