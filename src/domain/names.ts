import { fullYears, type IsoDate } from "./dates.ts";

/** How a child shows where others may see it (config `channelNames`). Private views use `full`. */
export type NameDisplay = "full" | "initials" | "id";

export interface ChildIdentity {
  /** the case id */
  readonly id: string;
  readonly childName: string;
  readonly dob: IsoDate | null;
  readonly ageAtOpening: number | null;
  readonly openedOn: IsoDate;
}

/** Current age: from the date of birth when known, else the age at opening plus the years since. */
export function currentAge(child: ChildIdentity, today: IsoDate): number | null {
  if (child.dob) return Math.max(0, fullYears(child.dob, today));
  if (child.ageAtOpening === null) return null;
  return child.ageAtOpening + Math.max(0, fullYears(child.openedOn, today));
}

export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => `${w[0]!.toUpperCase()}.`)
    .join("");
}

/** The seed's first cell, `Melli Majid 13`, or its shortened form for shared channels. */
export function nameCell(child: ChildIdentity, today: IsoDate, display: NameDisplay): string {
  if (display === "id") return child.id;
  const age = currentAge(child, today);
  const who = display === "full" ? child.childName : initials(child.childName);
  return age === null ? who : `${who} ${age}`;
}

/** `Jane Smith's Cases`, the seed's group heading. */
export function groupTitle(workerName: string): string {
  return `${workerName}'s Cases`;
}

/**
 * From which age someone is an adult, for whom no case is opened: 18 by default; an agency working
 * with care leavers may set `adultAge` up to `latest` (cases for people up to 25).
 */
export const CHILD_AGE = { adult: 18, latest: 26 } as const;
