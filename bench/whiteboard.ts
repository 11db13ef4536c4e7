/**
 * `node --import tsx bench/whiteboard.ts`: the whiteboard picture for a 400-case team shaped like the
 * synthetic agency's teams (bench/synthetic.ts: 20 workers with 20 cases each, 50 events a case), in
 * a temp SQLite file. Times model → PNG for both sizes, wall clock and this process's CPU time (the
 * CPU time is steadier on a shared machine), and prints the PNGs' bytes and dimensions.
 * Target (issue 5): the full PNG for a 400-case team in ≤ 200 ms. `OUT=dir` also writes the PNGs.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dayClock } from "../src/app/clock.ts";
import { OPERATOR, viewEnv } from "../src/commands/views.ts";
import type { Picture } from "../src/digest/post.ts";
import { whiteboardModel } from "../src/digest/whiteboard.ts";
import { whiteboardPng } from "../src/render/whiteboard-png.ts";
import type { PictureSize } from "../src/render/whiteboard-svg.ts";
import { openStore } from "../src/store/open.ts";
import { buildAgency, type Shape, TODAY } from "./synthetic.ts";

const SHAPE: Shape = { teams: 1, workersPerTeam: 20, cases: 400, events: 20_000 };
const RUNS = Number(process.env.RUNS ?? 50);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(1)}, p99 ${percentile(s, 99).toFixed(1)}`;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const dir = mkdtempSync(join(tmpdir(), "sos-bench-wb-"));
const store = openStore(join(dir, "bench.db"));
try {
  const ctx = buildAgency(store, dayClock(TODAY, "Europe/London"), SHAPE, TODAY);
  // the team digest goes to a channel: initials, as the picture would be posted
  const env = viewEnv(ctx, OPERATOR, "digest", "channel");
  const teamId = ctx.org.teams[0]!.id;
  const build = (size: PictureSize) => whiteboardPng(whiteboardModel(env, teamId), size);
  build("full"); // warm up: module loading and the first resvg call are paid once per process

  const last: Partial<Record<PictureSize, Picture>> = {};
  for (const size of ["full", "compact"] as const) {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const c0 = cpuMs();
      last[size] = build(size);
      cpu.push(cpuMs() - c0);
      wall.push(performance.now() - t0);
    }
    console.log(
      `${size} PNG, model included (${RUNS} builds): wall ms ${summary(wall)}; CPU ms ${summary(cpu)}`,
    );
  }
  const m = whiteboardModel(env, teamId);
  console.log(`team: ${m.counts.cases} open cases, ${m.counts.stuckCases} stuck, ${m.groups.length} workers`);
  for (const p of Object.values(last)) {
    const base64 = Math.ceil(p.png.length / 3) * 4;
    console.log(
      `${p.filename}: ${p.width}×${p.height} px, ${p.png.length.toLocaleString("en")} bytes (${base64.toLocaleString("en")} as base64)`,
    );
    if (process.env.OUT) writeFileSync(join(process.env.OUT, p.filename), p.png);
  }
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
