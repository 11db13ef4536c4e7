import type { Role } from "../domain/access.ts";
import type { DashboardDef, DashboardSlug, ServiceSlug } from "../domain/dashboards.ts";
import type { DateOrder, IsoDate } from "../domain/dates.ts";
import type { NameDisplay } from "../domain/names.ts";
import type { StuckThresholds } from "../domain/stuck.ts";

/** The agency as the rest of the program sees it: config validated, defaults filled, references resolved. */
export interface Org {
  /** the file it came from, for messages that send an admin to fix it */
  readonly source: string;
  /** the staff file the config names (`staffFile:`), resolved; null when it names none */
  readonly staffFile: string | null;
  /** `id` is what a database records as its agency: a config with another id is refused */
  readonly agency: { readonly id: string; readonly name: string; readonly timeZone: string };
  readonly dates: { readonly order: DateOrder; readonly format: string };
  readonly channelNames: NameDisplay;
  /** the age from which someone is an adult: no case is opened (or corrected) for them */
  readonly adultAge: number;
  readonly outcomes: readonly Outcome[];
  readonly teams: readonly TeamConfig[];
  readonly staff: readonly StaffConfig[];
  readonly dashboards: Readonly<Record<DashboardSlug, DashboardDef>>;
  readonly stuck: Readonly<Record<ServiceSlug, StuckThresholds>>;
  readonly escalateAfterDays: number;
  readonly managers: { readonly channels: Channels };
  readonly digest: DigestSchedule;
  /** a quiet week's team digest: one line, or the full digest anyway */
  readonly quietWeeks: "one-line" | "full";
  readonly holidays: readonly IsoDate[];
  /** what the config leaves nobody to do (a team with no supervisor, no admin): said at start */
  readonly warnings: readonly string[];
  /** null: no backup folder configured (`sos backup --out FILE` still works) */
  readonly backup: BackupConfig | null;
  /** null: closed cases are kept until erased one by one */
  readonly retention: RetentionPolicy | null;
}

export interface BackupConfig {
  /** absolute: relative paths in the config are read from the config file's folder */
  readonly dir: string;
  readonly keep: number;
  /** cron in the agency's zone; null for no schedule */
  readonly schedule: string | null;
}

/** Closed cases are due for removal once every rule given has passed (the later day wins). */
export interface RetentionPolicy {
  readonly afterClosing?: { readonly years: number; readonly months: number };
  /** the child's birthday of this age */
  readonly afterBirthday?: number;
}

export const DEFAULT_BACKUP = { keep: 14, schedule: "0 2 * * *" } as const;

export interface Outcome {
  readonly code: string;
  readonly label: string;
}

export interface Channels {
  readonly slack?: string;
  readonly teams?: string;
}

export interface DigestSchedule {
  readonly team: string;
  readonly agency: string;
  readonly nudges: string;
}

export interface TeamConfig {
  readonly id: string;
  readonly name: string;
  readonly channels: Channels;
  readonly digest: DigestSchedule;
}

export interface StaffConfig {
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly teams: readonly string[];
  readonly slackId?: string;
  readonly teamsId?: string;
  readonly away: readonly { readonly from: IsoDate; readonly to: IsoDate }[];
}

export const DEFAULT_OUTCOMES: readonly Outcome[] = [
  { code: "safe-at-home", label: "Safety achieved, child living at home" },
  { code: "family-network-care", label: "Child living safely with family or network" },
  { code: "out-of-home-care", label: "Child in out-of-home care" },
  { code: "referred-on", label: "Referred to another service" },
  { code: "moved-away", label: "Family moved out of the area" },
  { code: "no-further-action", label: "No further action needed" },
  { code: "other", label: "Other" },
];

export const DEFAULT_DIGEST: DigestSchedule = {
  team: "0 8 * * 1",
  agency: "0 9 * * 1",
  nudges: "0 9 * * 1-5",
};

export function findTeam(org: Org, word: string): TeamConfig | undefined {
  const w = word.trim().toLowerCase();
  return org.teams.find((t) => t.id === w || t.name.toLowerCase() === w);
}

export function findStaffByEmail(org: Org, email: string): StaffConfig | undefined {
  const e = email.trim().toLowerCase();
  return org.staff.find((s) => s.email === e);
}

export function admins(org: Org): readonly StaffConfig[] {
  return org.staff.filter((s) => s.role === "admin");
}

export function teamMembers(org: Org, teamId: string): readonly StaffConfig[] {
  return org.staff.filter((s) => s.teams.includes(teamId));
}
