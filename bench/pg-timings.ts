import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";
import type { LocalPostgres } from "../test/helpers/pg-process.ts";
import { percentile } from "./stats.ts";

/**
 * What a log's statements are, named from their text: the breakdown of a log's time says which
 * round trip its tail is in. Anything else is named by its first words.
 */
const KINDS: readonly [RegExp, string][] = [
  [/^BEGIN/, "BEGIN"],
  [/^COMMIT/, "COMMIT (the WAL flush)"],
  [/pg_advisory_xact_lock/, "the delivery id's lock"],
  [/FOR UPDATE$/, "lock the case (SELECT … FOR UPDATE)"],
  [/^WITH written AS/, "append the entry, read its element"],
  [/UPDATE "cases" SET version/, "last write (version, states, audit, reply)"],
  [/json_agg\(json_build_object\('id'/, "read the case and its element"],
  [/^select "reply" from "idempotency"/, "the delivery id's prior reply"],
];

function kindOf(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  for (const [re, kind] of KINDS) if (re.test(flat)) return kind;
  return flat.slice(0, 50);
}

/**
 * Every statement sent on the pool's connections, counted and timed as the client sees it (sent to
 * answered: the round trip, the server's work, and this process's event loop). Each connection's
 * `query` is wrapped once, when the pool first hands it out.
 */
export interface StatementTimes {
  /** statements sent since the start */
  readonly n: number;
  /** each kind's times (ms) since the last `clear()` */
  readonly byKind: ReadonlyMap<string, number[]>;
  clear(): void;
}

export function timeStatements(pool: pg.Pool): StatementTimes {
  let n = 0;
  let byKind = new Map<string, number[]>();
  const wrapped = new WeakSet<pg.PoolClient>();
  pool.on("acquire", (client) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const target = client as unknown as { query: (...args: unknown[]) => unknown };
    const query = target.query.bind(client);
    target.query = (...args: unknown[]) => {
      n++;
      const first = args[0];
      const text =
        typeof first === "string"
          ? first
          : typeof first === "object" && first !== null && "text" in first
            ? String((first as { text: unknown }).text)
            : "";
      const kind = kindOf(text);
      const t0 = performance.now();
      const done = () => {
        const list = byKind.get(kind) ?? [];
        list.push(performance.now() - t0);
        byKind.set(kind, list);
      };
      // The pool's own `query` (drizzle's reads) passes a callback; a connection's caller awaits.
      const last = args[args.length - 1];
      if (typeof last === "function") {
        args[args.length - 1] = (...result: unknown[]) => {
          done();
          return (last as (...r: unknown[]) => unknown)(...result);
        };
        return query(...args);
      }
      const out = query(...args);
      if (out instanceof Promise) out.then(done, done);
      return out;
    };
  });
  return {
    get n() {
      return n;
    },
    get byKind() {
      return byKind;
    },
    clear() {
      byKind = new Map();
    },
  };
}

/** One line a statement kind: how many a run, and its p50 / p99 as the client saw it. */
export function statementLines(times: StatementTimes, runs: number): string[] {
  const rows = [...times.byKind].map(([kind, list]) => {
    const sorted = [...list].sort((a, b) => a - b);
    return { kind, perRun: list.length / runs, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  });
  rows.sort((a, b) => b.p50 * b.perRun - a.p50 * a.perRun);
  return rows.map(
    (r) =>
      `- ${r.kind}: ${r.perRun.toFixed(1)} a log, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`,
  );
}

/** The server's own count of each `sos_` function's calls and time (ms), `track_functions=all`. */
export type FunctionStats = ReadonlyMap<string, { calls: number; self: number; total: number }>;

/**
 * Read after the connections have been idle a while: a backend sends its function statistics at
 * most once a second, and when it goes idle (PostgreSQL 15), so 1.5 s of quiet means they are in.
 */
export async function functionStats(pool: pg.Pool): Promise<FunctionStats> {
  await new Promise((r) => setTimeout(r, 1500));
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_stat_clear_snapshot()");
    const { rows } = await client.query<{ name: string; calls: string; self: number; total: number }>(
      "SELECT funcname AS name, calls, self_time AS self, total_time AS total FROM pg_stat_user_functions WHERE funcname LIKE 'sos\\_%'",
    );
    return new Map(rows.map((r) => [r.name, { calls: Number(r.calls), self: r.self, total: r.total }]));
  } finally {
    client.release();
  }
}

/** Each function's calls and time a log, between two readings (the functions a log ran, costliest first). */
export function functionLines(before: FunctionStats, after: FunctionStats, runs: number): string[] {
  const rows = [...after]
    .map(([name, a]) => {
      const b = before.get(name) ?? { calls: 0, self: 0, total: 0 };
      return { name, calls: a.calls - b.calls, total: a.total - b.total, self: a.self - b.self };
    })
    .filter((r) => r.calls > 0)
    .sort((x, y) => y.total - x.total);
  return rows.map(
    (r) =>
      `- ${r.name}: ${(r.calls / runs).toFixed(2)} calls a log, ${((r.total / r.calls) * 1000).toFixed(0)} µs a call (${((r.self / r.calls) * 1000).toFixed(0)} µs its own)`,
  );
}

/**
 * pgbench's own latencies, from its per-transaction log (`-l`, written in the server's folder): the
 * floor of the same server at the same moment, tail included, so a log's p99 is read against it.
 */
export function pgbenchLatencies(server: LocalPostgres, prefix: string): { p50: number; p99: number } | null {
  const files = readdirSync(server.dir).filter((f) => f.startsWith(`${prefix}.`));
  const times: number[] = [];
  for (const f of files)
    for (const line of readFileSync(join(server.dir, f), "utf8").split("\n")) {
      // client_id transaction_no time(µs) script_no time_epoch time_us
      const us = Number(line.split(" ")[2]);
      if (line !== "" && Number.isFinite(us)) times.push(us / 1000);
    }
  if (times.length === 0) return null;
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}
