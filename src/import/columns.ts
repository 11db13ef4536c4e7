import { closest } from "../util/suggest.ts";

/** The columns of a case list, as the issue names them. */
export const CASE_COLUMNS = [
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
export type CaseColumn = (typeof CASE_COLUMNS)[number];

/** The columns of a practice history. */
export const PRACTICE_COLUMNS = ["case_id", "element", "date", "value", "note", "recorded_by"] as const;
export type PracticeColumn = (typeof PRACTICE_COLUMNS)[number];

/** What a file of one kind must have: its columns, those it can't do without, and "one of these". */
export interface ColumnSet<C extends string> {
  /** "case list", "practice history": how the report names the file */
  readonly what: string;
  readonly columns: readonly C[];
  readonly required: readonly C[];
  /** at least one column of each group (a case list gives `date_of_birth` or `age`, or both) */
  readonly oneOf: readonly (readonly C[])[];
}

export const CASE_LIST: ColumnSet<CaseColumn> = {
  what: "case list",
  columns: CASE_COLUMNS,
  required: ["case_id", "child_name", "service", "abuse_types", "date_opened", "worker_email"],
  oneOf: [["date_of_birth", "age"]],
};

export const PRACTICE_HISTORY: ColumnSet<PracticeColumn> = {
  what: "practice history",
  columns: PRACTICE_COLUMNS,
  required: ["case_id", "element", "date", "value", "note", "recorded_by"],
  oneOf: [],
};

/** A header as people write it ("Date Opened", "date-opened", " CASE_ID") to the column's name. */
export function columnName(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

function isColumn<C extends string>(set: ColumnSet<C>, name: string): name is C {
  return (set.columns as readonly string[]).includes(name);
}

/** A row's values by column, trimmed; "" for a column the file does not have or a row that stops short. */
export type Cells<C extends string> = (column: C) => string;

export type Header<C extends string> =
  | {
      readonly ok: true;
      readonly has: (column: C) => boolean;
      /** the row's values; `extra` counts values past the header's last column that are not empty */
      cells(fields: readonly string[]): { cells: Cells<C>; extra: number };
    }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Reads the header row: every column known (with "did you mean" for a misspelt one), none twice,
 * none required missing. Names in any case and any order.
 */
export function readHeader<C extends string>(set: ColumnSet<C>, fields: readonly string[]): Header<C> {
  const index = new Map<C, number>();
  const problems: string[] = [];
  fields.forEach((raw, i) => {
    const name = columnName(raw);
    if (name === "") {
      // A spreadsheet's trailing empty columns: nothing below them is read.
      return;
    }
    if (!isColumn(set, name)) {
      const near = closest(name, set.columns, 1)[0];
      problems.push(
        `"${raw.trim()}" is not a column of a ${set.what}${near ? ` (did you mean ${near}?)` : ""}; the columns are ${set.columns.join(", ")}`,
      );
      return;
    }
    if (index.has(name)) {
      problems.push(`the column ${name} is there twice (columns ${index.get(name)! + 1} and ${i + 1})`);
      return;
    }
    index.set(name, i);
  });
  for (const c of set.required) if (!index.has(c)) problems.push(`the column ${c} is missing`);
  for (const group of set.oneOf)
    if (!group.some((c) => index.has(c))) problems.push(`it needs a column ${group.join(" or ")}`);
  if (problems.length > 0) return { ok: false, problems };
  const width = fields.length;
  return {
    ok: true,
    has: (c) => index.has(c),
    cells(row) {
      let extra = 0;
      for (let i = width; i < row.length; i++) if (row[i]!.trim() !== "") extra++;
      return {
        cells: (c) => {
          const i = index.get(c);
          return i === undefined ? "" : (row[i] ?? "").trim();
        },
        extra,
      };
    },
  };
}
