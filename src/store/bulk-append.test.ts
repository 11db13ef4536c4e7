import { afterEach, expect, test } from "vitest";
import { JANE, makeTestCtx, type TestCtx } from "../../test/helpers/ctx.ts";
import type { ElementKey } from "../domain/elements.ts";
import type { NewEvent } from "./events.ts";
import { rebuildProjection } from "./rebuild.ts";
import { decodeStates } from "./states-format.ts";

let t: TestCtx;
afterEach(() => t?.close());

const AT = "2016-03-01T12:00:00.000Z";

function entry(
  caseId: string,
  element: ElementKey,
  occurredOn: string | null,
  value: number | null,
): NewEvent {
  const jane = t.as(JANE).staffId;
  return {
    caseId,
    element,
    occurredOn,
    value,
    note: null,
    recordedBy: jane,
    recordedAt: AT,
    surface: "import",
  };
}

const states = () =>
  (
    t.ctx.store.sqlite.prepare("SELECT id, states, version FROM cases ORDER BY id").all() as {
      id: string;
      states: string;
      version: number;
    }[]
  ).map((r) => ({ id: r.id, states: decodeStates(r.states), version: r.version }));

test("appendEvents numbers every entry in order, folds each case once, and moves each case's version on", async () => {
  t = makeTestCtx();
  const before = new Map(states().map((s) => [s.id, s.version]));
  const events = [
    entry("12345", "mapping-internal", "2016-02-10", null),
    entry("12346", "safety-scale", "2016-01-02", 4),
    entry("12345", "mapping-internal", "2016-02-20", null),
    entry("12345", "danger-statement", null, null),
    entry("12346", "safety-scale", "2016-01-01", 9),
  ];
  const written = await t.ctx.records.apply({
    expect: [],
    writes: [{ kind: "appendEvents", events }],
    reply: (entries) => entries.map((e) => ({ id: e.id, state: e.state })),
  });
  if (written.repeated) throw new Error("not a repeat");
  const entries = written.reply as { id: number; state: { count: number; lastValue: number | null } }[];
  expect(entries).toHaveLength(5);
  expect(entries.map((e) => e.id)).toEqual([...entries.map((e) => e.id)].sort((a, b) => a - b));
  // The state each entry reports is its element's after the whole batch: the 2 January rating is the
  // latest by day, whatever order the file had them in.
  expect(entries[1]!.state.lastValue).toBe(4);
  expect(entries[4]!.state.lastValue).toBe(4);

  const after = states();
  for (const s of after) {
    const moved = s.id === "12345" || s.id === "12346";
    expect(s.version, s.id).toBe(before.get(s.id)! + (moved ? 1 : 0));
  }
  // The projection the bulk write left is the one the events give.
  const kept = after.map((s) => [s.id, s.states]);
  rebuildProjection(t.ctx.store);
  expect(states().map((s) => [s.id, s.states])).toEqual(kept);
  expect(after.find((s) => s.id === "12345")!.states["mapping-internal"]).toMatchObject({
    count: 2 + 1, // the demo's own entry, and the two imported
    lastOn: "2016-02-20",
  });
});

test("appendEvents is all or nothing: one entry on a case that does not exist writes none of them", async () => {
  t = makeTestCtx();
  const count = () =>
    (t.ctx.store.sqlite.prepare("SELECT count(*) AS n FROM practice_events").get() as { n: number }).n;
  const before = { n: count(), states: states() };
  await expect(
    t.ctx.records.apply({
      expect: [],
      writes: [
        {
          kind: "appendEvents",
          events: [
            entry("12345", "three-houses", "2016-02-11", null),
            entry("99999", "three-houses", null, null),
          ],
        },
      ],
      reply: () => null,
    }),
  ).rejects.toThrow(/FOREIGN KEY/);
  expect(count()).toBe(before.n);
  expect(states()).toEqual(before.states);
});
