import { auditLines } from "../commands/audit-view.ts";
import { FIELD_NAMES } from "../commands/defs/edit.ts";
import type { Invocation } from "../commands/invocation.ts";
import { periodDays } from "../digest/schedule.ts";
import { ABUSE_TYPES } from "../domain/abuse.ts";
import { elementColumn, isServiceSlug } from "../domain/dashboards.ts";
import { type IsoDate, localDate } from "../domain/dates.ts";
import { ELEMENTS, isElementKey } from "../domain/elements.ts";
import { currentAge } from "../domain/names.ts";
import type {
  AllocationRow,
  AuditRow,
  CaseEventRow,
  CaseRow,
  DigestRunRow,
  PracticeEventRow,
  StaffRow,
} from "../store/schema.ts";

/**
 * Everything the database holds about one child, for a subject-access request: the case and every
 * correction, allocation, entry (undone ones too, with notes), close and reopen, the audit lines,
 * reminders and snoozes, and the digests that covered the case. One model; `toJson` is the
 * machine-readable file, `subject-access-html.ts` the page a person reads.
 */

export const SUBJECT_ACCESS_FORMAT = "sos-subject-access/1";

export interface Person {
  readonly name: string;
  readonly email: string | null;
}

export interface SubjectAccess {
  readonly format: typeof SUBJECT_ACCESS_FORMAT;
  readonly exportedAt: string;
  readonly exportedBy: Person;
  readonly agency: { readonly id: string; readonly name: string; readonly timeZone: string };
  readonly case: {
    readonly id: string;
    readonly childName: string;
    readonly dateOfBirth: IsoDate | null;
    readonly ageAtOpening: number | null;
    readonly ageToday: number | null;
    readonly openedOn: IsoDate;
    readonly service: string;
    readonly serviceTitle: string;
    readonly serviceSince: IsoDate | null;
    readonly abuseTypes: readonly { readonly code: string; readonly label: string }[];
    readonly status: "open" | "closed";
    readonly closedOn: IsoDate | null;
    readonly outcome: { readonly code: string; readonly label: string } | null;
    readonly closingNote: string | null;
    readonly worker: Person;
    readonly team: string;
    readonly createdAt: string;
    readonly createdBy: Person | null;
  };
  /** corrections, moves between services, closes and reopens, oldest first */
  readonly history: readonly HistoryItem[];
  readonly allocations: readonly {
    readonly from: IsoDate;
    readonly worker: Person;
    readonly team: string;
    readonly by: Person | null;
    readonly at: string;
  }[];
  /** every entry recorded, oldest first; an undone one says who undid it and when */
  readonly entries: readonly Entry[];
  readonly audit: readonly {
    readonly at: string;
    readonly who: string;
    readonly surface: string;
    readonly action: string;
    readonly what: string;
  }[];
  readonly reminders: readonly { readonly week: string; readonly rule: string; readonly to: Person }[];
  readonly snoozes: readonly { readonly until: IsoDate; readonly by: Person | null; readonly at: string }[];
  readonly digests: {
    /** how exact the list is, in plain words */
    readonly exactness: string;
    readonly team: readonly DigestCover[];
  };
}

export interface HistoryItem {
  readonly kind: CaseEventRow["kind"];
  readonly on: IsoDate;
  readonly at: string;
  readonly by: Person | null;
  readonly surface: string;
  /** in words, values included */
  readonly what: string;
  /** as stored */
  readonly detail: CaseEventRow["detail"];
}

export interface Entry {
  readonly entry: number;
  readonly element: string;
  readonly label: string;
  readonly occurredOn: IsoDate | null;
  readonly value: number | null;
  readonly note: string | null;
  readonly recordedBy: Person | null;
  readonly recordedAt: string;
  readonly surface: string;
  readonly undone: { readonly entry: number; readonly by: Person | null; readonly at: string } | null;
}

export interface DigestCover {
  readonly team: string;
  readonly week: string;
  /** the day the digest was "as of" */
  readonly asOf: IsoDate;
  readonly platform: string;
  readonly postedAt: string | null;
  /** open in the team that day (its dashboard listed open cases), or closed that week (listed as closed) */
  readonly as: "open" | "closed that week";
}

