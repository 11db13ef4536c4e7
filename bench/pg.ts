import { DEMO_CONFIG } from "../src/app/paths.ts";
import { NotOnPostgres, pgContext } from "../src/app/pg-context.ts";
import { dayClock } from "../src/commands/clock.ts";
import type { Ctx } from "../src/commands/ctx.ts";
import { runCommand } from "../src/commands/run.ts";
import { loadOrg } from "../src/config/load.ts";
import { demoChange } from "../src/demo/load.ts";
import { addDays } from "../src/domain/dates.ts";
import { openPgStore } from "../src/store/pg/open.ts";
import { JANE, MORGAN, makeTestCtx, SAM } from "../test/helpers/ctx.ts";
import { startLocalPostgres } from "../test/helpers/pg-process.ts";
import {
  functionLines,
  functionStats,
  pgbenchLatencies,
  type StatementTimes,
  statementLines,
  timeStatements,
} from "./pg-timings.ts";
import { percentile } from "./stats.ts";

/** What is measured on each store: a chat command, run `n` times through the command layer. */
type Part = {
  label: string;
  n: number;
  who: string;
  text: (i: number) => string;
  /** each run under a delivery id of its own, as a Slack command comes */
  keyed?: true;
  /** a write: its statements are timed kind by kind, and the server's triggers beside them */
  log?: true;
};
const PARTS: readonly Part[] = [
  {
    label: "log element (`/sos mapped-with-family …`)",
    n: 500,
    who: JANE,
    // Case 12346 (open since June 2015), two elements over 250 days: each run a new entry, so the
    // write is measured, not a repeat's refusal (refusals are counted beside the label).
    text: (i) =>
      `${i < 250 ? "mapped-with-family" : "mapped-internal"} 12346 ${addDays("2016-02-29", -(i % 250))}`,
    log: true,
  },
  {
    label: "log element under a delivery id (as from Slack)",
    n: 250,
    who: JANE,
    // Another element of the same case, so no run repeats an entry of the part above.
    text: (i) => `three-houses 12346 ${addDays("2016-02-29", -i)}`,
    keyed: true,
    log: true,
  },
  { label: "`/sos mine`", n: 200, who: JANE, text: () => "mine" },
  { label: "`/sos team`", n: 200, who: SAM, text: () => "team" },
  { label: "`/sos stuck`", n: 200, who: SAM, text: () => "stuck" },
  { label: "`/sos agency` (the agency overview)", n: 100, who: MORGAN, text: () => "agency" },
  { label: "`/sos digest preview` (a team's digest)", n: 50, who: SAM, text: () => "digest preview" },
  {
    label: "`/sos digest agency preview` (the summary)",
    n: 50,
    who: MORGAN,
    text: () => "digest agency preview",
  },
];

/**
 * `refused`: runs whose reply was a refusal (a repeat entry, say): still the whole path, but said.
 * `statements`: the statements a run sent the server, each a round trip (PostgreSQL only).
 */
type Figure = { p50: number; p99: number; refused: number; statements?: number } | { missing: string };

