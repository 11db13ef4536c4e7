import { basename } from "node:path";
import type { Ctx } from "../commands/ctx.ts";
import type { ParseContext } from "../commands/grammar.ts";
import { type Invocation, makeInvocation } from "../commands/invocation.ts";
import { buildLexicon } from "../commands/lexicon.ts";
import { CONFLICT_RETRIES } from "../commands/limits.ts";
import type { Actor } from "../domain/access.ts";
import { Conflict, type Expect, type Write } from "../store/records.ts";
import type { StaffRow } from "../store/schema.ts";
import { type CaseCandidate, readCaseRow, type StaffDirectory } from "./case-rows.ts";
import { CASE_LIST, type ColumnSet, PRACTICE_HISTORY, readHeader } from "./columns.ts";
import { CsvFileError, readCsv } from "./csv.ts";
import { planCases } from "./plan-cases.ts";
import { planPractice } from "./plan-practice.ts";
import { type PracticeCandidate, readPracticeRow } from "./practice-rows.ts";
import { type RowProblem, reportLines } from "./wording.ts";

export type ImportKind = "cases" | "practice";

export interface ImportRequest {
  readonly kind: ImportKind;
  readonly path: string;
  /** check and say what would happen; write nothing */
  readonly dryRun: boolean;
  /** cases only: record differences from the record as corrections (as `/sos edit` does) */
  readonly update: boolean;
  /** a line saying how far it has got, for a terminal (rows checked, then writing) */
  readonly progress?: (line: string) => void;
}

export interface ImportOutcome {
  /** false: something in the file is wrong, and nothing was written */
  readonly ok: boolean;
  readonly text: string;
}

const n = (x: number) => x.toLocaleString("en-GB");
const plural = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;
const PROGRESS_EVERY = 2_000;

/** Every row of the file read and checked on its own, before anything is looked up in the record. */
interface Read<T> {
  readonly candidates: T[];
  readonly problems: RowProblem[];
  readonly rows: number;
  /** each case-list row's child name, so the report can leave it out */
  readonly secrets: Map<number, string>;
  readonly sha256: string;
  /** the file can't be read at all: one sentence */
  readonly unreadable: string | null;
}

async function readRows<C extends string, T>(
  req: ImportRequest,
  set: ColumnSet<C>,
  readRow: (row: number, cells: (c: C) => string) => { candidate: T } | { problems: RowProblem[] },
  secret: (cells: (c: C) => string) => string | null,
): Promise<Read<T>> {
  const reading = await readCsv(req.path);
  const candidates: T[] = [];
  const problems: RowProblem[] = [];
  const secrets = new Map<number, string>();
  let header: ReturnType<typeof readHeader<C>> | null = null;
  let width = 0;
  let rows = 0;
  let unreadable: string | null = null;
  try {
    for await (const r of reading.rows) {
      if (header === null) {
        header = readHeader(set, r.fields);
        width = r.fields.length;
        if (!header.ok) {
          for (const text of header.problems) problems.push({ row: r.row, column: null, text });
          break;
        }
        continue;
      }
      if (!header.ok) break;
      rows++;
      if (rows % PROGRESS_EVERY === 0) req.progress?.(`checking ${basename(req.path)}: ${n(rows)} rows…`);
      const { cells, extra } = header.cells(r.fields);
      const name = secret(cells);
      if (name) secrets.set(r.row, name);
      if (extra > 0) {
        problems.push({
          row: r.row,
          column: null,
          text: `it has ${plural(extra, "value")} past the header's ${width} columns: a value holding the delimiter needs quotes around it`,
        });
        continue;
      }
      const read = readRow(r.row, cells);
      if ("candidate" in read) candidates.push(read.candidate);
      else problems.push(...read.problems);
    }
  } catch (e) {
    if (!(e instanceof CsvFileError)) throw e;
    if (e.row === null) unreadable = e.message;
    else problems.push({ row: e.row, column: null, text: `${e.message}; nothing after it was read` });
  }
  if (header === null && unreadable === null) unreadable = "it is empty: the first row must name the columns";
  return { candidates, problems, rows, secrets, sha256: unreadable ? "" : reading.sha256(), unreadable };
}

