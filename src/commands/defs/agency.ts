import { z } from "zod";
import { elementHeading, emptyTallies, share, talliesFromCounts, tallyCase } from "../../digest/coverage.ts";
import { ELEMENT_KEYS } from "../../domain/elements.ts";
import { coverageText } from "../../render/text.ts";
import type { CoverageView } from "../../render/view.ts";
import type { CaseRow } from "../../store/schema.ts";
import { defineCommand } from "../def.ts";
import { fail, noExtra, ok } from "../grammar.ts";
import type { Invocation } from "../invocation.ts";

/** For each element: open cases that have it, out of open cases whose dashboard shows it. */
export function coverageCells(env: Invocation, cases: readonly CaseRow[]): string[] {
  const tallies = emptyTallies();
  for (const c of cases) tallyCase(env.ctx.org, c, env.today, tallies);
  return tallies.map(share);
}

/** The manager's picture: how much of each element is happening, per team and agency-wide. */
export const agency = defineCommand({
  kind: "agency",
  words: ["agency"],
  usage: "/sos agency",
  about: "practice coverage by team across the agency (managers, admins)",
  ability: "seeAgency",
  action: "see the agency summary",
  who: "managers and admins can",
  writes: false,
  schema: z.object({}),

  read(words) {
    const extra = noExtra(words, 0, "agency", "/sos agency");
    return extra ? fail(extra) : ok({});
  },

  async run(env) {
    const { ctx } = env;
    // From the counts the store keeps as cases change: no pass over the agency's cases.
    const { perTeam, total } = talliesFromCounts(ctx.org, await env.reads.coverage(env.today));
    const rows = ctx.org.teams.map((t) => {
      const s = perTeam.get(t.id) ?? { open: 0, tallies: emptyTallies() };
      return { label: t.name, openCases: s.open, cells: s.tallies.map(share) };
    });
    const view: CoverageView = {
      title: `${ctx.org.agency.name}: practice coverage by team`,
      columns: ["Team", "Open cases", ...ELEMENT_KEYS.map((el) => elementHeading(ctx.org, el))],
      rows,
      total: { label: "Whole agency", openCases: total.open, cells: total.tallies.map(share) },
      note: "Each cell: open cases with the element recorded, out of open cases whose dashboard has it.",
    };
    return { ok: true, text: coverageText(view), coverage: view };
  },
});
