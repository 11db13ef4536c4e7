import { afterEach, describe, expect, test } from "vitest";
import { ELEMENT_KEYS, type ElementKey } from "../src/domain/elements.ts";
import { type ElementState, EMPTY_STATE, foldElement } from "../src/domain/projection.ts";
import { AH_HIN, JANE, makeTestCtx, SAM, type TestCtx } from "./helpers/ctx.ts";
import { dbSnapshot } from "./helpers/snapshot.ts";
import { describeEachStore, makeStoreCtx, type StoreTestCtx } from "./helpers/stores.ts";

// The command-level guarantees run on both stores (`t`); the few that reach into the SQLite file's
// own handles (`file`) run there only (the PostgreSQL store's own: src/store/pg/guarantees.test.ts).
let t: StoreTestCtx | undefined;
let file: TestCtx | undefined;
afterEach(async () => {
  await t?.close();
  file?.close();
  t = undefined;
  file = undefined;
});

describeEachStore("the record", (kind) => {
  describe("nothing lost, nothing invented", () => {
    test("each log replies with exactly what was stored", async () => {
      t = await makeStoreCtx(kind);
      const r = await t.run(JANE, "scale 12345 yesterday 7 -- after the family meeting");
      expect(r.text).toBe(
        [
          "Recorded Safety Scale 7 on 29/02/16 for case 12345 (Melli Majid 13).",
          // 12345 was rated 2 before: a cell says how many ratings, and the latest
          "The dashboard now shows Safety Scale: 7 (2 ratings).",
          'Note saved: "after the family meeting"',
          "Wrong? `/sos undo` takes it back.",
        ].join("\n"),
      );
      const [row] = await t.rows(
        "SELECT case_id, element, occurred_on, value, note, surface FROM practice_events WHERE id = $1",
        [r.logged!.entryId],
      );
      expect(row).toEqual({
        case_id: "12345",
        element: "safety-scale",
        occurred_on: "2016-02-29",
        value: 7,
        note: "after the family meeting",
        surface: "cli",
      });
    });

    test("in a channel the reply shows initials and does not echo the note", async () => {
      t = await makeStoreCtx(kind);
      const r = await t.run(JANE, "three-houses 12345 -- drawn with Melli", { audience: "channel" });
      expect(r.text).toContain("for case 12345 (M.M. 13)");
      expect(r.text).not.toContain("Melli");
      expect(r.text).toContain("Note saved.");
    });

    test("a second identical entry is refused; a second meeting the same day is counted", async () => {
      t = await makeStoreCtx(kind);
      expect((await t.run(JANE, "mapped-with-family 12345")).ok).toBe(true);
      const again = await t.run(JANE, "mapped-with-family 12345");
      expect(again.issue?.code).toBe("already_recorded");
      expect(again.text).toBe(
        "Mapping with Family is already recorded for case 12345 on 01/03/16 (by you), so I didn't record it twice. Nothing changed.",
      );
      expect((await t.run(JANE, "meeting 12345")).ok).toBe(true);
      expect((await t.run(JANE, "meeting 12345")).text).toContain(
        "The dashboard now shows Participatory Conferences/Meetings including Network: 3.",
      );
    });

    test("a value set back to an earlier one the same day is a correction, not a duplicate", async () => {
      t = await makeStoreCtx(kind);
      expect((await t.run(JANE, "network 12345 7")).ok).toBe(true);
      expect((await t.run(JANE, "network 12345 5")).ok).toBe(true);
      const back = await t.run(JANE, "network 12345 7");
      expect(back.ok).toBe(true);
      expect(back.text).toContain("The dashboard now shows Network Number: 7.");
      expect((await t.run(JANE, "network 12345 7")).issue?.code).toBe("already_recorded");
    });

    test("the same delivery twice is carried out once", async () => {
      t = await makeStoreCtx(kind);
      const first = await t.run(JANE, "mapped-with-family 12345", { idempotencyKey: "slack:T1:abc" });
      const before = await t.snapshot();
      const retry = await t.run(JANE, "mapped-with-family 12345", { idempotencyKey: "slack:T1:abc" });
      expect(retry).toEqual({ ...first, repeated: true });
      expect(await t.snapshot()).toBe(before);
    });
  });

  test("a case read with an element's live entries answers as the two reads apart do", async () => {
    t = await makeStoreCtx(kind);
    const { reads } = t.ctx.records;
    await t.run(JANE, "network 12345 7");
    await t.run(JANE, "network 12345 5");
    await t.run(JANE, "undo");
    const both = await reads.caseAndLive("12345", "network");
    expect(both).toEqual({
      case: await reads.case("12345"),
      live: await reads.liveEntries("12345", "network"),
    });
    // What is compared holds something: the 7 stands, the undone 5 does not.
    expect(both!.live.map((e) => e.value)).toContain(7);
    expect(both!.live.map((e) => e.value)).not.toContain(5);
    expect(both!.live.at(-1)).toMatchObject({ value: 7, recordedBy: t.as(JANE).staffId });
    expect(await reads.caseAndLive("12345", "danger-statement")).toEqual({
      case: await reads.case("12345"),
      live: await reads.liveEntries("12345", "danger-statement"),
    });
    expect(await reads.caseAndLive("12345", null)).toEqual({ case: await reads.case("12345"), live: [] });
    expect(await reads.caseAndLive("99999", "network")).toBeUndefined();
  });

  test("open cases read in every shape of scope are the cases of that scope, in the dashboards' order", async () => {
    t = await makeStoreCtx(kind);
    const { reads } = t.ctx.records;
    // A case held by another worker, so a worker's scope leaves something out.
    expect((await t.run(SAM, `open 70001 Ana 4 cp ${AH_HIN}`)).ok).toBe(true);
    const all = await reads.openCases({});
    const jane = t.as(JANE).staffId;
    const ids = (rows: readonly { id: string }[]) => rows.map((r) => r.id);
    const scopes = [
      { workerId: jane },
      { teamIds: ["north"] },
      { teamIds: ["nowhere"] },
      { teamIds: [] },
      { workerId: jane, teamIds: ["north"] },
      { workerId: jane, teamIds: ["nowhere"] },
    ];
    for (const scope of scopes) {
      const expected = all.filter(
        (c) =>
          (scope.workerId === undefined || c.workerId === scope.workerId) &&
          (scope.teamIds === undefined || scope.teamIds.includes(c.teamId)),
      );
      expect(ids(await reads.openCases(scope))).toEqual(ids(expected));
      const visited: string[] = [];
      await reads.eachOpenCase(scope, (c) => visited.push(c.id));
      expect(visited).toEqual(ids(expected));
    }
    expect(all.map((c) => c.workerId)).toContain(jane);
    expect(ids(await reads.openCases({ workerId: jane })).length).toBeLessThan(all.length);
  });

  test("a batch mixing single and bulk appends and a retraction leaves the projection its entries give", async () => {
    t = await makeStoreCtx(kind);
    const { reads } = t.ctx.records;
    const jane = t.as(JANE).staffId;
    const at = "2016-03-01T12:00:00.000Z";
    const entry = (caseId: string, element: ElementKey, occurredOn: string | null, value: number | null) => ({
      caseId,
      element,
      occurredOn,
      value,
      note: null,
      recordedBy: jane,
      recordedAt: at,
      surface: "import",
    });
    expect((await t.run(JANE, "network 12345 7")).ok).toBe(true);
    const before = (await reads.case("12345"))!;
    const other = (await reads.case("12346"))!;
    const target = (await reads.liveEntries("12345", "network")).at(-1)!;
    const applied = await t.ctx.records.apply({
      expect: [{ kind: "caseVersion", caseId: "12345", version: before.version }],
      writes: [
        { kind: "appendEvent", event: entry("12345", "safety-scale", "2016-02-01", 3) },
        {
          kind: "appendEvents",
          events: [
            entry("12345", "safety-scale", "2016-02-10", 8),
            entry("12346", "three-houses", "2016-02-11", null),
          ],
        },
        { kind: "appendEvent", event: entry("12345", "safety-scale", "2016-01-05", 1) },
        { kind: "retract", target: (await reads.event(target.id))!, by: jane, at, surface: "cli" },
      ],
      reply: (entries) => entries.map((e) => e.state),
    });
    if (applied.repeated) throw new Error("not a repeat");
    const states = applied.reply as ElementState[];
    // Each entry's state is its element's as the batch had it then; the rating of 10 February stays
    // the latest by day after the one of 5 January.
    expect(states[0]).toMatchObject({ lastOn: "2016-02-01", lastValue: 3 });
    expect(states[1]).toMatchObject({ lastOn: "2016-02-10", lastValue: 8 });
    expect(states[3]).toMatchObject({ lastOn: "2016-02-10", lastValue: 8 });
    const after = (await reads.case("12345"))!;
    expect(after.version).toBe(before.version + 1);
    expect((await reads.case("12346"))!.version).toBe(other.version + 1);
    // The stored projection is the fold of what is live, element by element, on both cases.
    for (const id of ["12345", "12346"]) {
      const c = (await reads.case(id))!;
      for (const element of ELEMENT_KEYS) {
        const folded = foldElement(await reads.liveEntries(id, element));
        expect(c.states[element] ?? EMPTY_STATE, `${id} ${element}`).toEqual(folded);
      }
    }
    expect(after.states["safety-scale"]!.count).toBe(before.states["safety-scale"]!.count + 3);
    expect(after.states.network?.count ?? 0).toBe(before.states.network!.count - 1);
  });

  test("batches of more shapes than are prepared, and one of more audit lines than a statement can carry, all go in whole and in order", async () => {
    t = await makeStoreCtx(kind);
    const jane = t.as(JANE).staffId;
    // A batch of n audit lines is a statement of its own text: 70 of them outnumber the names
    // (src/store/pg/named.ts), so the last are sent unnamed, and each must still go in whole.
    for (let n = 1; n <= 70; n++) {
      const line = {
        at: "2016-03-01T12:00:00.000Z",
        actorId: jane,
        surface: "cli",
        action: "shape",
        caseId: null,
      };
      await t.ctx.records.apply({
        expect: [],
        writes: Array.from({ length: n }, (_, i) => ({
          kind: "audit" as const,
          entry: { ...line, detail: { batch: n, line: i } },
        })),
        reply: () => null,
      });
    }
    // And one batch of more lines than one statement may carry parameters for (an import's, one a case).
    await t.ctx.records.apply({
      expect: [],
      writes: Array.from({ length: 12_000 }, (_, i) => ({
        kind: "audit" as const,
        entry: {
          at: "2016-03-01T12:00:00.000Z",
          actorId: jane,
          surface: "cli",
          action: "many",
          detail: { i },
        },
      })),
      reply: () => null,
    });
    const count = async (action: string) =>
      (await t!.rows("SELECT CAST(count(*) AS INTEGER) AS n FROM audit WHERE action = $1", [action]))[0];
    expect(await count("shape")).toEqual({ n: (70 * 71) / 2 });
    expect(await count("many")).toEqual({ n: 12_000 });
    // In the batch's order.
    const lines = await t.rows("SELECT detail FROM audit WHERE action = 'many' ORDER BY id");
    const order = lines.map((r) => (typeof r.detail === "string" ? JSON.parse(r.detail) : r.detail).i);
    expect(order).toEqual(Array.from({ length: 12_000 }, (_, i) => i));
  });

  describe("undo is a retraction, never a deletion", () => {
    test("undo takes back my last entry and the dashboard goes back", async () => {
      t = await makeStoreCtx(kind);
      const logged = (await t.run(JANE, "mapped-with-family 12345")).logged!;
      const r = await t.run(JANE, "undo");
      expect(r.text).toBe(
        "Undone: Mapping with Family on 01/03/16 for case 12345. The entry stays in the case history, marked as undone.\nThe dashboard now shows Mapping with Family: No.",
      );
      const events = await t.rows(
        "SELECT id, retracts_id FROM practice_events WHERE case_id = '12345' ORDER BY id DESC LIMIT 2",
      );
      expect(events).toEqual([
        { id: logged.entryId + 1, retracts_id: logged.entryId },
        { id: logged.entryId, retracts_id: null },
      ]);
      expect((await t.run(JANE, "case 12345")).text).toContain(
        `[undone] Mapping with Family, recorded by Jane Smith 01/03/16 12:00 via cli (entry #${logged.entryId}).`,
      );
    });

    test("undo twice goes one entry further back; with nothing left it says so", async () => {
      t = await makeStoreCtx(kind);
      await t.run(JANE, "mapped-with-family 12345");
      await t.run(JANE, "scale 12345 5");
      expect((await t.run(JANE, "undo")).text).toContain("Undone: Safety Scale 5");
      expect((await t.run(JANE, "undo")).text).toContain("Undone: Mapping with Family");
      // Her imported paper records are not entries she typed: plain undo stops there.
      expect((await t.run(JANE, "undo")).text).toBe("You have no entries left to undo. Nothing changed.");
      expect((await t.run(AH_HIN, "undo")).text).toBe("You have no entries left to undo. Nothing changed.");
    });

    test("an Undo button retracts exactly its entry, once", async () => {
      t = await makeStoreCtx(kind);
      const a = (await t.run(JANE, "mapped-with-family 12345")).logged!.entryId;
      await t.run(JANE, "scale 12345 5");
      const r = await t.run(JANE, `undo #${a}`);
      expect(r.undone).toEqual({ entryId: a, caseId: "12345", label: "Mapping with Family" });
      const again = await t.run(JANE, `undo #${a}`);
      expect(again.issue?.code).toBe("already_undone");
      expect(again.text).toBe(
        "That Mapping with Family entry on case 12345 was already undone by you (01/03/16 12:00). Nothing changed.",
      );
      expect(
        (await t.run(JANE, "mine statutory-cp")).dashboards![0]!.groups[0]!.rows.find(
          (r) => r.caseId === "12345",
        )!.cells[8],
      ).toBe("5 (2 ratings)");
    });

    test("a supervisor may undo a worker's entry on the team's case", async () => {
      t = await makeStoreCtx(kind);
      const a = (await t.run(JANE, "mapped-with-family 12345")).logged!.entryId;
      const r = await t.run(SAM, `undo #${a}`);
      expect(r.ok).toBe(true);
      expect((await t.run(JANE, `undo #${a}`)).text).toContain("already undone by Sam Okafor");
    });
  });

  describe("a failing command changes nothing", () => {
    const bad: [string, string][] = [
      [JANE, "mapped-with-family 99999"],
      [JANE, "mapped-wth-family 12345"],
      [JANE, "mapped-with-family 12345 31/02/26"],
      [JANE, "mapped-with-family 12345 tomorrow"],
      [JANE, "mapped-with-family 12345 2016-01-01"],
      [JANE, "scale 12345 11"],
      [JANE, "network 12345 -3"],
      [JANE, "meeting 22345"],
      [AH_HIN, "mapped-with-family 12345"],
      [JANE, "open 70001 Ana 4 cp"],
      [SAM, "open 12345 Ana 4 cp"],
      [SAM, "assign 12345 nobody@demo-agency.example"],
      [SAM, "assign 12345 jane.smith@demo-agency.example"],
      [SAM, "close 12345 2016-01-01 safe-at-home"],
      [SAM, "reopen 12345"],
      [AH_HIN, "undo"],
      [JANE, "undo #99999"],
    ];

    test.each(bad)("%s: %s", async (who, text) => {
      t = await makeStoreCtx(kind);
      const before = await t.snapshot();
      const r = await t.run(who, text);
      expect(r.ok).toBe(false);
      expect(r.text).toMatch(/^[^\n]+$/);
      expect(await t.snapshot()).toBe(before);
    });
  });

  test("a batch that fails after its writes is rolled back whole", async () => {
    t = await makeStoreCtx(kind);
    const before = await t.snapshot();
    await expect(
      t.ctx.records.apply({
        expect: [],
        writes: [
          {
            kind: "appendEvent",
            event: {
              caseId: "12345",
              element: "three-houses",
              occurredOn: "2016-03-01",
              recordedBy: t.as(JANE).staffId,
              recordedAt: "2016-03-01T12:00:00.000Z",
              surface: "cli",
            },
          },
          { kind: "close", caseId: "12345", on: "2016-03-01", outcome: "other", note: null },
        ],
        reply: () => {
          throw new Error("disk full");
        },
      }),
    ).rejects.toThrow("disk full");
    expect(await t.snapshot()).toBe(before);
  });

  describe("closing and reopening", () => {
    test("a closed case leaves the dashboards and refuses new entries", async () => {
      t = await makeStoreCtx(kind);
      expect((await t.run(SAM, "close 12345 safe at home")).text).toBe(
        "Closed case 12345 on 01/03/16 (today): Safety achieved, child living at home. It leaves the dashboards; `/sos reopen 12345` brings it back.",
      );
      expect((await t.run(JANE, "mapped-with-family 12345")).issue?.code).toBe("case_closed");
      expect(
        (await t.run(JANE, "mine statutory-cp")).dashboards![0]!.groups[0]!.rows.map((r) => r.caseId),
      ).toEqual(["12346"]);
      expect((await t.run(SAM, "reopen 12345")).ok).toBe(true);
      expect((await t.run(JANE, "mapped-with-family 12345")).ok).toBe(true);
      const history = (await t.run(JANE, "case 12345")).text;
      expect(history).toContain("Closed by Sam Okafor: Safety achieved, child living at home.");
      expect(history).toContain("Reopened by Sam Okafor.");
    });

    test("a transfer keeps the history and moves the case to the new worker's dashboard", async () => {
      t = await makeStoreCtx(kind);
      expect((await t.run(SAM, `assign 12345 ${AH_HIN}`)).text).toBe(
        "Case 12345 is now allocated to Ah Hin Xeng (it was Jane Smith's).",
      );
      expect((await t.run(JANE, "mapped-with-family 12345")).issue?.code).toBe("unknown_case");
      expect((await t.run(AH_HIN, "mapped-with-family 12345")).ok).toBe(true);
      expect((await t.run(SAM, "case 12345")).text).toMatch(
        /Allocated to Jane Smith[\s\S]*Allocated to Ah Hin Xeng \(North Team\) by Sam Okafor\./,
      );
    });
  });
});

