import fc from "fast-check";
import { expect, test } from "vitest";
import type { CaseStates, ElementState } from "../domain/projection.ts";
import {
  dayNumberAt,
  decodeStates,
  EMPTY_STATES_TEXT,
  encodeStates,
  firstDays,
  NEVER,
  parseStates,
  SLOTS,
  UNDATED,
} from "./states-format.ts";

const day = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const state: fc.Arbitrary<ElementState> = fc.record({
  count: fc.integer({ min: 0, max: 100_000 }),
  firstOn: fc.option(day),
  lastOn: fc.option(day),
  lastValue: fc.option(
    fc.oneof(fc.integer({ min: -5, max: 10 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
  ),
});
const states: fc.Arbitrary<CaseStates> = fc
  .array(fc.option(state, { nil: undefined }), { minLength: SLOTS.length, maxLength: SLOTS.length })
  .map((slots) => {
    const out: Record<string, ElementState> = {};
    slots.forEach((s, i) => {
      if (s) out[SLOTS[i]!] = s;
    });
    return out as CaseStates;
  });

test("the fast reading of the stored states equals JSON.parse's for anything encodeStates writes", () => {
  fc.assert(
    fc.property(states, (s) => {
      const text = encodeStates(s);
      expect(decodeStates(text)).toEqual(parseStates(text));
    }),
    { numRuns: 2000 },
  );
});

test("any other text the column may hold reads as JSON.parse reads it", () => {
  for (const text of [
    EMPTY_STATES_TEXT,
    "[]",
    "{}",
    '{"mapping-internal":{"count":1,"firstOn":"2026-01-02","lastOn":"2026-01-02","lastValue":null}}',
    // PostgreSQL's jsonb text, with its spaces
    '[0, [2, "2026-01-02", "2026-02-03", 4], 0]',
    '[[1,"2026-01-02","2026-01-03",1e2],0]',
    "[[1,null,null,null],null,0]",
    '[[1,"2026-01-02","2026-01-03",-0.5]]',
    // a slot beyond the ones there are is let go, as before
    `[${SLOTS.map(() => "0").join(",")},[1,"2026-01-02","2026-01-03",null]]`,
  ])
    expect(decodeStates(text), text).toEqual(parseStates(text));
});

test("text that is not JSON still fails as JSON.parse fails, rather than reading as something", () => {
  for (const text of ["[0,", '[[1,"2026-01-02"', "[x]", ""]) expect(() => decodeStates(text), text).toThrow();
});

/** What `firstDays` should say, from the parsed states: when each slot was first done. */
function firstDaysByHand(text: string): number[] {
  const parsed = parseStates(text);
  return SLOTS.map((k) => {
    const st = parsed[k];
    if (!st || st.count === 0) return NEVER;
    return st.firstOn === null ? UNDATED : dayNumberAt(st.firstOn);
  });
}

test("the first days read from the stored text are the parsed states' own, for anything the column may hold", () => {
  const out = new Int32Array(SLOTS.length);
  fc.assert(
    fc.property(states, (s) => {
      const text = encodeStates(s);
      firstDays(text, out);
      expect([...out]).toEqual(firstDaysByHand(text));
      // and the same from PostgreSQL's jsonb text of it (spaces after the commas)
      const spaced = JSON.stringify(JSON.parse(text)).replaceAll(",", ", ");
      firstDays(spaced, out);
      expect([...out]).toEqual(firstDaysByHand(text));
    }),
    { numRuns: 2000 },
  );
  for (const text of [
    EMPTY_STATES_TEXT,
    "[]",
    "{}",
    '{"three-houses":{"count":1,"firstOn":"2026-01-02","lastOn":"2026-01-02","lastValue":null}}',
    '[[1,"2026-01-02","2026-01-03",1e2],0]',
    "[[1,null,null,null],null,0]",
    '[[0,"2026-01-02","2026-01-03",null]]',
  ]) {
    firstDays(text, out);
    expect([...out], text).toEqual(firstDaysByHand(text));
  }
  // Days compare as their numbers do.
  expect(dayNumberAt("2026-01-02")).toBe(20260102);
  expect(dayNumberAt("2025-12-31") < dayNumberAt("2026-01-01")).toBe(true);
});
