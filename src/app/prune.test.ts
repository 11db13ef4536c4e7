import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { makeTestCtx, manualClock, type TestCtx } from "../../test/helpers/ctx.ts";
import { PRUNE_EVERY_MS, sqliteForgetDeliveries, startPruning } from "./prune.ts";

let t: TestCtx;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
});
afterEach(() => {
  vi.useRealTimers();
  t.close();
});

test("stored replies are forgotten a week on, hourly while the server runs, not only at start", () => {
  const clock = manualClock("2016-03-01T09:00:00Z");
  t = makeTestCtx({ clock });
  const { idempotency } = t.ctx.repo;
  idempotency.put("slack:old", { text: "Recorded … for Melli Majid 13" }, "2016-02-20T09:00:00.000Z");
  idempotency.put("slack:today", { text: "Recorded … for Mary Telis 5" }, "2016-03-01T09:00:00.000Z");

  const pruning = startPruning(t.ctx, sqliteForgetDeliveries(t.ctx), { log: () => {} });
  expect(idempotency.get("slack:old")).toBeUndefined();
  expect(idempotency.get("slack:today")).toBeDefined();

  // Eight days later, the server still running: the next hourly pass forgets today's too.
  clock.advance(8 * 86_400_000);
  expect(idempotency.get("slack:today")).toBeDefined();
  vi.advanceTimersByTime(PRUNE_EVERY_MS);
  expect(idempotency.get("slack:today")).toBeUndefined();

  idempotency.put("slack:later", { text: "x" }, clock.now().toISOString());
  void pruning.stop();
  clock.advance(8 * 86_400_000);
  vi.advanceTimersByTime(PRUNE_EVERY_MS * 2);
  expect(idempotency.get("slack:later")).toBeDefined();
});

test("a pass that fails (the database locked by another process) says so in one line; the next one runs", () => {
  const clock = manualClock("2016-03-01T09:00:00Z");
  t = makeTestCtx({ clock });
  t.ctx.repo.idempotency.put("teams:old", { text: "x" }, "2016-02-01T09:00:00.000Z");
  t.ctx.store.sqlite.pragma("busy_timeout = 0");
  const other = new Database(t.dbPath);
  other.prepare("BEGIN IMMEDIATE").run();
  const lines: string[] = [];
  const pruning = startPruning(t.ctx, sqliteForgetDeliveries(t.ctx), { log: (l) => lines.push(l) });
  other.prepare("ROLLBACK").run();
  other.close();
  expect(lines).toEqual(["sos: forgetting old delivery ids failed (SqliteError); trying again in an hour"]);
  expect(t.ctx.repo.idempotency.get("teams:old")).toBeDefined();
  vi.advanceTimersByTime(PRUNE_EVERY_MS);
  expect(t.ctx.repo.idempotency.get("teams:old")).toBeUndefined();
  void pruning.stop();
});
