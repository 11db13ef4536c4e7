import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ROBIN as ADMIN, JANE, makeTestCtx, type TestCtx } from "../../test/helpers/ctx.ts";
import { eraseCase, NotErased } from "./erase.ts";

let t: TestCtx;
beforeEach(() => {
  t = makeTestCtx();
});
afterEach(() => t.close());

const count = (sql: string, ...args: unknown[]) =>
  (t.ctx.store.sqlite.prepare(sql).get(...args) as { n: number }).n;

const adminId = () => t.as(ADMIN).staffId;

describe("the append-only triggers, with the one sanctioned path beside them", () => {
  test("a plain DELETE or UPDATE of a case's records is still refused", () => {
    const db = t.ctx.store.sqlite;
    expect(() => db.prepare("DELETE FROM practice_events WHERE case_id = '12345'").run()).toThrow(
      /append-only/,
    );
    expect(() => db.prepare("UPDATE practice_events SET note = 'x' WHERE case_id = '12345'").run()).toThrow(
      /append-only/,
    );
    expect(() => db.prepare("DELETE FROM audit WHERE case_id = '12345'").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM cases WHERE id = '12345'").run()).toThrow(
      /removed only by sos retention or sos erase/,
    );
    expect(() => db.prepare("DELETE FROM allocations WHERE case_id = '12345'").run()).toThrow(
      /transfer history/,
    );
    expect(() => db.prepare("UPDATE allocations SET team_id = 'south-team'").run()).toThrow(
      /transfer history/,
    );
    expect(count("SELECT count(*) AS n FROM practice_events WHERE case_id = '12345'")).toBeGreaterThan(0);
  });

  test("an open erasure for one case lets only that case's rows go", () => {
    const db = t.ctx.store.sqlite;
    db.prepare(
      "INSERT INTO erasures (case_id, under, reason, by, started_at) VALUES ('12345', 'erasure', 'x', ?, 'now')",
    ).run(adminId());
    expect(() => db.prepare("DELETE FROM practice_events WHERE case_id = '12346'").run()).toThrow(
      /append-only/,
    );
    expect(() => db.prepare("UPDATE practice_events SET note = 'x' WHERE case_id = '12345'").run()).toThrow(
      /append-only/,
    );
    // Finishing is refused while the case is still there, and a second erasure cannot open.
    expect(() => db.prepare("UPDATE erasures SET finished_at = 'now'").run()).toThrow(
      /when the case is gone/,
    );
    expect(() =>
      db
        .prepare(
          "INSERT INTO erasures (case_id, under, reason, by, started_at) VALUES ('12346', 'erasure', 'x', ?, 'now')",
        )
        .run(adminId()),
    ).toThrow(/UNIQUE/);
  });

  test("an erasure cannot start finished, be edited afterwards or be deleted", () => {
    const db = t.ctx.store.sqlite;
    expect(() =>
      db
        .prepare(
          "INSERT INTO erasures (case_id, under, reason, by, started_at, finished_at) VALUES ('12345', 'erasure', 'x', ?, 'a', 'b')",
        )
        .run(adminId()),
    ).toThrow(/starts open/);
    eraseCase(t.ctx.store, {
      caseId: "12345",
      under: "erasure",
      reason: "opened in error",
      by: adminId(),
      at: "2016-03-01T12:00:00.000Z",
    });
    expect(() => db.prepare("UPDATE erasures SET reason = 'y'").run()).toThrow(/never changed/);
    expect(() => db.prepare("DELETE FROM erasures").run()).toThrow(/never deleted/);
    expect(() => db.prepare("DELETE FROM audit WHERE action = 'erase'").run()).toThrow(/append-only/);
  });
});

describe("eraseCase", () => {
  test("removes every row about the case, keeps every other case whole, and leaves one audit line", async () => {
    await t.run(JANE, "mapped-with-family 12345 -- met Melli at school");
    await t.run(JANE, "undo");
    await t.run(JANE, "snooze 12345 3");
    const otherBefore = count("SELECT count(*) AS n FROM practice_events WHERE case_id <> '12345'");
    const erased = eraseCase(t.ctx.store, {
      caseId: "12345",
      under: "erasure",
      reason: "court order 2016/17",
      by: adminId(),
      at: "2016-03-01T12:00:00.000Z",
    });
    expect(erased.removed.entries).toBeGreaterThan(2);
    expect(erased.removed.snoozes).toBe(1);
    for (const table of ["practice_events", "case_events", "allocations", "snoozes", "nudges_sent"])
      expect({ table, n: count(`SELECT count(*) AS n FROM ${table} WHERE case_id = '12345'`) }).toEqual({
        table,
        n: 0,
      });
    expect(count("SELECT count(*) AS n FROM cases WHERE id = '12345'")).toBe(0);
    expect(count("SELECT count(*) AS n FROM practice_events WHERE case_id <> '12345'")).toBe(otherBefore);
    const lines = t.ctx.store.sqlite
      .prepare("SELECT action, detail FROM audit WHERE case_id = '12345'")
      .all() as {
      action: string;
      detail: string;
    }[];
    expect(lines.map((l) => l.action)).toEqual(["erase"]);
    expect(lines[0]!.detail).not.toMatch(/Melli|school|court/);
    const row = t.ctx.store.sqlite.prepare("SELECT * FROM erasures").get() as Record<string, unknown>;
    expect(row).toMatchObject({ case_id: "12345", under: "erasure", reason: "court order 2016/17" });
    expect(row.finished_at).toBe("2016-03-01T12:00:00.000Z");
    expect(JSON.parse(String(row.removed))).toEqual(erased.removed);
  });

  test("blanks replies kept for retries that name the case, and keeps their delivery ids", async () => {
    await t.run(JANE, "mapped-with-family 12345", { idempotencyKey: "slack-1" });
    await t.run(JANE, "mapped-with-family 12346", { idempotencyKey: "slack-2" });
    eraseCase(t.ctx.store, {
      caseId: "12345",
      under: "erasure",
      reason: "x",
      by: adminId(),
      at: "2016-03-01T12:00:00.000Z",
    });
    const replies = t.ctx.store.sqlite.prepare("SELECT key, reply FROM idempotency ORDER BY key").all() as {
      key: string;
      reply: string;
    }[];
    expect(replies.map((r) => r.key)).toEqual(["slack-1", "slack-2"]);
    expect(replies[0]!.reply).not.toMatch(/Melli|12345/);
    expect(replies[1]!.reply).toContain("12346");
    // The retry of the first delivery writes nothing and says so.
    const again = await t.run(JANE, "mapped-with-family 12345", { idempotencyKey: "slack-1" });
    expect(again.text).toBe(
      "That was done earlier. (What the reply said was removed with the case's records.)",
    );
    expect(count("SELECT count(*) AS n FROM cases WHERE id = '12345'")).toBe(0);
  });

  test("a case that is no longer due, or not there, is left as it was", () => {
    expect(() =>
      eraseCase(t.ctx.store, {
        caseId: "12345",
        under: "retention",
        reason: "x",
        by: adminId(),
        at: "now",
        stillDue: () => "case 12345 was reopened",
      }),
    ).toThrow(NotErased);
    expect(() =>
      eraseCase(t.ctx.store, { caseId: "99999", under: "erasure", reason: "x", by: adminId(), at: "now" }),
    ).toThrow("there is no case 99999");
    expect(count("SELECT count(*) AS n FROM erasures")).toBe(0);
    expect(count("SELECT count(*) AS n FROM cases WHERE id = '12345'")).toBe(1);
  });
});
