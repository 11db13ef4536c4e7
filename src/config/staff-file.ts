import { CsvError, parse } from "csv-parse/sync";
import { z } from "zod";
import { ROLES } from "../domain/access.ts";
import { closest } from "../util/suggest.ts";
import type { StaffInput } from "./schema.ts";

/**
 * The staff file (config `staffFile:`): the HR export an admin already has, one person a row, read
 * with csv-parse as spreadsheets write it (UTF-8 with or without a BOM, `,` or `;` between fields,
 * quoted fields, CRLF). Every problem names the file, the row as a spreadsheet numbers it (the
 * header is row 1) and the column, as config problems name their key.
 */

/** The columns, as `load.ts` names them in a config entry. `team` lists a supervisor's teams with `;`. */
const COLUMNS = {
  email: "email",
  name: "name",
  role: "role",
  team: "team",
  slack_id: "slackId",
  teams_id: "teamsId",
} as const;
type Column = keyof typeof COLUMNS;
const REQUIRED: readonly Column[] = ["email", "name", "role"];

/** What separates a supervisor's teams in the `team` column: `North Team; South Team`. */
export const TEAM_SEPARATOR = ";";

export interface StaffFileRow {
  /** `staff.csv row 7`: where the row is, as a spreadsheet shows it */
  readonly where: string;
  /** the row as a spreadsheet numbers it (the header is row 1) */
  readonly row: number;
  readonly staff: StaffInput;
}

/** A problem and the row it is on (0: the file as a whole), so all of a file's are said in row order. */
export interface RowProblem {
  readonly row: number;
  readonly text: string;
}

/** A header word compared without case, spaces, dashes or underscores: `Slack ID` is `slack_id`. */
const bare = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

const cell = (what: string) =>
  z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, { error: `is empty; every row needs ${what}` }));
/** A column the file may leave out altogether, or a cell left empty. */
const optional = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === "" ? undefined : s.trim()));

const rowSchema = z.object({
  email: cell("an email").pipe(
    z.email({ error: (iss) => `${quoted(String(iss.input))} is not an email address` }),
  ),
  name: cell("a name"),
  role: cell(`a role (${ROLES.join(", ")})`)
    .transform((s) => s.toLowerCase())
    .pipe(
      z.enum(ROLES, {
        error: (iss) => {
          const typed = String(iss.input);
          const hint = closest(typed, ROLES, 1)[0];
          return `${quoted(typed)} is not one of ${ROLES.join(", ")}${hint ? ` (did you mean "${hint}"?)` : ""}`;
        },
      }),
    ),
  team: optional.transform((s) =>
    s === undefined
      ? undefined
      : s
          .split(TEAM_SEPARATOR)
          .map((t) => t.trim())
          .filter((t) => t !== ""),
  ),
  slackId: optional,
  teamsId: optional,
});

