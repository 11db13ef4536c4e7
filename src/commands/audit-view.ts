import { isServiceSlug } from "../domain/dashboards.ts";
import { ELEMENTS, isElementKey } from "../domain/elements.ts";
import type { AuditRow, CorrectableField } from "../store/schema.ts";
import type { Invocation } from "./invocation.ts";

/** One line of the audit view: who did what, when, from where. No child data, ever. */
export interface AuditLine {
  readonly id: number;
  /** the instant, ISO */
  readonly at: string;
  /** the instant as the agency reads it */
  readonly when: string;
  readonly who: string;
  readonly surface: string;
  readonly action: string;
  readonly caseId: string | null;
  /** what was done, in words */
  readonly what: string;
}

const FIELD: Readonly<Record<CorrectableField, string>> = {
  childName: "the child's name",
  dob: "the date of birth",
  ageAtOpening: "the age at opening",
  openedOn: "the date opened",
  abuseTypes: "the abuse types",
};

/**
 * Audit rows as lines a supervisor reads. The audit trail holds ids and codes only (never a name or
 * a note), so these lines can be shown wherever the case may be.
 */
export function auditLines(env: Invocation, rows: readonly AuditRow[]): AuditLine[] {
  const { ctx } = env;
  const name = (id: unknown) => (typeof id === "number" ? ctx.people.nameOf(id) : "someone");
  const team = (id: unknown) => ctx.org.teams.find((t) => t.id === id)?.name ?? String(id);
  const day = (d: unknown) => (typeof d === "string" && /^\d{4}-\d{2}-\d{2}$/.test(d) ? env.fmt(d) : "");
  const service = (s: unknown) =>
    typeof s === "string" && isServiceSlug(s) ? ctx.org.dashboards[s].title : String(s);
  const element = (e: unknown) => (typeof e === "string" && isElementKey(e) ? ELEMENTS[e].name : String(e));
  return rows.map((r) => {
    const d = r.detail;
    let what: string;
    switch (r.action) {
      case "log":
        what = `recorded ${element(d.element)}${d.value !== null && d.value !== undefined ? ` ${d.value}` : ""}${d.occurredOn ? ` on ${day(d.occurredOn)}` : ""}${typeof d.entry === "number" ? ` (entry #${d.entry})` : ""}${d.note ? ", with a note" : ""}`;
        break;
      case "undo":
        what = `undid entry #${d.entry} (${element(d.element)})`;
        break;
      case "open":
        what = `opened the case on ${service(d.service)}, opened ${day(d.openedOn)}, allocated to ${name(d.worker)} (${team(d.team)})`;
        break;
      case "assign":
        what = `allocated the case to ${name(d.to)} (was ${name(d.from)})${d.toTeam !== d.fromTeam ? `, moving it from ${team(d.fromTeam)} to ${team(d.toTeam)}` : ""}`;
        break;
      case "close":
        what = `closed the case on ${day(d.closedOn)}: ${ctx.org.outcomes.find((o) => o.code === d.outcome)?.label ?? String(d.outcome)}${d.note ? ", with a note" : ""}`;
        break;
      case "reopen":
        what = "reopened the case";
        break;
      case "edit":
        what = `corrected ${typeof d.field === "string" && d.field in FIELD ? FIELD[d.field as CorrectableField] : "a detail"}`;
        break;
      case "move":
        what = `moved the case from ${service(d.from)} to ${service(d.to)}${d.on ? ` on ${day(d.on)}` : ""}`;
        break;
      case "snooze":
        what = `snoozed reminders until ${day(d.until)}`;
        break;
      case "import":
        what = importWhat(d);
        break;
      case "away":
        what = `recorded leave from ${day(d.from)} to ${day(d.to)}`;
        break;
      case "erase":
        what = `removed the case's records under ${d.under === "retention" ? "retention" : "an erasure"} (erasure #${d.erasure})`;
        break;
      case "export-case":
        what = `exported everything held about the case (subject access, ${String(d.format)})`;
        break;
      case "restore":
        what = `restored the database from ${String(d.from)}`;
        break;
      default:
        what = r.action;
    }
    return {
      id: r.id,
      at: r.at,
      when: env.fmtInstant(r.at),
      who: r.actorId === null ? "the system" : name(r.actorId),
      surface: r.surface,
      action: r.action,
      caseId: r.caseId,
      what,
    };
  });
}

/** The lines as text, one a line: `01/03/16 12:00  Jane Smith (slack)  12345  recorded …`. */
export function auditText(title: string, lines: readonly AuditLine[]): string {
  if (lines.length === 0) return `${title}: nothing recorded.`;
  return [
    `${title}:`,
    ...lines.map(
      (l) => `${l.when}  ${l.who} (${l.surface})${l.caseId ? `  case ${l.caseId}` : ""}  ${l.what}`,
    ),
  ].join("\n");
}

/**
 * An import's audit line: one per case it gave entries to, and one for the file, which it names by
 * its SHA-256 (the audit holds no file name or content, so no child data comes in with one).
 */
function importWhat(d: Record<string, unknown>): string {
  const count = (k: string) => {
    const v = d[k];
    return typeof v === "number" ? v.toLocaleString("en-GB") : "0";
  };
  const file = typeof d.sha256 === "string" && d.sha256 ? ` (file ${d.sha256.slice(0, 12)})` : "";
  const entries = d.entries === 1 ? "1 practice entry" : `${count("entries")} practice entries`;
  if (d.what === "practice" && d.rows === undefined) return `imported ${entries}`;
  if (d.what === "practice")
    return `imported a practice history of ${count("rows")} rows${file}: ${entries} recorded, ${count("already")} already there`;
  if (d.what === "cases") {
    const more = [
      Number(d.corrected) > 0 ? `${count("corrected")} details corrected` : null,
      Number(d.moved) > 0 ? `${count("moved")} moved` : null,
      Number(d.closedNow) > 0 ? `${count("closedNow")} closed` : null,
    ].filter(Boolean);
    return `imported a case list of ${count("rows")} rows${file}: ${count("opened")} cases opened, ${[...more, `${count("already")} already there`].join(", ")}`;
  }
  if (d.source === "seed") return "imported the seed document's sample records";
  return "imported records";
}
