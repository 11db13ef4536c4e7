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
  return scanStates(text) ?? parseStates(text);
}

/** The general reading: any JSON the column may hold (PostgreSQL's jsonb text has spaces, say). */
export function parseStates(text: string): CaseStates {
  const raw: unknown = JSON.parse(text);
  if (!Array.isArray(raw)) return (raw ?? {}) as CaseStates;
  const out: Partial<Record<ElementKey, ElementState>> = {};
  for (let i = 0; i < raw.length && i < SLOTS.length; i++) {
    const v = raw[i] as Slot;
    if (v !== 0 && v !== null) out[SLOTS[i]!] = { count: v[0], firstOn: v[1], lastOn: v[2], lastValue: v[3] };
  }
  return out;
}

const QUOTE = 34; // "
const OPEN = 91; // [
const CLOSE = 93; // ]
const COMMA = 44; // ,
const ZERO = 48; // 0
const N = 110; // n (null)
/** A JSON number, as `JSON.stringify` writes one. */
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * The text exactly as `encodeStates` (and SQLite's `json_set`) writes it, read without `JSON.parse`:
 * the overview and the digests read the agency's 20,000 cases whole, and this measured 3× faster
 * than parsing and then building the object (bench/, 20,000 cases: 25 against 75 ms). Anything else
 * (spaces, a date that is not 10 characters, the old object form) answers null and is parsed as JSON.
 */
function scanStates(text: string): CaseStates | null {
  const n = text.length;
  if (n < 2 || text.charCodeAt(0) !== OPEN || text.charCodeAt(n - 1) !== CLOSE) return null;
  const out: Partial<Record<ElementKey, ElementState>> = {};
  let i = 1;
  let slot = 0;
  if (n === 2) return out;
  for (;;) {
    const ch = text.charCodeAt(i);
    if (ch === ZERO) i += 1;
    else if (ch === N) {
      if (!text.startsWith("null", i)) return null;
      i += 4;
    } else if (ch === OPEN) {
      const c = text.indexOf(",", i);
      if (c < 0) return null;
      const count = integer(text, i + 1, c);
      if (count === null) return null;
      i = c + 1;
      const firstOn = day(text, i);
      if (firstOn === undefined) return null;
      i += firstOn === null ? 4 : 12;
      if (text.charCodeAt(i) !== COMMA) return null;
      const lastOn = day(text, i + 1);
      if (lastOn === undefined) return null;
      i += lastOn === null ? 5 : 13;
      if (text.charCodeAt(i) !== COMMA) return null;
      const end = text.indexOf("]", i + 1);
      if (end < 0) return null;
      // `null` and small integers (a rating, a network's size) read in place: slicing each slot's
      // value out to test it made a string per element per case (bench/profile.ts, the overview).
      let lastValue: number | null = null;
      if (end === i + 5 && text.charCodeAt(i + 1) === N) {
        if (!text.startsWith("null", i + 1)) return null;
      } else {
        lastValue = smallInteger(text, i + 1, end);
        if (lastValue === null) {
          const v = text.slice(i + 1, end);
          if (!NUMBER.test(v)) return null;
          lastValue = Number(v);
        }
      }
      i = end + 1;
      const key = SLOTS[slot];
      if (key !== undefined) out[key] = { count, firstOn, lastOn, lastValue };
    } else return null;
    slot++;
    const next = text.charCodeAt(i);
    if (next === CLOSE) return i === n - 1 ? out : null;
    if (next !== COMMA) return null;
    i++;
  }
}

/**
 * An integer as JSON writes one (`-`, then `0` or digits not starting with 0), of at most 9 digits,
 * in `text` from `from` up to `to`; null for anything else (which is then read the general way).
 */
function smallInteger(text: string, from: number, to: number): number | null {
  const negative = text.charCodeAt(from) === 45;
  const start = negative ? from + 1 : from;
  if (to <= start || to - start > 9) return null;
  if (text.charCodeAt(start) === ZERO && to - start > 1) return null;
  let x = 0;
  for (let k = start; k < to; k++) {
    const d = text.charCodeAt(k) - ZERO;
    if (d < 0 || d > 9) return null;
    x = x * 10 + d;
  }
  return negative ? -x : x;
}

/** A non-negative integer written in `text` from `from` up to `to`; null when it is not one. */
function integer(text: string, from: number, to: number): number | null {
  if (to <= from || to - from > 15) return null;
  let x = 0;
  for (let k = from; k < to; k++) {
    const d = text.charCodeAt(k) - ZERO;
    if (d < 0 || d > 9) return null;
    x = x * 10 + d;
  }
  return x;
}

/** A quoted 10-character day, or null written as such, at `at`; undefined when it is neither. */
function day(text: string, at: number): string | null | undefined {
  const ch = text.charCodeAt(at);
  if (ch === N) return text.startsWith("null", at) ? null : undefined;
  if (ch !== QUOTE || text.charCodeAt(at + 11) !== QUOTE) return undefined;
  // A real day is one of a few thousand: the same string each time it is read, rather than a new
  // copy per element per case (the digests read 20,000 cases' states: their days were much of the
  // garbage collected, bench/profile.ts).
  const n = dayDigitsAt(text, at + 1);
  if (n >= 0) {
    let d = DAYS.get(n);
    if (d === undefined) {
      if (DAYS.size >= DAYS_KEPT) DAYS.clear();
      d = text.slice(at + 1, at + 11);
      DAYS.set(n, d);
    }
    return d;
  }
  const d = text.slice(at + 1, at + 11);
  // Nothing to unescape in a day: a backslash means it was not one.
  return d.includes("\\") || d.includes('"') ? undefined : d;
}

/** Days read, by their number (`dayNumberAt`); at most `DAYS_KEPT` (a century is 36,525). */
const DAYS = new Map<number, string>();
const DAYS_KEPT = 40_000;

/** A day `YYYY-MM-DD` as the number YYYYMMDD, read from `text` at `at`: days compare as these do. */
export function dayNumberAt(text: string, at = 0): number {
  let x = 0;
  for (let k = at; k < at + 10; k++) {
    if (k === at + 4 || k === at + 7) continue;
    x = x * 10 + (text.charCodeAt(k) - ZERO);
  }
  return x;
}

/** In `firstDays`' answer: the element has nothing live. */
export const NEVER = -1;
/** In `firstDays`' answer: done, by an entry without a date (it counts from always). */
export const UNDATED = 0;

/**
 * When each slot's element was first done, into `out` (one per slot, `SLOTS` order): `NEVER`,
 * `UNDATED`, or the day as `dayNumberAt` gives it. What coverage on past days needs of a case, read
 * without building its states: the agency summary counts 20,000 cases this way, and building their
 * projections was most of its garbage (bench/profile.ts). Text in another form (the old object form,
 * PostgreSQL's jsonb text with spaces) is parsed as JSON and read the same.
 */
export function firstDays(text: string, out: Int32Array): void {
  out.fill(NEVER);
  if (scanFirstDays(text, out)) return;
  out.fill(NEVER);
  const states = parseStates(text);
  for (let s = 0; s < SLOTS.length && s < out.length; s++) {
    const st = states[SLOTS[s]!];
    if (st && st.count > 0) out[s] = st.firstOn === null ? UNDATED : dayNumberAt(st.firstOn);
  }
}

/** `firstDays` on the text exactly as `encodeStates` writes it; false on anything else. */
function scanFirstDays(text: string, out: Int32Array): boolean {
  const n = text.length;
  if (n < 2 || text.charCodeAt(0) !== OPEN || text.charCodeAt(n - 1) !== CLOSE) return false;
  if (n === 2) return true;
  let i = 1;
  for (let slot = 0; ; slot++) {
    const ch = text.charCodeAt(i);
    if (ch === ZERO) i += 1;
    else if (ch === N) {
      if (!text.startsWith("null", i)) return false;
      i += 4;
    } else if (ch === OPEN) {
      const c = text.indexOf(",", i);
      if (c < 0) return false;
      const count = integer(text, i + 1, c);
      if (count === null) return false;
      const at = c + 1;
      const first = text.charCodeAt(at);
      let day: number;
      if (first === N) {
        if (!text.startsWith("null", at)) return false;
        day = UNDATED;
      } else if (first === QUOTE && text.charCodeAt(at + 11) === QUOTE) {
        if (!isDayAt(text, at + 1)) return false;
        day = dayNumberAt(text, at + 1);
      } else return false;
      // The rest of the slot (last day, last value) holds no bracket: its end is the next one.
      const end = text.indexOf("]", at);
      if (end < 0) return false;
      i = end + 1;
      if (count > 0 && slot < out.length) out[slot] = day;
    } else return false;
    const next = text.charCodeAt(i);
    if (next === CLOSE) return i === n - 1;
    if (next !== COMMA) return false;
    i++;
  }
}

/**
 * `dayNumberAt` of `text` at `at` when it holds `DDDD-DD-DD` (D a digit), else -1: both in one pass,
 * as `scanStates` reads two days per element of every case.
 */
function dayDigitsAt(text: string, at: number): number {
  let x = 0;
  for (let k = 0; k < 10; k++) {
    const ch = text.charCodeAt(at + k);
    if (k === 4 || k === 7) {
      if (ch !== 45) return -1;
      // written so that past the end (NaN) is not a digit either
    } else if (ch >= ZERO && ch <= ZERO + 9) x = x * 10 + (ch - ZERO);
    else return -1;
  }
  return x;
}

/** Whether `text` holds `DDDD-DD-DD` (D a digit) at `at`. */
function isDayAt(text: string, at: number): boolean {
  for (let k = 0; k < 10; k++) {
    const ch = text.charCodeAt(at + k);
    // written so that past the end (NaN) is not a digit either
    if (k === 4 || k === 7 ? ch !== 45 : !(ch >= ZERO && ch <= ZERO + 9)) return false;
  }
  return true;
}
