import type { Ctx } from "../commands/ctx.ts";
import { makeInvocation } from "../commands/invocation.ts";
import type { DigestRequest } from "../commands/offload.ts";
import { OPERATOR } from "../commands/views.ts";
import type { Actor } from "../domain/access.ts";
import { formatDate, isoWeek, localDate, localTime } from "../domain/dates.ts";
import { publishDigest } from "../obs/channels.ts";
import type { RunKey } from "../store/ledger.ts";
import type { DigestRunRow } from "../store/schema.ts";
import { agencySummary } from "./agency-summary.ts";
import { ago, holding, LET_GO, type Lease, leaseState, processLease } from "./lease.ts";
import { type NudgePlan, nudgeFacts, planNudgesWith } from "./nudges.ts";
import {
  type Destination,
  type DigestMessage,
  type DigestPoster,
  type Picture,
  PostError,
  type PreparedDigest,
} from "./post.ts";
import { type DigestKind, periodOf } from "./schedule.ts";
import { RETRY_DELAYS_MS, type SendResult, sendParts } from "./send-parts.ts";
import { teamDigest } from "./team-digest.ts";
import { digestText } from "./text.ts";
import type { DigestView, NudgeView } from "./views.ts";

export { RETRY_DELAYS_MS };

/** What the runner needs from the outside: posting, waiting between retries, the picture maker. */
export interface RunnerDeps {
  readonly ctx: Ctx;
  readonly posters: readonly DigestPoster[];
  /** between retries; tests pass one that does not wait */
  readonly sleep?: (ms: number) => Promise<void>;
  /** the team's whiteboard picture, full and compact; omitted, digests go without one */
  readonly picture?: (ctx: Ctx, teamId: string) => Promise<{ full: Picture; compact: Picture } | undefined>;
  readonly log?: (line: string) => void;
  /** who this process is and whether others still run (default: this process, the real clock) */
  readonly lease?: Lease;
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

/**
 * What happened on one platform (or to one person, for nudges). `stopped`: the app stopped first
 * (`Runner.stop`), so it was not posted, or not all of it: the next start (or another instance)
 * posts it, or the rest of it.
 */
export interface PostOutcome {
  readonly platform: string;
  readonly to: string;
  readonly status: "posted" | "already" | "failed" | "skipped" | "stopped";
  /** one plain sentence: when it was posted, why it failed, why it was skipped */
  readonly detail: string;
}

export interface RunOutcome {
  readonly kind: DigestKind;
  readonly scope: string;
  readonly period: string;
  readonly outcomes: readonly PostOutcome[];
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** How long a run that did not finish keeps what it says: past its period it is never resumed. */
const VIEW_KEPT_MS = 8 * 86_400_000;

type Key = RunKey;

/** How many times a claim reads again after losing a race: one lost round is already rare. */
const CLAIM_ROUNDS = 5;

/** A claim on a run: a new one, one taken over to resume, or the earlier run that stands. */
type Claim = { runId: number; resumed: DigestRunRow | null } | { earlier: DigestRunRow };

/**
 * The view a run stored when it began, if it is one. The ledger holds it as JSON written by this
 * runner from a DigestView, so its kind is checked and the rest taken as written.
 */
function storedView(run: DigestRunRow | null): DigestView | null {
  const v = run?.view;
  if (typeof v !== "object" || v === null || !("kind" in v)) return null;
  const kind = (v as { kind: unknown }).kind;
  return kind === "team" || kind === "agency" || kind === "nudge" ? (v as DigestView) : null;
}

/** What the runner asks for each run: the view a digest says, and a team's nudges for the day. */
interface Builder {
  team(teamId: string, req: DigestRequest): Promise<DigestView>;
  agency(req: DigestRequest): Promise<DigestView>;
  nudges(teamId: string, day: string): Promise<NudgePlan>;
}

/**
 * Built on a reader thread when the server runs them (behind what people are waiting on), here
 * otherwise. What a channel sees: names by the agency's channel rule.
 */
function builder(ctx: Ctx): Builder {
  const readers = ctx.readers;
  if (readers) {
    const background = { background: true } as const;
    return {
      team: (teamId, req) => readers.run("teamDigest", { ...req, teamId }, background),
      agency: (req) => readers.run("agencySummary", req, background),
      nudges: (teamId, day) => readers.run("nudges", { teamId, day }, background),
    };
  }
  const env = () => makeInvocation(ctx, OPERATOR, "digest", "channel");
  return {
    team: async (teamId, req) => teamDigest(env(), teamId, req),
    agency: async (req) => agencySummary(env(), req),
    nudges: async (teamId, day) => planNudgesWith(ctx, teamId, day, await nudgeFacts(ctx, day)),
  };
}

export function createRunner(deps: RunnerDeps) {
  const { ctx } = deps;
  const tz = ctx.org.agency.timeZone;
  const sleep = deps.sleep ?? realSleep;
  const log = deps.log ?? (() => {});
  const lease = deps.lease ?? processLease();
  const now = () => ctx.clock.now().toISOString();
  const wall = () => new Date(lease.now()).toISOString();
  const local = (iso: string) =>
    `${formatDate(localDate(new Date(iso), tz), ctx.org.dates.format)} ${localTime(new Date(iso), tz)}`;
  const digests = ctx.ledger;

  // Stopping (`stop()`, when the app is told to): nothing new is claimed, no further part is sent,
  // a wait before a retry ends at once; a send already made is let finish, so its answer is
  // recorded and the next start neither repeats nor loses it. A run stopped part-way is let go.
  let stopping = false;
  // Waits before a retry, each ended by its own time or by the stop, whichever comes first.
  const pauses = new Set<() => void>();
  const pause = (ms: number) =>
    stopping
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const done = () => {
            pauses.delete(done);
            resolve();
          };
          pauses.add(done);
          void sleep(ms).then(done);
        });
  /** parts sent and not yet answered, across every run of this runner */
  let sending = 0;
  const counted = (prepared: PreparedDigest): PreparedDigest => ({
    kinds: prepared.kinds,
    async send(index, opts) {
      sending++;
      try {
        return await prepared.send(index, opts);
      } finally {
        sending--;
      }
    },
  });
  const stoppedFirst = (platform: string, to: string): PostOutcome => ({
    platform,
    to,
    status: "stopped",
    detail: "not posted: the app stopped first; the next start posts it",
  });

