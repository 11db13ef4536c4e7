import type { Records } from "../store/records.ts";

/**
 * `sos start`'s writer of "stuck since" (`src/store/stuck-since.ts`): it keeps the stored values
 * current so the agency's stuck counts and longest stuck cases are read from an index, not worked
 * out case by case. Readers are exact whatever it has caught up with, so it only ever saves time:
 * it may be late, stopped or not leading without any answer changing.
 *
 * It works a batch at a time (`Records.refreshStuck`: one transaction each) and lets the event loop
 * serve whatever is waiting between two batches, so a catch-up of the whole agency (at start, or
 * after a reload that changed the stuck rules) never holds a request up for more than one batch.
 * It runs at start, when told the config changed or it took the lead (`catchUp`), a moment after a
 * write (`written`: one run for all the writes of that moment, not one per write) and on a slow beat
 * for what other processes wrote (a CLI command on the SQLite file, another instance on
 * PostgreSQL). With nothing due a run is one read that finds nothing, and nothing else runs.
 */
export interface StuckWriter {
  /** something was written: work the due cases out a moment from now (coalesced) */
  written(): void;
  /** the config changed, or this instance took the lead: catch up now */
  catchUp(): void;
  /** resolves once nothing runs (what a test awaits after driving the timers) */
  settled(): Promise<void>;
  /** stops the timers and waits for a batch under way: called before the store closes */
  stop(): Promise<void>;
}

/**
 * Cases per batch: on SQLite a batch is main-thread time, about 0.03 ms a case on a quiet 2-core
 * machine and 0.1 ms at load average 7 (`npm run bench -- --stuck`), so 100 keeps a batch well
 * under the 20 ms a request may wait behind it even then.
 */
export const STUCK_BATCH = 100;
/** How long after a write the writer runs: every write of that moment is worked out in one run. */
export const STUCK_AFTER_WRITE_MS = 1_000;
/** The beat that finds what this process was not told about (other processes, other instances). */
export const STUCK_BEAT_MS = 60_000;

/** The timers the writer runs on, injected so tests drive them; each returns its cancel. */
export interface WriterTimers {
  /** `fn` after `ms`; 0: as soon as the event loop has served what is waiting */
  after(ms: number, fn: () => void): () => void;
  every(ms: number, fn: () => void): () => void;
}

export const realWriterTimers: WriterTimers = {
  after(ms, fn) {
    if (ms === 0) {
      const i = setImmediate(fn);
      return () => clearImmediate(i);
    }
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
  every(ms, fn) {
    const t = setInterval(fn, ms);
    t.unref();
    return () => clearInterval(t);
  },
};

export interface StuckWriterOptions {
  /** one batch under the rules of the moment: how many are still due after it */
  readonly refresh: (batch: number) => Promise<number>;
  /** whether this instance writes now (PostgreSQL: the schedule leader); always, by default */
  readonly leads?: () => boolean;
  readonly batch?: number;
  readonly afterWriteMs?: number;
  readonly beatMs?: number;
  readonly timers?: WriterTimers;
  /** what it says: `stuckLogLevel` gives each line its level */
  readonly log?: (line: string) => void;
}

export function startStuckWriter(opts: StuckWriterOptions): StuckWriter {
  const timers = opts.timers ?? realWriterTimers;
  const batch = opts.batch ?? STUCK_BATCH;
  const afterWriteMs = opts.afterWriteMs ?? STUCK_AFTER_WRITE_MS;
  const leads = opts.leads ?? (() => true);
  const log = opts.log ?? (() => {});
  let stopped = false;
  /** the run waiting on a timer, and when it is due (0: at once) */
  let pending: { cancel: () => void; ms: number } | null = null;
  let running: Promise<void> | null = null;
  /** told to run again while a run was under way: it may have read before that write */
  let again: number | null = null;
  let failing = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    if (running) {
      again = again === null ? ms : Math.min(again, ms);
      return;
    }
    if (pending && pending.ms <= ms) return;
    pending?.cancel();
    pending = { cancel: timers.after(ms, run), ms };
  };

  const step = () => new Promise<void>((resolve) => timers.after(0, resolve));

  function run(): void {
    pending = null;
    if (stopped || running || !leads()) return;
    running = (async () => {
      let batches = 0;
      try {
        for (;;) {
          const left = await opts.refresh(batch);
          batches++;
          if (left === 0 || stopped) break;
          // Between two batches, whatever is waiting (a request, a reply) goes first.
          await step();
          if (!leads()) break;
        }
        if (failing) log("stuck since: the writer works again");
        failing = false;
        if (batches > 1) log(`stuck since: caught up (${batches} batches of up to ${batch} cases)`);
        else log("stuck since: caught up");
      } catch (e) {
        // Readers work the due cases out themselves, so nothing is wrong meanwhile; the beat retries.
        if (!failing)
          log(
            `stuck since: the writer failed (${e instanceof Error ? e.name : "error"}); retried on its beat`,
          );
        failing = true;
      } finally {
        running = null;
        if (again !== null) {
          const ms = again;
          again = null;
          schedule(ms);
        }
      }
    })();
  }

  const cancelBeat = timers.every(opts.beatMs ?? STUCK_BEAT_MS, () => schedule(0));
  // At start: what a restart or a config changed while stopped left due.
  schedule(0);

  return {
    written: () => schedule(afterWriteMs),
    catchUp: () => schedule(0),
    settled: async () => {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      cancelBeat();
      pending?.cancel();
      pending = null;
      again = null;
      while (running) await running;
    },
  };
}

/**
 * A catch-up of more than one batch (start, a reload) is news and a failure wants a look; the one
 * batch a moment after writes is not news at all.
 */
export function stuckLogLevel(line: string): "info" | "debug" | "warn" {
  if (line.includes("failed")) return "warn";
  return line === "stuck since: caught up" ? "debug" : "info";
}

/** The records with every write that went through announced after it commits (to the writer). */
export function announcingWrites(records: Records, written: () => void): Records {
  return {
    reads: records.reads,
    priorReply: (key) => records.priorReply(key),
    refreshStuck: (rules, batch) => records.refreshStuck(rules, batch),
    async apply(change, opts) {
      const applied = await records.apply(change, opts);
      if (!applied.repeated) written();
      return applied;
    },
  };
}
