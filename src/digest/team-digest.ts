import { boardViews, stuckJudge, stuckRules, teamHolders } from "../commands/board.ts";
import type { Invocation } from "../commands/invocation.ts";
import { addDays, type IsoDate } from "../domain/dates.ts";
import { ELEMENT_KEYS, type ElementKey } from "../domain/elements.ts";
import type { Leaver } from "../domain/leavers.ts";
import { nameCell } from "../domain/names.ts";
import type { OpenCaseRow } from "../store/cases.ts";
import { change, coverageOn, elementHeading, openOn, share } from "./coverage.ts";
import { raisedItems, stuckItems } from "./stuck-items.ts";
import type { TeamDigestView } from "./views.ts";

/**
 * A team's weekly digest as of a day: the team dashboard grouped by worker, as in the seed; how much
 * of each element is happening now and a week ago; new and closed cases; stuck cases and those
 * raised to the supervisor. `env` decides how children are named (a channel: initials by default).
 */
export async function teamDigest(
  envNow: Invocation,
  teamId: string,
  opts: { asOf: IsoDate; period: string; late: boolean },
): Promise<TeamDigestView> {
  // The digest's day is its "today": ages, stuck days and the open cases are as of then, so a run
  // for an earlier week (`--at`, catch-up) counts what was open that week. Entries recorded since
  // still show in the cells: the record is read as it stands now.
  const env: Invocation = { ...envNow, today: opts.asOf };
  const { ctx, reads } = env;
  const team = ctx.org.teams.find((t) => t.id === teamId);
  if (!team) throw new Error(`no team ${teamId} in the config`);
  const weekAgo = addDays(opts.asOf, -7);
  // The open cases as boards read them (`OpenCaseRow`: none of the closing or creation columns,
  // which an open case's lines never show), in `openCases` order.
  const openNow: OpenCaseRow[] = [];
  const [, closed, transfers, generation] = await Promise.all([
    reads.eachOpenCase({ teamIds: [teamId] }, (c) => {
      openNow.push(c);
    }),
    reads.closedCasesSince({ teamIds: [teamId] }, addDays(weekAgo, 1)),
    reads.transfers(teamId, weekAgo, opts.asOf),
    reads.stuckGeneration(stuckRules(ctx.org)),
  ]);
  // One judge for the board and the stuck list: each case's rules checked at most once a list.
  const judge = stuckJudge(ctx.org, opts.asOf, generation);
  const all: OpenCaseRow[] = [...openNow, ...closed];
  const open = all.filter((c) => openOn(c, opts.asOf));

  const now = coverageOn(ctx.org, all, opts.asOf);
  const before = coverageOn(ctx.org, all, weekAgo);
  const coverageRows = ELEMENT_KEYS.flatMap((el, i) =>
    now[i]!.of + before[i]!.of === 0
      ? []
      : [[elementHeading(ctx.org, el), share(now[i]!), share(before[i]!), change(now[i]!, before[i]!)]],
  );

  const inWeek = (d: string | null) => d !== null && d > weekAgo && d <= opts.asOf;
  const newCases = open.filter((c) => inWeek(c.openedOn));
  const closedCases = closed.filter((c) => inWeek(c.closedOn));
  // Without an array of each case's states (`Object.values`): 20,000 of them a run.
  const practised = open.filter((c) => {
    for (const k in c.states) if (inWeek(c.states[k as ElementKey]?.lastOn ?? null)) return true;
    return false;
  });
  const stuck = stuckItems(env, { cases: open }, judge);
  const raised = raisedItems(stuck, ctx.org.escalateAfterDays);
  const outcome = (code: string | null) => ctx.org.outcomes.find((o) => o.code === code)?.label ?? code ?? "";
  const who = (c: OpenCaseRow) => nameCell(c, env.today, env.names);
  const describeCase = (c: OpenCaseRow) => {
    const child = who(c);
    return `${c.id}${child === c.id ? "" : ` ${child}`}`;
  };

  const teamName = (id: string) => ctx.org.teams.find((t) => t.id === id)?.name ?? id;
  // A case that left the team is no longer among its cases: read on its own (a week has a handful).
  const rows = new Map(all.map((c) => [c.id, c]));
  for (const t of transfers) {
    if (rows.has(t.caseId)) continue;
    const row = await reads.case(t.caseId);
    if (row) rows.set(row.id, row);
  }
  const transferLine = (caseId: string, other: string, on: string) => {
    const row = rows.get(caseId);
    return `${row ? describeCase(row) : caseId} · ${other} · ${env.fmt(on)}`;
  };
  const transfersIn = transfers
    .filter((t) => t.toTeam === teamId)
    .map((t) => transferLine(t.caseId, `from ${teamName(t.fromTeam)}`, t.on));
  const transfersOut = transfers
    .filter((t) => t.fromTeam === teamId)
    .map((t) => transferLine(t.caseId, `to ${teamName(t.toTeam)}`, t.on));

  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  const headline = [
    n(open.length, "open case"),
    `${practised.length} with practice logged this week`,
    `${newCases.length} new`,
    `${closedCases.length} closed`,
    `${stuck.length} stuck`,
  ].join(" · ");
  const quiet =
    practised.length === 0 && newCases.length === 0 && closedCases.length === 0 && transfers.length === 0;

  return {
    kind: "team",
    teamId,
    team: team.name,
    title: `${team.name}: weekly practice dashboard`,
    period: opts.period,
    window: `week to ${env.fmt(opts.asOf)}`,
    late: opts.late,
    quiet: quiet && ctx.org.quietWeeks === "one-line",
    headline,
    coverage: {
      title: "Practice coverage (open cases with the element recorded)",
      columns: ["Element", "Now", "A week ago", "Change (cases)"],
      rows: coverageRows,
      note: "Counted over the open cases whose dashboard has the element.",
    },
    dashboards: boardViews(env, open, teamHolders(env, teamId), null, judge),
    newCases: newCases.map(
      (c) => `${describeCase(c)} · ${ctx.org.dashboards[c.service].title} · ${ctx.people.nameOf(c.workerId)}`,
    ),
    closedCases: closedCases.map((c) => `${describeCase(c)} · ${outcome(c.outcome)}`),
    transfersIn,
    transfersOut,
    stuck,
    raised,
    leavers: leaversHolding(env, openNow).map((l) => ({ name: l.name, cases: l.openCases })),
  };
}

/**
 * Of the people holding the team's open cases, those no longer in the config (not among the
 * directory's current staff), with how many: counted from the open cases the digest has already
 * read, where asking the store again per team cost a join over the team's cases each (about 4% of a
 * Monday's 50 digests, bench/profile.ts). Most cases first, then by name, as `leaversAmong`.
 */
function leaversHolding(env: Invocation, open: readonly OpenCaseRow[]): Leaver[] {
  const held = new Map<number, number>();
  for (const c of open)
    if (c.workerId !== null && !env.ctx.people.byId(c.workerId))
      held.set(c.workerId, (held.get(c.workerId) ?? 0) + 1);
  return [...held]
    .map(([staffId, openCases]) => ({ staffId, name: env.ctx.people.nameOf(staffId), openCases }))
    .sort((a, b) => b.openCases - a.openCases || a.name.localeCompare(b.name));
}