/** The report of a file with problems: every bad row on its line, and that nothing was written. */
function refusal(
  name: string,
  problems: readonly RowProblem[],
  secrets: ReadonlyMap<number, string>,
): string {
  const lines = reportLines(problems, secrets);
  return [
    `${name}: ${plural(lines.length, "row")} can't be imported, so nothing was imported:`,
    ...lines,
    `Correct ${lines.length === 1 ? "it" : "them"} in the file and run the import again (--dry-run checks without writing).`,
  ].join("\n");
}

/**
 * `sos import cases|practice`: reads the whole file and checks every row (on its own, then against
 * the record and the other rows); if any row is wrong it writes nothing and lists them all. Otherwise
 * it writes everything in one batch through the `Records` port (one transaction), as the importing
 * admin from the surface `import`. Running it again writes nothing new: what the record has is
 * "already there". A write that meets a concurrent change to one of its cases is decided again.
 */
export async function runImport(
  ctx: Ctx,
  admin: Actor,
  staffRows: readonly StaffRow[],
  req: ImportRequest,
): Promise<ImportOutcome> {
  const env = makeInvocation(ctx, admin, "import", "private");
  const parse: ParseContext = { lexicon: buildLexicon(ctx.org), org: ctx.org, today: env.today };
  const staff: StaffDirectory = new Map(staffRows.map((s) => [s.email.toLowerCase(), s]));
  const name = basename(req.path);

  if (req.kind === "cases") {
    const read = await readRows<(typeof CASE_LIST.columns)[number], CaseCandidate>(
      req,
      CASE_LIST,
      (row, cells) => readCaseRow(env, parse, staff, row, cells),
      (cells) => cells("child_name") || null,
    );
    return carryOut(env, req, name, read, () => decideCases(env, read, req, name));
  }
  const strings = new Map<string, string>();
  const intern = (x: string) => {
    const known = strings.get(x);
    if (known !== undefined) return known;
    strings.set(x, x);
    return x;
  };
  const read = await readRows<(typeof PRACTICE_HISTORY.columns)[number], PracticeCandidate>(
    req,
    PRACTICE_HISTORY,
    (row, cells) => readPracticeRow(env, parse, staff, row, cells, intern),
    () => null,
  );
  return carryOut(env, req, name, read, () => decidePractice(env, read, name, req));
}

/** Decides on the record as it is, then writes it all in one batch; decided again after a conflict. */
async function carryOut<T>(
  env: Invocation,
  req: ImportRequest,
  name: string,
  read: Read<T>,
  decide: () => Promise<Decided>,
): Promise<ImportOutcome> {
  if (read.unreadable)
    return { ok: false, text: `${name} can't be imported: ${read.unreadable}. Nothing was imported.` };
  if (read.rows === 0 && read.problems.length === 0)
    return { ok: false, text: `${name} has its header and no rows under it: nothing to import.` };
  for (let attempt = 1; ; attempt++) {
    req.progress?.(`checking ${name} against the record…`);
    const decided = await decide();
    if ("outcome" in decided) return decided.outcome;
    req.progress?.(`writing ${decided.writing} in one transaction…`);
    const summary: Write = {
      kind: "audit",
      entry: {
        at: env.now,
        actorId: env.actor.staffId,
        surface: "import",
        action: "import",
        caseId: null,
        detail: { what: req.kind, rows: read.rows, ...decided.counts, sha256: read.sha256 },
      },
    };
    try {
      const applied = await env.ctx.records.apply(
        {
          writes: [...decided.writes, summary],
          expect: decided.expect,
          reply: (entries): WrittenIds => ({
            first: entries[0]?.id ?? null,
            last: entries[entries.length - 1]?.id ?? null,
          }),
        },
        { at: env.now },
      );
      // Imports carry no delivery id, so the reply is always this batch's own.
      const ids: WrittenIds = applied.repeated ? { first: null, last: null } : (applied.reply as WrittenIds);
      return { ok: true, text: decided.done(ids) };
    } catch (e) {
      // Someone changed one of the cases between the check and the write: check again on what is there.
      if (e instanceof Conflict && attempt < CONFLICT_RETRIES) continue;
      throw e;
    }
  }
}

interface WrittenIds {
  readonly first: number | null;
  readonly last: number | null;
}

