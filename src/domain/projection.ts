import type { IsoDate } from "./dates.ts";
import type { ElementKey } from "./elements.ts";

/**
 * What the dashboards need to know about one element on one case, folded from its live (not
 * retracted) events. The store keeps this row up to date in the same transaction as each event, so a
 * dashboard never has to read the event log.
 */
export interface ElementState {
  readonly count: number;
  /** earliest dated occurrence; null when none of the events carries a date */
  readonly firstOn: IsoDate | null;
  /** latest dated occurrence */
  readonly lastOn: IsoDate | null;
  /** the value of the latest occurrence (undated ones count as oldest) */
  readonly lastValue: number | null;
}

export interface LiveEvent {
  readonly id: number;
  readonly occurredOn: IsoDate | null;
  readonly value: number | null;
}

/** Every element recorded on one case: absent means nothing live. */
export type CaseStates = Readonly<Partial<Record<ElementKey, ElementState>>>;

export const EMPTY_STATE: ElementState = { count: 0, firstOn: null, lastOn: null, lastValue: null };

/** Orders events as the dashboard reads them: by the day they happened, then by when they were recorded. */
export function compareOccurrence(a: LiveEvent, b: LiveEvent): number {
  const ad = a.occurredOn ?? "";
  const bd = b.occurredOn ?? "";
  if (ad !== bd) return ad < bd ? -1 : 1;
  return a.id - b.id;
}

export function foldElement(events: readonly LiveEvent[]): ElementState {
  if (events.length === 0) return EMPTY_STATE;
  const sorted = [...events].sort(compareOccurrence);
  const dated = sorted.filter((e) => e.occurredOn !== null);
  const latest = sorted[sorted.length - 1]!;
  return {
    count: events.length,
    firstOn: dated[0]?.occurredOn ?? null,
    lastOn: dated[dated.length - 1]?.occurredOn ?? null,
    lastValue: latest.value,
  };
}
