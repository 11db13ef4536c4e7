import { cpus } from "node:os";
import { Worker } from "node:worker_threads";
import { UsageError } from "../app/usage-error.ts";
import { Busy, type JobName, type OffloadJobs } from "../commands/offload.ts";
import type { Org } from "../config/org.ts";
import type { ToMain, ToReader } from "./reader-protocol.ts";

/**
 * The server's reader threads: heavy reads and view building (dashboards, stuck lists, App Home,
 * digests, the whiteboard) run here, off the main thread, so the main thread only parses, writes
 * (sub-millisecond, one transaction each) and talks to the platforms, and Slack's 3-second
 * acknowledgement is never stuck behind a 20,000-case agency view.
 *
 * Each thread has its own read-only connection (WAL lets it read while the main thread writes) and
 * runs one job at a time, with up to `depth` sent to it (the one running and the next ones, waiting
 * in its own message queue): under load the main thread takes a while to handle a thread's answer,
 * and a thread given its next job only then sat idle three quarters of the time while people were
 * told "busy". A job carries the config and the instant of the moment it was asked for,
 * so a reader answers under the config the app has now (a reload included) and on the app's clock.
 * Waiting jobs are served people first: a digest (`background`) waits behind them, but never more
 * than `agingMs`. When more people's jobs wait than `maxWaiting`, a new one is refused at once with
 * `Busy` ("try again in a minute") rather than left to wait on silence.
 */
export interface Readers {
  /**
   * Runs a job on a reader under `org` and `now` (the asking context's: `readersFor` passes them),
   * else the `source`'s of the moment. Rejects with `Busy` when more people's jobs wait than
   * `maxWaiting`; a digest's (`background`) is never refused.
   */
  run<K extends JobName>(
    job: K,
    args: OffloadJobs[K]["args"],
    opts?: RunOptions,
  ): Promise<OffloadJobs[K]["result"]>;
  /** jobs waiting for a thread, and those sent to one (running, or next in its queue) */
  stats(): { readonly waiting: number; readonly background: number; readonly running: number };
  close(): Promise<void>;
}

export interface RunOptions {
  readonly background?: boolean;
  readonly org?: Org;
  readonly now?: Date;
}

export interface ReaderOptions {
  /** the database file: each thread opens it read-only */
  readonly dbPath: string;
  /** the config and "now" a job is asked under: the app's of the moment */
  readonly source: () => { readonly org: Org; readonly now: Date };
  /** default: one per core beyond the first (the main thread's), at least 1, at most 4 */
  readonly threads?: number;
  /** people's jobs that may wait for a thread before a new one is refused (default 64) */
  readonly maxWaiting?: number;
  /**
   * each thread's V8 heap, old generation, in MB (default `SOS_READER_HEAP_MB`, else 192): a thread
   * that needs more stops with ERR_WORKER_OUT_OF_MEMORY, its job is refused and it is replaced
   */
  readonly heapMb?: number;
  /**
   * jobs sent to a thread at once, the one running included (default 4): the next ones are in its
   * queue when it finishes, so it never waits on the main thread. 1 sends a job only to an idle one.
   */
  readonly depth?: number;
  /** how long a digest's job waits behind people's before it goes next (default 1 s) */
  readonly agingMs?: number;
  readonly log?: (line: string) => void;
}

interface Job {
  readonly id: number;
  readonly job: JobName;
  readonly args: unknown;
  readonly org: Org;
  readonly now: Date;
  readonly since: number;
  resolve(v: unknown): void;
  reject(e: Error): void;
}

interface Thread {
  worker: Worker;
  /** the jobs sent to it, in the order sent: it answers them in that order */
  readonly sent: Job[];
  /** the config versions this thread holds, oldest sent first (at most `KEPT_CONFIGS`) */
  readonly versions: number[];
}

/**
 * Configs a thread keeps (each with its people, read once): the live one and one or two that pinned
 * commands may still be asked under just after a reload.
 */
const KEPT_CONFIGS = 3;

