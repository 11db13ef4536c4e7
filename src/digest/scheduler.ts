import cron, { type ScheduledTask } from "node-cron";
import type { Ctx } from "../commands/ctx.ts";
import { addDays, localDate } from "../domain/dates.ts";
import { type Leader, soleLeader } from "./leader.ts";
import type { Runner, RunOutcome } from "./runner.ts";
import { lastDue, occurrences, type ScheduleSpec, schedules } from "./schedule.ts";

/** How late node-cron may start a run and still start it. */
const MISSED_TOLERANCE_MS = 30 * 60_000;
/** How often the running app looks for this period's runs that did not happen or failed. */
const SWEEP_MS = 15 * 60_000;
/**
 * How many runs go at once, when many are due together (a Monday's 50 team digests, a catch-up).
 * All 101 of a 50-team agency at once built every view before posting any (the catch-up at start
 * took the server to 570 MB); a few at a time keep it small, each view built on a reader thread.
 */
const AT_ONCE = 4;
/**
 * How long stopping waits for the runs in flight: long enough for a part being sent to be answered
 * or to time out (a Slack post waits 10 s), well inside a service manager's grace (the systemd unit's
 * TimeoutStopSec=30, with the backups and the server still to stop after).
 */
export const STOP_WAIT_MS = 12_000;

export interface Scheduler {
  /**
   * Runs anything whose time came this period and did not run (the app was down), marked late.
   * Only where this instance leads; nothing (an empty list) elsewhere.
   */
  catchUp(): Promise<RunOutcome[]>;
  /** Runs one schedule now, as its timer does. */
  fire(spec: ScheduleSpec): Promise<RunOutcome>;
  /** The next time each schedule fires, for the start-up banner and `sos digest status`. */
  upcoming(): { spec: ScheduleSpec; next: Date | null }[];
  /**
   * Follows the config as it is now (after a reload): a team added gets its timers, a team gone or
   * a schedule changed loses the old ones. True when anything changed.
   */
  reschedule(): boolean;
  /**
   * Stops the timers and the sweep, tells the runner to start nothing more, and waits (at most
   * `STOP_WAIT_MS`) for the runs in flight: a part being sent is answered and recorded, a run
   * part-way through is let go, so the next start posts its rest once. Resolves when they have.
   */
  stop(): Promise<void>;
}

/**
 * The digests on their schedules: node-cron timers in the agency's time zone (a team's own schedule
 * where the config gives one). Every run goes through the runner's ledger, so a period is posted
 * once whatever restarts happen. Runs side by side; one failing hides no other.
 * `timers: false` builds it without timers, for tests that drive time themselves.
 * `leader`: where several instances share a database (`pgLeader`), only the leader's timers and
 * sweep run, and taking the lead runs the catch-up at once (the old leader may have died mid-week);
 * without one, this process leads (`soleLeader`: SQLite, the CLI).
 */
