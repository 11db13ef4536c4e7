/**
 * `sos start` itself, in a child process the HTTP load bench forks (bench/http-load.ts), with the
 * event loop watched: asked "stats" over IPC it answers the longest event-loop block since the last
 * "reset" (`monitorEventLoopDelay`), the process's peak RSS (reader threads included) and the main
 * thread's peak V8 heap.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";

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
const sampler = setInterval(sample, 100);
sampler.unref();

process.on("message", (m: unknown) => {
  if (m === "reset") {
    delay.reset();
    peakRss = process.memoryUsage().rss;
    peakHeap = process.memoryUsage().heapTotal;
    process.send?.({ reset: true });
  }
  if (m === "stats") {
    sample();
    process.send?.({
      maxBlockMs: delay.max / 1e6,
      peakRssMb: peakRss / 2 ** 20,
      peakMainHeapMb: peakHeap / 2 ** 20,
    });
  }
});
// The IPC channel must not keep a stopped server alive.
process.channel?.unref();

const { start } = await import("../src/cli/start.ts");
process.exitCode = await start([]);
