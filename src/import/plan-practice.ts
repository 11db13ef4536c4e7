import { entryIssue } from "../commands/defs/log.ts";
import type { Env } from "../commands/env.ts";
import { ELEMENTS } from "../domain/elements.ts";
import type { NewEvent } from "../store/events.ts";
import type { Expect, Write } from "../store/records.ts";
import type { CaseRow } from "../store/schema.ts";
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
  /** each case's child name, for keeping it out of the report */
  readonly secrets: ReadonlyMap<number, string>;
  readonly writes: readonly Write[];
  readonly expect: readonly Expect[];
}

/** An entry's identity for "already there": case, element, day, value and who recorded it. */
function key(caseId: string, element: string, date: string | null, value: number | null, by: number | null) {
  return `${caseId}\u0000${element}\u0000${date ?? ""}\u0000${value ?? ""}\u0000${by ?? ""}`;
}

/**
 * Decides every row against the record and against each other, with `log`'s own checks (the element
 * on the case's dashboard, a day neither in the future nor before the case opened) and, because this
 * is history, practice on a closed case up to the day it closed. An entry the record already has is
 * "already there"; the same entry twice in the file is a problem, except a tally (two network
 * meetings on one day are two meetings), where each row beyond the record's count is new.
 */
export async function planPractice(
  env: Env,
  candidates: readonly PracticeCandidate[],
): Promise<PracticePlan> {
  const problems: RowProblem[] = [];
  const bad = (row: number, column: PracticeColumn | null, text: string) =>
    problems.push({ row, column, text });
  const say = (issue: Parameters<typeof fileSentence>[0]) => fileSentence(issue, env.fmt);
  const cases = new Map<string, CaseRow | null>();
  /** identical entries the record holds, and how many of them are undone */
  const recorded = new Map<string, { count: number; undone: number }>();
  const seen = new Map<string, { rows: number[] }>();
  const secrets = new Map<number, string>();
  const byCase = new Map<string, NewEvent[]>();
  let already = 0;
  let alreadyUndone = 0;

  for (const cand of candidates) {
    let c = cases.get(cand.caseId);
    if (c === undefined) {
      c = (await env.reads.case(cand.caseId)) ?? null;
      cases.set(cand.caseId, c);
      if (c) {
        const events = await env.reads.caseEvents(c.id);
        const undone = new Set(events.filter((e) => e.retractsId !== null).map((e) => e.retractsId));
        for (const e of events) {
          if (e.retractsId !== null) continue;
          const k = key(e.caseId, e.element, e.occurredOn, e.value, e.recordedBy);
          const r = recorded.get(k) ?? { count: 0, undone: 0 };
          r.count++;
          if (undone.has(e.id)) r.undone++;
          recorded.set(k, r);
        }
      }
    }
    if (c === null) {
      bad(
        cand.row,
        "case_id",
        `there is no case ${cand.caseId} in the record: import the case list first (sos import cases)`,
      );
      continue;
    }
    secrets.set(cand.row, c.childName);
    const fits = entryIssue(env, c, cand.element, cand.date);
    if ("issue" in fits) {
      bad(cand.row, fits.issue.code === "not_on_dashboard" ? "element" : "date", say(fits.issue));
      continue;
    }
    if (cand.date !== null && c.closedOn !== null && cand.date > c.closedOn) {
      bad(
        cand.row,
        "date",
        `${env.fmt(cand.date)} is after case ${c.id} was closed (${env.fmt(c.closedOn)})`,
      );
      continue;
    }
    const k = key(c.id, cand.element, cand.date, cand.value, cand.recordedBy);
    const inFile = seen.get(k) ?? { rows: [] };
    inFile.rows.push(cand.row);
    seen.set(k, inFile);
    const inRecord = recorded.get(k) ?? { count: 0, undone: 0 };
    const tally = ELEMENTS[cand.element].kind === "tally";
    if (!tally && inFile.rows.length > 1) {
      const what = `${fits.column.label}${cand.value !== null ? ` ${cand.value}` : ""}${cand.date ? ` on ${env.fmt(cand.date)}` : " without a date"}`;
      bad(
        cand.row,
        null,
        `the same entry as row ${inFile.rows[0]} (case ${c.id}, ${what}, by the same person): it would count twice, so keep one of the rows`,
      );
      continue;
    }
    // The n-th identical row is already there when the record holds at least n of them.
    if (inFile.rows.length <= inRecord.count) {
      already++;
      // Undone ones are counted first: an import never brings back an entry someone took back.
      if (inFile.rows.length <= inRecord.undone) alreadyUndone++;
      continue;
    }
    const list = byCase.get(c.id) ?? [];
    list.push({
      caseId: c.id,
      element: cand.element,
      occurredOn: cand.date,
      value: cand.value,
      note: cand.note,
      recordedBy: cand.recordedBy,
      recordedAt: env.now,
      surface: "import",
    });
    byCase.set(c.id, list);
  }

  const entries: NewEvent[] = [];
  const writes: Write[] = [];
  const expect: Expect[] = [];
  for (const [caseId, list] of byCase) {
    entries.push(...list);
    expect.push({ kind: "caseVersion", caseId, version: cases.get(caseId)!.version });
    writes.push({
      kind: "audit",
      entry: {
        at: env.now,
        actorId: env.actor.staffId,
        surface: "import",
        action: "import",
        caseId,
        detail: { what: "practice", entries: list.length },
      },
    });
  }
  // The entries first, in one bulk write, then each case's audit line.
  if (entries.length > 0) writes.unshift({ kind: "appendEvents", events: entries });
  return {
    problems,
    entries,
    already,
    alreadyUndone,
    cases: byCase.size,
    secrets,
    writes,
    expect,
  };
}
