import { afterEach, expect, test } from "vitest";
import { AH_HIN, JANE, SAM } from "../../../test/helpers/ctx.ts";
import { describeEachStore, makeStoreCtx, type StoreTestCtx } from "../../../test/helpers/stores.ts";
import { SLOTS } from "../states-format.ts";

// What the database itself refuses and keeps, on both stores: statements that bypass the program
// meet the same triggers.
let t: StoreTestCtx | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** The coverage the database keeps equals the coverage counted afresh from the open cases. */
async function expectCoverageKept(t: StoreTestCtx): Promise<void> {
  const kept = await t.rows(
    "SELECT team_id, service, element, cases FROM team_coverage WHERE cases <> 0 ORDER BY team_id, service, element",
  );
  const open = await t.ctx.records.reads.openCases({});
  const counted = new Map<string, number>();
  const add = (k: string) => counted.set(k, (counted.get(k) ?? 0) + 1);
  for (const c of open) {
    add(`${c.teamId}|${c.service}|-1`);
    SLOTS.forEach((el, i) => {
      if ((c.states[el]?.count ?? 0) > 0) add(`${c.teamId}|${c.service}|${i}`);
    });
  }
  expect(
    Object.fromEntries(kept.map((r) => [`${r.team_id}|${r.service}|${r.element}`, Number(r.cases)])),
  ).toEqual(Object.fromEntries(counted));
  expect(open.length).toBeGreaterThan(0);
}

