import { ELEMENTS, type ElementKey, type ElementKind } from "./elements.ts";

/**
 * The seed's four dashboards, columns in its order and with its labels (DESIGN §2). Agencies adapt
 * these through config (`adaptDashboard` in ../config); this file is the unadapted source.
 */

export const SERVICE_SLUGS = ["statutory-cp", "family-support", "voluntary"] as const;
export type ServiceSlug = (typeof SERVICE_SLUGS)[number];
export const DASHBOARD_SLUGS = ["overview", ...SERVICE_SLUGS] as const;
export type DashboardSlug = (typeof DASHBOARD_SLUGS)[number];

/**
 * `date`: `No`, a date, or a count and the latest date; `yesno`: `Yes`/`No`; `value`: `No` or the
 * number (rating, network size), or for a tally the number held.
 */
export type CellStyle = "date" | "yesno" | "value";

export type FixedField = "name" | "opened" | "abuse";

export type ColumnDef =
  | { readonly id: FixedField; readonly label: string }
  | { readonly id: ElementKey; readonly label: string; readonly style: CellStyle };

export interface DashboardDef {
  readonly slug: DashboardSlug;
  readonly title: string;
  readonly columns: readonly ColumnDef[];
}

export function isServiceSlug(s: string): s is ServiceSlug {
  return (SERVICE_SLUGS as readonly string[]).includes(s);
}

export function defaultStyle(kind: ElementKind): CellStyle {
  if (kind === "date" || kind === "dates") return "date";
  if (kind === "done") return "yesno";
  return "value";
}

/** Which cell styles make sense for a kind: a rating cannot show as a date. */
export function allowedStyles(kind: ElementKind): readonly CellStyle[] {
  if (kind === "date" || kind === "dates") return ["date", "yesno"];
  if (kind === "done") return ["yesno"];
  return ["value", "yesno"];
}

export function isElementColumn(
  c: ColumnDef,
): c is { readonly id: ElementKey; readonly label: string; readonly style: CellStyle } {
  return c.id !== "name" && c.id !== "opened" && c.id !== "abuse";
}

const name: ColumnDef = { id: "name", label: "Name/Age/ID #" };
// The seed's family-support table heads its first column "Name/Age", without the id.
const nameAge: ColumnDef = { id: "name", label: "Name/Age" };
const opened: ColumnDef = { id: "opened", label: "Date Opened" };
const abuse: ColumnDef = { id: "abuse", label: "Abuse Type" };

function el(id: ElementKey, label: string, style: CellStyle = defaultStyle(ELEMENTS[id].kind)): ColumnDef {
  return { id, label, style };
}

export const DASHBOARDS: Readonly<Record<DashboardSlug, DashboardDef>> = {
  overview: {
    slug: "overview",
    title: "Whole practice overview",
    columns: [
      name,
      opened,
      abuse,
      el("mapping-internal", "Mapping Internal"),
      el("mapping-with-family", "Mapping with Family"),
      el("three-houses", "Three Houses"),
      el("danger-statement", "Danger Statement"),
      el("safety-goal", "Safety Goal"),
      el("safety-scale", "Safety Scale"),
      el("trajectory", "Timeline and Trajectory"),
      el("words-and-pictures", "Word and Pictures"),
      el("network", "Network Provide number"),
      el("adult-safety-plan", "Adult Safety Plan"),
      el("child-safety-plan", "Child Safety Plan"),
    ],
  },
  "statutory-cp": {
    slug: "statutory-cp",
    title: "Front end statutory child protection",
    columns: [
      name,
      opened,
      abuse,
      el("mapping-internal", "Mapping Internal"),
      el("mapping-with-family", "Mapping with Family"),
      el("three-houses", "Three Houses"),
      el("danger-statement", "Danger Statement"),
      el("safety-goal", "Safety Goal"),
      el("safety-scale", "Safety Scale"),
      el("words-and-pictures", "Word and Pictures"),
      el("network", "Network Number"),
      el("network-meeting", "Participatory Conferences/Meetings including Network"),
      el("adult-safety-plan", "Interim Adult Safety Plan"),
      el("child-safety-plan", "Child Safety Plan"),
    ],
  },
  // The seed writes this dashboard's practice cells as Yes/No rather than dates.
  "family-support": {
    slug: "family-support",
    title: "Statutory family support / preventative",
    columns: [
      nameAge,
      opened,
      abuse,
      el("mapping-internal", "Mapping Internal", "yesno"),
      el("mapping-with-family", "Mapping with Family", "yesno"),
      el("three-houses", "Three Houses", "yesno"),
      el("danger-statement", "Critical Worry"),
      el("safety-goal", "Success Goal"),
      el("safety-scale", "Success Scale"),
      el("words-and-pictures", "Word and Pictures", "yesno"),
      el("network", "Network Provide number"),
      el("adult-safety-plan", "Adult Success Plan", "yesno"),
      el("child-safety-plan", "Child Success Plan", "yesno"),
    ],
  },
  voluntary: {
    slug: "voluntary",
    title: "Voluntary preventative",
    columns: [
      name,
      opened,
      el("mapping-internal", "Mapping Internal"),
      el("mapping-with-family", "Mapping with Family"),
      el("three-houses", "My Three Houses"),
      el("danger-statement", "Critical Worry"),
      el("safety-goal", "Wellbeing Goal"),
      el("safety-scale", "Wellbeing Scale"),
      el("words-and-pictures", "Word and Pictures"),
      el("network", "Network Provide number"),
      el("adult-safety-plan", "Adult Success Plan"),
      el("child-safety-plan", "Child Wellbeing Plan"),
      el("trajectory", "Case Trajectory"),
    ],
  },
};

/** The element columns of a dashboard, for "is this element on the case's dashboard" questions. */
type ElementColumn = { readonly id: ElementKey; readonly label: string; readonly style: CellStyle };

// Dashboards are immutable once built, and "is this element on the case's dashboard" is asked for
// every case and element when a digest counts coverage: indexed once per dashboard.
const columnIndex = new WeakMap<DashboardDef, ReadonlyMap<string, ElementColumn>>();

export function elementColumn(dashboard: DashboardDef, element: ElementKey): ElementColumn | undefined {
  let index = columnIndex.get(dashboard);
  if (!index) {
    index = new Map(dashboard.columns.filter(isElementColumn).map((c) => [c.id, c]));
    columnIndex.set(dashboard, index);
  }
  return index.get(element);
}

export function elementColumns(dashboard: DashboardDef) {
  return dashboard.columns.filter(isElementColumn);
}

/** Service words a supervisor may type when opening a case. */
export const SERVICE_ALIASES: Readonly<Record<string, ServiceSlug>> = {
  "statutory-cp": "statutory-cp",
  statutory: "statutory-cp",
  cp: "statutory-cp",
  "child-protection": "statutory-cp",
  "family-support": "family-support",
  fs: "family-support",
  "family-support-preventative": "family-support",
  preventative: "family-support",
  voluntary: "voluntary",
  vol: "voluntary",
  "voluntary-preventative": "voluntary",
};
