import type { DashboardSlug } from "../domain/dashboards.ts";
import type { IsoDate } from "../domain/dates.ts";
import type { ElementKey } from "../domain/elements.ts";
import type { NameDisplay } from "../domain/names.ts";

/**
 * The seed's whiteboard as a view model: each open case of a team set against the practice elements,
 * grouped by worker. Built by src/digest/whiteboard.ts; drawn as SVG/PNG (whiteboard-svg.ts) and on a
 * printable page (whiteboard-html.ts). Every string is final text.
 */

/**
 * One cell. `done`: recorded (also where the case's dashboard has no such column but it was recorded,
 * as the overview shows it: the sample Timeline of a child protection case); `missing`: on the case's
 * dashboard, not recorded yet; `stuck`: missing and a stuck rule points at it; `na`: not on the case's
 * own dashboard and never recorded (voluntary cases have no network meetings, child protection cases
 * no trajectory).
 */
export type CellStatus = "done" | "missing" | "stuck" | "na";

export const CELL_STATUSES: readonly CellStatus[] = ["done", "missing", "stuck", "na"];

export interface WhiteboardColumn {
  readonly element: ElementKey;
  /** one or two short lines for a narrow column: ["Mapping", "internal"] */
  readonly heading: readonly string[];
  /** the overview's label, for alt text and the printed page: "Mapping Internal" */
  readonly label: string;
}

export interface WhiteboardRow {
  readonly caseId: string;
  /** the dashboard's name cell under the audience's rule: "M.M. 13" in a channel */
  readonly child: string;
  readonly dashboard: DashboardSlug;
  /**
   * The case's service in a word or two ("Child protection"), when the same child has cases on
   * several dashboards in the picture (else null): otherwise their rows read as one case twice.
   */
  readonly service: string | null;
  /** in `columns` order */
  readonly cells: readonly CellStatus[];
  /** any stuck rule holds for the case (as in `/sos stuck`) */
  readonly stuck: boolean;
  /**
   * Stuck with nothing missing to point at, so shown beside the cells: days since anything was
   * logged, when the no-activity rule holds (else null) …
   */
  readonly quietDays: number | null;
  /**
   * … and days since the Safety Scale was last rated (since opening, for a rating imported without a
   * date), when the no-recent-scale rule holds though a rating exists (else null).
   */
  readonly scaleDays: number | null;
  /** the case's dashboard has the Safety Scale and it was never rated: "never", not blank */
  readonly neverRated: boolean;
}

export interface WhiteboardGroup {
  readonly worker: string;
  /** "Jane Smith's Cases" */
  readonly title: string;
  readonly rows: readonly WhiteboardRow[];
}

export interface ColumnCounts {
  readonly done: number;
  readonly missing: number;
  readonly stuck: number;
  readonly na: number;
}

export interface WhiteboardModel {
  readonly teamId: string;
  readonly team: string;
  /** "North Team whiteboard" */
  readonly title: string;
  readonly asOf: IsoDate;
  /** asOf as the agency writes dates */
  readonly date: string;
  /** how children are named in the rows */
  readonly names: NameDisplay;
  readonly columns: readonly WhiteboardColumn[];
  /** every worker of the team (even with no open cases), then anyone else holding its cases */
  readonly groups: readonly WhiteboardGroup[];
  readonly counts: {
    readonly cases: number;
    /** cases with any stuck rule */
    readonly stuckCases: number;
    /** cells marked stuck */
    readonly stuckCells: number;
    /** cases with nothing logged lately (quietDays set) */
    readonly quiet: number;
    /** cases whose rating is overdue (scaleDays set) */
    readonly scaleOverdue: number;
    /** per column, in `columns` order */
    readonly columns: readonly ColumnCounts[];
  };
}
