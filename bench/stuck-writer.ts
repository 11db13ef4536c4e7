/**
 * The stuck-since writer's own cost, and what it buys (`npm run bench -- --stuck`; the SQLite half
 * also runs in the full `npm run bench`, before its figures, so those read values kept current as
 * the server keeps them). On the synthetic agency: the agency's stuck counts and the agency summary
 * with every case due (no writer, or a config just changed) and with the values current; the
 * writer's full catch-up in `STUCK_BATCH` (100-case) batches (each batch's time: on SQLite every batch is main
 * thread; on PostgreSQL a batch's time is mostly waiting on the server, only the rules run here);
 * a moment's writes caught up; and the idle beat that finds nothing due.
 */
import { STUCK_BATCH } from "../src/app/stuck-writer.ts";
import { stuckRules } from "../src/commands/board.ts";
import type { Ctx } from "../src/commands/ctx.ts";
import { makeInvocation } from "../src/commands/invocation.ts";
import { OPERATOR } from "../src/commands/views.ts";
import { agencySummary } from "../src/digest/agency-summary.ts";
import { digestText } from "../src/digest/text.ts";
import { addDays, isoWeek } from "../src/domain/dates.ts";
import type { Store } from "../src/store/open.ts";
import type { PgStore } from "../src/store/pg/open.ts";
import { percentile } from "./stats.ts";
import { TODAY } from "./synthetic.ts";

export interface WriterFigures {
  readonly store: string;
  readonly open: number;
  readonly countsDueMs: number;
  readonly countsKeptMs: number;
  readonly summaryDueMs: number;
  readonly summaryKeptMs: number;
  readonly catchUpMs: number;
  readonly batches: number;
  readonly batchP50Ms: number;
  readonly batchMaxMs: number;
  readonly momentCases: number;
  readonly momentMs: number;
  readonly idleMs: number;
}

async function p50(n: number, fn: () => Promise<unknown>): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return percentile(
    t.sort((a, b) => a - b),
    50,
  );
}

/**
 * Measures the writer on a store whose values are all due (a database just built or copied, or
 * every value cleared by `makeDue`). `makeDue(k)` makes every k-th open case due, as a moment's
 * writes would (k = 1: all of them). Leaves the values current.
 */
export async function measureWriter(
  label: string,
  ctx: Ctx,
  makeDue: (every: number) => Promise<number>,
): Promise<WriterFigures> {
  const rules = stuckRules(ctx.org);
  const { reads } = ctx.records;
  const env = makeInvocation(ctx, OPERATOR, "digest", "channel");
  const asOf = addDays(TODAY, -31);
  const opts = { asOf, period: isoWeek(asOf), late: false };
  const raisedBy = addDays(TODAY, -ctx.org.escalateAfterDays);
  const open = await makeDue(1);
  const countsDueMs = await p50(5, () => reads.stuckCounts(rules, TODAY, raisedBy));
  const summaryDueMs = await p50(3, async () => digestText(await agencySummary(env, opts)));

  const batchTimes: number[] = [];
  const t0 = performance.now();
  for (;;) {
    const b0 = performance.now();
    const left = await ctx.records.refreshStuck(rules, STUCK_BATCH);
    batchTimes.push(performance.now() - b0);
    if (left === 0) break;
  }
  const catchUpMs = performance.now() - t0;
  const countsKeptMs = await p50(5, () => reads.stuckCounts(rules, TODAY, raisedBy));
  const summaryKeptMs = await p50(3, async () => digestText(await agencySummary(env, opts)));

  const momentCases = await makeDue(20);
  const m0 = performance.now();
  while ((await ctx.records.refreshStuck(rules, STUCK_BATCH)) > 0);
  const momentMs = performance.now() - m0;
  const idleMs = await p50(50, () => ctx.records.refreshStuck(rules, STUCK_BATCH));
  const sorted = [...batchTimes].sort((a, b) => a - b);
  return {
    store: label,
    open,
    countsDueMs,
    countsKeptMs,
    summaryDueMs,
    summaryKeptMs,
    catchUpMs,
    batches: batchTimes.length,
    batchP50Ms: percentile(sorted, 50),
    batchMaxMs: sorted[sorted.length - 1] ?? 0,
    momentCases,
    momentMs,
    idleMs,
  };
}

const ms = (x: number) => (x < 1 ? x.toFixed(3) : x < 100 ? x.toFixed(2) : x.toFixed(0));

/** The figures as a table, one column per store. */
export function writerTable(figures: readonly WriterFigures[]): string[] {
  const rows: [string, (f: WriterFigures) => string][] = [
    ["open cases", (f) => f.open.toLocaleString("en")],
    ["agency stuck counts, every case due (ms, p50 of 5)", (f) => ms(f.countsDueMs)],
    ["agency stuck counts, kept current (ms, p50 of 5)", (f) => ms(f.countsKeptMs)],
    ["agency summary with text, every case due (ms, p50 of 3)", (f) => ms(f.summaryDueMs)],
    ["agency summary with text, kept current (ms, p50 of 3)", (f) => ms(f.summaryKeptMs)],
    [`writer: full catch-up, batches of ${STUCK_BATCH} (ms)`, (f) => ms(f.catchUpMs)],
    ["writer: batches", (f) => String(f.batches)],
    ["writer: one batch p50 / longest (ms)", (f) => `${ms(f.batchP50Ms)} / ${ms(f.batchMaxMs)}`],
    [
      "writer: a moment's writes (1 case in 20 due) caught up (ms)",
      (f) => `${ms(f.momentMs)} (${f.momentCases.toLocaleString("en")} cases)`,
    ],
    ["writer: idle beat, nothing due (ms, p50 of 50)", (f) => ms(f.idleMs)],
  ];
  const head = ["stuck since (synthetic agency)", ...figures.map((f) => f.store)];
  const body = rows.map(([label, cell]) => [label, ...figures.map(cell)]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(" | ")} |`;
  return [line(head), line(w.map((n) => "-".repeat(n))), ...body.map(line)];
}

/** `makeDue` on the SQLite file: every k-th open case (by rowid) as a write would leave it. */
export function sqliteMakeDue(store: Store): (every: number) => Promise<number> {
  const due = store.sqlite.prepare(
    "UPDATE cases SET stuck_for = NULL WHERE status = 'open' AND rowid % ? = 0",
  );
  return async (every) => due.run(every).changes;
}

/** `makeDue` on PostgreSQL: every k-th open case (by a hash of its id). */
export function pgMakeDue(store: PgStore): (every: number) => Promise<number> {
  return async (every) =>
    (
      await store.pool.query(
        "UPDATE cases SET stuck_for = NULL WHERE status = 'open' AND abs(hashtext(id)) % $1 = 0",
        [every],
      )
    ).rowCount ?? 0;
}
