import type { CellStyle } from "./dashboards.ts";
import type { IsoDate } from "./dates.ts";
import type { ElementKind } from "./elements.ts";
import { type ElementState, EMPTY_STATE } from "./projection.ts";

/**
 * One dashboard cell, as the seed writes it: `No`, a date, `Yes`, a rating, a count. An element done
 * several times shows how many and the latest (`3 times, last 20/01/16`) so nothing is hidden. An
 * occurrence recorded without a date (imported from paper) shows `Yes` in a date column.
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
    return s.count > 0 && s.lastValue !== null ? String(s.lastValue) : s.count > 0 ? "Yes" : "No";
  }
  if (s.count === 0) return "No";
  if (kind === "dates" && s.count > 1) {
    return s.lastOn ? `${s.count} times, last ${showDate(s.lastOn)}` : `${s.count} times`;
  }
  return s.lastOn ? showDate(s.lastOn) : "Yes";
}
