import { type ParseContext, readCaseId, readDate } from "../commands/grammar.ts";
import type { Invocation } from "../commands/invocation.ts";
import type { Issue } from "../commands/issues.ts";
import { normalWord } from "../commands/lexicon.ts";
import { validateCommand } from "../commands/parse.ts";
import type { IsoDate } from "../domain/dates.ts";
import type { ElementKey } from "../domain/elements.ts";
import { closest } from "../util/suggest.ts";
import type { StaffDirectory } from "./case-rows.ts";
import type { Cells, PracticeColumn } from "./columns.ts";
import { fileSentence, type RowProblem, said } from "./wording.ts";

/**
 * One row of a practice history, read and checked as a typed log is: the entry it will be, as the
 * store appends it (so a history of 200,000 rows is held once, not copied into entries), and its row.
 */
export interface PracticeCandidate {
  readonly row: number;
  readonly caseId: string;
  readonly element: ElementKey;
  /** null: recorded without a date (a paper dashboard's "Yes"); shows as Yes in a date column */
  readonly occurredOn: IsoDate | null;
  readonly value: number | null;
  readonly note: string | null;
  readonly recordedBy: number;
  readonly recordedAt: string;
  readonly surface: "import";
}

const token = (text: string) => ({ text, quoted: false });
const NUMBER = /^[+-]?\d+(?:[.,]\d+)?$/;

/** Which column a coded issue from `log`'s schema is about. */
function logColumn(issue: Issue): PracticeColumn | null {
  switch (issue.code) {
    case "bad_case_id":
      return "case_id";
    case "missing_value":
    case "value_out_of_range":
    case "value_not_allowed":
      return "value";
    case "too_long":
      return "note";
    case "impossible_date":
      return "date";
    default:
      return null;
  }
}

/**
 * Reads one row of a practice history with the chat's readers: the element by any word chat takes
 * for it (the seed's labels, the agency's own, the aliases), dates as chat reads them or ISO, then
 * `log`'s own schema (whole ratings 0–10, a network from 0, no number where a date goes, a note's
 * length). `recorded_by` is anyone who ever had a staff row: history names people who have left.
 */
export function readPracticeRow(
  env: Invocation,
  parse: ParseContext,
  staff: StaffDirectory,
  row: number,
  cells: Cells<PracticeColumn>,
  intern: (s: string) => string = (s) => s,
): { candidate: PracticeCandidate } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const bad = (column: PracticeColumn | null, text: string) => problems.push({ row, column, text });
  const say = (issue: Issue) => fileSentence(issue, env.fmt);

  const rawId = cells("case_id");
  const caseId = rawId === "" ? null : readCaseId(token(rawId));
  if (rawId === "") bad("case_id", "missing: every row needs the case id");
  else if (caseId === null) bad("case_id", say({ code: "bad_case_id", token: rawId, example: "" }));

  const word = cells("element");
  const element = word === "" ? undefined : parse.lexicon.elements.get(normalWord(word));
  if (word === "") bad("element", "missing: the practice element, like mapped-with-family or safety-scale");
  else if (element === undefined)
    bad(
      "element",
      say({
        code: "unknown_word",
        word,
        suggestions: closest(normalWord(word), [...parse.lexicon.elements.keys()], 3),
      }),
    );

  const dateCell = cells("date");
  let date: IsoDate | null = null;
  if (dateCell !== "") {
    const d = readDate(token(dateCell), parse, "");
    if ("issue" in d) bad("date", say(d.issue));
    else date = d.date;
  }

  const valueCell = cells("value");
  let value: number | null = null;
  if (valueCell !== "") {
    if (NUMBER.test(valueCell)) value = Number(valueCell.replace(",", "."));
    else bad("value", `${said(valueCell)} is not a number`);
  }

  const noteCell = cells("note");
  const note = noteCell === "" ? null : noteCell;

  const email = cells("recorded_by");
  const recorder = email === "" ? undefined : staff.get(email.toLowerCase());
  if (email === "") bad("recorded_by", "missing: the email of who recorded it (current or former staff)");
  else if (recorder === undefined)
    bad(
      "recorded_by",
      `${said(email)} is not anyone on the staff list, now or before${suggest(email, staff)}`,
    );

  if (problems.length > 0 || caseId === null || element === undefined || recorder === undefined)
    return { problems };

  // The same schema as a typed log; a null date here means "without a date", not "today".
  const args = { element, caseId, date, value, note };
  const checked = validateCommand({ kind: "log", ...args });
  if (!checked.ok) {
    bad(logColumn(checked.issue), say(checked.issue));
    return { problems };
  }
  return {
    candidate: {
      row,
      // A history holds each case id and day many times over: one string each, not one a row.
      caseId: intern(caseId),
      element,
      occurredOn: date === null ? null : intern(date),
      value,
      note,
      recordedBy: recorder.id,
      recordedAt: env.now,
      surface: "import",
    },
  };
}

function suggest(email: string, staff: StaffDirectory): string {
  const near = closest(email.toLowerCase(), [...staff.keys()], 1)[0];
  return near ? ` (did you mean ${near}?)` : "";
}