describe("the SQLite file", () => {
  test("the database refuses to edit or delete a practice event", () => {
    const f = makeTestCtx();
    file = f;
    expect(() => f.ctx.store.sqlite.prepare("DELETE FROM practice_events").run()).toThrow(/append-only/);
    expect(() => f.ctx.store.sqlite.prepare("UPDATE practice_events SET value = 9").run()).toThrow(
      /append-only/,
    );
  });
  test("an error thrown half-way through a write rolls the whole command back", async () => {
    const f = makeTestCtx();
    file = f;
    const before = dbSnapshot(f.ctx.store);
    const original = f.ctx.repo.audit.record;
    f.ctx.repo.audit.record = () => {
      throw new Error("disk full");
    };
    try {
      await expect(f.run(JANE, "mapped-with-family 12345")).rejects.toThrow("disk full");
    } finally {
      f.ctx.repo.audit.record = original;
    }
    expect(dbSnapshot(f.ctx.store)).toBe(before);
  });

  test("delivery ids are forgotten after a week, so stored replies do not pile up", async () => {
    const f = makeTestCtx();
    file = f;
    await f.run(JANE, "mapped-with-family 12345", { idempotencyKey: "old" });
    expect(f.ctx.repo.idempotency.prune("2016-03-01T11:00:00.000Z")).toBe(0);
    expect(f.ctx.repo.idempotency.prune("2016-03-08T12:00:00.000Z")).toBe(1);
    expect(f.ctx.repo.idempotency.get("old")).toBeUndefined();
  });
});