export const DIGEST_EXACTNESS =
  "The digest ledger records which team's digest was posted for which week, not which cases each one listed. A team digest lists the team's open cases on its day and the cases closed that week, so these are the team digests posted while this case was open in that team (or in the week it closed). A quiet week's one-line digest lists no case, and the ledger does not say which weeks were quiet, so the case may be in fewer of them. Channels show initials and the case id, not the name, unless the agency's config says channelNames: full. The agency summary names no child. Reminders are exact: each one sent about this case is recorded.";

/**
 * What the database holds about one case, read whichever store holds it (`case-holdings.ts`); the
 * model below is made from this alone, so the export is the same on SQLite and PostgreSQL.
 */
export interface CaseHoldings {
  readonly case: CaseRow;
  /** every staff row, current and former: who recorded, allocated, was reminded */
  readonly staff: readonly Pick<StaffRow, "id" | "email">[];
  /** every entry and undo on the case, oldest first */
  readonly events: readonly PracticeEventRow[];
  readonly caseEvents: readonly CaseEventRow[];
  readonly allocations: readonly AllocationRow[];
  readonly audit: readonly AuditRow[];
  /** reminders sent about the case, by week */
  readonly reminders: readonly { readonly week: string; readonly rule: string; readonly staffId: number }[];
  /** its snoozes, oldest first */
  readonly snoozes: readonly { readonly until: IsoDate; readonly by: number | null; readonly at: string }[];
  /** the team digests posted for the teams the case was ever allocated to, oldest first */
  readonly teamRuns: readonly Pick<
    DigestRunRow,
    "scope" | "period" | "platform" | "scheduledFor" | "finishedAt"
  >[];
}

export function subjectAccess(env: Invocation, held: CaseHoldings, by: Person): SubjectAccess {
  const { ctx } = env;
  const caseRow = held.case;
  const emails = new Map(held.staff.map((s) => [s.id, s.email]));
  const person = (id: number | null): Person | null => {
    if (id === null) return null;
    return { name: ctx.people.nameOf(id), email: emails.get(id) ?? null };
  };
  const must = (id: number): Person => person(id) ?? { name: "the system", email: null };
  const teamName = (id: string) => ctx.org.teams.find((t) => t.id === id)?.name ?? id;
  const def = ctx.org.dashboards[caseRow.service];
  const outcomeLabel = (code: string | null) =>
    code === null ? null : { code, label: ctx.org.outcomes.find((o) => o.code === code)?.label ?? code };

  const events = held.events;
  const undoneBy = new Map(events.filter((e) => e.retractsId !== null).map((e) => [e.retractsId!, e]));
  const entries: Entry[] = events
    .filter((e) => e.retractsId === null)
    .map((e) => {
      const undo = undoneBy.get(e.id);
      return {
        entry: e.id,
        element: e.element,
        label: isElementKey(e.element)
          ? (elementColumn(def, e.element)?.label ?? ELEMENTS[e.element].name)
          : e.element,
        occurredOn: e.occurredOn,
        value: e.value,
        note: e.note,
        recordedBy: person(e.recordedBy),
        recordedAt: e.recordedAt,
        surface: e.surface,
        undone: undo ? { entry: undo.id, by: person(undo.recordedBy), at: undo.recordedAt } : null,
      };
    });

  const caseEvents = held.caseEvents;
  const allocations = held.allocations;
  const history: HistoryItem[] = caseEvents.map((e) => ({
    kind: e.kind,
    on: e.on,
    at: e.at,
    by: person(e.by),
    surface: e.surface,
    what: historyWords(env, e),
    detail: e.detail,
  }));

  const reminders = held.reminders.map((n) => ({ week: n.week, rule: n.rule, to: must(n.staffId) }));
  const snoozed = held.snoozes.map((s) => ({ until: s.until, by: person(s.by), at: s.at }));
  const runs = held.teamRuns;
  const tz = ctx.org.agency.timeZone;
  const timeline = caseTimeline(caseRow, caseEvents, allocations);
  const team: DigestCover[] = [];
  for (const r of runs) {
    const asOf = localDate(new Date(r.scheduledFor), tz);
    const as = timeline.coveredBy(r.scope, asOf);
    if (as)
      team.push({
        team: teamName(r.scope),
        week: r.period,
        asOf,
        platform: r.platform,
        postedAt: r.finishedAt,
        as,
      });
  }

  const audit = auditLines(env, held.audit).map((l) => ({
    at: l.at,
    who: l.who,
    surface: l.surface,
    action: l.action,
    what: l.what,
  }));

  return {
    format: SUBJECT_ACCESS_FORMAT,
    exportedAt: ctx.clock.now().toISOString(),
    exportedBy: by,
    agency: { id: ctx.org.agency.id, name: ctx.org.agency.name, timeZone: tz },
    case: {
      id: caseRow.id,
      childName: caseRow.childName,
      dateOfBirth: caseRow.dob,
      ageAtOpening: caseRow.ageAtOpening,
      ageToday: currentAge(caseRow, env.today),
      openedOn: caseRow.openedOn,
      service: caseRow.service,
      serviceTitle: def.title,
      serviceSince: caseRow.serviceSince,
      abuseTypes: caseRow.abuseTypes.map((code) => ({
        code,
        label: ABUSE_TYPES.find((a) => a.code === code)?.label ?? code,
      })),
      status: caseRow.status,
      closedOn: caseRow.closedOn,
      outcome: outcomeLabel(caseRow.outcome),
      closingNote: caseRow.closingNote,
      worker: must(caseRow.workerId),
      team: teamName(caseRow.teamId),
      createdAt: caseRow.createdAt,
      createdBy: person(caseRow.createdBy),
    },
    history,
    allocations: allocations.map((a) => ({
      from: a.fromOn,
      worker: must(a.workerId),
      team: teamName(a.teamId),
      by: person(a.assignedBy),
      at: a.assignedAt,
    })),
    entries,
    audit,
    reminders,
    snoozes: snoozed,
    digests: { exactness: DIGEST_EXACTNESS, team },
  };
}

