import { ABUSE_LEGEND, formatAbuseTypes } from "../domain/abuse.ts";
import { elementCell } from "../domain/cells.ts";
import type { ColumnDef, DashboardDef } from "../domain/dashboards.ts";
import { formatDate, type IsoDate } from "../domain/dates.ts";
import { ELEMENTS, type ElementKey } from "../domain/elements.ts";
import { groupTitle, type NameDisplay, nameCell } from "../domain/names.ts";
import type { ElementState } from "../domain/projection.ts";
import type { DashboardView, RowView } from "./view.ts";

/** What a dashboard row needs to know about a case (a subset of the case row). */
export interface DashboardCase {
  readonly id: string;
  readonly childName: string;
  readonly dob: IsoDate | null;
  readonly ageAtOpening: number | null;
  readonly openedOn: IsoDate;
  readonly abuseTypes: readonly string[];
}

export interface DashboardInput {
  readonly def: DashboardDef;
  /** in display order; a worker with no cases still gets a group, as on the seed's whiteboard */
  readonly groups: readonly { readonly worker: string; readonly cases: readonly DashboardCase[] }[];
  readonly states: ReadonlyMap<string, ReadonlyMap<ElementKey, ElementState>>;
  readonly today: IsoDate;
  readonly datePattern: string;
  readonly names: NameDisplay;
  readonly isStuck: (caseId: string) => boolean;
}

export function cellFor(
  col: ColumnDef,
  c: DashboardCase,
  states: ReadonlyMap<ElementKey, ElementState> | undefined,
  today: IsoDate,
  datePattern: string,
  names: NameDisplay,
): string {
  switch (col.id) {
    case "name":
      return nameCell(c, today, names);
    case "opened":
      return formatDate(c.openedOn, datePattern);
    case "abuse":
      return formatAbuseTypes(c.abuseTypes);
    default:
      return elementCell(ELEMENTS[col.id].kind, col.style, states?.get(col.id), (d) =>
        formatDate(d, datePattern),
      );
  }
}

/** The seed's table for one dashboard: one group per worker, one row per case, every cell final text. */
export function buildDashboard(input: DashboardInput): DashboardView {
  const { def, today, datePattern, names } = input;
  const groups = input.groups.map((g) => ({
    worker: g.worker,
    title: groupTitle(g.worker),
    rows: g.cases.map(
      (c): RowView => ({
        caseId: c.id,
        cells: def.columns.map((col) => cellFor(col, c, input.states.get(c.id), today, datePattern, names)),
        stuck: input.isStuck(c.id),
      }),
    ),
  }));
  return {
    dashboard: def.slug,
    title: def.title,
    columns: def.columns.map((c) => c.label),
    groups,
    legend: def.columns.some((c) => c.id === "abuse") ? ABUSE_LEGEND : null,
  };
}
