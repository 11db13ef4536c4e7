import { z } from "zod";
import { DASHBOARD_SLUGS, type DashboardSlug } from "../../domain/dashboards.ts";
import { dashboardText } from "../../render/text.ts";
import type { DashboardView } from "../../render/view.ts";
import { closest } from "../../util/suggest.ts";
import type { ParseContext } from "../grammar.ts";
import type { Issue } from "../issues.ts";
import { normalWord } from "../lexicon.ts";
import type { Reply } from "../reply.ts";

/** Which dashboard a word names (`cp`, `family-support`, `all`, …). */
export function readDashboard(
  word: string,
  ctx: ParseContext,
): { dashboard: DashboardSlug } | { issue: Issue } {
  const slug = ctx.lexicon.dashboards.get(normalWord(word));
  if (slug) return { dashboard: slug };
  return {
    issue: {
      code: "unknown_dashboard",
      word,
      suggestions: closest(normalWord(word), ctx.lexicon.dashboards.keys(), 2),
    },
  };
}

export const dashboardSchema = z.enum(DASHBOARD_SLUGS).nullable();

/** "6 open cases", or with one dashboard asked for, how many of them it shows: "2 of 6 open cases". */
export function countLine(n: number, views: readonly DashboardView[], only: string | null): string {
  const shown = views.reduce((k, d) => k + d.groups.reduce((m, g) => m + g.rows.length, 0), 0);
  if (only === null || only === "overview" || shown === n) return `${n} open case${n === 1 ? "" : "s"}`;
  return `${shown} of ${n} open cases on this dashboard`;
}

export function dashboardsReply(intro: string, views: readonly DashboardView[]): Reply {
  return { ok: true, text: [intro, ...views.map(dashboardText)].join("\n\n"), dashboards: views };
}
