import type { Env } from "../commands/env.ts";
import { coverageCells, elementHeading } from "../commands/handlers/agency.ts";
import { stuckItems } from "../commands/handlers/stuck.ts";
import { elementColumn } from "../domain/dashboards.ts";
import { addDays, type IsoDate } from "../domain/dates.ts";
import { ELEMENT_KEYS, type ElementKey } from "../domain/elements.ts";
import { doneBy, emptyTallies, openOn, percent, share, type Tally, tallyCase } from "./coverage.ts";
import { raisedItems } from "./team-digest.ts";
import type { AgencySummaryView } from "./views.ts";

const TREND_WEEKS = 8;

/**
 * The managers' weekly summary as of a day: coverage by team and agency-wide, the agency's trend over
 * the last 8 weeks, stuck counts per team, and elements against closing outcomes. Built from counts
 * only: no child, and no worker, is named or ranked.
 */
export function agencySummary(
  env: Env,
  opts: { asOf: IsoDate; period: string; late: boolean },
): AgencySummaryView {
  const { ctx } = env;
  const { org } = ctx;
  const open = ctx.repo.cases.open({});
  const weekEnds = Array.from({ length: TREND_WEEKS }, (_, i) =>
    addDays(opts.asOf, -7 * (TREND_WEEKS - 1 - i)),
  );
  const recentlyClosed = ctx.repo.cases.closedSince({}, addDays(weekEnds[0]!, 1));

  // Trend: for each week end, each element, over the cases open that day.
  const trend = weekEnds.map(() => emptyTallies());
  for (const c of [...open, ...recentlyClosed]) {
    weekEnds.forEach((day, i) => {
      if (openOn(c, day)) tallyCase(org, c, day, trend[i]!);
    });
  }

  const stuck = stuckItems(env, { cases: open });
  const raised = raisedItems(stuck, org.escalateAfterDays);
  const teamRows = org.teams.map((t) => {
    const cases = open.filter((c) => c.teamId === t.id);
    return { label: t.name, openCases: cases.length, cells: coverageCells(env, { cases }, cases) };
  });
  const count = (items: readonly { team: string }[], team: string) =>
    String(items.filter((i) => i.team === team).length);

  // Elements against outcomes: of the cases closed with each outcome, how many had each element.
  const byOutcome = new Map<string, { n: number; tallies: Map<ElementKey, Tally> }>();
  for (const c of ctx.repo.cases.eachClosed()) {
    const code = c.outcome ?? "other";
    let o = byOutcome.get(code);
    if (!o) {
      o = { n: 0, tallies: emptyTallies() };
      byOutcome.set(code, o);
    }
    o.n++;
    for (const [el, t] of o.tallies) {
      if (!elementColumn(org.dashboards[c.service], el)) continue;
      t.of++;
      if (doneBy(c.states[el], c.closedOn ?? opts.asOf)) t.has++;
    }
  }
  const outcomes = org.outcomes.filter((o) => byOutcome.has(o.code));
  const closedTotal = [...byOutcome.values()].reduce((n, o) => n + o.n, 0);

  return {
    kind: "agency",
    title: `${org.agency.name}: weekly practice summary`,
    period: opts.period,
    window: `week to ${env.fmt(opts.asOf)}`,
    late: opts.late,
    coverage: {
      title: "Practice coverage by team (open cases with the element recorded)",
      columns: ["Team", "Open cases", ...ELEMENT_KEYS.map(elementHeading)],
      rows: teamRows,
      total: {
        label: "Whole agency",
        openCases: open.length,
        cells: coverageCells(env, { cases: open }, open),
      },
      note: "Each cell: open cases with the element recorded, out of open cases whose dashboard has it.",
    },
    trend: {
      title: `Agency-wide coverage, last ${TREND_WEEKS} weeks`,
      columns: ["Element", ...weekEnds.map((d) => env.fmt(d))],
      rows: ELEMENT_KEYS.map((el) => [elementHeading(el), ...trend.map((t) => percent(t.get(el)!))]),
      note: "Each column: the cases open at the end of that week; an entry counts from the day it happened.",
    },
    stuckCounts: {
      title: "Stuck cases by team",
      columns: ["Team", "Open cases", "Stuck", `Stuck ${org.escalateAfterDays}+ days (raised)`],
      rows: [
        ...org.teams.map((t) => [
          t.name,
          String(teamRows.find((r) => r.label === t.name)?.openCases ?? 0),
          count(stuck, t.name),
          count(raised, t.name),
        ]),
        ["Whole agency", String(open.length), String(stuck.length), String(raised.length)],
      ],
    },
    outcomes: {
      title: "Practice elements against closing outcomes",
      columns: ["Element", ...outcomes.map((o) => `${o.label} (${byOutcome.get(o.code)!.n})`)],
      rows:
        outcomes.length === 0
          ? []
          : ELEMENT_KEYS.map((el) => [
              elementHeading(el),
              ...outcomes.map((o) => share(byOutcome.get(o.code)!.tallies.get(el)!)),
            ]),
      note:
        closedTotal === 0
          ? "No cases have been closed yet: outcomes are recorded with /sos close."
          : `Of the ${closedTotal} closed cases with each outcome, the share that had each element before closing.`,
    },
  };
}
