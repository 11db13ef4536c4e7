import fc from "fast-check";
import { expect, test } from "vitest";
import type { CaseStates, ElementState } from "../domain/projection.ts";
import { decodeStates, EMPTY_STATES_TEXT, encodeStates, parseStates, SLOTS } from "./states-format.ts";

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
