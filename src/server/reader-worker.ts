import { parentPort, workerData } from "node:worker_threads";
import { readContext } from "../app/context.ts";
import type { Ctx } from "../commands/ctx.ts";
import type { JobName } from "../commands/offload.ts";
import type { Org } from "../config/org.ts";
import { openStoreReadOnly } from "../store/open-readonly.ts";
import { JOBS } from "./reader-jobs.ts";
import type { ToMain, ToReader } from "./reader-protocol.ts";

/**
 * A reader thread: its own read-only connection to the database (WAL lets it read while the main
 * thread writes), one job at a time, each in one read transaction so it sees one moment of the
 * record, with the config and the instant the main thread sent with it.
 */
const port = parentPort;
if (!port) throw new Error("reader-worker.ts runs as a worker thread (src/server/readers.ts starts it)");
const { dbPath } = workerData as { dbPath: string };
const store = openStoreReadOnly(dbPath);

// The instant of the job being run: every "now" and "today" in it is the main thread's.
let now = new Date(0);
const clock = { now: () => new Date(now) };
/** A context per config: the people are read from the database once per config. */
const contexts = new Map<number, Ctx>();
// One at a time, in the order sent: the clock and the read transaction belong to the job running,
// and a config message takes its turn between jobs.
let queue: Promise<void> = Promise.resolve();

port.on("message", (m: ToReader) => {
  if (m.type === "org") {
    // The main thread decides which configs a thread holds (readers.ts), so both sides agree. In
    // turn with the jobs: one sent before may still need a config this drops (today each job's
    // awaits settle before the next message is read, so this holds even without the queue; a job
    // that awaited real I/O would otherwise let this message in between).
    queue = queue.then(() => {
      for (const v of m.forget) contexts.delete(v);
      contexts.set(m.version, readContext(m.org as Org, store, clock));
    });
    return;
  }
  if (m.type === "stop") {
    // After the jobs already sent: their people get an answer, and the connection closes once.
    queue = queue.then(() => {
      store.close();
      port.close();
    });
    return;
  }
  void run(m.id, m.job, m.args, m.version, m.now);
});

function run(id: number, job: JobName, args: unknown, version: number, at: string): Promise<void> {
  queue = queue.then(async () => {
    const ctx = contexts.get(version);
    if (!ctx) {
      reply({ id, ok: false, error: { name: "Error", message: `no config ${version} on this reader` } });
      return;
    }
    now = new Date(at);
    store.sqlite.exec("BEGIN");
    try {
      const run = JOBS[job] as (ctx: Ctx, args: unknown) => Promise<unknown>;
      reply({ id, ok: true, result: await run(ctx, args) });
    } catch (e) {
      const err: Error & { code?: unknown } = e instanceof Error ? e : new Error(String(e));
      const { code } = err;
      reply({
        id,
        ok: false,
        error: {
          name: err.name,
          message: err.message,
          ...(err.stack ? { stack: err.stack } : {}),
          ...(typeof code === "string" ? { code } : {}),
        },
      });
    } finally {
      store.sqlite.exec("COMMIT");
    }
  });
  return queue;
}

function reply(m: ToMain): void {
  port!.postMessage(m);
}
