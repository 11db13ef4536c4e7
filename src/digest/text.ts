import { coverageText, dashboardText, stuckText, table } from "../render/text.ts";
import type { AgencySummaryView, DigestView, NudgeView, TableBlock, TeamDigestView } from "./views.ts";

/**
 * Digests as plain text: the console preview, `sos digest run --dry-run`, and every platform's
 * fallback text.
 */

export function tableBlockText(t: TableBlock): string {
  const body = t.rows.length === 0 ? [] : t.rows;
  return [t.title, "", body.length ? table(t.columns, body) : "(none)", ...(t.note ? ["", t.note] : [])].join(
    "\n",
  );
}

function lateLine(late: boolean): string[] {
  return late ? ["(Posted late: the app was not running at the scheduled time.)"] : [];
}

export function teamDigestText(v: TeamDigestView): string {
  const head = [`${v.title}, ${v.window}`, ...lateLine(v.late)];
  if (v.quiet)
    return [
      ...head,
      `Nothing changed this week: no practice logged, no new and no closed cases. ${v.headline}.`,
    ].join("\n");
  const parts = [[...head, v.headline].join("\n"), tableBlockText(v.coverage)];
  if (v.newCases.length) parts.push(["New cases", ...v.newCases.map((c) => `  - ${c}`)].join("\n"));
  if (v.closedCases.length) parts.push(["Closed cases", ...v.closedCases.map((c) => `  - ${c}`)].join("\n"));
  // Each stuck case once: the raised ones, then the others.
  const raised = new Set(v.raised.map((i) => i.caseId));
  if (v.raised.length)
    parts.push(stuckText({ title: "Raised to the supervisor: stuck a long time", items: v.raised }));
  const others = v.stuck.filter((i) => !raised.has(i.caseId));
  if (others.length || !v.raised.length) {
    parts.push(stuckText({ title: v.raised.length ? "Other stuck cases" : "Stuck cases", items: others }));
  }
  parts.push(...v.dashboards.map(dashboardText));
  return parts.join("\n\n");
}

export function agencySummaryText(v: AgencySummaryView): string {
  return [
    [`${v.title}, ${v.window}`, ...lateLine(v.late)].join("\n"),
    coverageText(v.coverage),
    tableBlockText(v.trend),
    tableBlockText(v.stuckCounts),
    tableBlockText(v.outcomes),
  ].join("\n\n");
}

export function nudgeText(v: NudgeView): string {
  return [
    `${v.worker}: ${v.title}.`,
    "",
    stuckText({ title: "Your stuck cases", items: v.items }),
    "",
    `Log what you've done with /sos <element> <case-id>, or type /sos snooze <case-id> to leave a case out of these reminders for ${v.snoozeDays} days.`,
  ].join("\n");
}

export function digestText(v: DigestView): string {
  if (v.kind === "team") return teamDigestText(v);
  if (v.kind === "agency") return agencySummaryText(v);
  return nudgeText(v);
}
