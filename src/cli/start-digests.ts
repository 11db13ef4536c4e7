import type { Ctx } from "../commands/ctx.ts";
import type { Leader } from "../digest/leader.ts";
import type { DigestPoster } from "../digest/post.ts";
import { createRunner, type RunOutcome } from "../digest/runner.ts";
import { createScheduler, type Scheduler } from "../digest/scheduler.ts";
import { digestPictures } from "../digest/whiteboard.ts";
import { formatDate, localDate, localTime } from "../domain/dates.ts";
import type { Logger } from "../obs/logger.ts";
import { isolatedRenderer } from "../pictures/png-renderer.ts";

export interface StartedDigests {
  readonly scheduler: Scheduler | undefined;
  /** the banner's line about the digests */
  readonly line: string;
  stop(): Promise<void>;
}

/**
 * The digests on their schedules, as both `sos start`s run them (SQLite and PostgreSQL): the
 * runner with its pictures drawn in an isolated renderer, the scheduler (only the `leader`'s timers
 * fire: always this process on SQLite, the advisory-lock holder on PostgreSQL) and the catch-up of
 * anything missed, which runs beside serving (a platform down means retries).
 */
export function startDigests(
  ctx: Ctx,
  posters: readonly DigestPoster[],
  opts: { readonly logger: Logger; readonly log: (line: string) => void; readonly leader?: Leader },
): StartedDigests {
  const renderer = isolatedRenderer();
  if (posters.length === 0)
    return {
      scheduler: undefined,
      line: "Digests:   nothing is posted without Slack or Teams; `/sos digest preview` shows what they would say.",
      stop: () => renderer.close(),
    };
  const { log, logger } = opts;
  const caughtUp = (caught: readonly RunOutcome[]) => {
    for (const o of caught)
      for (const p of o.outcomes)
        logger
          .child({ component: "digest" })
          .info(`digest: caught up ${o.kind} ${o.scope} ${o.period} on ${p.platform}: ${p.status}`);
  };
  const scheduler = createScheduler(
    ctx,
    createRunner({ ctx, posters: [...posters], picture: (c, id) => digestPictures(c, id, renderer), log }),
    { log, caughtUp, ...(opts.leader ? { leader: opts.leader } : {}) },
  );
  // Worked out once for the three figures of the line (it was three times, ~250 ms of a start).
  const upcoming = scheduler.upcoming();
  const tz = ctx.org.agency.timeZone;
  const next = (k: string) =>
    upcoming
      .filter((u) => u.spec.kind === k)
      .map((u) => u.next)
      .filter((d): d is Date => d !== null)
      .sort((a, b) => a.getTime() - b.getTime())[0];
  const when = (d: Date | undefined) =>
    d ? `${formatDate(localDate(d, tz), ctx.org.dates.format)} ${localTime(d, tz)}` : "not scheduled";
  const line = `Digests:   to ${posters.map((p) => p.platform).join(" and ")}; next team digest ${when(next("team"))}, agency summary ${when(next("agency"))}, nudges ${when(next("nudge"))}`;
  void scheduler
    .catchUp()
    .then(caughtUp)
    .catch((e: unknown) => log(`digest: catching up failed (${e instanceof Error ? e.name : "error"})`));
  return {
    scheduler,
    line,
    // The runs in flight first (each part being sent answered and recorded), then the renderer
    // their pictures are drawn in.
    stop: async () => {
      await scheduler.stop();
      await renderer.close();
    },
  };
}
