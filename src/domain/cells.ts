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
  if (s.count > 1) return s.lastOn ? `${s.count} times, last ${showDate(s.lastOn)}` : `${s.count} times`;
  return s.lastOn ? showDate(s.lastOn) : "Yes";
}
