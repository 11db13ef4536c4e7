import { ABUSE_LEGEND, formatAbuseTypes } from "../domain/abuse.ts";
import { elementCell } from "../domain/cells.ts";
import { type ColumnDef, type DashboardDef, elementColumn, isElementColumn } from "../domain/dashboards.ts";
import { formatDate, type IsoDate } from "../domain/dates.ts";
import { ELEMENTS, type ElementKey } from "../domain/elements.ts";
import { groupTitle, type NameDisplay, nameCell } from "../domain/names.ts";
import type { CaseStates } from "../domain/projection.ts";
import { NOT_APPLICABLE } from "./notes.ts";
import type { DashboardView, RowView } from "./view.ts";

/** What a dashboard row needs to know about a case (a subset of the case row). */
export interface DashboardCase {
  readonly id: string;
  readonly childName: string;
  readonly dob: IsoDate | null;
  readonly ageAtOpening: number | null;
  readonly openedOn: IsoDate;
  readonly abuseTypes: readonly string[];
  readonly states: CaseStates;
}

export interface DashboardInput {
  readonly def: DashboardDef;
  /** in display order; a worker with no cases still gets a group, as on the seed's whiteboard */
  readonly groups: readonly { readonly worker: string; readonly cases: readonly DashboardCase[] }[];
  readonly today: IsoDate;
  readonly datePattern: string;
  readonly names: NameDisplay;
  readonly isStuck: (caseId: string) => boolean;
  /** the elements a stuck rule points at on this case (missing ones), for layouts that mark cells */
  readonly stuckAt?: (caseId: string) => ReadonlySet<ElementKey>;
}

/**
 * Formats dates for one build. A dashboard shows the same few hundred days over and over (20,000
 * cases, 280,000 cells), so each distinct day is formatted once.
 */
export function dateFormatter(pattern: string): (d: IsoDate) => string {
  const seen = new Map<IsoDate, string>();
  return (d) => {
    let f = seen.get(d);
    if (f === undefined) {
      f = formatDate(d, pattern);
      seen.set(d, f);
    }
    return f;
  };
}

export { NOT_APPLICABLE } from "./notes.ts";

/**
 * An abuse-type cell, once per shared (frozen) list of codes: the store hands every case with the
 * same codes the same list (`abuseTypesOf` in store/cases.ts), and "FDV, EA & N" made anew for each
 * of 20,000 rows was kept until the view was sent. A list of the caller's own is formatted each time.
 */
const abuseCells = new WeakMap<readonly string[], string>();
function abuseCell(codes: readonly string[]): string {
  if (!Object.isFrozen(codes)) return formatAbuseTypes(codes);
  let text = abuseCells.get(codes);
  if (text === undefined) {
    text = formatAbuseTypes(codes);
    abuseCells.set(codes, text);
  }
  return text;
}

export function cellFor(
  col: ColumnDef,
  c: DashboardCase,
  today: IsoDate,
  showDate: (d: IsoDate) => string,
  names: NameDisplay,
  /** the case's own dashboard, when the table is another one (the overview) */
  own?: DashboardDef,
): string {
  switch (col.id) {
    case "name":
      return nameCell(c, today, names);
    case "opened":
      return showDate(c.openedOn);
    case "abuse":
      return abuseCell(c.abuseTypes);
    default: {
      const state = c.states[col.id];
      // "No" would say it is missing; it cannot be recorded on this case at all.
      if (own && !elementColumn(own, col.id) && (state?.count ?? 0) === 0) return NOT_APPLICABLE;
      return elementCell(ELEMENTS[col.id].kind, col.style, state, showDate);
    }
  }
}

/** One case's row on a dashboard: every cell final text. */
export function dashboardRow(
  def: DashboardDef,
  c: DashboardCase,
  opts: {
    today: IsoDate;
    showDate: (d: IsoDate) => string;
    names: NameDisplay;
    stuck: boolean;
    /** the elements a stuck rule points at */
    stuckAt?: ReadonlySet<ElementKey>;
    /** or their cells' indexes already worked out (`stuckCells`), which then win */
    stuckCells?: readonly number[];
    own?: DashboardDef;
  },
): RowView {
  const at = opts.stuckAt;
  return {
    caseId: c.id,
    cells: def.columns.map((col) => cellFor(col, c, opts.today, opts.showDate, opts.names, opts.own)),
    stuck: opts.stuck,
    stuckAt:
      opts.stuckCells ??
      (at && at.size > 0
        ? def.columns.flatMap((col, i) => (isElementColumn(col) && at.has(col.id) ? [i] : []))
        : []),
  };
}

/** The table around rows already built: groups titled like the seed ("Jane Smith's Cases"), legend. */
export function assembleDashboard(
  def: DashboardDef,
  groups: readonly { readonly worker: string; readonly rows: readonly RowView[] }[],
): DashboardView {
  return {
    dashboard: def.slug,
    title: def.title,
    columns: def.columns.map((c) => c.label),
    groups: groups.map((g) => ({ worker: g.worker, title: groupTitle(g.worker), rows: g.rows })),
    legend: def.columns.some((c) => c.id === "abuse") ? ABUSE_LEGEND : null,
  };
}

/** The seed's table for one dashboard: one group per worker, one row per case. */
export function buildDashboard(input: DashboardInput): DashboardView {
  const { def, today, names } = input;
  const showDate = dateFormatter(input.datePattern);
  return assembleDashboard(
    def,
    input.groups.map((g) => ({
      worker: g.worker,
      rows: g.cases.map((c) =>
        dashboardRow(def, c, {
          today,
          showDate,
          names,
          stuck: input.isStuck(c.id),
          ...(input.stuckAt ? { stuckAt: input.stuckAt(c.id) } : {}),
        }),
      ),
    })),
  );
}
