import { afterEach, beforeEach, expect, test } from "vitest";
import { ROBIN as ADMIN, JANE } from "../../test/helpers/ctx.ts";
import { describeEachStore, makeStoreCtx, type StoreTestCtx } from "../../test/helpers/stores.ts";
import { BLANKED_REPLY, NotErased } from "./erase.ts";
import type { LifetimeStore } from "./lifetime-store.ts";
import { pgLifetime } from "./pg-lifetime.ts";
import { sqliteLifetime } from "./sqlite-lifetime.ts";

// The one erasure path on each store: the same rows go, the same refusals leave everything as it was.

describeEachStore("the lifetime store", (kind) => {
  let t: StoreTestCtx;
  let life: LifetimeStore;
  beforeEach(async () => {
    t = await makeStoreCtx(kind);
    life = t.pgStore ? pgLifetime(t.pgStore) : sqliteLifetime(t.ctx.store);
  });
  afterEach(() => t.close());

  const request = (caseId: string) => ({
    caseId,
    under: "erasure" as const,
    reason: "opened in error",
    by: t.as(ADMIN).staffId,
    at: "2016-03-01T12:00:00.000Z",
  });

  test("an erasure removes the case's rows, blanks the retry replies naming it, and is recorded", async () => {
    expect((await t.run(JANE, "scale 12345 6 -- Melli had a better week")).ok).toBe(true);
    // Replies kept for platform retries: one names the case, one the child, one neither.
    for (const [key, reply] of [
      ["by-id", '{"ok":true,"text":"Recorded for case 12345"}'],
      ["by-name", '{"ok":true,"text":"Recorded for Melli Majid"}'],
      ["other", '{"ok":true,"text":"Recorded for case 22345"}'],
    ])
      await t.rows("INSERT INTO idempotency (key, reply, created_at) VALUES ($1, $2, 'now')", [key, reply]);

    const erased = await life.erase(request("12345"));
    expect(erased.removed).toMatchObject({ allocations: 1, retryReplies: 2 });
    expect(erased.removed.entries).toBeGreaterThan(1);
    expect(await t.rows("SELECT id FROM cases WHERE id = '12345'")).toEqual([]);
    expect(await t.rows("SELECT id FROM practice_events WHERE case_id = '12345'")).toEqual([]);
    const replies = await t.rows("SELECT key, reply FROM idempotency ORDER BY key");
    const text = (r: unknown) => (typeof r === "string" ? r : JSON.stringify(r));
    expect(replies.map((r) => [r.key, JSON.parse(text(r.reply))])).toEqual([
      ["by-id", JSON.parse(BLANKED_REPLY)],
      ["by-name", JSON.parse(BLANKED_REPLY)],
      ["other", { ok: true, text: "Recorded for case 22345" }],
    ]);
    const [past] = await life.erasuresOf("12345");
    expect(past).toMatchObject({ caseId: "12345", under: "erasure", reason: "opened in error" });
    expect(past?.finishedAt).toBe("2016-03-01T12:00:00.000Z");
    // Its audit line says what went in ids and counts, and outlives a second look.
    const lines = await t.rows("SELECT action FROM audit WHERE case_id = '12345'");
    expect(lines).toEqual([{ action: "erase" }]);
  });

  test("no longer due, or no such case: refused in a sentence, and nothing changed", async () => {
    const before = await t.snapshot();
    await expect(
      life.erase({ ...request("12345"), stillDue: () => "case 12345 is open again" }),
    ).rejects.toThrow(new NotErased("case 12345 is open again"));
    await expect(life.erase(request("99999"))).rejects.toThrow(new NotErased("there is no case 99999"));
    expect(await t.snapshot()).toBe(before);
    expect(await life.erasuresOf("12345")).toEqual([]);
  });

  test("the reads the subject-access export needs beyond Records: reminders, snoozes, team digests", async () => {
    expect((await t.run(JANE, "snooze 12345 3")).ok).toBe(true);
    const row = await t.ctx.records.reads.case("12345");
    const held = await life.extras("12345", [row!.teamId]);
    expect(held.reminders).toEqual([]);
    expect(held.snoozes).toHaveLength(1);
    expect(held.snoozes[0]?.by).toBe(t.as(JANE).staffId);
    expect(held.teamRuns).toEqual([]);
    expect(await life.extras("12345", [])).toEqual({ reminders: [], snoozes: held.snoozes, teamRuns: [] });
  });
});

describeEachStore("an erasure beside a command writing to the same case", (kind) => {
  // Only PostgreSQL has a second connection to race with; SQLite's one writer runs them in turn.
  test.skipIf(kind === "sqlite")(
    "the command waits for the erasure, then finds no case: nothing of the child is written back",
    async () => {
      const t = await makeStoreCtx(kind);
      const pool = t.pgStore!.pool;
      const holder = await pool.connect();
      try {
        const life = pgLifetime(t.pgStore!);
        // Another transaction holds the case, so both the erasure and the entry queue behind it.
        await holder.query("BEGIN");
        await holder.query("SELECT id FROM cases WHERE id = '12345' FOR UPDATE");
        const waiting = async (n: number) => {
          for (;;) {
            const r = await pool.query<{ n: string }>(
              "SELECT count(*)::text AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
            );
            if (Number(r.rows[0]?.n) >= n) return;
          }
        };
        const erasing = life.erase({
          caseId: "12345",
          under: "erasure",
          reason: "court order 1",
          by: t.as(ADMIN).staffId,
          at: "2016-03-01T12:00:00.000Z",
        });
        await waiting(1);
        const logging = t.run(JANE, "scale 12345 6 -- Melli had a better week");
        await waiting(2);
        await holder.query("COMMIT");
        const [erased, logged] = await Promise.all([erasing, logging]);
        expect(erased.caseId).toBe("12345");
        expect(logged.ok).toBe(false);
        expect(logged.text).toMatch(/^I can't find case 12345\./);
        expect(
          await t.rows("SELECT count(*)::int AS n FROM practice_events WHERE case_id = '12345'"),
        ).toEqual([{ n: 0 }]);
        expect(await t.rows("SELECT id FROM cases WHERE id = '12345'")).toEqual([]);
      } finally {
        holder.release();
        await t.close();
      }
    },
  );
});
