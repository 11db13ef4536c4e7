import type { CellStyle } from "./dashboards.ts";
import type { IsoDate } from "./dates.ts";
import type { ElementKind } from "./elements.ts";
import { type ElementState, EMPTY_STATE } from "./projection.ts";

/**
 * One dashboard cell, as the seed writes it: `No`, a date, `Yes`, a rating, a count. Anything done
 * several times says how many and the latest, so a cell never hides a repeat: a dated element
 * (mappings, Three Houses, Timeline, Words and Pictures, the plans) `3 times, last 20/01/16`, a
 * Safety Scale rated several times `6 (3 ratings)`. A network size is the latest size (each entry
 * replaces the last), a tally the number held, a Yes/No column Yes. An occurrence recorded without
 * a date (imported from paper) shows `Yes` in a date column.
 */
export function elementCell(
  kind: ElementKind,
  style: CellStyle,
  state: ElementState | undefined,
  showDate: (d: IsoDate) => string,
): string {
  const s = state ?? EMPTY_STATE;
  if (style === "yesno") return s.count > 0 ? "Yes" : "No";
  if (style === "value") {
    if (kind === "tally") return String(s.count);
    if (s.count === 0) return "No";
    if (s.lastValue === null) return "Yes";
    return kind === "rating" && s.count > 1 ? `${s.lastValue} (${s.count} ratings)` : String(s.lastValue);
  }
  if (s.count === 0) return "No";
  if (s.count > 1) return s.lastOn ? timesLast(s.count, showDate(s.lastOn)) : times(s.count);
  return s.lastOn ? showDate(s.lastOn) : "Yes";
}

/**
 * `3 times, last 20/01/16`, one string per count and day shown: the agency's overview has most of
 * its 240,000 element cells done more than once, and each was a new string kept until the view was
 * sent (the collector copied them; bench/profile.ts). Bounded, as a day's text can be any pattern's.
 */
const TIMES_LAST = new Map<string, string[]>();
const KEPT = 50_000;

function timesLast(count: number, shown: string): string {
  let byCount = TIMES_LAST.get(shown);
  if (byCount === undefined) {
    if (TIMES_LAST.size >= KEPT) TIMES_LAST.clear();
    byCount = [];
    TIMES_LAST.set(shown, byCount);
  }
  let text = byCount[count];
  if (text === undefined) {
    text = `${count} times, last ${shown}`;
    if (count < 1_000) byCount[count] = text;
  }
  return text;
}

const TIMES: string[] = [];
function times(count: number): string {
  let text = TIMES[count];
  if (text === undefined) {
    text = `${count} times`;
    if (count < 1_000) TIMES[count] = text;
  }
  return text;
}