type Decided =
  | { readonly outcome: ImportOutcome }
  | {
      readonly writes: readonly Write[];
      readonly expect: readonly Expect[];
      readonly counts: Readonly<Record<string, number>>;
      /** what is being written, for the progress line */
      readonly writing: string;
      done(ids: WrittenIds): string;
    };

async function decideCases(
  env: Invocation,
  read: Read<CaseCandidate>,
  req: ImportRequest,
  name: string,
): Promise<Decided> {
  const plan = await planCases(env, read.candidates, { update: req.update });
  const problems = [...read.problems, ...plan.problems];
  if (problems.length > 0) return { outcome: { ok: false, text: refusal(name, problems, read.secrets) } };
  const u = plan.updated;
  const did = (verbs: { open: string; correct: string; move: string; close: string }) => {
    const parts: string[] = [];
    if (plan.opened > 0)
      parts.push(
        `${verbs.open} ${plural(plan.opened, "case")}${plan.openedClosed ? ` (${n(plan.openedClosed)} of them closed)` : ""}`,
      );
    if (u.fields > 0) parts.push(`${verbs.correct} ${plural(u.fields, "detail")}`);
    if (u.moved > 0) parts.push(`${verbs.move} ${plural(u.moved, "case")} to another service`);
    if (u.closed > 0) parts.push(`${verbs.close} ${plural(u.closed, "case")}`);
    return parts;
  };
  const already = `${n(plan.already)} already there`;
  if (plan.writes.length === 0)
    return { outcome: { ok: true, text: `${name}: 0 new cases, ${already}. Nothing was written.` } };
  if (req.dryRun) {
    const would = did({
      open: "would open",
      correct: "would correct",
      move: "would move",
      close: "would close",
    });
    return {
      outcome: {
        ok: true,
        text: `Checked ${name} (${plural(read.rows, "row")}): ${[...would, already].join(", ")}. Nothing was written (--dry-run).`,
      },
    };
  }
  return {
    writes: plan.writes,
    expect: plan.expect,
    counts: {
      opened: plan.opened,
      closed: plan.openedClosed,
      already: plan.already,
      corrected: u.fields,
      moved: u.moved,
      closedNow: u.closed,
    },
    writing: plural(plan.opened + u.cases, "case"),
    done: () =>
      [
        `Imported ${name}: ${[...did({ open: "opened", correct: "corrected", move: "moved", close: "closed" }), already].join(", ")}.`,
        "Each case shows on its dashboard now (`sos dashboard`); its history and `sos audit` name you and the import.",
      ].join("\n"),
  };
}

async function decidePractice(
  env: Invocation,
  read: Read<PracticeCandidate>,
  name: string,
  req: ImportRequest,
): Promise<Decided> {
  const plan = await planPractice(env, read.candidates);
  const problems = [...read.problems, ...plan.problems];
  if (problems.length > 0) return { outcome: { ok: false, text: refusal(name, problems, plan.secrets) } };
  const undone = plan.alreadyUndone
    ? ` (${n(plan.alreadyUndone)} of them undone in the record, so not brought back)`
    : "";
  const already = `${n(plan.already)} already there${undone}`;
  const entries = plural(plan.entries.length, "entry", "entries");
  const cases = plural(plan.cases, "case");
  if (plan.entries.length === 0)
    return { outcome: { ok: true, text: `${name}: 0 new entries, ${already}. Nothing was written.` } };
  if (req.dryRun)
    return {
      outcome: {
        ok: true,
        text: `Checked ${name} (${plural(read.rows, "row")}): would record ${entries} on ${cases}, ${already}. Nothing was written (--dry-run).`,
      },
    };
  return {
    writes: plan.writes,
    expect: plan.expect,
    counts: { entries: plan.entries.length, cases: plan.cases, already: plan.already },
    writing: `${entries} on ${cases}`,
    done: (ids) =>
      [
        `Imported ${name}: recorded ${entries} on ${cases}, ${already}${ids.first !== null ? ` (entries #${ids.first} to #${ids.last})` : ""}.`,
        "They show on the dashboards and in digests like any other; each is undone only by its number, `/sos undo #<entry>` (see `/sos case`).",
      ].join("\n"),
  };
}
