import { NOT_APPLICABLE_NOTE, showsNotApplicable } from "./notes.ts";
import type { DashboardView } from "./view.ts";

/**
 * Excel opens a CSV file in the machine's own code page unless the file starts with a UTF-8 byte
 * order mark; with it, "Zoë Łukasiewicz" shows as typed. Every CSV we hand over starts with one.
 */
export const BOM = "\uFEFF";

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet never runs it as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: readonly string[]): string {
  return cells.map(csvCell).join(",");
}

/** A whole CSV file: the byte order mark, then one line per row, CRLF as RFC 4180 has it. */
export function csvDocument(rows: readonly (readonly string[])[]): string {
  return `${BOM}${rows.map(csvLine).join("\r\n")}\r\n`;
}

/**
 * One row per case with the worker and case id first, so the seed's grouping survives a flat file.
 * A note the table needs (what `–` means) follows as a last row of its own with the same number of
 * fields, its Case ID empty and the note in the first dashboard column: a program reading the file
 * keeps every row with a Case ID, a person reading it sees the note under the table.
 */
export function dashboardCsv(view: DashboardView): string {
  const width = 2 + view.columns.length;
  const rows: string[][] = [["Worker", "Case ID", ...view.columns]];
  for (const g of view.groups) for (const r of g.rows) rows.push([g.worker, r.caseId, ...r.cells]);
  if (showsNotApplicable(view)) rows.push(noteRow(NOT_APPLICABLE_NOTE, width));
  return csvDocument(rows);
}

function noteRow(note: string, width: number): string[] {
  return ["", "", note, ...Array.from({ length: Math.max(0, width - 3) }, () => "")];
}
