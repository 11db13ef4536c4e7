import { afterAll, beforeAll, expect, test } from "vitest";
import type { Timers } from "../../adapters/slack/home-refresh.ts";
import { homeView } from "../../adapters/slack/home-view.ts";
import { JANE, SAM } from "../helpers/ctx.ts";
import { type SlackHarness, startSlack, U } from "./harness.ts";

/**
 * The App Home after changes, coalesced on timers moved by hand: at most one publish per person per
 * five seconds, the latest state wins, and never while the request is being answered.
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
let h: SlackHarness;
beforeAll(async () => {
  h = await startSlack({ options: { homeRefresh: { windowMs: 5000, timers } } });
});
afterAll(() => h.close());

const janes = () => h.rec.of("views.publish").filter((c) => c.body.user_id === U.jane);
/** the next publish for Jane after `n` of them */
const nextPublish = (n: number) =>
  h.rec.waitFor((c) => c.method === "views.publish" && c.body.user_id === U.jane && janes().indexOf(c) === n);
const homeNow = async () => homeView(h.t.ctx, { actor: h.t.as(JANE) });

test("three changes in a row: nothing published while answering, then one Home with the latest state", async () => {
  const first = await h.command(U.jane, "mapped-internal 32346");
  expect(first.reply?.body.text).toContain("Recorded");
  const afterOne = JSON.stringify(await homeNow());
  await h.command(U.jane, "three-houses 32346");
  await h.command(U.jane, "danger-statement 32346");
  // Every reply went out, and no Home with it.
  expect(janes()).toHaveLength(0);
  expect(timers.waiting()).toBe(1);

  timers.advance(0);
  const published = await nextPublish(0);
  expect(published.body.view).toEqual(await homeNow());
  expect(JSON.stringify(published.body.view)).not.toEqual(afterOne);
  expect(timers.waiting()).toBe(0);
});

test("a change within five seconds of the last publish waits for the window; one publish, not one per change", async () => {
  await h.command(U.jane, "undo");
  await h.command(U.jane, "danger-statement 32346 29/02/16");
  expect(janes()).toHaveLength(1);
  timers.advance(4999);
  expect(janes()).toHaveLength(1);
  timers.advance(1);
  const published = await nextPublish(1);
  expect(published.body.view).toEqual(await homeNow());
  expect(janes()).toHaveLength(2);
  expect(timers.waiting()).toBe(0);
});

test("each person has their own window: Sam's change is published at once beside Jane's wait", async () => {
  await h.command(U.jane, "mapped-with-family 32346");
  const logged = await h.command(U.sam, "three-houses 22345");
  expect(logged.reply?.body.text).toContain("Recorded");
  timers.advance(0);
  const sams = await h.rec.waitFor((c) => c.method === "views.publish" && c.body.user_id === U.sam);
  expect(sams.body.view).toEqual(await homeView(h.t.ctx, { actor: h.t.as(SAM) }));
  expect(janes()).toHaveLength(2);
  timers.advance(5000);
  await nextPublish(2);
  expect(janes()).toHaveLength(3);
});
