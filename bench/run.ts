/**
 * `npm run bench`: builds a synthetic agency (50 teams, 1,000 workers, 20,000 open cases, 1,000,000
 * events) in a temp SQLite file and measures the paths people wait on, beside a raw better-sqlite3
 * baseline measured in the same run, then `sos import` of 20,000 cases and 200,000 practice rows beside
 * a raw bulk insert of the same rows (bench/import.ts). Prints tables; the README keeps the latest.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { STUCK_BATCH } from "../src/app/stuck-writer.ts";
import { stuckRules } from "../src/commands/board.ts";
import { dayClock } from "../src/commands/clock.ts";
import { makeInvocation } from "../src/commands/invocation.ts";
import { runCommand } from "../src/commands/run.ts";
import { dashboardFor, OPERATOR, viewEnv } from "../src/commands/views.ts";
import { agencySummary } from "../src/digest/agency-summary.ts";
import { teamDigest } from "../src/digest/team-digest.ts";
import { digestText } from "../src/digest/text.ts";
import { whiteboardModel } from "../src/digest/whiteboard.ts";
import { addDays, isoWeek } from "../src/domain/dates.ts";
import { isolatedRenderer } from "../src/pictures/png-renderer.ts";
import { whiteboardPngIsolated } from "../src/pictures/whiteboard-picture.ts";
import { startCheckpointer } from "../src/store/checkpointer.ts";
import { openStore } from "../src/store/open.ts";
import { benchApi } from "./api.ts";
import { coldStarts, type Figure } from "./cold-start.ts";
import { httpLoad } from "./http-load.ts";
import { benchImport } from "./import.ts";
import { benchPostgres } from "./pg.ts";
import { benchScale } from "./scale.ts";
import { percentile } from "./stats.ts";
import { benchStuckWriter } from "./stuck-run.ts";
import { measureWriter, sqliteMakeDue, writerTable } from "./stuck-writer.ts";
import { SHAPE, syntheticConfig, syntheticContext, TODAY } from "./synthetic.ts";

async function measureAsync(
  n: number,
  fn: (i: number) => Promise<unknown>,
): Promise<{ p50: number; p99: number; n: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), n };
}

function measure(n: number, fn: (i: number) => void): { p50: number; p99: number; n: number } {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    fn(i);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), n };
}

const ms = (x: number) => (x < 1 ? x.toFixed(3) : x < 100 ? x.toFixed(2) : x.toFixed(0));

// `npm run bench -- --cold`: only the cold starts; `-- --http`: only the HTTP load; `-- --scale`:
// only the growth table (`SOS_BENCH_SCALE`, bench/scale.ts); `-- --store postgres`: only the chat
// commands on PostgreSQL beside SQLite, with pgbench's floor (bench/pg.ts); `-- --stuck`: only the
// stuck-since writer on SQLite and PostgreSQL (bench/stuck-run.ts).
const coldOnly = process.argv.includes("--cold");
if (process.argv.includes("--stuck")) {
  console.log(
    `sos-dashboards benchmark, stuck-since writer, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at the start`,
  );
  for (const l of await benchStuckWriter(() => loadavg()[0]!.toFixed(1))) console.log(l);
  process.exit(0);
}
const httpOnly = process.argv.includes("--http");
const scaleOnly = process.argv.includes("--scale");
const storeAt = process.argv.indexOf("--store");
if (storeAt >= 0) {
  const store = process.argv[storeAt + 1];
  if (store !== "postgres") {
    console.error(
      `--store takes "postgres" (SQLite is measured beside it in the same run), not "${store ?? ""}"`,
    );
    process.exit(2);
  }
  console.log(
    `sos-dashboards benchmark, PostgreSQL, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at the start`,
  );
  for (const l of await benchPostgres(() => loadavg()[0]!.toFixed(1))) console.log(l);
  process.exit(0);
}
if (scaleOnly) {
  // Each scale builds its own agency: the 1× fixture below is not needed.
  console.log(
    `sos-dashboards benchmark, growth only, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at the start`,
  );
  await benchScale(
    () => loadavg()[0]!.toFixed(1),
    (l) => console.log(l),
  );
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), "sos-bench-"));
const dbPath = join(dir, "bench.db");
// The fixture is written by a child process, so this process's peak RSS is the app's own.
const buildSeconds = Number(
  execFileSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "generate.ts"), dbPath], {
    encoding: "utf8",
  }),
);
const store = openStore(dbPath);
// As the server runs: WAL checkpoints in a worker thread, off the command path (src/store/checkpointer.ts).
const checkpointer = startCheckpointer(store);
const clock = dayClock(TODAY, "Europe/London");
/** The paths people wait on, measured in this process against the synthetic agency. */
async function inProcess(): Promise<void> {
  const ctx = syntheticContext(store, clock, SHAPE);
  const workers = ctx.people.all().filter((a) => a.role === "worker");
  const cases = store.sqlite.prepare("SELECT id, worker_id AS workerId FROM cases").all() as {
    id: string;
    workerId: number;
  }[];
  // "Stuck since" as the server keeps it: the writer's catch-up of the whole agency (measured: its
  // own table below), so every figure after it reads the kept values, as in production.
  const writer = await measureWriter("SQLite", ctx, sqliteMakeDue(store));
  const rules = stuckRules(ctx.org);
  const counts = store.sqlite
    .prepare(
      "SELECT (SELECT count(*) FROM practice_events) AS events, (SELECT sum((SELECT count(*) FROM json_each(states))) FROM cases) AS states",
    )
    .get() as { events: number; states: number };

  // 1. log an element through the command layer: parse → authorize → write (one transaction) → reply
  const LOGS = 5_000;
  const byId = new Map(workers.map((w) => [w.staffId, w]));
  let refused = 0;
  for (let i = 0; i < 200; i++)
    await runCommand(ctx, {
      actor: byId.get(cases[i]!.workerId)!,
      text: `mapped-with-family ${cases[i]!.id} ${addDays(TODAY, -1)}`,
      surface: "cli",
      audience: "private",
    });
  const log = await measureAsync(LOGS, async (i) => {
    const c = cases[(i * 7919 + 1000) % cases.length]!;
    const r = await runCommand(ctx, {
      actor: byId.get(c.workerId)!,
      text: `/sos mapped-with-family ${c.id} ${addDays(TODAY, -(i % 20))}`,
      surface: "slack",
      audience: "private",
      idempotencyKey: `bench:${i}`,
    });
    if (!r.ok) refused++;
  });

  // The server's writer works the cases those logs made due out a moment after them.
  while ((await ctx.records.refreshStuck(rules, STUCK_BATCH)) > 0);

  // 2. raw better-sqlite3 baseline in the same run: a prepared insert and a prepared point select
  store.sqlite.exec(
    "CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, case_id TEXT, element TEXT, occurred_on TEXT, recorded_at TEXT)",
  );
  const rawInsert = store.sqlite.prepare(
    "INSERT INTO bench_raw (case_id, element, occurred_on, recorded_at) VALUES (?, ?, ?, ?)",
  );
  const rawSelect = store.sqlite.prepare("SELECT * FROM cases WHERE id = ?");
  const raw = measure(LOGS, (i) => {
    const c = cases[(i * 7919 + 3000) % cases.length]!;
    rawSelect.get(c.id);
    rawInsert.run(c.id, "mapping-with-family", TODAY, "2026-11-26T12:00:00Z");
  });

  // 3. a team dashboard (about 400 cases), view model only and the whole `/sos team` command with text
  const env = viewEnv(ctx, OPERATOR, "cli", "private");
  const teamIds = ctx.org.teams.map((t) => t.id);
  const teamView = await measureAsync(100, (i) =>
    dashboardFor(env, { kind: "team", teamId: teamIds[i % teamIds.length]! }, "overview"),
  );
  const supervisors = ctx.people.all().filter((a) => a.role === "supervisor");
  const teamCommand = await measureAsync(100, (i) =>
    runCommand(ctx, {
      actor: supervisors[i % supervisors.length]!,
      text: "team overview",
      surface: "cli",
      audience: "private",
    }),
  );
  const teamSize = (
    await dashboardFor(env, { kind: "team", teamId: teamIds[0]! }, "overview")
  )[0]!.groups.reduce((n, g) => n + g.rows.length, 0);

  // 4. the agency overview: every open case, grouped by worker
  const agency = await measureAsync(10, () => dashboardFor(env, { kind: "agency" }, "overview"));
  const agencyRows = (await dashboardFor(env, { kind: "agency" }, "overview"))[0]!.groups.reduce(
    (n, g) => n + g.rows.length,
    0,
  );

  // 5. every team's weekly digest and the agency summary, as the Monday runs build them (with text)
  const digestEnv = makeInvocation(ctx, OPERATOR, "digest", "channel");
  // As of a week with practice in it (the synthetic events stop 30 days before "today"), so each
  // digest is the full one with its tables, not a quiet week's one line.
  const asOf = addDays(TODAY, -31);
  const period = isoWeek(asOf);
  const quiet = (await teamDigest(digestEnv, teamIds[0]!, { asOf, period, late: false })).quiet;
  if (quiet) throw new Error("the benchmark's digest week should not be a quiet one");
  const digests = await measureAsync(5, async () => {
    for (const id of teamIds) digestText(await teamDigest(digestEnv, id, { asOf, period, late: false }));
    digestText(await agencySummary(digestEnv, { asOf, period, late: false }));
  });

  // 6. the whiteboard picture of a 400-case team: model and SVG here, PNG in the renderer's own
  // process as the server does it (src/pictures/png-renderer.ts); the first render starts that process.
  const renderer = isolatedRenderer();
  const t0 = performance.now();
  const png = await whiteboardPngIsolated(await whiteboardModel(digestEnv, teamIds[0]!), "full", renderer);
  const coldMs = performance.now() - t0;
  const compact = await whiteboardPngIsolated(
    await whiteboardModel(digestEnv, teamIds[0]!),
    "compact",
    renderer,
  );
  const picture = await measureAsync(20, async () =>
    whiteboardPngIsolated(await whiteboardModel(digestEnv, teamIds[0]!), "full", renderer),
  );
  const rendererRss = renderer.peakRssMb();
  await renderer.close();

  const rssMb = process.resourceUsage().maxRSS / 1024;
  const rows: [string, string, string, string, string][] = [
    [
      "log element, command layer (5,000 logs)",
      ms(log.p50),
      ms(log.p99),
      "p99 ≤ 2 ms, ≤ 20× raw",
      `${(log.p99 / raw.p99).toFixed(1)}× raw p99 (${(log.p50 / raw.p50).toFixed(1)}× p50)`,
    ],
    ["raw better-sqlite3: prepared point select + insert", ms(raw.p50), ms(raw.p99), "baseline", "1.0×"],
    [
      `team dashboard view, ${teamSize} cases (100 builds)`,
      ms(teamView.p50),
      ms(teamView.p99),
      "≤ 20 ms",
      "",
    ],
    ["`/sos team` command incl. text table (100 runs)", ms(teamCommand.p50), ms(teamCommand.p99), "", ""],
    [
      `agency overview, ${agencyRows.toLocaleString("en")} cases (10 builds)`,
      ms(agency.p50),
      ms(agency.p99),
      "≤ 500 ms",
      "",
    ],
    [
      `all ${teamIds.length} team digests + agency summary, with text (5 runs)`,
      ms(digests.p50),
      ms(digests.p99),
      "≤ 500 ms in total",
      "",
    ],
    [
      `whiteboard PNG, ${teamSize}-case team (20 runs; ${png.width}×${png.height} px, ${Math.round(png.png.length / 1024)} KB; compact ${Math.round(compact.png.length / 1024)} KB)`,
      ms(picture.p50),
      ms(picture.p99),
      "≤ 200 ms",
      `first one ${ms(coldMs)} ms (starts the renderer)`,
    ],
    [
      "peak RSS (whole run, MB)",
      rssMb.toFixed(0),
      "",
      "≤ 300 MB",
      `renderer process: ${rendererRss.toFixed(0)} MB, gone when idle`,
    ],
  ];
  const w = [0, 1, 2, 3, 4].map((i) =>
    Math.max(...rows.map((r) => r[i]!.length), ["measure", "p50 ms", "p99 ms", "target", "ratio"][i]!.length),
  );
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(" | ")} |`;
  console.log(
    `synthetic agency: ${SHAPE.teams} teams, ${workers.length.toLocaleString("en")} workers, ${cases.length.toLocaleString("en")} open cases, ${counts.events.toLocaleString("en")} events, ${counts.states.toLocaleString("en")} projection rows; built in ${buildSeconds.toFixed(1)} s`,
  );
  console.log("");
  console.log(line(["measure", "p50 ms", "p99 ms", "target", "ratio"]));
  console.log(line(w.map((n) => "-".repeat(n))));
  for (const r of rows) console.log(line(r));
  console.log("");
  for (const l of writerTable([writer])) console.log(l);
  if (refused > 0)
    console.log(
      `\nnote: ${refused} of ${LOGS} measured logs were refused (already recorded); they still ran the full path`,
    );
}

/** Whole processes, started cold (bench/cold-start.ts), beside a bare `node`. */
async function coldStartTable(): Promise<void> {
  const figures: Figure[] = await coldStarts({
    dir,
    dbPath,
    config: syntheticConfig(SHAPE),
    today: TODAY,
    worker: "w0-0@synthetic.example",
    runs: 20,
    startRuns: 10,
  });
  const floor = figures[0]!;
  const rows = figures.map((f) => [
    `${f.label} (${f.n} runs)`,
    ms(f.p50),
    ms(f.p99),
    f.label.startsWith("`sos start`") ? "≤ 1,500 ms" : f.label.startsWith("`sos ") ? "≤ 1,000 ms" : "",
    f === floor || f.label.startsWith("Slack") ? "" : `${ms(f.p50 - floor.p50)} ms over bare node (p50)`,
  ]);
  const head = ["cold start, whole process", "p50 ms", "p99 ms", "target", "beside bare node"];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(" | ")} |`;
  console.log("");
  console.log(line(head));
  console.log(line(w.map((n) => "-".repeat(n))));
  for (const r of rows) console.log(line(r));
}

try {
  console.log(
    `sos-dashboards benchmark, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${loadavg()[0]!.toFixed(1)} at the start`,
  );
  if (!coldOnly && !httpOnly) await inProcess();
  // After the in-process figures: its children do not count in this process's peak RSS anyway.
  if (!httpOnly) await coldStartTable();
  if (!coldOnly) {
    // The real server under load, in its own process, beside a bare endpoint (bench/http-load.ts).
    console.log("");
    const lines = await httpLoad({
      dir,
      dbPath,
      config: syntheticConfig(SHAPE),
      today: TODAY,
      loadAverage: () => loadavg()[0]!.toFixed(1),
    });
    for (const l of lines) console.log(l);
  }
  if (!coldOnly && !httpOnly) {
    // `sos import` of a case list and a practice history, in child processes (after the peak RSS
    // above was read, so it stays this process's own).
    console.log("");
    for (const l of await benchImport()) console.log(l);
    // The HTTP API beside the command layer, on its own fresh agency in child processes.
    console.log("");
    for (const l of await benchApi()) console.log(l);
    // Overview, digests and RSS as the agency grows (SOS_BENCH_SCALE), each scale in its own processes.
    console.log("");
    await benchScale(
      () => loadavg()[0]!.toFixed(1),
      (l) => console.log(l),
    );
  }
} finally {
  await checkpointer.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
