// Loaded with `--import` into the server the HTTP load bench forks (bench/http-load.ts), before
// `sos start` itself: it watches the event loop and the memory, and answers over IPC. Asked "stats"
// it answers the longest event-loop block since the last "reset" (`monitorEventLoopDelay`), the
// process's peak RSS (reader threads included), the main thread's peak V8 heap, and where the RSS
// was at its peak (`breakdown`); asked { snapshot: path } it writes the main thread's heap snapshot there.
// Plain JavaScript on purpose: the server runs as it ships (`node bin/sos.js start`, the compiled
// dist/), with no TypeScript loader in the process unless the bench asks for one (SOS_BENCH_SERVE=tsx).
import { readFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { getHeapSpaceStatistics, writeHeapSnapshot } from "node:v8";
import threads, { isMainThread } from "node:worker_threads";

/** What each worker thread reports of its own V8 heap, several times a second. */
const HEAPS = "sos-bench-worker-heaps";

if (isMainThread && process.send) {
  // `--import` does not reach worker threads (Node 20), and Node 20 has no `worker.getHeapStatistics()`:
  // the server's workers (the readers, the WAL checkpointer) are all started from code given as a
  // string (`eval: true`), so each is started with a few lines first that post its heap on a
  // BroadcastChannel. Patched before the app is loaded; `syncBuiltinESMExports` makes the app's
  // `import { Worker }` see it.
  const Original = threads.Worker;
  threads.Worker = class extends Original {
    constructor(code, options) {
      const report = `{ const v8 = require("node:v8"); const { BroadcastChannel, threadId } = require("node:worker_threads");
        const ch = new BroadcastChannel(${JSON.stringify(HEAPS)}); ch.unref();
        const tell = () => { const h = v8.getHeapStatistics(); ch.postMessage({ threadId, what: require("node:worker_threads").workerData?.entry ? "reader" : "other", heap: h.total_heap_size, used: h.used_heap_size, malloced: h.malloced_memory, external: h.external_memory }); };
        setInterval(tell, 100).unref(); tell(); }\n`;
      super(options?.eval ? report + code : code, options);
    }
  };
  syncBuiltinESMExports();
  /** each worker's latest report, by thread id, and its peak heap */
  const workers = new Map();
  const channel = new threads.BroadcastChannel(HEAPS);
  channel.unref();
  channel.onmessage = ({ data }) => {
    const was = workers.get(data.threadId);
    workers.set(data.threadId, { ...data, at: performance.now(), peak: Math.max(was?.peak ?? 0, data.heap) });
  };

  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const MB = 2 ** 20;
  let peakRss = 0;
  // the process's CPU time (every thread's) since the last "reset": per request served, it is
  // the server's cost of a request, which moves far less with a loaded host than req/s does
  let cpuFrom = process.cpuUsage();
  // The main thread's own V8 heap, apart from the process's RSS: the rest is the reader threads'
  // heaps, SQLite's caches and the code.
  let peakHeap = 0;
  /** where the RSS was when it was at its peak: read again at each new peak */
  let atPeak = null;
  const rollup = () => {
    // Anonymous memory (heaps, malloc: SQLite's page caches) apart from mapped files (node's own
    // code, the native modules).
    const text = readFileSync("/proc/self/smaps_rollup", "utf8");
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(text)?.[1] ?? 0) / 1024;
    return { anonymous: kb("Anonymous"), files: kb("Rss") - kb("Anonymous") };
  };
  const sample = () => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapTotal);
    if (m.rss > peakRss) {
      peakRss = m.rss;
      let maps = { anonymous: 0, files: 0 };
      try {
        maps = rollup();
      } catch {
        // not Linux: the split is left out
      }
      // a thread that stopped (a reader replaced) reports no more
      const space = (name) =>
        (getHeapSpaceStatistics().find((x) => x.space_name === name)?.space_size ?? 0) / MB;
      const live = [...workers.values()].filter((w) => performance.now() - w.at < 1000);
      atPeak = {
        rssMb: m.rss / MB,
        mainHeapMb: m.heapTotal / MB,
        // the young generation (two semi-spaces) apart from the old: --max-semi-space-size bounds it
        mainNewMb: space("new_space"),
        readerHeapsMb: live.filter((w) => w.what === "reader").map((w) => w.heap / MB),
        otherHeapsMb: live.filter((w) => w.what !== "reader").map((w) => w.heap / MB),
        // the main thread's malloc outside V8's heap (Buffers, the drivers' memory) as V8 counts it
        externalMb: m.external / MB,
        anonymousMb: maps.anonymous,
        filesMb: maps.files,
      };
    }
  };
  const sampler = setInterval(sample, 100);
  sampler.unref();

  process.on("message", (m) => {
    if (m === "reset") {
      delay.reset();
      cpuFrom = process.cpuUsage();
      peakRss = 0;
      peakHeap = 0;
      for (const w of workers.values()) w.peak = w.heap;
      sample();
      process.send?.({ reset: true });
    }
    if (m === "stats") {
      sample();
      process.send?.({
        maxBlockMs: delay.max / 1e6,
        cpuMs: (({ user, system }) => (user + system) / 1000)(process.cpuUsage(cpuFrom)),
        peakRssMb: peakRss / MB,
        peakMainHeapMb: peakHeap / MB,
        breakdown: {
          ...atPeak,
          peakReaderHeapsMb: [...workers.values()].filter((w) => w.what === "reader").map((w) => w.peak / MB),
        },
      });
    }
    if (m && typeof m === "object" && typeof m.snapshot === "string")
      process.send?.({ snapshot: writeHeapSnapshot(m.snapshot) });
  });
  // The IPC channel must not keep a stopped server alive.
  process.channel?.unref();
}
