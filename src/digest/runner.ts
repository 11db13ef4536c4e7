import type { Ctx } from "../app/context.ts";
import { makeEnv } from "../commands/env.ts";
import { OPERATOR } from "../commands/views.ts";
import type { Actor } from "../domain/access.ts";
import { formatDate, isoWeek, localDate, localTime } from "../domain/dates.ts";
import type { DigestRunRow } from "../store/schema.ts";
import { agencySummary } from "./agency-summary.ts";
import { planNudges } from "./nudges.ts";
import { type DigestMessage, type DigestPoster, type Picture, PostError } from "./post.ts";
import { type DigestKind, periodOf } from "./schedule.ts";
import { teamDigest } from "./team-digest.ts";
import { digestText } from "./text.ts";

/** What the runner needs from the outside: posting, waiting between retries, the picture maker. */
export interface RunnerDeps {
  readonly ctx: Ctx;
  readonly posters: readonly DigestPoster[];
  /** between retries; tests pass one that does not wait */
  readonly sleep?: (ms: number) => Promise<void>;
  /** the team's whiteboard picture, full and compact; omitted, digests go without one */
  readonly picture?: (ctx: Ctx, teamId: string) => Promise<{ full: Picture; compact: Picture } | undefined>;
  readonly log?: (line: string) => void;
}

export interface RunRequest {
  readonly kind: DigestKind;
  /** a team id, or "agency" */
  readonly scope: string;
  /** the scheduled instant (or `--at`): decides the period and the "as of" day */
  readonly at: Date;
  /** posted after its time (caught up at start-up) */
  readonly late?: boolean;
  /** post again even though this period's digest already went out */
  readonly force?: boolean;
}

/** What happened on one platform (or to one person, for nudges). */
export interface PostOutcome {
  readonly platform: string;
  readonly to: string;
  readonly status: "posted" | "already" | "failed" | "skipped";
  /** one plain sentence: when it was posted, why it failed, why it was skipped */
  readonly detail: string;
}

export interface RunOutcome {
  readonly kind: DigestKind;
  readonly scope: string;
  readonly period: string;
  readonly outcomes: readonly PostOutcome[];
}

