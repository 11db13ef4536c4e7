import type { webApi } from "@slack/bolt";
import type { Actor } from "../../src/domain/access.ts";
import { lineLog, logger } from "../../src/obs/logger.ts";
import type { HomeClaim, HomeClaims } from "../../src/store/home-claims.ts";

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
 * How long after someone opens their App Home a change of theirs still republishes it. Slack sends
 * `app_home_opened` each time a person enters the Home, and that publishes it fresh, so a refresh
 * after a change only matters while the Home is on their screen: a change made from the Home's own
 * buttons and forms (seconds to minutes after the open), or from another device while it stays
 * open. A quarter of an hour covers a sitting at the Home; past it the Home still says when it was
 * "updated" and the next open redraws it. Rebuilding and publishing the Home after every log of
 * people who never look at it was the biggest cost per request left under load (README
 * "Performance").
 */
export const HOME_VIEWING_MS = 15 * 60_000;

/**
 * Where the refresh window and who is looking are kept, shared by every instance on one database:
 * a publish goes only once this instance has claimed the person's window in the store, and only
 * for a person who opened their Home within `viewingMs`. `wallNow` is epoch milliseconds: the
 * instances compare it, so not the monotonic `Timers.now`.
 */
export interface SharedRefresh {
  readonly claims: HomeClaims;
  wallNow(): number;
  /** default `HOME_VIEWING_MS` */
  readonly viewingMs?: number;
}

type Publish = (userId: string, actor: Actor, client: webApi.WebClient) => Promise<void>;

/** The App Home after changes: `refresh` after a person's change, `opened` when Slack says they opened it. */
export interface Refresher {
  readonly refresh: Publish;
  /**
   * Records that the person is looking at their Home, before its view is built: a change committed
   * after the open is recorded finds them looking and is published; one committed before it is in
   * the view built next. A failure is a line: the open still publishes.
   */
  opened(userId: string): Promise<void>;
}

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
 * With `shared`, only the Homes of people who opened theirs recently are refreshed, and the window
 * holds across instances too: one that finds the person's Home published elsewhere within the window
 * keeps its change and tries again a window on. Without it (tests of the coalescing alone) every
 * change is published.
 */
export function coalescedRefresh(
  publish: Publish,
  windowMs: number = HOME_REFRESH_MS,
  timers: Timers = realTimers,
  failed: (line: string) => void = lineLog(logger(), "slack", "warn"),
  shared?: SharedRefresh,
): Refresher {
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
    const started = timers.now();
    try {
      const said = shared ? await claimed(userId, shared) : "publish";
      if (said === "unseen") {
        // Nobody is looking: nothing built or sent, and no window spent (their next open publishes
        // it fresh, and a change after that open is published at once).
        return;
      }
      p.last = started;
      if (said === "wait") {
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

  async function claimed(userId: string, { claims, wallNow, viewingMs }: SharedRefresh): Promise<HomeClaim> {
    try {
      return await claims.claim(userId, wallNow(), windowMs, viewingMs ?? HOME_VIEWING_MS);
    } catch (e) {
      // The database did not answer: a Home published twice is better than one left stale.
      failed(
        `slack: claiming the App Home refresh for ${userId} failed (${e instanceof Error ? e.name : "error"})`,
      );
      return "publish";
    }
  }

  return {
    async refresh(userId, actor, client) {
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
    },
    async opened(userId) {
      if (!shared) return;
      try {
        await shared.claims.opened(userId, shared.wallNow());
      } catch (e) {
        failed(
          `slack: recording that ${userId} opened the App Home failed (${e instanceof Error ? e.name : "error"})`,
        );
      }
    },
  };
}
