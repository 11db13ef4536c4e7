import type { DashboardSlug } from "../domain/dashboards.ts";
import type { IsoDate } from "../domain/dates.ts";
import type { ElementKey } from "../domain/elements.ts";
import type { StuckRule } from "../domain/stuck.ts";

/**
 * Platform-neutral view models. Commands return these; one renderer per surface turns them into
 * text, CSV, JSON, Block Kit or an Adaptive Card. Every cell is final text, so all surfaces agree.
 */

/** One of the seed's tables: groups per worker ("Jane Smith's Cases"), one row per case. */
export interface DashboardView {
  readonly dashboard: DashboardSlug;
  readonly title: string;
  readonly columns: readonly string[];
  readonly groups: readonly GroupView[];
  /** the abuse-type legend under the table, when the table has an Abuse Type column */
  readonly legend: string | null;
}

export interface GroupView {
  readonly worker: string;
  readonly title: string;
  readonly rows: readonly RowView[];
}

export interface RowView {
  readonly caseId: string;
  readonly cells: readonly string[];
  /** whether any stuck rule holds for the case: renderers may mark the row */
  readonly stuck: boolean;
  /**
   * Indexes into `cells` of the elements a stuck rule points at (missing, and overdue): a layout
   * that shows each element on its own line marks these. A rule about nothing logged lately, or a
   * rating long ago, points at no cell.
   */
  readonly stuckAt: readonly number[];
}

/** How much of each element is happening: per team and agency-wide. */
export interface CoverageView {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly {
    readonly label: string;
    readonly openCases: number;
    readonly cells: readonly string[];
  }[];
  readonly total: { readonly label: string; readonly openCases: number; readonly cells: readonly string[] };
  readonly note: string;
}

export interface StuckItem {
  readonly caseId: string;
  /** name cell as the dashboard shows it (respecting the audience's name rule) */
  readonly child: string;
  readonly worker: string;
  readonly team: string;
  readonly dashboard: string;
  readonly findings: readonly {
    readonly rule: StuckRule;
    readonly reason: string;
    /** the day it became stuck, as the agency writes dates */
    readonly since: string;
    /** the same day, `YYYY-MM-DD`, for tools reading `sos stuck --format json` */
    readonly sinceOn: string;
    readonly days: number;
  }[];
}

export interface StuckView {
  readonly title: string;
  /** the longest stuck first; a long list is cut (see `more`) */
  readonly items: readonly StuckItem[];
  /** stuck cases left off the list, with where to see them */
  readonly more?: { readonly count: number; readonly hint: string };
}

export interface CaseView {
  readonly caseId: string;
  readonly child: string;
  readonly status: "open" | "closed";
  readonly summary: readonly { readonly label: string; readonly value: string }[];
  /** the case as a one-row dashboard */
  readonly dashboard: DashboardView;
  readonly history: readonly HistoryLine[];
}

export interface HistoryLine {
  /** the day it happened, formatted */
  readonly on: string;
  readonly text: string;
  /** struck out: a retracted entry */
  readonly retracted: boolean;
}

/** A case someone may record on, for a form's case picker. */
export interface CaseChoice {
  readonly caseId: string;
  /** name cell as the dashboard shows it (respecting the audience's name rule) */
  readonly child: string;
  readonly worker: string;
  readonly dashboard: string;
}

/** The second step of a logging form: one case, and only the elements on that case's dashboard. */
export interface LogFormView {
  readonly caseId: string;
  readonly child: string;
  readonly dashboard: string;
  readonly openedOn: IsoDate;
  /** openedOn as the agency writes dates */
  readonly opened: string;
  readonly today: IsoDate;
  readonly elements: readonly {
    readonly element: ElementKey;
    /** the column's label on this dashboard */
    readonly label: string;
    /** the number it takes (a rating, a network size), or null when it is recorded with a date only */
    readonly range: { readonly min: number; readonly max: number } | null;
  }[];
}
