/**
 * The PNG renderer's own process (see png-renderer.ts): SVG in, PNG out, over the IPC channel. Its
 * memory goes back to the system when it exits, which it does when idle.
 */
import { svgToPng } from "./whiteboard-png.ts";

interface Job {
  readonly id: number;
  readonly svg: string;
  readonly palette?: number;
}

process.on("message", (job: Job) => {
  try {
    const { png, width, height } = svgToPng(job.svg, job.palette ? { palette: job.palette } : {});
    process.send?.({ id: job.id, png, width, height, rssMb: process.resourceUsage().maxRSS / 1024 });
  } catch (e) {
    process.send?.({ id: job.id, error: e instanceof Error ? e.message : String(e) });
  }
});
