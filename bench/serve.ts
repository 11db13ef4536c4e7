/**
 * `sos start` itself, in a child process the HTTP load bench forks (bench/http-load.ts), with the
 * event loop watched: asked "stats" over IPC it answers the longest event-loop block since the last
 * "reset" (`monitorEventLoopDelay`) and the process's RSS, reader threads included.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";

const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);
sampler.unref();

process.on("message", (m: unknown) => {
  if (m === "reset") {
    delay.reset();
    peakRss = process.memoryUsage().rss;
    process.send?.({ reset: true });
  }
  if (m === "stats")
    process.send?.({
      maxBlockMs: delay.max / 1e6,
      peakRssMb: Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20,
    });
});
// The IPC channel must not keep a stopped server alive.
process.channel?.unref();

const { start } = await import("../src/cli/start.ts");
process.exitCode = await start([]);