  const sendDeps = { ctx, lease, sleep: pause, stopping: () => stopping, log, localTime: local };
  // A heartbeat that fails (the database away for a moment) is retried by the next one; a run whose
  // heartbeats all fail is taken for stopped and resumed, which the parts ledger makes safe. None
  // once stopping: a run let go must stay let go.
  const beat = (runId: number) => () => {
    if (stopping) return;
    digests.heartbeat(runId, lease.owner, wall()).catch(() => log("digest: a heartbeat was not recorded"));
  };

  /** Whether a run already posted something that may be on the platform, so it must be resumed. */
  const started = async (runId: number) => (await digests.parts(runId)).some((p) => p.status !== "refused");

  /**
   * Claims a (kind, scope, period, platform) slot in the ledger so two processes (two instances on
   * one PostgreSQL, a `sos digest run` beside the app) or a restart cannot both post it: a run
   * posted, or being posted by a live process, stands; a run whose process stopped while posting,
   * or that failed after part of it went out, is taken over and resumed; otherwise a new run starts.
   * No lock is held while deciding: the database settles a race (the unique index refuses a second
   * new claim, a take-over succeeds only on the run as read), and the loser reads again and finds
   * the winner's run standing.
   */
  async function claim(key: Key, req: RunRequest): Promise<Claim> {
    const own = () => ({ owner: lease.owner, ownedSince: wall(), heartbeatAt: wall() });
    const fresh = () => ({
      ...key,
      ...own(),
      status: "posting" as const,
      late: req.late ?? false,
      forced: req.force ?? false,
      attempts: 0,
      scheduledFor: req.at.toISOString(),
      startedAt: now(),
    });
    if (req.force) {
      // A forced run is outside the unique index: it always starts.
      const runId = await digests.claim(fresh());
      if (runId === null) throw new Error("the ledger refused a forced run");
      return { runId, resumed: null };
    }
    for (let round = 0; round < CLAIM_ROUNDS; round++) {
      const rows = await digests.runs(key);
      const posted = rows.find((r) => r.status === "posted" || r.status === "unconfirmed");
      if (posted) return { earlier: posted };
      const posting = rows.find((r) => r.status === "posting");
      if (posting && leaseState(lease, posting) !== "stopped") return { earlier: posting };
      let resume = posting;
      for (const r of rows) {
        if (resume) break;
        if (r.status === "failed" && (await started(r.id))) resume = r;
      }
      if (resume) {
        if (await digests.takeOver(resume, own())) return { runId: resume.id, resumed: resume };
        continue;
      }
      const runId = await digests.claim(fresh());
      if (runId !== null) return { runId, resumed: null };
    }
    // Each round lost to another process that then let the slot go again: not seen in practice.
    throw new Error(
      `the ledger's ${key.kind} ${key.scope} ${key.period} ${key.platform} kept changing while claimed`,
    );
  }

