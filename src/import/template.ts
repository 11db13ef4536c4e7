import type { Org } from "../config/org.ts";
import { formatDate } from "../domain/dates.ts";
import { csvLine } from "../render/csv.ts";
import { CASE_COLUMNS, PRACTICE_COLUMNS } from "./columns.ts";
import type { ImportKind } from "./run.ts";

/**
 * The header and one example row of each file, written for this agency: its date format, and one of
 * its own workers, so the example is a row the import would take. The seed's Melli Majid is the
 * example child.
 */
export function template(kind: ImportKind, org: Org): string {
  const fmt = (d: string) => formatDate(d, org.dates.format);
  const worker =
    org.staff.find((s) => s.role === "worker")?.email ??
    org.staff.find((s) => s.role === "supervisor")?.email ??
    "worker@your-agency.example";
  const example: Record<string, string> =
    kind === "cases"
      ? {
          case_id: "12345",
          child_name: "Melli Majid",
          age: "13",
          service: "statutory-cp",
          abuse_types: "N & PA",
          date_opened: fmt("2016-02-03"),
          worker_email: worker,
        }
      : {
          case_id: "12345",
          element: "safety-scale",
          date: fmt("2016-02-27"),
          value: "2",
          note: "after the family meeting",
          recorded_by: worker,
        };
  const columns: readonly string[] = kind === "cases" ? CASE_COLUMNS : PRACTICE_COLUMNS;
  return `${csvLine(columns)}\n${csvLine(columns.map((c) => example[c] ?? ""))}\n`;
}
