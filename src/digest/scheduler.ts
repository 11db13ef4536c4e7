import cron, { type ScheduledTask } from "node-cron";
import type { Ctx } from "../commands/ctx.ts";
import { addDays, localDate } from "../domain/dates.ts";
import type { Runner, RunOutcome } from "./runner.ts";
import { lastDue, occurrences, type ScheduleSpec, schedules } from "./schedule.ts";

/** How late node-cron may start a run and still start it. */
const MISSED_TOLERANCE_MS = 30 * 60_000;
/** How often the running app looks for this period's runs that did not happen or failed. */
const SWEEP_MS = 15 * 60_000;

export interface Scheduler {
  /** Runs anything whose time came this period and did not run (the app was down), marked late. */
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
  stop(): void;
}

/**
 * The digests on their schedules: node-cron timers in the agency's time zone (a team's own schedule
 * where the config gives one). Every run goes through the runner's ledger, so a period is posted
 * once whatever restarts happen. Runs side by side; one failing hides no other.
 * `timers: false` builds it without timers, for tests that drive time themselves.
 */
export function createScheduler(
  ctx: Ctx,
  runner: Runner,
  opts: { log?: (line: string) => void; timers?: boolean } = {},
): Scheduler {
  // A reload never changes the time zone (it is refused): the periods are keyed on it.
  const tz = ctx.org.agency.timeZone;
  const log = opts.log ?? (() => {});
  let specs = schedules(ctx.org);

  const fire = async (spec: ScheduleSpec, late = false): Promise<RunOutcome> => {
    const outcome = await runner.run({ kind: spec.kind, scope: spec.scope, at: ctx.clock.now(), late });
    for (const o of outcome.outcomes) {
      if (o.status === "failed")
        log(`digest: ${spec.kind} ${spec.scope} ${outcome.period} on ${o.platform} failed`);
    }
    return outcome;
  };

  /** Runs whatever was due this period and has not gone out everywhere (missed, or failed). */
  const catchUp = async (): Promise<RunOutcome[]> => {
    const now = ctx.clock.now();
    const due = specs.filter(
      (spec) => lastDue(spec, now, tz) !== null && !runner.ranFor(spec.kind, spec.scope, now),
    );
    const settled = await Promise.allSettled(due.map((spec) => fire(spec, true)));
    return settled.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  };

  const timers = opts.timers !== false;
  const keyOf = (spec: ScheduleSpec) => `${spec.kind}:${spec.scope}:${spec.cron}`;
  const timerFor = (spec: ScheduleSpec): ScheduledTask => {
    const task = cron.schedule(
      spec.cron,
      async () => {
        try {
          await fire(spec);
        } catch (e) {
          log(`digest: ${spec.kind} ${spec.scope} failed (${e instanceof Error ? e.name : "error"})`);
        }
      },
      // Every team's run is due in the same minute and each builds its digest before its first
      // await: with node-cron's default 1 s tolerance most of them were skipped as "missed".
      {
        timezone: tz,
        name: `${spec.kind}:${spec.scope}`,
        noOverlap: true,
        missedExecutionTolerance: MISSED_TOLERANCE_MS,
      },
    );
    task.on("execution:missed", () =>
      log(`digest: ${spec.kind} ${spec.scope} missed its time; the next sweep catches it up`),
    );
    return task;
  };
  const tasks = new Map<string, ScheduledTask>();
  if (timers) for (const spec of specs) tasks.set(keyOf(spec), timerFor(spec));
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
      // From the app's clock (a demo runs on a moved calendar), not node-cron's wall clock.
      const now = ctx.clock.now();
      const today = localDate(now, tz);
      return specs.map((spec) => ({
        spec,
        next: occurrences(spec.cron, tz, today, addDays(today, 8)).find((t) => t > now) ?? null,
      }));
    },

    reschedule() {
      const next = schedules(ctx.org);
      const wanted = new Map(next.map((spec) => [keyOf(spec), spec]));
      const before = specs.map(keyOf).join("|");
      specs = next;
      if (specs.map(keyOf).join("|") === before) return false;
      // A run already going keeps going: destroying a timer stops only its future firings.
      for (const [key, task] of tasks) {
        if (wanted.has(key)) continue;
        void task.destroy();
        tasks.delete(key);
      }
      if (timers) for (const [key, spec] of wanted) if (!tasks.has(key)) tasks.set(key, timerFor(spec));
      return true;
    },

    stop() {
      if (sweep) clearInterval(sweep);
      for (const t of tasks.values()) void t.destroy();
      tasks.clear();
    },
  };
}
