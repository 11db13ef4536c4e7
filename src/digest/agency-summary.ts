import { stuckFor } from "../commands/board.ts";
import type { Invocation } from "../commands/invocation.ts";
import { addDays, type IsoDate } from "../domain/dates.ts";
import { ELEMENT_KEYS } from "../domain/elements.ts";
import type { CaseRow } from "../store/schema.ts";
import {
  elementHeading,
  emptyTallies,
  openOn,
  percent,
  share,
  type Tallies,
  tallyCase,
  tallyDays,
} from "./coverage.ts";
import type { AgencySummaryView } from "./views.ts";

const TREND_WEEKS = 8;

/**
 * The managers' weekly summary as of a day: coverage by team and agency-wide, the agency's trend over
 * the last 8 weeks, stuck counts per team, and elements against closing outcomes. Counts only: no
 * child, and no worker, is named or ranked. One pass over the open cases (streamed: an agency has
 * tens of thousands), one over the recently closed, one over the closed.
 */
export function agencySummary(
  envNow: Invocation,
  opts: { asOf: IsoDate; period: string; late: boolean },
): AgencySummaryView {
  // As of the summary's day, like the team digest (see there).
  const env: Invocation = { ...envNow, today: opts.asOf };
  const { ctx } = env;
  const { org } = ctx;
  const weekEnds = Array.from({ length: TREND_WEEKS }, (_, i) =>
    addDays(opts.asOf, -7 * (TREND_WEEKS - 1 - i)),
  );
  const trend = weekEnds.map(() => emptyTallies());
  const addToTrend = (c: CaseRow) => tallyDays(org, c, weekEnds, trend);

  const perTeam = new Map(
    org.teams.map((t) => [t.id, { open: 0, stuck: 0, raised: 0, tallies: emptyTallies() }]),
  );
  const total = { open: 0, stuck: 0, raised: 0, tallies: emptyTallies() };
  const count = (c: CaseRow) => {
    const findings = stuckFor(org, c, env.today);
    const raised = findings.some((f) => f.days >= org.escalateAfterDays);
    for (const t of [perTeam.get(c.teamId), total]) {
      if (!t) continue;
      t.open++;
      if (findings.length > 0) t.stuck++;
      if (raised) t.raised++;
      tallyCase(org, c, opts.asOf, t.tallies);
    }
  };
  // One pass over the open cases, one over those closed in the trend's weeks (a case closed since
  // the summary's day was still open on it).
  for (const c of ctx.repo.cases.eachOpen({})) {
    addToTrend(c);
    if (openOn(c, opts.asOf)) count(c);
  }
  for (const c of ctx.repo.cases.closedSince({}, addDays(weekEnds[0]!, 1))) {
    addToTrend(c);
    if (openOn(c, opts.asOf)) count(c);
  }

  // Elements against outcomes: of the cases closed with each outcome, how many had each element.
  const byOutcome = new Map<string, { n: number; tallies: Tallies }>();
  for (const c of ctx.repo.cases.eachClosed()) {
    const code = c.outcome ?? "other";
    let o = byOutcome.get(code);
    if (!o) {
      o = { n: 0, tallies: emptyTallies() };
      byOutcome.set(code, o);
    }
    o.n++;
    // What was done by the day the case closed.
    tallyCase(org, c, c.closedOn ?? opts.asOf, o.tallies);
  }
  const outcomes = org.outcomes.filter((o) => byOutcome.has(o.code));
  const closedTotal = [...byOutcome.values()].reduce((n, o) => n + o.n, 0);
  const cells = (tallies: Tallies) => tallies.map(share);

  return {
    kind: "agency",
    title: `${org.agency.name}: weekly practice summary`,
    period: opts.period,
    window: `week to ${env.fmt(opts.asOf)}`,
    late: opts.late,
    coverage: {
      title: "Practice coverage by team (open cases with the element recorded)",
      columns: ["Team", "Open cases", ...ELEMENT_KEYS.map((el) => elementHeading(org, el))],
      rows: org.teams.map((t) => {
        const s = perTeam.get(t.id)!;
        return { label: t.name, openCases: s.open, cells: cells(s.tallies) };
      }),
      total: { label: "Whole agency", openCases: total.open, cells: cells(total.tallies) },
      note: "Each cell: open cases with the element recorded, out of open cases whose dashboard has it.",
    },
    trend: {
      title: `Agency-wide coverage, last ${TREND_WEEKS} weeks`,
      columns: ["Element", ...weekEnds.map((d) => env.fmt(d))],
      rows: ELEMENT_KEYS.map((el, i) => [elementHeading(org, el), ...trend.map((t) => percent(t[i]!))]),
      note: "Each column: the cases open at the end of that week; an entry counts from the day it happened.",
    },
    stuckCounts: {
      title: "Stuck cases by team",
      columns: ["Team", "Open cases", "Stuck", `Stuck ${org.escalateAfterDays}+ days (raised)`],
      rows: [
        ...org.teams.map((t) => {
          const s = perTeam.get(t.id)!;
          return [t.name, String(s.open), String(s.stuck), String(s.raised)];
        }),
        ["Whole agency", String(total.open), String(total.stuck), String(total.raised)],
      ],
    },
    outcomes: {
      title: "Practice elements against closing outcomes",
      columns: ["Element", ...outcomes.map((o) => `${o.label} (${byOutcome.get(o.code)!.n})`)],
      rows:
        outcomes.length === 0
          ? []
          : ELEMENT_KEYS.map((el, i) => [
              elementHeading(org, el),
              ...outcomes.map((o) => share(byOutcome.get(o.code)!.tallies[i]!)),
            ]),
      note:
        closedTotal === 0
          ? "No cases have been closed yet: outcomes are recorded with /sos close."
          : `Of the ${closedTotal} closed cases with each outcome, the share that had each element before closing.`,
    },
  };
}
