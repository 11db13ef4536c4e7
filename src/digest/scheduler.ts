import cron, { type ScheduledTask } from "node-cron";
import type { Ctx } from "../app/context.ts";
import { addDays, localDate } from "../domain/dates.ts";
import type { Runner, RunOutcome } from "./runner.ts";
import { lastDue, occurrences, type ScheduleSpec, schedules } from "./schedule.ts";

export interface Scheduler {
  /** Runs anything whose time came this period and did not run (the app was down), marked late. */
  catchUp(): Promise<RunOutcome[]>;
  /** Runs one schedule now, as its timer does. */
  fire(spec: ScheduleSpec): Promise<RunOutcome>;
  /** The next time each schedule fires, for the start-up banner and `sos digest status`. */
  upcoming(): { spec: ScheduleSpec; next: Date | null }[];
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
  const tz = ctx.org.agency.timeZone;
  const log = opts.log ?? (() => {});
  const specs = schedules(ctx.org);

  const fire = async (spec: ScheduleSpec, late = false): Promise<RunOutcome> => {
    const outcome = await runner.run({ kind: spec.kind, scope: spec.scope, at: ctx.clock.now(), late });
    for (const o of outcome.outcomes) {
      if (o.status === "failed")
        log(`digest: ${spec.kind} ${spec.scope} ${outcome.period} on ${o.platform} failed`);
    }
    return outcome;
  };

  const tasks =
    opts.timers === false
      ? []
      : specs.map((spec) =>
          cron.schedule(
            spec.cron,
            async () => {
              try {
                await fire(spec);
              } catch (e) {
                log(`digest: ${spec.kind} ${spec.scope} failed (${e instanceof Error ? e.name : "error"})`);
              }
            },
            { timezone: tz, name: `${spec.kind}:${spec.scope}`, noOverlap: true },
          ),
        );

  return {
    fire: (spec) => fire(spec),

    async catchUp() {
      const now = ctx.clock.now();
      const due = specs.filter(
        (spec) => lastDue(spec, now, tz) !== null && !runner.ranFor(spec.kind, spec.scope, now),
      );
      const settled = await Promise.allSettled(due.map((spec) => fire(spec, true)));
      return settled.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    },

    upcoming() {
      // From the app's clock (a demo runs on a moved calendar), not node-cron's wall clock.
      const now = ctx.clock.now();
      const today = localDate(now, tz);
      return specs.map((spec) => ({
        spec,
        next: occurrences(spec.cron, tz, today, addDays(today, 8)).find((t) => t > now) ?? null,
      }));
    },

    stop() {
      for (const t of tasks.splice(0)) void (t as ScheduledTask).destroy();
    },
  };
}
