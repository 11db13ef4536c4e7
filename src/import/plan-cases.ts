import { closeCase } from "../commands/defs/close.ts";
import { type Correction, correctCase } from "../commands/defs/edit.ts";
import { moveCase } from "../commands/defs/move.ts";
import { childNameOf, openWrites } from "../commands/defs/open.ts";
import type { Invocation } from "../commands/invocation.ts";
import { formatAbuseTypes } from "../domain/abuse.ts";
import { fullYears } from "../domain/dates.ts";
import type { Expect, Write } from "../store/records.ts";
import type { CaseRow } from "../store/schema.ts";
import { asOpened, type CaseCandidate } from "./case-rows.ts";
import type { CaseColumn } from "./columns.ts";
import { fileSentence, type RowProblem } from "./wording.ts";

/** What importing a case list will do, decided against the record as it is now. */
export interface CasePlan {
  readonly problems: readonly RowProblem[];
  readonly opened: number;
  /** of the opened, how many the file closes too */
  readonly openedClosed: number;
  readonly already: number;
  /** `--update`: cases corrected, and how: fields corrected, moves between services, closes */
  readonly updated: {
    readonly cases: number;
    readonly fields: number;
    readonly moved: number;
    readonly closed: number;
  };
  readonly writes: readonly Write[];
  readonly expect: readonly Expect[];
}

/** One way a row differs from the case in the record, and what `--update` does about it. */
type Difference =
  | { readonly column: CaseColumn; readonly text: string; readonly fix: { correction: Correction } }
  | { readonly column: CaseColumn; readonly text: string; readonly fix: "move" | "close" }
  | { readonly column: CaseColumn; readonly text: string; readonly fix: null };

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/**
 * How a row differs from its case in the record, field by field. The child's name and date of birth
 * are never said back: the report names the field and that it differs.
 */
function differences(env: Invocation, c: CaseRow, cand: CaseCandidate): Difference[] {
  const { ctx } = env;
  const o = cand.open;
  const out: Difference[] = [];
  const differs = "differs from the record";
  if (childNameOf(o) !== c.childName)
    out.push({
      column: "child_name",
      text: `${differs} (neither is shown here)`,
      fix: { correction: { field: "childName", value: o.childName } },
    });
  if (o.dob !== null && o.dob !== c.dob)
    out.push({ column: "date_of_birth", text: differs, fix: { correction: { field: "dob", value: o.dob } } });
  if (o.age !== null) {
    const recorded = c.dob !== null ? fullYears(c.dob, c.openedOn) : c.ageAtOpening;
    if (recorded !== o.age)
      out.push({
        column: "age",
        text: differs,
        fix: { correction: { field: "ageAtOpening", value: o.age } },
      });
  }
  if (o.openedOn !== c.openedOn)
    out.push({
      column: "date_opened",
      text: `${differs} (${env.fmt(c.openedOn)} there, ${env.fmt(o.openedOn)} in the file)`,
      fix: { correction: { field: "openedOn", value: o.openedOn } },
    });
  if (!sameSet(o.abuse, c.abuseTypes))
    out.push({
      column: "abuse_types",
      text: `${differs} (${formatAbuseTypes(c.abuseTypes) || "none"} there, ${formatAbuseTypes(o.abuse) || "none"} in the file)`,
      fix: { correction: { field: "abuseTypes", value: [...o.abuse] } },
    });
  if (o.service !== c.service)
    out.push({
      column: "service",
      text: `${differs} (${ctx.org.dashboards[c.service].title} there, ${ctx.org.dashboards[o.service].title} in the file)`,
      fix: "move",
    });
  if (cand.holder.staffId !== c.workerId)
    out.push({
      column: "worker_email",
      text: `${differs}: the record has the case with ${ctx.people.nameOf(c.workerId)}, the file with ${cand.holder.name}; an import does not transfer cases, so use /sos assign ${c.id} ${o.worker}`,
      fix: null,
    });
  const close = cand.close;
  if (close !== null && c.status === "open")
    out.push({
      column: "date_closed",
      text: "the case is open in the record and closed in the file",
      fix: "close",
    });
  else if (close === null && c.status === "closed")
    out.push({
      column: "date_closed",
      text: `the case is closed in the record${c.closedOn ? ` (since ${env.fmt(c.closedOn)})` : ""} and open in the file; an import does not reopen cases, so use /sos reopen ${c.id}`,
      fix: null,
    });
  else if (
    close !== null &&
    (close.on !== c.closedOn ||
      close.outcome !== c.outcome ||
      (close.note ?? null) !== (c.closingNote ?? null))
  )
    out.push({
      column:
        close.on !== c.closedOn ? "date_closed" : close.outcome !== c.outcome ? "outcome" : "closing_note",
      text: "the case's close differs from the record; an import does not change a close, so reopen it (/sos reopen) and close it again",
      fix: null,
    });
  return out;
}

