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
} from "./coverage.ts";
import type { AgencySummaryView } from "./views.ts";

const TREND_WEEKS = 8;

/**
 * The managers' weekly summary as of a day: coverage by team and agency-wide, the agency's trend over
 * the last 8 weeks, stuck counts per team, and elements against closing outcomes. Counts only: no
 * child, and no worker, is named or ranked. Coverage and its trend are counted by the store
 * (`coverageOnDays`), the stuck counts come from the "stuck since" kept on each case, and the closed
 * cases' coverage by outcome is counted in the database: no open case becomes a row here, and only
 * the few closed since the summary's day are read whole.
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
  const [onDays, closedSince, stuck, closed] = await Promise.all([
    // Coverage at each of the trend's week-ends, the last being the summary's day: counted in the
    // store over the cases open then (one closed since counts where it was open), no case read.
    reads.coverageOnDays(weekEnds),
    // The cases closed since the summary's day: still open on it, so counted as stuck below.
    reads.closedCasesSince({}, addDays(opts.asOf, 1)),
    reads.stuckCounts(stuckRules(org), opts.asOf, addDays(opts.asOf, -org.escalateAfterDays)),
    reads.closedCoverage(),
  ]);

  const trend = onDays.map((counts) => talliesFromCounts(org, counts).total.tallies);
  const asOfCounts = talliesFromCounts(org, onDays[onDays.length - 1]!);
  const perTeam = new Map(
    org.teams.map((t) => {
      const kept = asOfCounts.perTeam.get(t.id);
      return [t.id, { open: kept?.open ?? 0, stuck: 0, raised: 0, tallies: kept?.tallies ?? emptyTallies() }];
    }),
  );
  const total = { open: asOfCounts.total.open, stuck: 0, raised: 0, tallies: asOfCounts.total.tallies };
  const add = (teamId: string, n: { stuck: number; raised: number }) => {
    for (const t of [perTeam.get(teamId), total]) {
      if (!t) continue;
      t.stuck += n.stuck;
      t.raised += n.raised;
    }
  };
  // The kept stuck counts are of the cases open now: one closed since the summary's day (a catch-up
  // run for an earlier week has a few) is checked here, if it was open on that day.
  for (const c of closedSince) {
    if (!openOn(c, opts.asOf)) continue;
    const findings = stuckFor(org, c, env.today);
    if (findings.length > 0)
      add(c.teamId, { stuck: 1, raised: findings.some((f) => f.days >= org.escalateAfterDays) ? 1 : 0 });
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