/** A value as typed, quoted, one line however it was written (a quoted cell may hold a newline). */
export function quoted(value: string): string {
  const v = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(v);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads a staff file's bytes. `name` is how the config names it (`staff.csv`), for the messages.
 * Rows that are blank are skipped; columns the file has beyond these six are left alone (HR exports
 * carry many), unless one looks like a misspelt column this file lacks.
 */
export function readStaffFile(
  bytes: Uint8Array,
  name: string,
): { rows: StaffFileRow[]; problems: RowProblem[] } {
  let text: string;
  try {
    // TextDecoder drops a leading BOM, as Excel's "CSV UTF-8" writes one.
    text = utf8.decode(bytes);
  } catch {
    return {
      rows: [],
      problems: [
        {
          row: 0,
          text: `${name}: is not UTF-8 text; save it as "CSV UTF-8" (in Excel: Save As, then CSV UTF-8 (Comma delimited))`,
        },
      ],
    };
  }
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: delimiterOf(text),
      bom: true,
      relax_column_count: true,
      // HR exports write `Jane "JJ" Smith` unquoted; a quote inside a field is kept as written.
      relax_quotes: true,
      skip_empty_lines: false,
    });
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    // `records` counts the rows read before the one that failed, the header among them.
    const before = (e as CsvError & { records?: number }).records ?? 0;
    return { rows: [], problems: [{ row: before + 1, text: `${name} row ${before + 1}: ${csvProblem(e)}` }] };
  }
  const [header, ...body] = records;
  if (!header || header.every((h) => h.trim() === ""))
    return {
      rows: [],
      problems: [
        {
          row: 0,
          text: `${name}: is empty; its first row names the columns (${Object.keys(COLUMNS).join(", ")})`,
        },
      ],
    };

  const { columns, problems: headerProblems } = readHeader(header, name);
  if (headerProblems.length > 0)
    return { rows: [], problems: headerProblems.map((text) => ({ row: 1, text })) };
  const problems: RowProblem[] = [];

  const rows: StaffFileRow[] = [];
  for (const [i, record] of body.entries()) {
    if (record.every((v) => v.trim() === "")) continue;
    const where = `${name} row ${i + 2}`;
    const values = Object.fromEntries(
      Object.entries(columns).map(([col, index]) => [COLUMNS[col as Column], record[index] ?? ""]),
    );
    const parsed = rowSchema.safeParse(values);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0]);
        problems.push({ row: i + 2, text: `${where}, ${columnOf(key)}: ${issue.message}` });
      }
      continue;
    }
    const { team, slackId, teamsId, ...rest } = parsed.data;
    rows.push({
      where,
      row: i + 2,
      staff: {
        ...rest,
        ...(team !== undefined && team.length > 0 ? { team } : {}),
        ...(slackId !== undefined ? { slackId } : {}),
        ...(teamsId !== undefined ? { teamsId } : {}),
      },
    });
  }
  return { rows, problems };
}

/** The column a config key came from, for the message (`slackId` → `slack_id`). */
function columnOf(key: string): string {
  return Object.entries(COLUMNS).find(([, k]) => k === key)?.[0] ?? key;
}

/** Which column each of ours is in; a missing required column or a misspelt one is a problem. */
function readHeader(
  header: readonly string[],
  name: string,
): { columns: Partial<Record<Column, number>>; problems: string[] } {
  const columns: Partial<Record<Column, number>> = {};
  const problems: string[] = [];
  const known = new Map(Object.keys(COLUMNS).map((c) => [bare(c), c as Column]));
  const unknown: string[] = [];
  for (const [index, raw] of header.entries()) {
    const col = known.get(bare(raw));
    if (col === undefined) {
      if (raw.trim() !== "") unknown.push(raw.trim());
      continue;
    }
    if (columns[col] !== undefined) problems.push(`${name} row 1: the column "${col}" is there twice`);
    else columns[col] = index;
  }
  const missing = (Object.keys(COLUMNS) as Column[]).filter((c) => columns[c] === undefined);
  for (const u of unknown) {
    const hint = closest(bare(u), missing, 1)[0];
    if (hint)
      problems.push(
        `${name} row 1: unknown column "${u}" (did you mean "${hint}"?); the columns are ${Object.keys(COLUMNS).join(", ")}`,
      );
  }
  for (const c of REQUIRED) {
    if (columns[c] === undefined && !problems.some((p) => p.includes(`did you mean "${c}"`)))
      problems.push(
        `${name} row 1: there is no "${c}" column; the first row must name the columns (${Object.keys(COLUMNS).join(", ")}), in any order`,
      );
  }
  return { columns, problems };
}

/**
 * `,` or `;`, whichever the header row uses more (Excel writes `;` where the decimal mark is a
 * comma). Not both at once: `North Team; South Team` in a comma file is one field.
 */
function delimiterOf(text: string): string {
  const first = text.split(/\r?\n/, 1)[0] ?? "";
  const outside = first.replace(/"[^"]*"/g, "");
  const count = (c: string) => outside.split(c).length - 1;
  return count(";") > count(",") ? ";" : ",";
}

function csvProblem(e: CsvError): string {
  switch (e.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return 'a field opens a quote (") that is never closed, so the rest of the file would be one field';
    case "CSV_INVALID_CLOSING_QUOTE":
      return 'a quoted field has more text after its closing quote ("); write a quote inside a quoted field as ""';
    default:
      return `it is not CSV a spreadsheet would write (${e.code})`;
  }
}