/** What each kind of fix is, said after "to record it, run again with --update". */
function fixWords(d: Difference): string {
  if (d.fix === "move") return "to move the case, run the import again with --update";
  if (d.fix === "close") return "to close it, run the import again with --update";
  return "to record the correction, run the import again with --update";
}

/**
 * Decides every row against the record and against each other: a new case is opened (and closed,
 * when the file closes it) exactly as `/sos open` and `/sos close` would; a case already there with
 * the same details is "already there"; one that differs is a problem naming the field, unless
 * `--update`, which decides each correction as `/sos edit` does (then a move as `/sos move`, a close
 * as `/sos close`). Nothing is written here.
 */
export async function planCases(
  env: Invocation,
  candidates: readonly CaseCandidate[],
  opts: { readonly update: boolean },
): Promise<CasePlan> {
  const problems: RowProblem[] = [];
  const writes: Write[] = [];
  const expect: Expect[] = [];
  const firstRow = new Map<string, number>();
  let opened = 0;
  let openedClosed = 0;
  let already = 0;
  const updated = { cases: 0, fields: 0, moved: 0, closed: 0 };
  const say = (issue: Parameters<typeof fileSentence>[0]) => fileSentence(issue, env.fmt);

  for (const cand of candidates) {
    const id = cand.open.caseId;
    const earlier = firstRow.get(id);
    if (earlier !== undefined) {
      problems.push({
        row: cand.row,
        column: "case_id",
        text: `case ${id} is on row ${earlier} too: a case list has one row per case`,
      });
      continue;
    }
    firstRow.set(id, cand.row);
    const c = await env.reads.case(id);

    if (!c) {
      const rowWrites = openWrites(env, cand.open, cand.holder.staffId, cand.holder.teamId);
      if (cand.close) {
        const closing = closeCase(env, asOpened(cand, env), cand.close);
        if ("issue" in closing) {
          problems.push({ row: cand.row, column: "date_closed", text: say(closing.issue) });
          continue;
        }
        rowWrites.push(...closing.writes);
        openedClosed++;
      }
      writes.push(...rowWrites);
      expect.push({ kind: "noCase", caseId: id });
      opened++;
      continue;
    }

    const diffs = differences(env, c, cand);
    if (diffs.length === 0) {
      already++;
      continue;
    }
    const fixable = diffs.filter((d) => d.fix !== null);
    const unfixable = diffs.filter((d) => d.fix === null);
    for (const d of unfixable) problems.push({ row: cand.row, column: d.column, text: d.text });
    if (!opts.update) {
      for (const d of fixable)
        problems.push({ row: cand.row, column: d.column, text: `${d.text}; ${fixWords(d)}` });
      continue;
    }
    if (unfixable.length > 0) continue;

    // Decided one after the other on the case as each leaves it, as typing them in turn would.
    let current = c;
    const caseWrites: Write[] = [];
    let failed = false;
    let fields = 0;
    for (const d of fixable) {
      if (d.fix === "move" || d.fix === "close") continue;
      const decided = await correctCase(env, current, d.fix.correction);
      if ("issue" in decided) {
        problems.push({ row: cand.row, column: d.column, text: say(decided.issue) });
        failed = true;
        continue;
      }
      caseWrites.push(...decided.writes);
      current = decided.after;
      fields++;
    }
    const moving = fixable.some((d) => d.fix === "move");
    if (moving && !failed) {
      const decided = moveCase(env, current, cand.open.service, env.today);
      if ("issue" in decided) {
        problems.push({ row: cand.row, column: "service", text: say(decided.issue) });
        failed = true;
      } else {
        caseWrites.push(...decided.writes);
        current = { ...current, service: cand.open.service, serviceSince: decided.on };
      }
    }
    const closing = fixable.some((d) => d.fix === "close") ? cand.close : null;
    if (closing && !failed) {
      const decided = closeCase(env, current, closing);
      if ("issue" in decided) {
        problems.push({ row: cand.row, column: "date_closed", text: say(decided.issue) });
        failed = true;
      } else caseWrites.push(...decided.writes);
    }
    if (failed) continue;
    writes.push(...caseWrites);
    expect.push({ kind: "caseVersion", caseId: c.id, version: c.version });
    updated.cases++;
    updated.fields += fields;
    if (moving) updated.moved++;
    if (closing) updated.closed++;
  }
  return { problems, opened, openedClosed, already, updated, writes, expect };
}
