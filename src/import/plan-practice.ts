import { entryIssue } from "../commands/defs/log.ts";
import type { Invocation } from "../commands/invocation.ts";
import { ELEMENTS } from "../domain/elements.ts";
import type { NewEvent } from "../store/events.ts";
import type { Expect, Write } from "../store/records.ts";
import type { CaseRow, PracticeEventRow } from "../store/schema.ts";
import type { PracticeColumn } from "./columns.ts";
import type { PracticeCandidate } from "./practice-rows.ts";
import { fileSentence, type RowProblem } from "./wording.ts";

/** What importing a practice history will do, decided against the record as it is now. */
export interface PracticePlan {
  readonly problems: readonly RowProblem[];
  readonly entries: readonly NewEvent[];
  /** rows whose entry the record already has (the same case, element, day, value and recorder) */
  readonly already: number;
  /** of those, how many the record has as undone: an import does not bring back what was taken back */
  readonly alreadyUndone: number;
  /** cases that get entries */
  readonly cases: number;
  /** the child's name of each bad row's case (those rows only), to keep out of the report */
  readonly secrets: ReadonlyMap<number, string>;
  readonly writes: readonly Write[];
  readonly expect: readonly Expect[];
}

/** An entry's identity within its case for "already there": element, day, value and recorder. */
function key(element: string, date: string | null, value: number | null, by: number | null): string {
  return `${element}\u0000${date ?? ""}\u0000${value ?? ""}\u0000${by ?? ""}`;
}

/** The record's entries of one case by identity: how many, and how many of those are undone. */
function recordedOf(events: readonly PracticeEventRow[]): Map<string, { count: number; undone: number }> {
  const undone = new Set(events.filter((e) => e.retractsId !== null).map((e) => e.retractsId));
  const out = new Map<string, { count: number; undone: number }>();
  for (const e of events) {
    if (e.retractsId !== null) continue;
    const k = key(e.element, e.occurredOn, e.value, e.recordedBy);
    const r = out.get(k) ?? { count: 0, undone: 0 };
    r.count++;
    if (undone.has(e.id)) r.undone++;
    out.set(k, r);
  }
  return out;
}

/**
 * Decides every row against the record and against each other, with `log`'s own checks (the element
 * on the case's dashboard, a day neither in the future nor before the case opened) and, because this
 * is history, practice on a closed case up to the day it closed. An entry the record already has is
 * "already there"; the same entry twice in the file is a problem, except a tally (two network
 * meetings on one day are two meetings), where each row beyond the record's count is new. Rows are
 * decided case by case (in file order within each), so only one case's entries are held at a time.
 */
export async function planPractice(
  env: Invocation,
  candidates: readonly PracticeCandidate[],
): Promise<PracticePlan> {
  const problems: RowProblem[] = [];
  const secrets = new Map<number, string>();
  const bad = (row: number, column: PracticeColumn | null, text: string, c: CaseRow | null = null) => {
    problems.push({ row, column, text });
    if (c) secrets.set(row, c.childName);
  };
  const say = (issue: Parameters<typeof fileSentence>[0]) => fileSentence(issue, env.fmt);

  const byCase = new Map<string, PracticeCandidate[]>();
  for (const cand of candidates) {
    const list = byCase.get(cand.caseId);
    if (list) list.push(cand);
    else byCase.set(cand.caseId, [cand]);
  }

  const entries: NewEvent[] = [];
  const writes: Write[] = [];
  const expect: Expect[] = [];
  let already = 0;
  let alreadyUndone = 0;
  let cases = 0;
  for (const [caseId, rows] of byCase) {
    const c = await env.reads.case(caseId);
    if (!c) {
      for (const cand of rows)
        bad(
          cand.row,
          "case_id",
          `there is no case ${caseId} in the record: import the case list first (sos import cases)`,
        );
      continue;
    }
    const recorded = recordedOf(await env.reads.caseEvents(c.id));
    /** each entry's first row in the file, and (tallies) how many rows give it */
    const firstRow = new Map<string, number>();
    const tallied = new Map<string, number>();
    let written = 0;
    for (const cand of rows) {
      const fits = entryIssue(env, c, cand.element, cand.occurredOn);
      if ("issue" in fits) {
        bad(cand.row, fits.issue.code === "not_on_dashboard" ? "element" : "date", say(fits.issue), c);
        continue;
      }
      if (cand.occurredOn !== null && c.closedOn !== null && cand.occurredOn > c.closedOn) {
        const closed = `${env.fmt(cand.occurredOn)} is after case ${c.id} was closed (${env.fmt(c.closedOn)})`;
        bad(cand.row, "date", closed, c);
        continue;
      }
      const k = key(cand.element, cand.occurredOn, cand.value, cand.recordedBy);
      const first = firstRow.get(k);
      if (first === undefined) firstRow.set(k, cand.row);
      const tally = ELEMENTS[cand.element].kind === "tally";
      if (!tally && first !== undefined) {
        const what = `${fits.column.label}${cand.value !== null ? ` ${cand.value}` : ""}${cand.occurredOn ? ` on ${env.fmt(cand.occurredOn)}` : " without a date"}`;
        bad(
          cand.row,
          null,
          `the same entry as row ${first} (case ${c.id}, ${what}, by the same person): it would count twice, so keep one of the rows`,
          c,
        );
        continue;
      }
      /** this row is the n-th in the file giving this entry */
      const nth = tally ? (tallied.get(k) ?? 0) + 1 : 1;
      if (tally) tallied.set(k, nth);
      const inRecord = recorded.get(k);
      // The n-th identical row is already there when the record holds at least n of them.
      if (inRecord && nth <= inRecord.count) {
        already++;
        // Undone ones are counted first: an import never brings back an entry someone took back.
        if (nth <= inRecord.undone) alreadyUndone++;
        continue;
      }
      entries.push(cand);
      written++;
    }
    if (written === 0) continue;
    cases++;
    expect.push({ kind: "caseVersion", caseId: c.id, version: c.version });
    writes.push({
      kind: "audit",
      entry: {
        at: env.now,
        actorId: env.actor.staffId,
        surface: "import",
        action: "import",
        caseId: c.id,
        detail: { what: "practice", entries: written },
      },
    });
  }
  // The entries first, in one bulk write, then each case's audit line.
  if (entries.length > 0) writes.unshift({ kind: "appendEvents", events: entries });
  return { problems, entries, already, alreadyUndone, cases, secrets, writes, expect };
}