  function already(earlier: DigestRunRow, platform: string, to: string): PostOutcome {
    const when = local(earlier.finishedAt ?? earlier.startedAt);
    const detail =
      earlier.status === "unconfirmed"
        ? `stopped ${when}: ${earlier.error ?? "its first message was not confirmed"} Use --force to post it anew.`
        : earlier.status !== "posting"
          ? `already posted ${when}${earlier.late ? " (late)" : ""}. Use --force to post it again.`
          : leaseState(lease, earlier) === "live"
            ? `still posting in ${earlier.owner === lease.owner ? "this" : "another"} process (started ${ago(lease, earlier.ownedSince)} ago); not posted again.`
            : `started ${when} and not known to have finished (the app stopped while posting, before the ledger recorded each part); not posted again, to be safe. Use --force to post anyway.`;
    return { platform, to, status: "already", detail };
  }

  /**
   * Posts a claimed run's parts where it goes (a person's address is looked up first, with the same
   * retries) and records the end: posted, failed (resumable), unconfirmed or skipped.
   */
  async function post(
    runId: number,
    poster: DigestPoster,
    to: string,
    destination: () => Promise<Destination | null>,
    message: DigestMessage,
  ): Promise<PostOutcome> {
    const platform = poster.platform;
    const run = await digests.get(runId);
    const before = run?.attempts ?? 0;
    let dest: Destination | null = null;
    for (let tries = 1; ; tries++) {
      if (stopping) {
        await digests.finish(runId, { heartbeatAt: LET_GO });
        return stoppedFirst(platform, to);
      }
      try {
        dest = await destination();
        break;
      } catch (e) {
        const err = e instanceof PostError ? e : new PostError(String(e), true);
        const delay = RETRY_DELAYS_MS[tries - 1];
        if (err.retryable && delay !== undefined) {
          await pause(delay);
          continue;
        }
        await digests.finish(runId, {
          status: "failed",
          finishedAt: now(),
          error: err.message,
          detail: { to },
        });
        log(`digest: ${platform} ${to} could not be reached`);
        return { platform, to, status: "failed", detail: err.message };
      }
    }
    if (dest === null) {
      await digests.finish(runId, {
        status: "skipped",
        finishedAt: now(),
        detail: { to, reason: "not reachable" },
        view: null,
      });
      return { platform, to, status: "skipped", detail: `${to} is not reachable on ${platform}` };
    }
    const r: SendResult = await sendParts(sendDeps, runId, counted(poster.prepare(message, dest)), to);
    const attempts = before + r.sends;
    if (r.status === "stopped") {
      // Left posting and let go: read as stopped everywhere, it resumes from part `sent` + 1.
      await digests.finish(runId, {
        attempts,
        heartbeatAt: LET_GO,
        detail: { to, parts: r.total, sent: r.sent },
      });
      log(`digest: posting to ${platform} ${to} stopped with the app after ${r.sent} of ${r.total} parts`);
      return {
        platform,
        to,
        status: "stopped",
        detail:
          r.sent === 0
            ? "not posted: the app stopped first; the next start posts it"
            : `the app stopped after ${r.sent} of ${r.total} parts; the next start posts the rest in the same thread`,
      };
    }
    if (r.status !== "posted") {
      await digests.finish(runId, {
        status: r.status,
        attempts,
        finishedAt: now(),
        error: r.error ?? null,
        detail: { to, parts: r.total, sent: r.sent },
        ...(r.status === "unconfirmed" ? { view: null } : {}),
      });
      log(`digest: posting to ${platform} ${to} stopped after ${r.sent} of ${r.total} parts`);
      return { platform, to, status: "failed", detail: r.error ?? "failed" };
    }
    await digests.finish(runId, {
      status: "posted",
      attempts,
      finishedAt: now(),
      error: null,
      detail: {
        to,
        ref: r.ref,
        parts: r.total,
        ...(r.unconfirmed.length ? { unconfirmed: r.unconfirmed } : {}),
      },
      // What it said is not kept once it is out: the platform has it.
      view: null,
    });
    const name = platform === "slack" ? "Slack" : "Teams";
    const numbers = (list: readonly number[]) => list.map((i) => i + 1).join(", ");
    const notes = [
      r.before > 0
        ? `posted the rest to ${to} after a stop: parts ${r.before + 1}–${r.total} of ${r.total}`
        : `posted to ${to}`,
      ...(r.retries > r.repeated.length ? [`after ${r.retries + 1} attempts`] : []),
    ].join(" ");
    const marks = [
      ...(r.repeated.length
        ? [`part ${numbers(r.repeated)} went again after ${name} gave no answer, marked as a possible repeat`]
        : []),
      ...(r.unconfirmed.length ? [`${name} did not confirm part ${numbers(r.unconfirmed)}, sent twice`] : []),
    ];
    return {
      platform,
      to,
      status: "posted",
      detail: marks.length ? `${notes} (${marks.join("; ")})` : notes,
    };
  }

