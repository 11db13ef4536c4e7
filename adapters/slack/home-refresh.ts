import type { webApi } from "@slack/bolt";
import type { Actor } from "../../src/domain/access.ts";
import { lineLog, logger } from "../../src/obs/logger.ts";
import type { HomeClaims } from "../../src/store/home-claims.ts";

/** The time and the timers the coalescing runs on: real ones in the app, a hand-moved pair in tests. */
export interface Timers {
  /** milliseconds, monotonic */
  now(): number;
  after(ms: number, run: () => void): void;
}

export const realTimers: Timers = {
  now: () => performance.now(),
  after: (ms, run) => {
    // A pending refresh never keeps the process alive on shutdown.
    setTimeout(run, ms).unref();
  },
};

/** How long after one App Home publish for a person the next may go (Slack's own limit is per view). */
export const HOME_REFRESH_MS = 5000;

/**
 * Coalescing shared by every instance on one database: a publish goes only once this instance has
 * claimed the person's window in the store. `wallNow` is epoch milliseconds: the instances compare
 * it, so not the monotonic `Timers.now`.
 */
export interface SharedRefresh {
  readonly claims: HomeClaims;
  wallNow(): number;
}

type Publish = (userId: string, actor: Actor, client: webApi.WebClient) => Promise<void>;

interface Person {
  /** when the last publish for them started */
  last: number;
  /** the latest state asked for and not yet published: the one that wins */
  pending: { readonly actor: Actor; readonly client: webApi.WebClient } | undefined;
  /** a publish is due (timer set) or under way */
  busy: boolean;
}

/**
 * App Home refreshes after changes, coalesced: at most one publish per person per `windowMs`, the
 * latest asked for wins, and the caller never waits for it (it is not on the ack path, and ten logs
 * in a minute build and send one Home, not ten: building and `views.publish` were 40% of the
 * server's CPU under load). `windowMs` 0 publishes straight away and waits for it (no coalescing).
 * With `shared`, the window holds across instances too: one that finds the person's Home published
 * elsewhere within the window keeps its change and tries again a window on.
 */
export function coalescedRefresh(
  publish: Publish,
  windowMs: number = HOME_REFRESH_MS,
  timers: Timers = realTimers,
  failed: (line: string) => void = lineLog(logger(), "slack", "warn"),
  shared?: SharedRefresh,
): Publish {
  const people = new Map<string, Person>();

  function due(userId: string, p: Person): void {
    p.busy = true;
    timers.after(Math.max(0, p.last + windowMs - timers.now()), () => void fire(userId, p));
  }

  async function fire(userId: string, p: Person): Promise<void> {
    const next = p.pending;
    p.pending = undefined;
    if (!next) {
      p.busy = false;
      return;
    }
    p.last = timers.now();
    try {
      if (shared && !(await claimed(userId, shared))) {
        // Published by another instance within the window: this change still shows, a window on
        // (unless a later one was asked for meanwhile: that one wins, as here).
        p.pending ??= next;
        return;
      }
      await publish(userId, next.actor, next.client);
    } catch (e) {
      // Nobody waits on a refresh (it runs on a timer): a failure is a line, never an unhandled
      // rejection that would take the whole server down. The Home keeps what it showed.
      failed(`slack: an App Home refresh for ${userId} failed (${e instanceof Error ? e.name : "error"})`);
    } finally {
      // Asked again meanwhile: one more, a window after this one started.
      if (p.pending) due(userId, p);
      else p.busy = false;
    }
  }

  async function claimed(userId: string, { claims, wallNow }: SharedRefresh): Promise<boolean> {
    try {
      return await claims.claim(userId, wallNow(), windowMs);
    } catch (e) {
      // The database did not answer: a Home published twice is better than one left stale.
      failed(
        `slack: claiming the App Home refresh for ${userId} failed (${e instanceof Error ? e.name : "error"})`,
      );
      return true;
    }
  }

  return async (userId, actor, client) => {
    if (windowMs === 0) return publish(userId, actor, client);
    const now = timers.now();
    // Forget people whose window has long passed, so the map stays the size of who is active.
    if (people.size > 1000)
      for (const [id, q] of people) if (!q.busy && now - q.last > windowMs) people.delete(id);
    let p = people.get(userId);
    if (!p) {
      p = { last: Number.NEGATIVE_INFINITY, pending: undefined, busy: false };
      people.set(userId, p);
    }
    p.pending = { actor, client };
    if (!p.busy) due(userId, p);
  };
}