/** Waits between attempts: 2 s, then 8 s. A digest is not urgent; a platform hiccup usually passes. */
export const RETRY_DELAYS_MS = [2_000, 8_000];

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createRunner(deps: RunnerDeps) {
  const { ctx } = deps;
  const tz = ctx.org.agency.timeZone;
  const sleep = deps.sleep ?? realSleep;
  const log = deps.log ?? (() => {});
  const now = () => ctx.clock.now().toISOString();

  /**
   * Claims a (kind, scope, period, platform) slot in the ledger, in one immediate transaction, so two
   * processes or a restart cannot both post it. Returns the earlier run when there is one.
   */
  function claim(
    key: { kind: DigestKind; scope: string; period: string; platform: string },
    req: RunRequest,
    at: Date,
  ) {
    return ctx.store.sqlite
      .transaction((): { runId: number } | { earlier: DigestRunRow } => {
        const earlier = ctx.repo.digests
          .runs(key)
          .find((r) => r.status === "posted" || r.status === "posting");
        if (earlier && !req.force) return { earlier };
        const runId = ctx.repo.digests.start({
          ...key,
          status: "posting",
          late: req.late ?? false,
          forced: req.force ?? false,
          attempts: 0,
          scheduledFor: at.toISOString(),
          startedAt: now(),
        });
        return { runId };
      })
      .immediate();
  }

  function already(earlier: DigestRunRow, platform: string, to: string): PostOutcome {
    const when = earlier.finishedAt ?? earlier.startedAt;
    const local = `${formatDate(localDate(new Date(when), tz), ctx.org.dates.format)} ${localTime(new Date(when), tz)}`;
    return {
      platform,
      to,
      status: "already",
      detail:
        earlier.status === "posting"
          ? `started ${local} and not known to have finished (the app stopped while posting); not posted again, to be safe. Use --force to post anyway.`
          : `already posted ${local}${earlier.late ? " (late)" : ""}. Use --force to post it again.`,
    };
  }

  /** Posts with retries; the ledger row ends posted or failed, with attempts and the last error. */
  async function post(
    runId: number,
    platform: string,
    to: string,
    send: () => Promise<string | null>,
  ): Promise<PostOutcome> {
    let attempts = 0;
    for (;;) {
      attempts++;
      try {
        const ref = await send();
        if (ref === null) {
          ctx.repo.digests.finish(runId, {
            status: "skipped",
            attempts,
            finishedAt: now(),
            detail: { to, reason: "not reachable" },
          });
          return { platform, to, status: "skipped", detail: `${to} is not reachable on ${platform}` };
        }
        ctx.repo.digests.finish(runId, {
          status: "posted",
          attempts,
          finishedAt: now(),
          detail: { to, ref },
        });
        return {
          platform,
          to,
          status: "posted",
          detail: `posted to ${to}${attempts > 1 ? ` after ${attempts} attempts` : ""}`,
        };
      } catch (e) {
        const retryable = !(e instanceof PostError) || e.retryable;
        const message = e instanceof Error ? e.message : String(e);
        const delay = RETRY_DELAYS_MS[attempts - 1];
        if (retryable && delay !== undefined) {
          log(
            `digest: posting to ${platform} ${to} failed (attempt ${attempts}); retrying in ${delay / 1000} s`,
          );
          await sleep(delay);
          continue;
        }
        ctx.repo.digests.finish(runId, {
          status: "failed",
          attempts,
          finishedAt: now(),
          error: message,
          detail: { to },
        });
        log(`digest: posting to ${platform} ${to} failed after ${attempts} attempt(s)`);
        return { platform, to, status: "failed", detail: message };
      }
    }
  }

  /** The team digest or agency summary, to every platform that has a channel for it. */
  async function runDigest(req: RunRequest): Promise<RunOutcome> {
    const kind = req.kind as "team" | "agency";
    const period = periodOf(kind, req.at, tz);
    const asOf = localDate(req.at, tz);
    // What a channel sees: names by the agency's channel rule.
    const env = makeEnv(ctx, OPERATOR, "digest", "channel");
    let message: Promise<DigestMessage> | undefined;
    // Built once, on the first platform that needs it; the others share it.
    const build = (): Promise<DigestMessage> => {
      message ??= (async () => {
        const view =
          kind === "team"
            ? teamDigest(env, req.scope, { asOf, period, late: req.late ?? false })
            : agencySummary(env, { asOf, period, late: req.late ?? false });
        const pictures = kind === "team" ? await deps.picture?.(ctx, req.scope) : undefined;
        return {
          view,
          text: digestText(view),
          ...(pictures ? { picture: pictures.full, compactPicture: pictures.compact } : {}),
        };
      })();
      return message;
    };
    const outcomes = await Promise.all(
      deps.posters.map(async (poster): Promise<PostOutcome> => {
        const channel = poster.channelFor(
          kind === "team" ? { kind: "team", teamId: req.scope } : { kind: "agency" },
        );
        const where =
          kind === "team" ? (ctx.org.teams.find((t) => t.id === req.scope)?.name ?? req.scope) : "managers";
        if (!channel) {
          return {
            platform: poster.platform,
            to: where,
            status: "skipped",
            detail: `no ${poster.platform} channel for ${where} in the config`,
          };
        }
        const claimed = claim({ kind, scope: req.scope, period, platform: poster.platform }, req, req.at);
        if ("earlier" in claimed) return already(claimed.earlier, poster.platform, channel);
        let m: DigestMessage;
        try {
          m = await build();
        } catch (e) {
          ctx.repo.digests.finish(claimed.runId, {
            status: "failed",
            attempts: 0,
            finishedAt: now(),
            error: String(e),
          });
          throw e;
        }
        return post(claimed.runId, poster.platform, channel, () => poster.toChannel(channel, m));
      }),
    );
    return { kind, scope: req.scope, period, outcomes };
  }

  /**
   * A team's nudges for the day: one message per person with something new, on each platform. The
   * team's run is claimed as a whole (platform "all"), so a restart does not plan it twice, and each
   * person's message on each platform is claimed too.
   */
  async function runNudges(req: RunRequest): Promise<RunOutcome> {
    const day = localDate(req.at, tz);
    const period = periodOf("nudge", req.at, tz);
    const team = ctx.org.teams.find((t) => t.id === req.scope)?.name ?? req.scope;
    const whole = claim({ kind: "nudge", scope: req.scope, period, platform: "all" }, req, req.at);
    if ("earlier" in whole)
      return { kind: "nudge", scope: req.scope, period, outcomes: [already(whole.earlier, "all", team)] };
    const plan = planNudges(ctx, req.scope, day);
    if ("skipped" in plan) {
      ctx.repo.digests.finish(whole.runId, {
        status: "skipped",
        finishedAt: now(),
        detail: { reason: plan.skipped },
      });
      return {
        kind: "nudge",
        scope: req.scope,
        period,
        outcomes: [{ platform: "-", to: team, status: "skipped", detail: `no nudges: ${plan.skipped}` }],
      };
    }
    const outcomes: PostOutcome[] = plan.away.map((name) => ({
      platform: "-",
      to: name,
      status: "skipped",
      detail: `${name} is away`,
    }));
    for (const n of plan.nudges) {
      const message: DigestMessage = { view: n.view, text: digestText(n.view) };
      for (const poster of deps.posters) {
        const claimed = claim(
          { kind: "nudge", scope: String(n.actor.staffId), period, platform: poster.platform },
          req,
          req.at,
        );
        if ("earlier" in claimed) {
          outcomes.push(already(claimed.earlier, poster.platform, n.actor.name));
          continue;
        }
        const o = await post(claimed.runId, poster.platform, n.actor.name, () =>
          poster.toPerson(n.actor as Actor, message),
        );
        outcomes.push(o);
        // The weekly cap counts what reached the person, on any platform.
        if (o.status === "posted")
          ctx.repo.digests.recordNudges(n.pairs, isoWeek(day), n.actor.staffId, claimed.runId);
      }
    }
    const sent = outcomes.filter((o) => o.status === "posted").length;
    const failed = outcomes.filter((o) => o.status === "failed").length;
    // Some messages failed: the day's run stays due, and a sweep retries only those people (each
    // person's message is claimed on its own, so the others are not sent twice).
    ctx.repo.digests.finish(whole.runId, {
      status: failed > 0 ? "failed" : "posted",
      finishedAt: now(),
      ...(failed > 0 ? { error: `${failed} message${failed === 1 ? "" : "s"} failed` } : {}),
      detail: { people: plan.nudges.length, sent, failed },
    });
    if (plan.nudges.length === 0)
      outcomes.push({ platform: "-", to: team, status: "skipped", detail: "nobody has a newly stuck case" });
    return { kind: "nudge", scope: req.scope, period, outcomes };
  }

  return {
    async run(req: RunRequest): Promise<RunOutcome> {
      // Runs due in the same minute each build synchronously: let the others' timers in first.
      await new Promise<void>((r) => setImmediate(r));
      return req.kind === "nudge" ? runNudges(req) : runDigest(req);
    },
    /**
     * Whether this period's run has gone out (or is going out) on every platform that has somewhere
     * to post it: what catch-up skips. A failure on one platform leaves the run due for that one.
     */
    ranFor(kind: DigestKind, scope: string, at: Date): boolean {
      const period = periodOf(kind, at, tz);
      const done = (platform: string) =>
        ctx.repo.digests.runs({ kind, scope, period, platform }).some((r) => r.status !== "failed");
      if (kind === "nudge") return done("all");
      const target = kind === "team" ? { kind: "team" as const, teamId: scope } : { kind: "agency" as const };
      return deps.posters.every((p) => p.channelFor(target) === undefined || done(p.platform));
    },
  };
}

export type Runner = ReturnType<typeof createRunner>;
