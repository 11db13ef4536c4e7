import { expect, test } from "vitest";
import { decodeStates, parseStates } from "./states-format.ts";

const slot = (value: string) => `[[2,"2026-01-02","2026-01-03",${value}],0]`;

test("a slot's last value read in place is the one JSON.parse reads, at the edges of a small integer", () => {
  for (const v of [
    "null",
    "0",
    "7",
    "-3",
    "-0",
    "10",
    "123456789",
    "1234567890",
    "-123456789",
    "2.5",
    "1e2",
    "-0.5",
  ])
    expect(decodeStates(slot(v)), v).toEqual(parseStates(slot(v)));
});

test("a last value JSON does not allow is refused as JSON.parse refuses it", () => {
  for (const v of ["01", "-", "--1", "nul1", "nulls", "+1", "1-"])
    expect(() => decodeStates(slot(v)), v).toThrow();
});
