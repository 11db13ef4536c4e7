import type { CoverageView, DashboardView, StuckItem } from "../render/view.ts";

/**
 * What each scheduled message says, as platform-neutral view models (like src/render/view.ts): the
 * text renderer, Block Kit and Adaptive Cards all draw from these.
 */

/** A small table with its own headings, every cell final text. */
export interface TableBlock {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly note?: string;
}

/** The weekly team digest for a supervisor's channel. */
export interface TeamDigestView {
  readonly kind: "team";
  readonly teamId: string;
  readonly team: string;
  /** "North Team: weekly practice dashboard" */
  readonly title: string;
  /** the ISO week it is for, `2026-W48` */
  readonly period: string;
  /** "week to 23/11/26" */
  readonly window: string;
  /** posted after its time, because the app was not running then */
  readonly late: boolean;
  /**
   * nothing happened this week: one line instead of the tables and the picture (config
   * `digest.quietWeeks`); the stuck and raised cases are still listed
   */
  readonly quiet: boolean;
  readonly headline: string;
  /** each element: now, a week ago, change */
  readonly coverage: TableBlock;
  readonly dashboards: readonly DashboardView[];
  readonly newCases: readonly string[];
  readonly closedCases: readonly string[];
  /**
   * cases transferred into and out of the team this week (`/sos assign` to another team's worker),
   * so both supervisors see them; absent in views stored before transfers were listed
   */
  readonly transfersIn?: readonly string[];
  readonly transfersOut?: readonly string[];
  readonly stuck: readonly StuckItem[];
  /** stuck longer than `stuck.escalateAfterDays` past a rule: raised to the supervisor */
  readonly raised: readonly StuckItem[];
  /** people no longer in the config who still hold open cases of the team, and how many */
  readonly leavers: readonly { readonly name: string; readonly cases: number }[];
}

/** The weekly agency summary for managers: coverage, trend, stuck counts, elements against outcomes. */
export interface AgencySummaryView {
  readonly kind: "agency";
  readonly title: string;
  readonly period: string;
  readonly window: string;
  readonly late: boolean;
  readonly coverage: CoverageView;
  /** agency-wide coverage of each element at the end of each of the last 8 weeks */
  readonly trend: TableBlock;
  /** per team: open cases, stuck cases, raised to supervisors; no individual workers */
  readonly stuckCounts: TableBlock;
  /** of the cases closed with each outcome, how many had each element (the seed's cross-tabulation) */
  readonly outcomes: TableBlock;
}

/** A worker's own stuck cases, as a direct message, with one-tap actions per case. */
export interface NudgeView {
  readonly kind: "nudge";
  readonly staffId: number;
  readonly worker: string;
  readonly title: string;
  readonly items: readonly StuckItem[];
  /** how long the Snooze action takes a case out of nudges */
  readonly snoozeDays: number;
}

export type DigestView = TeamDigestView | AgencySummaryView | NudgeView;

/** The coverage view as a plain table (teams, then the agency total as the last row). */
export function coverageTable(c: CoverageView): TableBlock {
  return {
    title: c.title,
    columns: c.columns,
    rows: [
      ...c.rows.map((r) => [r.label, String(r.openCases), ...r.cells]),
      [c.total.label, String(c.total.openCases), ...c.total.cells],
    ],
    note: c.note,
  };
}
