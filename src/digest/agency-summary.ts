import { stuckFor, stuckRules } from "../commands/board.ts";
import type { Invocation } from "../commands/invocation.ts";
import { addDays, type IsoDate } from "../domain/dates.ts";
import { ELEMENT_KEYS } from "../domain/elements.ts";
import {
  elementHeading,
  emptyTallies,
  openOn,
  percent,
  share,
  type Tallies,
  talliesFromCounts,
  tallyCase,
  tallyDays,
} from "./coverage.ts";
import type { AgencySummaryView } from "./views.ts";

const TREND_WEEKS = 8;

/**
 * The managers' weekly summary as of a day: coverage by team and agency-wide, the agency's trend over
 * the last 8 weeks, stuck counts per team, and elements against closing outcomes. Counts only: no
 * child, and no worker, is named or ranked. One pass over the open and recently closed cases for
 * coverage and its trend; the stuck counts from the "stuck since" kept on each case, and the closed
 * cases' coverage by outcome counted in the database, so neither checks every case's rules nor
 * reads every closed case.
 */
export async function agencySummary(
  envNow: Invocation,
  opts: { asOf: IsoDate; period: string; late: boolean },
): Promise<AgencySummaryView> {
  // As of the summary's day, like the team digest (see there).
  const env: Invocation = { ...envNow, today: opts.asOf };
  const { ctx, reads } = env;
  const { org } = ctx;
  const weekEnds = Array.from({ length: TREND_WEEKS }, (_, i) =>
    addDays(opts.asOf, -7 * (TREND_WEEKS - 1 - i)),
  );
  const [openNow, recentlyClosed, stuck, closed] = await Promise.all([
    reads.openCases({}),
    // A case closed in the trend's weeks was open in some of them (and one closed since the
    // summary's day was still open on it).
    reads.closedCasesSince({}, addDays(weekEnds[0]!, 1)),
    reads.stuckCounts(stuckRules(org), opts.asOf, addDays(opts.asOf, -org.escalateAfterDays)),
    reads.closedCoverage(),
  ]);

  const trend = weekEnds.map(() => emptyTallies());
  const perTeam = new Map(
    org.teams.map((t) => [t.id, { open: 0, stuck: 0, raised: 0, tallies: emptyTallies() }]),
  );
  const total = { open: 0, stuck: 0, raised: 0, tallies: emptyTallies() };
  const add = (teamId: string, n: { stuck: number; raised: number }) => {
    for (const t of [perTeam.get(teamId), total]) {
      if (!t) continue;
      t.stuck += n.stuck;
      t.raised += n.raised;
    }
  };
  for (const c of [...openNow, ...recentlyClosed]) {
    tallyDays(org, c, weekEnds, trend);
    if (!openOn(c, opts.asOf)) continue;
    for (const t of [perTeam.get(c.teamId), total]) {
      if (!t) continue;
      t.open++;
      tallyCase(org, c, opts.asOf, t.tallies);
    }
    // The kept stuck counts are of the cases open now: one closed since the summary's day is
    // checked here (a catch-up run for an earlier week has a few).
    if (c.status !== "open") {
      const findings = stuckFor(org, c, env.today);
      if (findings.length > 0)
        add(c.teamId, { stuck: 1, raised: findings.some((f) => f.days >= org.escalateAfterDays) ? 1 : 0 });
    }
  }
  for (const [teamId, n] of stuck) add(teamId, n);

  // Elements against outcomes: of the cases closed with each outcome, how many had each element by
  // the day the case closed. A case closed without an outcome counts as "other".
  const byOutcome = new Map<string, { n: number; tallies: Tallies }>();
  for (const { outcome, counts } of closed) {
    const code = outcome ?? "other";
    const { total: t } = talliesFromCounts(org, counts);
    const o = byOutcome.get(code);
    if (!o) byOutcome.set(code, { n: t.open, tallies: t.tallies });
    else {
      o.n += t.open;
      t.tallies.forEach((x, i) => {
        o.tallies[i]!.has += x.has;
        o.tallies[i]!.of += x.of;
      });
    }
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