async function measureOn(ctx: Ctx, parts: readonly Part[], sent?: StatementTimes): Promise<Figure[]> {
  const out: Figure[] = [];
  for (const part of parts) {
    const actor = ctx.people.byEmail(part.who)!;
    const times: number[] = [];
    let missing: string | undefined;
    let refused = 0;
    const sentBefore = sent?.n ?? 0;
    for (let i = 0; i < part.n && missing === undefined; i++) {
      const t0 = performance.now();
      try {
        const reply = await runCommand(ctx, {
          actor,
          text: part.text(i),
          surface: "slack",
          audience: "private",
          ...(part.keyed ? { idempotencyKey: `bench:${part.label}:${i}` } : {}),
        });
        if (!reply.ok) refused++;
      } catch (e) {
        if (!(e instanceof NotOnPostgres)) throw e;
        missing = "not on PostgreSQL yet";
      }
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const statements = sent ? (sent.n - sentBefore) / times.length : undefined;
    out.push(
      missing
        ? { missing }
        : {
            p50: percentile(times, 50),
            p99: percentile(times, 99),
            refused,
            ...(statements === undefined ? {} : { statements }),
          },
    );
  }
  return out;
}

function refusedNote(s: Figure, p: Figure): string {
  const n = (f: Figure) => ("missing" in f ? 0 : f.refused);
  return n(s) + n(p) > 0 ? `; refused: ${n(s)} SQLite, ${n(p)} PostgreSQL` : "";
}

/** The log's p99 against pgbench's in the same run: how much of the tail is the host's. */
function logP99Ratio(onPg: readonly Figure[], floor: { p99: number } | null): string {
  const log = onPg[0];
  if (!floor || !log || "missing" in log) return "";
  return `; the first log row's p99 is ${(log.p99 / floor.p99).toFixed(1)}× pgbench's`;
}

export async function benchPostgres(loadAverage: () => string): Promise<string[]> {
  const org = loadOrg(DEMO_CONFIG);
  const sqlite = makeTestCtx();
  let onSqlite: Figure[];
  const sqliteAt = loadAverage();
  try {
    onSqlite = await measureOn(sqlite.ctx, PARTS);
  } finally {
    sqlite.close();
  }
  // PostgreSQL's own durability (fsync on): a server's figures, not a throwaway test server's. Its
  // function statistics on, for the triggers' share of a log (a clock read around each call).
  const server = await startLocalPostgres({
    durable: true,
    prefix: "sos-bench-pg-",
    settings: ["track_functions=all"],
  });
  try {
    const pgAt = loadAverage();
    const store = await openPgStore(server.url, { migrate: true, max: 4 });
    let onPg: Figure[];
    const logs = PARTS.filter((p) => p.log);
    const logRuns = logs.reduce((n, p) => n + p.n, 0);
    let statements: string[];
    let triggers: string[];
    let roundTrip: { p50: number; p99: number };
    try {
      const { ctx } = await pgContext(org, store, dayClock("2016-03-01", org.agency.timeZone));
      await ctx.records.apply(demoChange(ctx));
      const sent = timeStatements(store.pool);
      const before = await functionStats(store.pool);
      sent.clear();
      const onLogs = await measureOn(ctx, logs, sent);
      statements = statementLines(sent, logRuns);
      triggers = functionLines(before, await functionStats(store.pool), logRuns);
      const onViews = await measureOn(
        ctx,
        PARTS.filter((p) => !p.log),
        sent,
      );
      // The least any read can take: one round trip that asks nothing (a view of the demo's six
      // cases on SQLite takes less than this, so its ratio has this floor under it).
      const trips: number[] = [];
      for (let i = 0; i < 200; i++) {
        const t0 = performance.now();
        await store.pool.query("SELECT 1");
        trips.push(performance.now() - t0);
      }
      trips.sort((a, b) => a - b);
      roundTrip = { p50: percentile(trips, 50), p99: percentile(trips, 99) };
      // Back in the table's order (the logs are its first rows).
      onPg = PARTS.map((p) =>
        p.log ? onLogs[logs.indexOf(p)]! : onViews[PARTS.filter((q) => !q.log).indexOf(p)]!,
      );
    } finally {
      await store.close();
    }
    // The floor: pgbench's simple update (-N: no updates of the small tables) on a database of its own.
    const pgbenchAt = loadAverage();
    const host = ["-h", "127.0.0.1", "-p", new URL(server.url).port, "-U", "sos"];
    server.as("createdb", [...host, "pgbench"]);
    server.as("pgbench", ["-i", "-q", ...host, "pgbench"]);
    const report = server.as("pgbench", [
      "-N",
      "-T",
      "10",
      "-c",
      "1",
      "-l",
      `--log-prefix=${server.dir}/pgbench_log`,
      ...host,
      "pgbench",
    ]);
    const floor = pgbenchLatencies(server, "pgbench_log");
    const tps = /tps = ([\d.]+)/.exec(report)?.[1];
    const latency = /latency average = ([\d.]+) ms/.exec(report)?.[1];
    const cell = (f: Figure, p: "p50" | "p99") => ("missing" in f ? f.missing : f[p].toFixed(2));
    const head = [
      "command (demo agency)",
      "SQLite p50 ms",
      "SQLite p99 ms",
      "PostgreSQL p50 ms",
      "PostgreSQL p99 ms",
      "PostgreSQL ÷ SQLite (p50)",
      "PostgreSQL statements a run",
    ];
    const rows = PARTS.map((part, i) => {
      const s = onSqlite[i]!;
      const p = onPg[i]!;
      return [
        `${part.label} (${part.n} runs${refusedNote(s, p)})`,
        cell(s, "p50"),
        cell(s, "p99"),
        cell(p, "p50"),
        cell(p, "p99"),
        "missing" in s || "missing" in p ? "" : `${(p.p50 / s.p50).toFixed(1)}×`,
        "missing" in p || p.statements === undefined ? "" : p.statements.toFixed(1),
      ];
    });
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(" | ")} |`;
    return [
      `PostgreSQL beside SQLite: the chat commands through runCommand on the demo agency; load average ${sqliteAt} (SQLite), ${pgAt} (PostgreSQL), ${pgbenchAt} (pgbench). Target: log p99 ≤ 5 ms on PostgreSQL.`,
      "",
      line(head),
      line(w.map((n) => "-".repeat(n))),
      ...rows.map(line),
      "",
      `pgbench floor, same server: simple update (-N), 1 client, 10 s: ${tps ?? "?"} TPS, latency average ${latency ?? "?"} ms, p50 / p99 ${floor ? `${floor.p50.toFixed(2)} / ${floor.p99.toFixed(2)}` : "?"} ms (its per-transaction log, -l)${logP99Ratio(onPg, floor)}.`,
      `One round trip on the pool (\`SELECT 1\`, 200 runs): p50 / p99 ${roundTrip.p50.toFixed(2)} / ${roundTrip.p99.toFixed(2)} ms.`,
      "",
      `A log's statements on PostgreSQL (the ${logRuns} runs of the log rows), as the client saw each (round trip, server, event loop):`,
      ...statements,
      "",
      "The server's functions (the triggers and what they call) in those runs, by pg_stat_user_functions (track_functions=all):",
      ...triggers,
    ];
  } finally {
    server.stop();
  }
}
