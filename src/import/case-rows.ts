import { readOutcome } from "../commands/defs/close.ts";
import { newCaseIssue, type OpenArgs, readBirthDate } from "../commands/defs/open.ts";
import { INTEGER, type ParseContext, readCaseId, readDate, readService } from "../commands/grammar.ts";
import type { Invocation } from "../commands/invocation.ts";
import type { Issue } from "../commands/issues.ts";
import { validateCommand } from "../commands/parse.ts";
import { resolveCaseholder } from "../commands/people.ts";
import { readAbuseTypes } from "../domain/abuse.ts";
import { canManageTeam } from "../domain/access.ts";
import { fullYears, type IsoDate } from "../domain/dates.ts";
import type { CaseRow, StaffRow } from "../store/schema.ts";
import type { CaseColumn, Cells } from "./columns.ts";
import { fileSentence, type RowProblem } from "./wording.ts";

/** Everyone who ever had a staff row, current or former, by lower-case email. */
export type StaffDirectory = ReadonlyMap<string, StaffRow>;

/** A case closed in the file: opened, then closed as `/sos close` closes it. */
export interface Closing {
  readonly on: IsoDate;
  readonly outcome: string;
  readonly note: string | null;
}

/** One row of a case list, read and checked as `/sos open` checks a typed case. */
export interface CaseCandidate {
  readonly row: number;
  readonly open: OpenArgs & { readonly openedOn: IsoDate };
  readonly holder: { readonly staffId: number; readonly name: string; readonly teamId: string };
  readonly close: Closing | null;
}

const token = (text: string) => ({ text, quoted: false });

/** Which column a coded issue from `open`'s schema or its checks is about. */
function openColumn(issue: Issue, dobGiven: boolean): CaseColumn | null {
  switch (issue.code) {
    case "bad_case_id":
      return "case_id";
    case "too_long":
      return issue.what === "child's name" ? "child_name" : "worker_email";
    case "bad_age":
      return "age";
    case "dob_in_future":
      return "date_of_birth";
    case "future_date":
    case "impossible_date":
      return "date_opened";
    case "adult":
      return dobGiven ? "date_of_birth" : "age";
    case "malformed": {
      const byField: Readonly<Record<string, CaseColumn>> = {
        caseId: "case_id",
        childName: "child_name",
        age: "age",
        dob: "date_of_birth",
        service: "service",
        abuse: "abuse_types",
        openedOn: "date_opened",
        worker: "worker_email",
      };
      return byField[issue.field] ?? null;
    }
    default:
      return null;
  }
}

/**
 * Reads one row of a case list with the chat's own readers (case ids, dates in the agency's order
 * or ISO, services, abuse types, outcomes), then checks the candidate with `open`'s schema and the
 * facts `open` checks when it runs (a birth date or opening in the future, an adult). Nothing here
 * looks at the record; whether the case is already there is the plan's to say.
 */
export function readCaseRow(
  env: Invocation,
  parse: ParseContext,
  staff: StaffDirectory,
  row: number,
  cells: Cells<CaseColumn>,
): { candidate: CaseCandidate } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const bad = (column: CaseColumn | null, text: string) => problems.push({ row, column, text });
  const say = (issue: Issue) => fileSentence(issue, env.fmt);

  const rawId = cells("case_id");
  const caseId = rawId === "" ? null : readCaseId(token(rawId));
  if (rawId === "") bad("case_id", "missing: every row needs the case id");
  else if (caseId === null) bad("case_id", say({ code: "bad_case_id", token: rawId, example: "" }));

  const childName = cells("child_name");
  if (childName === "") bad("child_name", "missing: every case needs the child's name");

  const dobCell = cells("date_of_birth");
  const ageCell = cells("age");
  let age: number | null = null;
  let dob: IsoDate | null = null;
  if (dobCell === "" && ageCell === "") bad("date_of_birth", "missing, and so is age: give one of them");
  if (ageCell !== "") {
    if (INTEGER.test(ageCell)) age = Number(ageCell);
    else bad("age", say({ code: "bad_age", token: ageCell }));
  }
  if (dobCell !== "") {
    const d = readBirthDate(token(dobCell), parse);
    if ("date" in d) dob = d.date;
    else
      bad(
        "date_of_birth",
        say(d.issue.code === "bad_age" ? { code: "bad_date", token: dobCell, example: "" } : d.issue),
      );
  }

  const serviceCell = cells("service");
  const service = serviceCell === "" ? null : readService(serviceCell);
  if (service === null) bad("service", "missing: statutory-cp, family-support or voluntary");
  else if ("issue" in service) bad("service", say(service.issue));

  const abuse = readAbuseTypes(cells("abuse_types").split(/\s+/));
  if (abuse.unknown.length > 0) bad("abuse_types", say({ code: "unknown_abuse", words: abuse.unknown }));

  const openedCell = cells("date_opened");
  const opened = openedCell === "" ? null : readDate(token(openedCell), parse, "");
  if (opened === null) bad("date_opened", "missing: the day the case was opened");
  else if ("issue" in opened) bad("date_opened", say(opened.issue));

  const email = cells("worker_email");
  const holder = email === "" ? null : caseholder(env, staff, email, cells("date_closed") !== "");
  if (holder === null) bad("worker_email", "missing: the email of the worker who holds the case");
  else if ("issue" in holder) bad("worker_email", holder.issue);

  const close = readClosing(env, parse, caseId, cells, bad);

  if (
    problems.length > 0 ||
    caseId === null ||
    service === null ||
    "issue" in service ||
    opened === null ||
    "issue" in opened ||
    holder === null ||
    "issue" in holder ||
    close === undefined
  )
    return { problems };

  if (dob !== null && age !== null) {
    // Both given: the date of birth is the record (an age is kept only when it is all there is),
    // and an age that disagrees with it is a slip in one of them.
    const fromDob = fullYears(dob, opened.date);
    if (fromDob !== age) {
      bad(
        "age",
        `${age} is not the age at opening that date_of_birth gives (${fromDob}): correct one of them`,
      );
      return { problems };
    }
    age = null;
  }

  // The same schema as a typed `/sos open`, then the same facts it checks when it runs.
  const args = {
    caseId,
    childName,
    age,
    dob,
    service: service.service,
    abuse: abuse.codes,
    openedOn: opened.date,
    worker: email,
  };
  const checked = validateCommand({ kind: "open", ...args });
  const issue = checked.ok ? newCaseIssue(env, args) : checked.issue;
  if (issue) {
    bad(openColumn(issue, dob !== null), say(issue));
    return { problems };
  }
  return {
    candidate: { row, open: args, holder: holder.holder, close },
  };
}