/** A correction, move, close or reopen in words, with its values: this file is for the child. */
function historyWords(env: Invocation, e: CaseEventRow): string {
  const { ctx } = env;
  const d = e.detail;
  const v = (x: unknown) =>
    x === null || x === undefined ? "none" : Array.isArray(x) ? x.join(", ") || "none" : String(x);
  switch (e.kind) {
    case "corrected":
      return "field" in d
        ? `corrected the ${FIELD_NAMES[d.field]} from ${v(d.from)} to ${v(d.to)}`
        : "corrected";
    case "moved": {
      const title = (s: string) => (isServiceSlug(s) ? ctx.org.dashboards[s].title : s);
      return "from" in d && !("field" in d) ? `moved from ${title(d.from)} to ${title(d.to)}` : "moved";
    }
    case "closed": {
      if (!("outcome" in d)) return "closed";
      const label = ctx.org.outcomes.find((o) => o.code === d.outcome)?.label ?? d.outcome;
      const note = "note" in d && d.note ? `; note: ${d.note}` : "";
      return `closed: ${label}${note}`;
    }
    case "reopened":
      return "reopened";
  }
}

/**
 * Which team a case was in, and whether it was open, on a given day: from its allocations (team from
 * each allocation's first day) and its closes and reopens.
 */
export function caseTimeline(
  c: Pick<CaseRow, "openedOn">,
  events: readonly Pick<CaseEventRow, "kind" | "on">[],
  allocations: readonly { readonly fromOn: IsoDate; readonly teamId: string }[],
) {
  const teamOn = (day: IsoDate): string | null => {
    let team: string | null = null;
    for (const a of allocations) if (a.fromOn <= day) team = a.teamId;
    return team ?? (day >= c.openedOn ? (allocations[0]?.teamId ?? null) : null);
  };
  const changes = events.filter((e) => e.kind === "closed" || e.kind === "reopened");
  const openOn = (day: IsoDate): boolean => {
    if (day < c.openedOn) return false;
    let open = true;
    for (const e of changes) if (e.on <= day) open = e.kind === "reopened";
    return open;
  };
  const closedDuring = (from: IsoDate, to: IsoDate): boolean =>
    changes.some((e) => e.kind === "closed" && e.on >= from && e.on <= to);
  return {
    coveredBy(teamId: string, asOf: IsoDate): DigestCover["as"] | null {
      if (teamOn(asOf) !== teamId) return null;
      if (openOn(asOf)) return "open";
      const week = periodDays("team", asOf);
      return closedDuring(week.from, asOf) ? "closed that week" : null;
    },
  };
}