  /** The team digest or agency summary, to every platform that has a channel for it. */
  async function runDigest(req: RunRequest): Promise<RunOutcome> {
    const kind = req.kind as "team" | "agency";
    const period = periodOf(kind, req.at, tz);
    const asOf = localDate(req.at, tz);
    // What a channel sees: names by the agency's channel rule. One config for the whole digest and
    // its picture, whatever a reload does meanwhile.
    const env = makeInvocation(ctx.pin(), OPERATOR, "digest", "channel");
    const build = builder(env.ctx);
    let built: Promise<DigestView> | undefined;
    let pictures: Promise<{ full: Picture; compact: Picture } | undefined> | undefined;
    // Built once, on the first platform that needs it; the others share it. A resumed run says
    // what it said when it began.
    const viewFor = (resumed: DigestRunRow | null): Promise<DigestView> => {
      const kept = storedView(resumed);
      if (kept) return Promise.resolve(kept);
      const r = { asOf, period, late: req.late ?? false };
      built ??= kind === "team" ? build.team(req.scope, r) : build.agency(r);
      return built;
    };
    const messageFor = async (resumed: DigestRunRow | null): Promise<DigestMessage> => {
      const view = await viewFor(resumed);
      pictures ??=
        kind === "team"
          ? (deps.picture?.(env.ctx, req.scope) ?? Promise.resolve(undefined))
          : Promise.resolve(undefined);
      const p = await pictures;
      return { view, text: digestText(view), ...(p ? { picture: p.full, compactPicture: p.compact } : {}) };
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
        if (stopping) return stoppedFirst(poster.platform, channel);
        const claimed = await claim({ kind, scope: req.scope, period, platform: poster.platform }, req);
        if ("earlier" in claimed) return already(claimed.earlier, poster.platform, channel);
        return holding(beat(claimed.runId), async () => {
          let m: DigestMessage;
          try {
            m = await messageFor(claimed.resumed);
          } catch (e) {
            await digests.finish(claimed.runId, { status: "failed", finishedAt: now(), error: String(e) });
            throw e;
          }
          // Kept until it is posted, so a resumed run lays out the same parts.
          if (!claimed.resumed?.view) await digests.finish(claimed.runId, { view: m.view });
          return post(claimed.runId, poster, channel, async () => ({ kind: "channel", channel }), m);
        });
      }),
    );
    return { kind, scope: req.scope, period, outcomes };
  }

  /**
   * A team's nudges for the day: one message per person with something new, on each platform. The
   * team's run is claimed as a whole (platform "all"), so a restart does not plan it twice, and each
   * person's message on each platform is claimed too; one stopped part-way is finished with what it
   * said when it began.
   */
  async function runNudges(req: RunRequest): Promise<RunOutcome> {
    const day = localDate(req.at, tz);
    const period = periodOf("nudge", req.at, tz);
    const team = ctx.org.teams.find((t) => t.id === req.scope)?.name ?? req.scope;
    if (stopping) return { kind: "nudge", scope: req.scope, period, outcomes: [stoppedFirst("all", team)] };
    const whole = await claim({ kind: "nudge", scope: req.scope, period, platform: "all" }, req);
    if ("earlier" in whole)
      return { kind: "nudge", scope: req.scope, period, outcomes: [already(whole.earlier, "all", team)] };
    return holding(beat(whole.runId), () => nudgeRound(req, whole.runId, { day, period, team }));
  }

  /** The round of a team's nudges, once its run (`wholeId`) is claimed. */
  async function nudgeRound(
    req: RunRequest,
    wholeId: number,
    { day, period, team }: { day: string; period: string; team: string },
  ): Promise<RunOutcome> {
    // One config for the round's plan and its people, whatever a reload does meanwhile.
    const round = ctx.pin();
    const plan = await builder(round).nudges(req.scope, day);
    if ("skipped" in plan) {
      await digests.finish(wholeId, {
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
    // Who gets a message: today's plan, and anyone of the team whose message stopped part-way.
    const people = new Map<number, { actor: Actor; view: NudgeView }>(
      plan.nudges.map((n) => [n.actor.staffId, { actor: n.actor, view: n.view }]),
    );
    for (const r of await digests.unfinished("nudge", period)) {
      const actor = r.platform === "all" ? undefined : round.people.byId(Number(r.scope));
      const view = storedView(r);
      if (actor?.teams.includes(req.scope) && view?.kind === "nudge" && !people.has(actor.staffId))
        people.set(actor.staffId, { actor, view });
    }
    // Set when the app stops part-way through the round: the team's run is let go, to resume.
    let halted = false;
    everyone: for (const { actor, view: planned } of people.values()) {
      for (const poster of deps.posters) {
        if (stopping) {
          halted = true;
          break everyone;
        }
        const claimed = await claim(
          { kind: "nudge", scope: String(actor.staffId), period, platform: poster.platform },
          req,
        );
        if ("earlier" in claimed) {
          outcomes.push(already(claimed.earlier, poster.platform, actor.name));
          continue;
        }
        const kept = storedView(claimed.resumed);
        const view = kept?.kind === "nudge" ? kept : planned;
        if (!kept) await digests.finish(claimed.runId, { view });
        const o = await holding(beat(claimed.runId), () =>
          post(
            claimed.runId,
            poster,
            actor.name,
            async () => {
              const address = await poster.addressOf(actor);
              return address === null ? null : { kind: "person", actor, address };
            },
            { view, text: digestText(view) },
          ),
        );
        outcomes.push(o);
        if (o.status === "stopped") {
          halted = true;
          break everyone;
        }
        // The weekly cap counts what reached the person, on any platform.
        if (o.status === "posted")
          await digests.recordNudges(
            view.items.flatMap((i) => i.findings.map((f) => ({ caseId: i.caseId, rule: f.rule }))),
            isoWeek(day),
            actor.staffId,
            claimed.runId,
          );
      }
    }
    if (halted) {
      // Resumed as a whole: the round is planned again, and whoever was posted is "already".
      await digests.finish(wholeId, { heartbeatAt: LET_GO });
      return {
        kind: "nudge",
        scope: req.scope,
        period,
        outcomes: outcomes.some((o) => o.status === "stopped")
          ? outcomes
          : [...outcomes, stoppedFirst("all", team)],
      };
    }
    const sent = outcomes.filter((o) => o.status === "posted").length;
    const failed = outcomes.filter((o) => o.status === "failed").length;
    // Some messages failed: the day's run stays due, and a sweep retries only those people (each
    // person's message is claimed on its own, so the others are not sent twice).
    await digests.finish(wholeId, {
      status: failed > 0 ? "failed" : "posted",
      finishedAt: now(),
      ...(failed > 0 ? { error: `${failed} message${failed === 1 ? "" : "s"} failed` } : {}),
      detail: { people: people.size, sent, failed },
    });
    if (people.size === 0)
      outcomes.push({ platform: "-", to: team, status: "skipped", detail: "nobody has a newly stuck case" });
    return { kind: "nudge", scope: req.scope, period, outcomes };
  }

  /** Whether a platform's run of a period stands: posted, skipped, stopped for good, or still posting. */
  const stands = async (key: Key) =>
    (await digests.runs(key)).some(
      (r) =>
        r.status === "posted" ||
        r.status === "skipped" ||
        r.status === "unconfirmed" ||
        (r.status === "posting" && leaseState(lease, r) !== "stopped"),
    );

  return {
    /**
     * The app is stopping: no run is claimed from now on, no further part sent, no retry waited
     * for; a run part-way through is let go after the part it is sending is answered. How many parts
     * are being sent at this moment (what the caller may wait for: `Scheduler.stop`).
     */
    stop(): number {
      stopping = true;
      for (const done of [...pauses]) done();
      return sending;
    },
    async run(req: RunRequest): Promise<RunOutcome> {
      // Runs due in the same minute each build synchronously: let the others' timers in first.
      await new Promise<void>((r) => setImmediate(r));
      // A run is resumed only within its period (a week at most): what older ones said goes.
      await digests.forgetViews(new Date(ctx.clock.now().getTime() - VIEW_KEPT_MS).toISOString());
      try {
        const outcome = await (req.kind === "nudge" ? runNudges(req) : runDigest(req));
        for (const o of outcome.outcomes) publishDigest({ kind: req.kind, state: o.status });
        return outcome;
      } catch (e) {
        publishDigest({ kind: req.kind, state: "error" });
        throw e;
      }
    },
    /**
     * Whether this period's run has gone out (or is going out in a live process) on every platform
     * that has somewhere to post it: what catch-up skips. A failure on one platform, or a process
     * that stopped while posting, leaves the run due there.
     */
    async ranFor(kind: DigestKind, scope: string, at: Date): Promise<boolean> {
      const period = periodOf(kind, at, tz);
      if (kind === "nudge") return stands({ kind, scope, period, platform: "all" });
      const target = kind === "team" ? { kind: "team" as const, teamId: scope } : { kind: "agency" as const };
      for (const p of deps.posters) {
        if (
          p.channelFor(target) !== undefined &&
          !(await stands({ kind, scope, period, platform: p.platform }))
        )
          return false;
      }
      return true;
    },
  };
}

export type Runner = ReturnType<typeof createRunner>;
