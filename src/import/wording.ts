import type { Issue } from "../commands/issues.ts";
import { AGE_MAX } from "../commands/limits.ts";
import { describe, echo } from "../commands/messages.ts";
import type { IsoDate } from "../domain/dates.ts";

/**
 * Why a row of a file can't be imported: the column at fault (when one is) and a plain sentence. The
 * report prints it as `row 17, date_opened: "31/02/16" is not a date`.
 */
export interface RowProblem {
  readonly row: number;
  readonly column: string | null;
  readonly text: string;
}

/** One line per bad row, every problem of the row in it, so "three bad rows" is three lines. */
export function reportLines(problems: readonly RowProblem[], secrets: ReadonlyMap<number, string>): string[] {
  const byRow = new Map<number, RowProblem[]>();
  for (const p of problems) {
    const list = byRow.get(p.row);
    if (list) list.push(p);
    else byRow.set(p.row, [p]);
  }
  return [...byRow.entries()]
    .sort(([a], [b]) => a - b)
    .map(([row, list]) => {
      const parts = list.map((p) => (p.column ? `${p.column}: ${p.text}` : p.text));
      const lead = list[0]!.column ? `row ${row}, ` : `row ${row}: `;
      return redact(`${lead}${parts.join("; ")}`, secrets.get(row));
    });
}

/**
 * A report is pasted into tickets and emails: it never carries a child's name, not even one that
 * slipped into another column of a shifted row and came back quoted as "not a date".
 */
function redact(line: string, name: string | undefined): string {
  if (!name || name.trim().length < 2) return line;
  const words = [
    name.trim(),
    ...name
      .trim()
      .split(/\s+/)
      .filter((w) => w.length >= 3),
  ];
  let out = line;
  for (const w of words) out = out.split(w).join("(the child's name)");
  return out;
}

/** A value from the file, said back: quoted, and never a whole pasted paragraph. */
export function said(value: string): string {
  return `"${echo(value)}"`;
}

/**
 * What a file's reader is told for each of the chat's coded issues: the same facts, said about a
 * value in a file rather than a command to type again. Codes a file can't meet keep chat's sentence.
 */
export function fileSentence(issue: Issue, fmt: (d: IsoDate) => string): string {
  const meant = (s: readonly string[]) => (s.length ? ` (did you mean ${s.join(" or ")}?)` : "");
  switch (issue.code) {
    case "bad_date":
      return `${said(issue.token)} is not a date: write it like 06/01/16 or 2016-01-06`;
    case "impossible_date":
      return `${said(issue.token)} is not a date`;
    case "bad_case_id":
      return `${said(issue.token)} is not a case id: letters and numbers (and - or _), up to 40`;
    case "bad_age":
      return `${said(issue.token)} is not an age: a whole number of years from 0 to ${AGE_MAX}`;
    case "unknown_service":
      return `${said(issue.word)} is not a service${meant(issue.suggestions)}: statutory-cp, family-support or voluntary`;
    case "unknown_abuse":
      return `${issue.words.map(said).join(", ")} ${issue.words.length === 1 ? "is not an abuse type" : "are not abuse types"}: use PA, SA, EA, N or FDV`;
    case "unknown_outcome":
      return `${said(issue.word)} is not a closing outcome${meant(issue.suggestions)}: ${issue.outcomes.join(", ")}`;
    case "too_long":
      return `the ${issue.what} is ${issue.length.toLocaleString("en-GB")} characters long, and the most is ${issue.max.toLocaleString("en-GB")}`;
    case "adult":
      return `at ${issue.age}${issue.born ? ` (born ${fmt(issue.born)})` : ""} this is an adult here (${issue.adultAge} and over), and a case is for a child; if your agency works with young adults, an admin can raise adultAge in the config`;
    case "dob_in_future":
      return `the date of birth ${fmt(issue.date)} is in the future`;
    case "future_date":
      return `${fmt(issue.date)} is in the future, so ${issue.what} can't have happened yet`;
    case "before_opened":
      return `${fmt(issue.date)} is before case ${issue.caseId} was opened (${fmt(issue.openedOn)})`;
    case "not_on_dashboard":
      return `${issue.label} is not on the ${issue.dashboard} dashboard that case ${issue.caseId} uses; its columns are ${issue.labels.join(", ")}`;
    case "missing_value":
      return `${issue.label} needs a number from ${issue.min} to ${issue.max}`;
    case "value_out_of_range":
      return `${issue.label} must be a whole number from ${issue.min} to ${issue.max}, not ${issue.value}`;
    case "value_not_allowed":
      return `${issue.label} is recorded with a date, not a number: leave value empty`;
    case "unknown_person":
      return `${said(issue.token)} is not on the staff list${meant(issue.suggestions)}`;
    case "not_a_caseholder":
      return `${issue.name} is ${/^[aeiou]/i.test(issue.role) ? "an" : "a"} ${issue.role}, and only workers and supervisors hold cases`;
    case "unknown_word":
      return `${said(issue.word)} is not a practice element${meant(issue.suggestions)}`;
    case "has_dob":
      return `case ${issue.caseId} has a date of birth in the record, which gives the age: correct date_of_birth instead`;
    case "born_after_opening":
      return `the date of birth ${fmt(issue.dob)} is after the case was opened (${fmt(issue.openedOn)})`;
    case "practice_before":
      return `case ${issue.caseId} has practice recorded on ${fmt(issue.on)} (entry #${issue.entryId}), before ${fmt(issue.date)}, so it can't have been opened then; undo that entry first or check the date`;
    case "case_closed":
      return `case ${issue.caseId} is closed in the record${issue.closedOn ? ` (since ${fmt(issue.closedOn)})` : ""}; reopen it first with /sos reopen ${issue.caseId}`;
    case "malformed":
      return `the ${issue.field} can't be read`;
    default:
      return describe(issue, fmt).replace(/\.$/, "");
  }
}
