import type { ElementKey } from "../domain/elements.ts";
import type { CaseStates, ElementState } from "../domain/projection.ts";

/**
 * How a case's projection (`cases.states`) is written in the database: one JSON array with a slot
 * per element, in `SLOTS` order, each `0` (nothing live) or `[count, firstOn, lastOn, lastValue]`.
 *
 * Why not the JSON object it was (`{"mapping-internal":{"count":1,"firstOn":…},…}`): the agency's
 * 20,000 cases are read whole by the overview and the digests, and the object form was 960 bytes a
 * case, most of it repeated key names; this is 380, and `JSON.parse` of it measured 2.2× faster. The
 * slots are fixed, so one element is set in place with `json_set(states, '$[i]', …)`, and SQL (the
 * coverage triggers, the rebuild) finds an element by its slot.
 */

/**
 * The storage order of the slots: never reorder, only append (a new element gets the next slot and
 * a migration that pads every row). It is not `ELEMENT_KEYS`, which is display order.
 */
export const SLOTS: readonly ElementKey[] = [
  "mapping-internal",
  "mapping-with-family",
  "three-houses",
  "danger-statement",
  "safety-goal",
  "safety-scale",
  "trajectory",
  "words-and-pictures",
  "network",
  "network-meeting",
  "adult-safety-plan",
  "child-safety-plan",
];

/** An element's slot, by its key (any string: an event names its element as text). */
export const SLOT: ReadonlyMap<string, number> = new Map(SLOTS.map((k, i) => [k, i]));

/** A case with nothing live: every slot 0. */
export const EMPTY_STATES_TEXT = JSON.stringify(SLOTS.map(() => 0));

type Slot = 0 | readonly [number, string | null, string | null, number | null];

/** One element's state as its slot holds it. */
export function encodeState(s: ElementState): Slot {
  return s.count === 0 ? 0 : [s.count, s.firstOn, s.lastOn, s.lastValue];
}

export function encodeStates(states: CaseStates): string {
  return JSON.stringify(SLOTS.map((k) => (states[k] ? encodeState(states[k]) : 0)));
}

/**
 * The stored text back to the projection. A row written before this format, or by a raw insert
 * that left the column's `{}` default, reads as the object it is.
 */
export function decodeStates(text: string): CaseStates {
  const raw: unknown = JSON.parse(text);
  if (!Array.isArray(raw)) return (raw ?? {}) as CaseStates;
  const out: Partial<Record<ElementKey, ElementState>> = {};
  for (let i = 0; i < raw.length && i < SLOTS.length; i++) {
    const v = raw[i] as Slot;
    if (v !== 0 && v !== null) out[SLOTS[i]!] = { count: v[0], firstOn: v[1], lastOn: v[2], lastValue: v[3] };
  }
  return out;
}