// Run as TypeScript (tests, tsx) or compiled (`dist/`): the thread runs the way this module does.
const COMPILED = import.meta.url.endsWith(".js");
const ENTRY = new URL(COMPILED ? "./reader-worker.js" : "./reader-worker.ts", import.meta.url).href;
// A worker thread does not take --import from its options: it registers tsx itself first, when the
// app runs as TypeScript (tsx is a dev dependency, resolved only then).
const BOOT = `const { workerData } = require("node:worker_threads");
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})().catch((e) => { process.nextTick(() => { throw e; }); });`;

/**
 * How many reader threads `sos start` runs: `SOS_READERS` (0 builds everything on the main thread,
 * as before), else one per core beyond the main thread's, at least 1 and at most 4.
 */
export function readerThreads(env: NodeJS.ProcessEnv): number {
  const given = env.SOS_READERS?.trim();
  if (given === undefined || given === "") return Math.max(1, Math.min(4, cpus().length - 1));
  const n = Number(given);
  if (!Number.isInteger(n) || n < 0 || n > 16)
    throw new UsageError(
      `SOS_READERS must be a whole number of reader threads from 0 to 16 (got "${given}")`,
    );
  return n;
}

/**
 * A reader thread's heap, as V8 sizes it: left to itself an isolate on a machine with gigabytes
 * grows its old generation far past what it keeps alive before collecting (each thread is its own
 * isolate with its own heap, beside the main thread's), and its young generation to 3 × 16 MB
 * semi-spaces. Bounded, it collects sooner and the server's RSS stays near what is live. An agency
 * view of 20,000 cases keeps well under the default alive at once (README "Performance").
 */
export const DEFAULT_READER_HEAP_MB = 192;
/**
 * The young generation: small objects of one job die young. 24 MB is V8's three semi-spaces' worth
 * of 8 MB, what `npm start`'s `--max-semi-space-size=8` gives every isolate anyway (a V8 flag wins
 * over a worker's `resourceLimits`); here so a server started without the flag bounds its readers
 * the same. 4 MB semi-spaces held less (the reader's committed heap 32–41 → 24–35 MB) but cost the
 * server 13% more CPU a request under the HTTP load (README "Performance").
 */
const YOUNG_MB = 24;

/** `SOS_READER_HEAP_MB`: each reader thread's old-generation limit, else the default. */
export function readerHeapMb(env: NodeJS.ProcessEnv): number {
  const given = env.SOS_READER_HEAP_MB?.trim();
  if (given === undefined || given === "") return DEFAULT_READER_HEAP_MB;
  const n = Number(given);
  if (!Number.isInteger(n) || n < 32 || n > 4096)
    throw new UsageError(
      `SOS_READER_HEAP_MB must be a whole number of megabytes from 32 to 4096 (got "${given}")`,
    );
  return n;
}

