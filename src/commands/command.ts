import type { AbuseCode } from "../domain/abuse.ts";
import type { DashboardSlug, ServiceSlug } from "../domain/dashboards.ts";
import type { IsoDate } from "../domain/dates.ts";
import type { ElementKey } from "../domain/elements.ts";

/**
 * A command, read and checked for form but not yet for facts (does the case exist, may this person
 * touch it). Text, buttons and modal forms all become one of these.
 */
export type Command =
  | {
      kind: "log";
      element: ElementKey;
      caseId: string;
      /** null: today */
      date: IsoDate | null;
      value: number | null;
      note: string | null;
    }
  | {
      kind: "open";
      caseId: string;
      childName: string;
      age: number | null;
      dob: IsoDate | null;
      service: ServiceSlug;
      abuse: AbuseCode[];
      /** null: today */
      openedOn: IsoDate | null;
      /** who holds the case: an email, mention or name; null means the person opening it */
      worker: string | null;
    }
  | { kind: "case"; caseId: string }
  | { kind: "mine"; dashboard: DashboardSlug | null }
  | { kind: "team"; team: string | null; dashboard: DashboardSlug | null }
  | { kind: "agency" }
  | { kind: "stuck"; team: string | null }
  /** entryId null: my last entry */
  | { kind: "undo"; entryId: number | null }
  | { kind: "assign"; caseId: string; person: string }
  | { kind: "close"; caseId: string; outcome: string; date: IsoDate | null; note: string | null }
  | { kind: "reopen"; caseId: string }
  | { kind: "whoami" }
  | { kind: "help"; topic: string | null }
  /** leave a case out of nudges until `days` from today */
  | { kind: "snooze"; caseId: string; days: number }
  /** the person's own leave: no nudges from `from` to `to` */
  | { kind: "away"; from: IsoDate; to: IsoDate }
  /** what the next digest will say: a team's, the agency summary, or (for a worker) their nudge */
  | { kind: "digest"; scope: "agency" | "mine" | null; team: string | null }
  /** a dashboard as a CSV file */
  | { kind: "export"; team: string | null };

export type CommandKind = Command["kind"];

/** Commands that change the record, and so run in a transaction and honour delivery ids. */
export const WRITES: ReadonlySet<CommandKind> = new Set([
  "log",
  "open",
  "undo",
  "assign",
  "close",
  "reopen",
  "snooze",
  "away",
]);
