// Loaded with `--import` into the server the HTTP load bench forks (bench/http-load.ts), before
// `sos start` itself: it watches the event loop and the memory, and answers over IPC. Asked "stats"
// it answers the longest event-loop block since the last "reset" (`monitorEventLoopDelay`), the
// process's peak RSS (reader threads included) and the main thread's peak V8 heap; asked
// { snapshot: path } it writes the main thread's heap snapshot there.
// Plain JavaScript on purpose: the server runs as it ships (`node bin/sos.js start`, the compiled
// dist/), with no TypeScript loader in the process unless the bench asks for one (SOS_BENCH_SERVE=tsx).
import { monitorEventLoopDelay } from "node:perf_hooks";
import { writeHeapSnapshot } from "node:v8";
import { isMainThread } from "node:worker_threads";

if (isMainThread && process.send) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let peakRss = 0;
  // The main thread's own V8 heap, apart from the process's RSS: the rest is the reader threads'
  // heaps, SQLite's caches and the code.
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapTotal);
  };
  // The process's CPU time (main thread, readers, GC: user + system) since the last "reset": per
  // request, the cost of serving it, which another process's load on the cores barely moves.
  let cpu0 = process.cpuUsage();
  const sampler = setInterval(sample, 100);
  sampler.unref();

  process.on("message", (m) => {
    if (m === "reset") {
      delay.reset();
      peakRss = process.memoryUsage().rss;
      peakHeap = process.memoryUsage().heapTotal;
      cpu0 = process.cpuUsage();
      process.send?.({ reset: true });
    }
    if (m === "stats") {
      sample();
      process.send?.({
        maxBlockMs: delay.max / 1e6,
        peakRssMb: peakRss / 2 ** 20,
        peakMainHeapMb: peakHeap / 2 ** 20,
        cpuMs: (({ user, system }) => (user + system) / 1000)(process.cpuUsage(cpu0)),
      });
    }
    if (m && typeof m === "object" && typeof m.snapshot === "string")
      process.send?.({ snapshot: writeHeapSnapshot(m.snapshot) });
  });
  // The IPC channel must not keep a stopped server alive.
  process.channel?.unref();
}