export function createScheduler(
  ctx: Ctx,
  runner: Runner,
  opts: {
    log?: (line: string) => void;
    timers?: boolean;
    leader?: Leader;
    /** told what a catch-up on taking the lead ran (start-up's own catch-up is the caller's) */
    caughtUp?: (caught: RunOutcome[]) => void;
    /** how long `stop()` waits for the runs in flight (default `STOP_WAIT_MS`) */
    stopWaitMs?: number;
  } = {},
): Scheduler {
  const leader = opts.leader ?? soleLeader();
  // A reload never changes the time zone (it is refused): the periods are keyed on it.
  const tz = ctx.org.agency.timeZone;
  const log = opts.log ?? (() => {});
  let specs = schedules(ctx.org);

  let stopping: Promise<void> | null = null;
  // Every run started (by a timer, a sweep, a catch-up, `fire`), until it ends: what stopping waits for.
  const inFlight = new Set<Promise<unknown>>();
  const tracked = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    const gone = () => inFlight.delete(p);
    p.then(gone, gone);
    return p;
  };

  const fire = (spec: ScheduleSpec, late = false): Promise<RunOutcome> =>
    tracked(
      (async () => {
        const outcome = await runner.run({ kind: spec.kind, scope: spec.scope, at: ctx.clock.now(), late });
        for (const o of outcome.outcomes) {
          if (o.status === "failed")
            log(`digest: ${spec.kind} ${spec.scope} ${outcome.period} on ${o.platform} failed`);
        }
        return outcome;
      })(),
    );

  /** Runs whatever was due this period and has not gone out everywhere (missed, or failed). */
  const sweepOnce = async (): Promise<RunOutcome[]> => {
    if (!leader.leads() || stopping) return [];
    const now = ctx.clock.now();
    const due: ScheduleSpec[] = [];
    for (const spec of specs)
      if (lastDue(spec, now, tz) !== null && !(await runner.ranFor(spec.kind, spec.scope, now)))
        due.push(spec);
    return fireAll(due, true);
  };
  // One catch-up at a time: start-up's, the sweep's and taking the lead's would otherwise overlap
  // (harmless, the claims see to that, but each would build the same views).
  let catching: Promise<RunOutcome[]> | null = null;
  const catchUp = (): Promise<RunOutcome[]> => {
    catching ??= tracked(sweepOnce()).finally(() => {
      catching = null;
    });
    return catching;
  };
  leader.onChange((leads) => {
    if (leads)
      catchUp()
        .then((caught) => opts.caughtUp?.(caught))
        .catch(() => log("digest: catching up failed"));
  });

  /**
   * Runs several schedules, a few at a time (`AT_ONCE`); the outcomes of those that ran. One failing
   * hides no other: it is logged, and the next sweep tries it again.
   */
  async function fireAll(group: readonly ScheduleSpec[], late: boolean): Promise<RunOutcome[]> {
    const out: (RunOutcome | undefined)[] = [];
    let next = 0;
    const lane = async () => {
      while (next < group.length && !stopping) {
        const i = next++;
        const spec = group[i]!;
        try {
          out[i] = await fire(spec, late);
        } catch (e) {
          log(`digest: ${spec.kind} ${spec.scope} failed (${e instanceof Error ? e.name : "error"})`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(AT_ONCE, group.length) }, lane));
    return out.filter((o): o is RunOutcome => o !== undefined);
  }

  const timers = opts.timers !== false;
  // One node-cron timer per distinct expression, firing every schedule that has it when it fires: a
  // 50-team agency has 101 schedules but usually three expressions, and arming 101 timers took
  // ~100 ms of every start. The schedules are looked up when it fires, so a reload that changes
  // which teams share an expression is followed; each schedule still runs on its own, one failing
  // hiding no other.
  const keyOf = (spec: ScheduleSpec) => `${spec.kind}:${spec.scope}:${spec.cron}`;
  const timerFor = (expr: string): ScheduledTask => {
    const task = cron.schedule(
      expr,
      async () => {
        if (!leader.leads()) return;
        await fireAll(
          specs.filter((spec) => spec.cron === expr),
          false,
        );
      },
      // Every team's run is due in the same minute: with node-cron's default 1 s tolerance most
      // of them were skipped as "missed" while the first ones were built.
      {
        timezone: tz,
        name: `digests:${expr}`,
        noOverlap: true,
        missedExecutionTolerance: MISSED_TOLERANCE_MS,
      },
    );
    task.on("execution:missed", () =>
      log(`digest: the schedule(s) at "${expr}" missed their time; the next sweep catches them up`),
    );
    return task;
  };
  const expressions = () => new Set(specs.map((spec) => spec.cron));
  const tasks = new Map<string, ScheduledTask>();
  if (timers) for (const expr of expressions()) tasks.set(expr, timerFor(expr));
  // A run that failed, or one that still slipped past its minute, goes out within its period; the
  // ledger keeps a sweep from ever posting twice.
  const sweep = timers
    ? setInterval(() => {
        catchUp().catch(() => log("digest: catching up failed"));
      }, SWEEP_MS)
    : undefined;
  sweep?.unref();

  return {
    fire: (spec) => fire(spec),
    catchUp,

    upcoming() {
      // From the app's clock (a demo runs on a moved calendar), not node-cron's wall clock; once per
      // distinct expression, which is what the schedules share.
      const now = ctx.clock.now();
      const today = localDate(now, tz);
      const next = new Map<string, Date | null>();
      for (const expr of expressions())
        next.set(expr, occurrences(expr, tz, today, addDays(today, 8)).find((t) => t > now) ?? null);
      return specs.map((spec) => ({ spec, next: next.get(spec.cron) ?? null }));
    },

    reschedule() {
      const next = schedules(ctx.org);
      const before = specs.map(keyOf).join("|");
      specs = next;
      if (specs.map(keyOf).join("|") === before) return false;
      // A run already going keeps going: destroying a timer stops only its future firings.
      const wanted = expressions();
      for (const [expr, task] of tasks) {
        if (wanted.has(expr)) continue;
        void task.destroy();
        tasks.delete(expr);
      }
      if (timers) for (const expr of wanted) if (!tasks.has(expr)) tasks.set(expr, timerFor(expr));
      return true;
    },

    stop() {
      stopping ??= (async () => {
        if (sweep) clearInterval(sweep);
        for (const t of tasks.values()) void t.destroy();
        tasks.clear();
        const sending = runner.stop();
        if (inFlight.size === 0) return;
        const parts = (n: number) => `${n} part${n === 1 ? "" : "s"}`;
        const wait = opts.stopWaitMs ?? STOP_WAIT_MS;
        if (sending > 0)
          log(
            `digest: stopping: waiting for ${parts(sending)} being posted to be answered (at most ${wait / 1000} s)`,
          );
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<boolean>((r) => {
          timer = setTimeout(() => r(true), wait);
        });
        const settled = Promise.allSettled([...inFlight]).then(() => false);
        const gaveUp = await Promise.race([settled, late]);
        clearTimeout(timer);
        // Still unanswered: recorded as sent with no answer, so the next start sends it once more,
        // marked as a possible repeat. Never lost; the rest of its digest follows it.
        if (gaveUp)
          log(
            `digest: stopping: what was still being posted after ${wait / 1000} s is left to the next start (a part with no answer goes again, marked as a possible repeat)`,
          );
      })();
      return stopping;
    },
  };
}
