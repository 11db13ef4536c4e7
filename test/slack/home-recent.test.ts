import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { HOME_VIEWING_MS, type Timers } from "../../adapters/slack/home-refresh.ts";
import { HOME, homeView } from "../../adapters/slack/home-view.ts";
import { type HomeClaim, type HomeClaims, memoryHomeClaims } from "../../src/store/home-claims.ts";
import { JANE, SAM } from "../helpers/ctx.ts";
import { buttonPress, type SlackHarness, startSlack, U } from "./harness.ts";

/**
 * Over HTTP, as `sos start` on SQLite runs it (the refresh window and who is looking kept in memory):
 * a change refreshes the App Home of someone who opened theirs recently, and not of someone who
 * did not, whose Home is published fresh when they open it.
 */

function handTimers(): Timers & { advance(ms: number): void; waiting(): number } {
  let now = 0;
  let due: { at: number; run: () => void }[] = [];
  return {
    now: () => now,
    after: (ms, run) => {
      due.push({ at: now + ms, run });
    },
    advance(ms) {
      now += ms;
      const ready = due.filter((d) => d.at <= now).sort((a, b) => a.at - b.at);
      due = due.filter((d) => d.at > now);
      for (const d of ready) d.run();
    },
    waiting: () => due.length,
  };
}

const timers = handTimers();
let wall = Date.UTC(2016, 2, 1, 12);
/** each claim's answer, by person, as the store gave it */
const answers: [string, HomeClaim][] = [];
const store = memoryHomeClaims();
const claims: HomeClaims = {
  opened: (id, at) => store.opened(id, at),
  async claim(id, ...rest) {
    const said = await store.claim(id, ...rest);
    answers.push([id, said]);
    return said;
  },
};
let h: SlackHarness;
beforeAll(async () => {
  h = await startSlack({
    options: { homeRefresh: { windowMs: 5000, timers, shared: { claims, wallNow: () => wall } } },
  });
});
afterAll(() => h.close());

const publishesFor = (user: string) => h.rec.of("views.publish").filter((c) => c.body.user_id === user);
/**
 * Waits for the store's `n`th answer for `user`: bounded by a generous time, not a count of turns
 * of the event loop (as test/home-claims.test.ts's `until`); nothing is timed.
 */
async function answered(user: string, n: number): Promise<void> {
  await vi.waitFor(() => expect(answers.filter(([id]) => id === user).length).toBeGreaterThanOrEqual(n), {
    timeout: 20_000,
    interval: 2,
  });
}

async function open(user: string): Promise<void> {
  const e = await h.event({
    type: "app_home_opened",
    user,
    channel: `D${user}`,
    tab: "home",
    event_ts: "1.5",
  });
  expect(e.status).toBe(200);
  await e.done;
}

test("Jane opened her Home: her log refreshes it with the entry", async () => {
  await open(U.jane);
  expect(publishesFor(U.jane)).toHaveLength(1);
  const logged = await h.command(U.jane, "mapped-internal 32346");
  expect(logged.reply?.body.text).toContain("Recorded");
  timers.advance(0);
  const published = await h.rec.waitFor(
    (c) => c.method === "views.publish" && c.body.user_id === U.jane && publishesFor(U.jane).length === 2,
  );
  expect(published.body.view).toEqual(await homeView(h.t.ctx, { actor: h.t.as(JANE) }));
  expect(answers).toEqual([[U.jane, "publish"]]);
});

test("Sam never opened his: his log builds and sends no Home, and leaves nothing waiting", async () => {
  const logged = await h.command(U.sam, "three-houses 22345");
  expect(logged.reply?.body.text).toContain("Recorded");
  const before = JSON.stringify(await homeView(h.t.ctx, { actor: h.t.as(SAM) }));
  timers.advance(0);
  await answered(U.sam, 1);
  expect(answers.at(-1)).toEqual([U.sam, "unseen"]);
  // A window on, still nothing: the change was not kept to retry.
  timers.advance(5000);
  expect(timers.waiting()).toBe(0);
  expect(publishesFor(U.sam)).toHaveLength(0);

  // Opening it publishes it fresh, with the log in it.
  await open(U.sam);
  const sams = publishesFor(U.sam);
  expect(sams).toHaveLength(1);
  expect(sams[0]!.body.view).toEqual(await homeView(h.t.ctx, { actor: h.t.as(SAM) }));
  expect(JSON.stringify(sams[0]!.body.view)).toEqual(before);

  // And now that he is looking, his next change refreshes it.
  await h.command(U.sam, "danger-statement 22345");
  timers.advance(5000);
  await h.rec.waitFor(
    (c) => c.method === "views.publish" && c.body.user_id === U.sam && publishesFor(U.sam).length === 2,
  );
  expect(publishesFor(U.sam)[1]!.body.view).toEqual(await homeView(h.t.ctx, { actor: h.t.as(SAM) }));
});

test("a Home opened longer ago than the viewing time is no longer refreshed", async () => {
  const jane = publishesFor(U.jane).length;
  wall += HOME_VIEWING_MS + 1;
  timers.advance(HOME_VIEWING_MS + 1);
  const seen = answers.filter(([id]) => id === U.jane).length;
  await h.command(U.jane, "undo");
  timers.advance(0);
  await answered(U.jane, seen + 1);
  expect(answers.at(-1)).toEqual([U.jane, "unseen"]);
  expect(timers.waiting()).toBe(0);
  expect(publishesFor(U.jane)).toHaveLength(jane);
});

test("a button pressed on the Home says she is looking again: what she logs next refreshes it", async () => {
  const jane = publishesFor(U.jane).length;
  const press = await h.interact(
    buttonPress(U.jane, h.rec.responseUrl("home-log"), { action_id: HOME.log, value: "log" }),
  );
  expect(press.status).toBe(200);
  await press.done;
  // The form opened, and no Home was published for the press itself.
  expect(h.rec.of("views.open").length).toBeGreaterThan(0);
  expect(publishesFor(U.jane)).toHaveLength(jane);
  await h.command(U.jane, "three-houses 32346");
  timers.advance(5000);
  await h.rec.waitFor(
    (c) =>
      c.method === "views.publish" && c.body.user_id === U.jane && publishesFor(U.jane).length === jane + 1,
  );
  expect(publishesFor(U.jane).at(-1)!.body.view).toEqual(await homeView(h.t.ctx, { actor: h.t.as(JANE) }));
});