export function startReaders(opts: ReaderOptions): Readers {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const size = opts.threads ?? readerThreads({});
  const maxWaiting = opts.maxWaiting ?? 64;
  const agingMs = opts.agingMs ?? 1000;
  const depth = Math.max(1, opts.depth ?? 4);
  const heapMb = opts.heapMb ?? readerHeapMb(process.env);
  const people: Job[] = [];
  const digests: Job[] = [];
  const threads: Thread[] = [];
  const versions = new WeakMap<Org, number>();
  let nextVersion = 1;
  let nextId = 1;
  let closing = false;
  let failures = 0;

  const versionOf = (org: Org) => {
    let v = versions.get(org);
    if (v === undefined) {
      v = nextVersion++;
      versions.set(org, v);
    }
    return v;
  };

  function spawn(): Thread {
    const worker = new Worker(BOOT, {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: YOUNG_MB },
      workerData: {
        dbPath: opts.dbPath,
        entry: ENTRY,
        tsx: COMPILED ? null : import.meta.resolve("tsx/esm/api"),
      },
    });
    const thread: Thread = { worker, sent: [], versions: [] };
    worker.on("message", (m: ToMain) => {
      const job = thread.sent[0];
      if (!job || job.id !== m.id) return;
      thread.sent.shift();
      failures = 0;
      if (m.ok) job.resolve(m.result);
      else job.reject(rebuilt(m.error));
      dispatch();
    });
    worker.on("error", (e: unknown) => {
      // What reaches here from a thread is a copy of its error: its code, else its kind.
      const { code, name } = (e ?? {}) as { code?: unknown; name?: unknown };
      log(
        `reader: a reader thread failed (${typeof code === "string" ? code : typeof name === "string" ? name : "error"})`,
      );
    });
    worker.on("exit", () => {
      const at = threads.indexOf(thread);
      if (at >= 0) threads.splice(at, 1);
      for (const job of thread.sent.splice(0))
        job.reject(new Error("the reader thread stopped while answering"));
      if (closing) return;
      // With no thread left, people waiting would wait on silence until one is back (up to 30 s, or
      // never if the database cannot be opened): they are told the server is busy instead.
      if (threads.length === 0) for (const j of people.splice(0)) j.reject(new Busy());
      // Replaced, with a pause that grows if it keeps failing (a database it cannot open, say).
      failures++;
      const timer = setTimeout(
        () => {
          if (closing) return;
          threads.push(spawn());
          dispatch();
        },
        Math.min(30_000, 100 * 2 ** Math.min(failures, 8)),
      );
      timer.unref();
    });
    return thread;
  }

  /** The next job to run: people's first, unless a digest's has waited its turn. */
  function next(): Job | undefined {
    const digest = digests[0];
    if (digest && (people.length === 0 || performance.now() - digest.since >= agingMs))
      return digests.shift();
    return people.shift();
  }

  /**
   * Fills the threads, the least loaded first, each up to `depth`: with several threads a queue of
   * jobs is spread over them rather than all sent to the first.
   */
  function dispatch(): void {
    for (;;) {
      let thread: Thread | undefined;
      for (const t of threads)
        if (t.sent.length < depth && (!thread || t.sent.length < thread.sent.length)) thread = t;
      if (!thread) return;
      const job = next();
      if (!job) return;
      const version = versionOf(job.org);
      const send = (m: ToReader) => thread.worker.postMessage(m);
      if (!thread.versions.includes(version)) {
        // The thread takes this in turn after the jobs already sent to it (reader-worker.ts), so a
        // config it drops is dropped only once those of its jobs that need it have run.
        thread.versions.push(version);
        const forget = thread.versions.splice(0, Math.max(0, thread.versions.length - KEPT_CONFIGS));
        send({ type: "org", version, org: job.org, forget });
      }
      thread.sent.push(job);
      send({ type: "job", id: job.id, job: job.job, args: job.args, version, now: job.now.toISOString() });
    }
  }

  for (let i = 0; i < size; i++) threads.push(spawn());

  return {
    run<K extends JobName>(
      job: K,
      args: OffloadJobs[K]["args"],
      o: RunOptions = {},
    ): Promise<OffloadJobs[K]["result"]> {
      if (closing) return Promise.reject(new Error("the readers are stopped"));
      const background = o.background === true;
      if (!background && (people.length >= maxWaiting || threads.length === 0))
        return Promise.reject(new Busy());
      const org = o.org ?? opts.source().org;
      const now = o.now ?? opts.source().now;
      return new Promise((resolve, reject) => {
        (background ? digests : people).push({
          id: nextId++,
          job,
          args,
          org,
          now,
          since: performance.now(),
          resolve: (v) => resolve(v as OffloadJobs[K]["result"]),
          reject,
        });
        dispatch();
      });
    },
    stats: () => ({
      waiting: people.length,
      background: digests.length,
      running: threads.reduce((n, t) => n + t.sent.length, 0),
    }),
    async close() {
      closing = true;
      for (const j of [...people.splice(0), ...digests.splice(0)])
        j.reject(new Error("the readers are stopped"));
      await Promise.all(
        threads.map(
          (t) =>
            new Promise<void>((resolve) => {
              t.worker.once("exit", () => resolve());
              t.worker.postMessage({ type: "stop" } satisfies ToReader);
            }),
        ),
      );
    },
  };
}

/** A reader's error as an Error here: its kind, code and stack, for the log line that names them. */
function rebuilt(e: Extract<ToMain, { ok: false }>["error"]): Error {
  const err = new Error(e.message);
  err.name = e.name;
  if (e.stack) err.stack = e.stack;
  if (e.code) Object.assign(err, { code: e.code });
  return err;
}
