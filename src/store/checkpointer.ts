import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Store } from "./open.ts";

/**
 * Moves WAL checkpoints off the request path. By default SQLite checkpoints inside whichever commit
 * crosses 1,000 WAL pages, and that commit then waits for the copy and its fsync: measured as the
 * slowest 1-2% of logs (3-7 ms instead of 0.2 ms). Here a worker thread with its own connection
 * checkpoints every `intervalMs` while commands keep committing; the main connection keeps a much
 * higher automatic threshold as a safety net should the worker stop.
 */
export function startCheckpointer(
  store: Store,
  opts: { intervalMs?: number; log?: (line: string) => void } = {},
): { stop(): Promise<void> } {
  const intervalMs = opts.intervalMs ?? 1000;
  const log = opts.log ?? ((line: string) => process.stderr.write(`sos: ${line}\n`));
  if (store.path === ":memory:") return { stop: async () => {} };
  store.sqlite.pragma("wal_autocheckpoint = 20000");
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const Database = require(workerData.driver);
     const db = new Database(workerData.path);
     db.pragma("busy_timeout = 1000");
     const timer = setInterval(() => {
       try { db.pragma("wal_checkpoint(PASSIVE)"); } catch (e) { parentPort.postMessage(String(e && e.message)); }
     }, workerData.intervalMs);
     parentPort.on("message", () => { clearInterval(timer); db.close(); parentPort.close(); });`,
    {
      eval: true,
      workerData: {
        path: store.path,
        intervalMs,
        driver: createRequire(import.meta.url).resolve("better-sqlite3"),
      },
    },
  );
  worker.unref();
  worker.on("message", (m) => log(`WAL checkpoint failed: ${m}`));
  worker.on("error", (e) => log(`WAL checkpointer stopped (${e.name})`));
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        worker.once("exit", () => resolve());
        worker.ref(); // wait for it: an idle worker does not hold the process open
        worker.postMessage("stop");
      }),
  };
}