describeEachStore("the database's own guarantees", (kind) => {
  test.each([
    ["UPDATE practice_events SET value = 9", /append-only/],
    ["DELETE FROM practice_events", /append-only/],
    ["UPDATE case_events SET surface = 'x'", /append-only/],
    ["DELETE FROM case_events", /append-only/],
    ["UPDATE audit SET surface = 'x'", /append-only/],
    ["DELETE FROM audit", /append-only/],
    ["UPDATE allocations SET from_on = '2000-01-01'", /transfer history/],
    ["DELETE FROM allocations", /transfer history/],
    ["DELETE FROM cases", /removed only by sos retention or sos erase/],
    ["UPDATE meta SET agency_id = 'another'", /does not change/],
    ["DELETE FROM meta", /never removed/],
  ])("refused: %s", async (statement, why) => {
    t = await makeStoreCtx(kind);
    // A case event and an allocation of its own, so every table has a row to refuse.
    expect((await t.run(SAM, "close 12345 safe at home")).ok).toBe(true);
    const before = await t.snapshot();
    await expect(t.rows(statement)).rejects.toThrow(why);
    expect(await t.snapshot()).toBe(before);
  });

  test("a case's rows go only while its erasure is open, and the erasure's own line stays", async () => {
    t = await makeStoreCtx(kind);
    const sam = t.as(SAM).staffId;
    await expect(
      t.rows(
        "INSERT INTO erasures (case_id, under, reason, by, started_at, finished_at) VALUES ('12345', 'erasure', 'x', $1, 'now', 'now')",
        [sam],
      ),
    ).rejects.toThrow(/starts open/);
    await expect(
      t.rows(
        "INSERT INTO erasures (case_id, under, reason, by, started_at) VALUES ('nope', 'erasure', 'x', $1, 'now')",
        [sam],
      ),
    ).rejects.toThrow(/for a case that exists/);
    await t.rows(
      "INSERT INTO erasures (case_id, under, reason, by, started_at) VALUES ('12345', 'erasure', 'court order', $1, 'now')",
      [sam],
    );
    await expect(t.rows("DELETE FROM practice_events WHERE case_id = '12346'")).rejects.toThrow(
      /append-only/,
    );
    await expect(t.rows("UPDATE erasures SET finished_at = 'now' WHERE case_id = '12345'")).rejects.toThrow(
      /when the case is gone/,
    );
    for (const table of ["practice_events", "case_events", "allocations", "audit"])
      await t.rows(`DELETE FROM ${table} WHERE case_id = '12345'`);
    await t.rows("DELETE FROM cases WHERE id = '12345'");
    await t.rows("UPDATE erasures SET finished_at = 'now' WHERE case_id = '12345'");
    await t.rows(
      "INSERT INTO audit (at, actor_id, surface, action, case_id, detail) VALUES ('now', $1, 'cli', 'erase', '12345', '{}')",
      [sam],
    );
    await expect(t.rows("DELETE FROM audit WHERE action = 'erase'")).rejects.toThrow(/append-only/);
    await expect(t.rows("DELETE FROM erasures")).rejects.toThrow(/never deleted/);
    expect(await t.rows("SELECT id FROM cases WHERE id = '12345'")).toEqual([]);
    expect(await t.rows("SELECT count(*) AS n FROM practice_events WHERE case_id = '12346'")).not.toEqual([
      { n: 0 },
    ]);
  });

  test("coverage kept by the database equals coverage counted afresh, however cases changed", async () => {
    t = await makeStoreCtx(kind);
    const steps: [string, string][] = [
      [JANE, "three-houses 12345"],
      [JANE, "mapped-with-family 12346"],
      [JANE, "undo"],
      [JANE, "scale 12346 4"],
      [SAM, "open 70001 Ana 4 cp"],
      [SAM, "close 12346 safe at home"],
      [SAM, `assign 12345 ${AH_HIN}`],
      [AH_HIN, "network 12345 3"],
      [SAM, "reopen 12346"],
      [SAM, "move 12345 family-support"],
    ];
    for (const [who, text] of steps) expect((await t.run(who, text)).text).not.toMatch(/^Sorry/);
    await expectCoverageKept(t);
  });

  test("coverage kept through statements that bypass the program: each slot's done-ness however the states change", async () => {
    t = await makeStoreCtx(kind);
    const [row] = await t.rows("SELECT states FROM cases WHERE id = '12346'");
    const slots = JSON.parse(String(row?.states)) as unknown[];
    const entry = [1, null, null, null];
    // Each a raw UPDATE of case 12346 (open, north, statutory-cp): the coverage trigger's every path.
    const texts = [
      slots.map((v, i) => (i === 9 ? entry : v)), // a slot done, the others as they were
      slots.map((v, i) => (i === 9 ? entry : i === 0 ? 0 : v)), // one done, one undone, in one statement
      slots.map((v, i) =>
        i === 1 ? [2, "2015-06-23", "2016-01-01", null] : i === 9 ? entry : i === 0 ? 0 : v,
      ), // a done slot's entry changed, nothing's done-ness
      slots.slice(0, 3), // a shorter array: the slots past it undone
      {}, // the column's default: nothing done
      slots, // back as it was
    ];
    for (const states of texts) {
      await t.rows("UPDATE cases SET states = $1 WHERE id = '12346'", [JSON.stringify(states)]);
      await expectCoverageKept(t);
    }
    const statements = [
      "UPDATE cases SET version = version + 1",
      "UPDATE cases SET service = 'family-support', states = '[0,0,[1,null,null,null]]' WHERE id = '12346'",
      "UPDATE cases SET status = 'closed', states = '[[1,null,null,null]]' WHERE id = '12346'",
      "UPDATE cases SET states = '[0,[1,null,null,null]]' WHERE id = '12346'",
      "UPDATE cases SET status = 'open' WHERE id = '12346'",
    ];
    for (const statement of statements) {
      await t.rows(statement);
      await expectCoverageKept(t);
    }
  });

  test("stuck-since is kept when an update changes nothing its rules read", async () => {
    t = await makeStoreCtx(kind);
    await t.rows("UPDATE cases SET stuck_since = '2016-01-01', stuck_for = 0");
    await t.rows("UPDATE cases SET version = version + 1 WHERE id = '12345'");
    await t.rows("UPDATE cases SET stuck_since = '2016-01-02', stuck_for = 1 WHERE id = '12346'");
    await t.rows("UPDATE cases SET service_since = '2016-01-03', stuck_for = 2 WHERE id = '22345'");
    const rows = await t.rows(
      "SELECT id, stuck_since, stuck_for FROM cases WHERE id IN ('12345', '12346', '22345') ORDER BY id",
    );
    expect(rows).toEqual([
      { id: "12345", stuck_since: "2016-01-01", stuck_for: 0 },
      { id: "12346", stuck_since: "2016-01-02", stuck_for: 1 },
      // A column the rules read changed in the same statement: due again, whatever was set beside it.
      { id: "22345", stuck_since: "2016-01-01", stuck_for: null },
    ]);
  });

  test("a change to what the stuck rules read makes the case's stuck-since due again", async () => {
    t = await makeStoreCtx(kind);
    await t.rows("UPDATE cases SET stuck_since = '2016-01-01', stuck_for = 0");
    expect((await t.run(JANE, "three-houses 12345")).ok).toBe(true);
    const rows = await t.rows("SELECT id, stuck_for FROM cases WHERE id IN ('12345', '12346') ORDER BY id");
    expect(rows).toEqual([
      { id: "12345", stuck_for: null },
      { id: "12346", stuck_for: 0 },
    ]);
  });
});
