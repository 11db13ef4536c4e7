/**
 * `node --import tsx bench/whiteboard.ts`: the whiteboard picture for a 400-case team of the synthetic
 * agency (bench/synthetic.ts, one team of 20 workers with 20 cases each and the agency's 50 events a
 * case), built in a temp SQLite file. Measures the model, the SVG, and model → PNG for both sizes,
 * and prints the PNGs' sizes and dimensions. Target (issue 5): full PNG ≤ 200 ms for 400 cases.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dayClock } from "../src/app/clock.ts";
import { OPERATOR, viewEnv } from "../src/commands/views.ts";
import { whiteboardModel } from "../src/digest/whiteboard.ts";
import { whiteboardPng } from "../src/render/whiteboard-png.ts";
import { whiteboardSvg } from "../src/render/whiteboard-svg.ts";
import { openStore } from "../src/store/open.ts";
import { buildAgency, type Shape, TODAY } from "./synthetic.ts";

const SHAPE: Shape = { teams: 1, workersPerTeam: 20, cases: 400, events: 20_000 };
const RUNS = Number(process.env.RUNS ?? 50);

function stats(times: number[]): string {
  const s = [...times].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
  return `p50 ${at(50).toFixed(1)} ms, p99 ${at(99).toFixed(1)} ms (n=${s.length})`;
}

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const out = fn();
  return [out, performance.now() - t0];
}

const dir = mkdtempSync(join(tmpdir(), "sos-bench-wb-"));
const store = openStore(join(dir, "bench.db"));
try {
  const ctx = buildAgency(store, dayClock(TODAY, "Europe/London"), SHAPE, TODAY);
  const env = viewEnv(ctx, OPERATOR, "digest", "channel");
  const teamId = ctx.org.teams[0]!.id;
  // warm up: module loading and the first resvg call are not what a digest waits on each week
  whiteboardPng(whiteboardModel(env, teamId), "full");

  const model: number[] = [];
  const svg: number[] = [];
  const full: number[] = [];
  const compact: number[] = [];
  let last = {
    full: whiteboardPng(whiteboardModel(env, teamId), "full"),
    compact: whiteboardPng(whiteboardModel(env, teamId), "compact"),
  };
  for (let i = 0; i < RUNS; i++) {
    const [m, tm] = time(() => whiteboardModel(env, teamId));
    model.push(tm);
    svg.push(time(() => whiteboardSvg(m, { size: "full" }))[1]);
    const [f, tf] = time(() => whiteboardPng(whiteboardModel(env, teamId), "full"));
    full.push(tf);
    const [c, tc] = time(() => whiteboardPng(whiteboardModel(env, teamId), "compact"));
    compact.push(tc);
    last = { full: f, compact: c };
  }
  const m = whiteboardModel(env, teamId);
  console.log(
    `team of ${m.counts.cases} open cases, ${m.counts.stuckCases} stuck, ${m.groups.length} workers`,
  );
  console.log(`model (SQLite read + stuck rules):  ${stats(model)}`);
  console.log(`full SVG from the model:            ${stats(svg)}`);
  console.log(`full PNG, model included:           ${stats(full)}`);
  console.log(`compact PNG, model included:        ${stats(compact)}`);
  for (const [name, p] of Object.entries(last)) {
    const b64 = Math.ceil(p.png.length / 3) * 4;
    console.log(
      `${name}: ${p.width}×${p.height} px, ${p.png.length.toLocaleString("en")} bytes PNG (${b64.toLocaleString("en")} as base64)`,
    );
    if (process.env.OUT) writeFileSync(join(process.env.OUT, p.filename), p.png);
  }
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