/**
 * Who holds the case: someone on the staff now who holds cases, as `/sos open` asks. A case that was
 * closed may name a worker who has since left (their row is kept, inactive): history is what it was.
 */
function caseholder(
  env: Invocation,
  staff: StaffDirectory,
  email: string,
  closed: boolean,
): { holder: CaseCandidate["holder"] } | { issue: string } {
  const say = (issue: Issue) => fileSentence(issue, env.fmt);
  const found = resolveCaseholder(env, email);
  if ("actor" in found) {
    const a = found.actor;
    // As `open` picks it: the holder's first team the person importing may manage (an admin: any).
    const teamId = a.teams.find((t) => canManageTeam(env.actor, t));
    if (teamId === undefined) return { issue: `${a.name} is in no team, so the case would belong to none` };
    return { holder: { staffId: a.staffId, name: a.name, teamId } };
  }
  const former = staff.get(email.trim().toLowerCase());
  if (former && !former.active && (former.role === "worker" || former.role === "supervisor")) {
    const teamId = former.teamIds[0];
    if (closed && teamId !== undefined) return { holder: { staffId: former.id, name: former.name, teamId } };
    return {
      issue: `${former.name} has left the staff: an open case needs a worker who is here now (a closed case may name a former one)`,
    };
  }
  return { issue: say(found.reply.issue ?? { code: "unknown_person", token: email, suggestions: [] }) };
}

/** The closing columns: all empty (an open case), or a day and an outcome (and maybe a note). */
function readClosing(
  env: Invocation,
  parse: ParseContext,
  caseId: string | null,
  cells: Cells<CaseColumn>,
  bad: (column: CaseColumn, text: string) => void,
): Closing | null | undefined {
  const on = cells("date_closed");
  const outcome = cells("outcome");
  const note = cells("closing_note");
  if (on === "" && outcome === "" && note === "") return null;
  const codes = env.ctx.org.outcomes.map((o) => o.code);
  let ok = true;
  if (on === "") {
    bad(
      "date_closed",
      "missing: a closed case needs the day it was closed (or leave outcome and closing_note empty)",
    );
    ok = false;
  }
  if (outcome === "") {
    bad("outcome", `missing: a closed case needs its outcome: ${codes.join(", ")}`);
    ok = false;
  }
  if (!ok) return undefined;
  const day = readDate(token(on), parse, "");
  if ("issue" in day) bad("date_closed", fileSentence(day.issue, env.fmt));
  const read = readOutcome(outcome.split(/\s+/), codes);
  if ("issue" in read) bad("outcome", fileSentence(read.issue, env.fmt));
  if ("issue" in day || "issue" in read || caseId === null) return undefined;
  // `close`'s own schema: the note's length, the outcome's.
  const args = { caseId, outcome: read.outcome, date: day.date, note: note === "" ? null : note };
  const checked = validateCommand({ kind: "close", ...args });
  if (!checked.ok) {
    bad("closing_note", fileSentence(checked.issue, env.fmt));
    return undefined;
  }
  return { on: day.date, outcome: read.outcome, note: note === "" ? null : note };
}

/** A case the file opens, as its row will be once opened: for deciding its close before it exists. */
export function asOpened(c: CaseCandidate, env: Invocation): CaseRow {
  return {
    id: c.open.caseId,
    childName: c.open.childName,
    dob: c.open.dob,
    ageAtOpening: c.open.age,
    openedOn: c.open.openedOn,
    service: c.open.service,
    abuseTypes: [...c.open.abuse],
    workerId: c.holder.staffId,
    teamId: c.holder.teamId,
    status: "open",
    closedOn: null,
    outcome: null,
    closingNote: null,
    states: {},
    createdAt: env.now,
    createdBy: env.actor.staffId,
    version: 0,
    serviceSince: null,
    stuckSince: null,
    stuckFor: null,
  };
}
