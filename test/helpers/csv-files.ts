import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface CsvShape {
  readonly delimiter?: "," | ";";
  readonly eol?: "\n" | "\r\n";
  /** a UTF-8 byte order mark first, as Excel's "CSV UTF-8" writes */
  readonly bom?: boolean;
}

/** A value as a spreadsheet writes it: quoted when it holds the delimiter, a quote or a line break. */
function cell(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes a CSV file the way spreadsheets save one, for the import to read back. */
export function writeCsv(
  dir: string,
  name: string,
  rows: readonly (readonly string[])[],
  shape: CsvShape = {},
): string {
  const delimiter = shape.delimiter ?? ",";
  const eol = shape.eol ?? "\n";
  const text = rows.map((r) => r.map((v) => cell(v, delimiter)).join(delimiter)).join(eol) + eol;
  const path = join(dir, name);
  writeFileSync(path, `${shape.bom ? "\uFEFF" : ""}${text}`);
  return path;
}

export const CASES_HEADER = [
  "case_id",
  "child_name",
  "date_of_birth",
  "age",
  "service",
  "abuse_types",
  "date_opened",
  "worker_email",
  "date_closed",
  "outcome",
  "closing_note",
] as const;

export const PRACTICE_HEADER = ["case_id", "element", "date", "value", "note", "recorded_by"] as const;

/** A case-list row by column name; the columns not given are empty. */
export function caseRow(values: Partial<Record<(typeof CASES_HEADER)[number], string>>): string[] {
  return CASES_HEADER.map((c) => values[c] ?? "");
}

/** A practice-history row by column name. */
export function practiceRow(values: Partial<Record<(typeof PRACTICE_HEADER)[number], string>>): string[] {
  return PRACTICE_HEADER.map((c) => values[c] ?? "");
}
