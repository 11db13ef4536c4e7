import { z } from "zod";
import type { Ctx } from "../commands/ctx.ts";
import { emptyTallies, type Tallies, tallyCase, tallyDays } from "../digest/coverage.ts";
import { addDays, daysBetween, type IsoDate, isIsoDate } from "../domain/dates.ts";
import { ELEMENT_KEYS } from "../domain/elements.ts";
import type { OpenCaseRow } from "../store/cases.ts";
import type { CaseRow } from "../store/schema.ts";
import type { ApiClient } from "./clients.ts";

/** At most two years of weeks in one answer. */
export const COVERAGE_WEEKS_MAX = 104;

const tally = z.object({ has: z.number(), of: z.number() });
const byElement = z.object(Object.fromEntries(ELEMENT_KEYS.map((k) => [k, tally])));

export const coverageAnswer = z
  .object({
    from: z.string(),
    to: z.string(),
    weekEnds: z.array(z.string()),
    teams: z.array(
      z.object({
        teamId: z.string(),
        name: z.string(),
        weeks: z.array(z.object({ weekEnding: z.string(), elements: byElement })),
      }),
    ),
    outcomes: z.array(
      z.object({ outcome: z.string(), label: z.string(), cases: z.number(), elements: byElement }),
    ),
  })
  .describe(
    "weekly coverage per team and element (open cases at each week's end with the element recorded, of those whose dashboard has it), and elements against outcomes (closed cases by outcome, with each element recorded by the day they closed)",
  );

export type CoverageAnswer = z.output<typeof coverageAnswer>;

const asObject = (t: Tallies) =>
  Object.fromEntries(ELEMENT_KEYS.map((k, i) => [k, { has: t[i]!.has, of: t[i]!.of }]));

function outcomeRank(ctx: Ctx, code: string): number {
  const i = ctx.org.outcomes.findIndex((x) => x.code === code);
  return i === -1 ? ctx.org.outcomes.length : i;
}

/**
 * The digests' coverage as data, for an agency's own analysis: the same counting (`tallyDays`,
 * `tallyCase`), over the weeks asked for, per team, and the cross-tab of elements against outcomes.
 * A case counts in the team that holds it now, as the digests count it.
 */
export async function coverageData(
  ctx: Ctx,
  client: ApiClient,
  from: string | undefined,
  to: string | undefined,
): Promise<CoverageAnswer | string> {
  const today = ctx.today();
  const end = to ?? today;
  const start = from ?? addDays(end, -7 * 7);
  if (!isIsoDate(start) || !isIsoDate(end)) return "from and to must be real dates written YYYY-MM-DD.";
  if (start > end) return "from must be on or before to.";
  const weeks = Math.floor(daysBetween(start, end) / 7) + 1;
  if (weeks > COVERAGE_WEEKS_MAX) return `Ask for at most ${COVERAGE_WEEKS_MAX} weeks at a time.`;
  // Week ends counted back from `to`, oldest first.
  const weekEnds: IsoDate[] = Array.from({ length: weeks }, (_, i) => addDays(end, -7 * (weeks - 1 - i)));
  const teams = ctx.org.teams.filter((t) => client.teams.length === 0 || client.teams.includes(t.id));
  const ids = teams.map((t) => t.id);
  const perTeam = new Map(teams.map((t) => [t.id, weekEnds.map(() => emptyTallies())]));
  const add = (c: OpenCaseRow | CaseRow) => {
    const into = perTeam.get(c.teamId);
    if (into) tallyDays(ctx.org, c, weekEnds, into);
  };
  const { reads } = ctx.records;
  await reads.eachOpenCase({ teamIds: ids }, add);
  for (const c of await reads.closedCasesSince({ teamIds: ids }, addDays(weekEnds[0]!, 1))) add(c);

  const byOutcome = new Map<string, { n: number; tallies: Tallies }>();
  await reads.eachClosedCase((c) => {
    if (!perTeam.has(c.teamId)) return;
    const code = c.outcome ?? "other";
    const o = byOutcome.get(code) ?? { n: 0, tallies: emptyTallies() };
    byOutcome.set(code, o);
    o.n++;
    tallyCase(ctx.org, c, c.closedOn ?? today, o.tallies);
  });
  return {
    from: start,
    to: end,
    weekEnds,
    teams: teams.map((t) => ({
      teamId: t.id,
      name: t.name,
      weeks: weekEnds.map((d, i) => ({ weekEnding: d, elements: asObject(perTeam.get(t.id)![i]!) })),
    })),
    // In the config's order of outcomes (codes it no longer has after them, by code): the order
    // the closed cases were read in is the store's, and differs between SQLite and PostgreSQL.
    outcomes: [...byOutcome]
      .sort(([a], [b]) => outcomeRank(ctx, a) - outcomeRank(ctx, b) || a.localeCompare(b))
      .map(([code, o]) => ({
        outcome: code,
        label: ctx.org.outcomes.find((x) => x.code === code)?.label ?? code,
        cases: o.n,
        elements: asObject(o.tallies),
      })),
  };
}
