import type { DashboardView } from "./view.ts";

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet never runs it as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: readonly string[]): string {
  return cells.map(csvCell).join(",");
}

/** One row per case with the worker and case id first, so the seed's grouping survives a flat file. */
export function dashboardCsv(view: DashboardView): string {
  const lines = [csvLine(["Worker", "Case ID", ...view.columns])];
  for (const g of view.groups) for (const r of g.rows) lines.push(csvLine([g.worker, r.caseId, ...r.cells]));
  return `${lines.join("\r\n")}\r\n`;
}
