import type { IsoDate } from "../domain/dates.ts";

/**
 * Why a command did not go through, as data. The wording lives in messages.ts, so each surface can
 * phrase or mark these up its own way and tests can assert on the code.
 */
export type Issue =
  // reading the command
  | { code: "unknown_word"; word: string; suggestions: string[] }
  | { code: "missing_case"; command: string; example: string }
  | { code: "bad_case_id"; token: string; example: string }
  | { code: "missing_value"; label: string; min: number; max: number; example: string }
  | { code: "value_out_of_range"; label: string; value: string; min: number; max: number; example: string }
  | { code: "value_not_allowed"; label: string; value: string; example: string }
  | { code: "bad_date"; token: string; example: string }
  | { code: "impossible_date"; token: string }
  | { code: "extra_words"; words: string[]; example: string }
  | { code: "usage"; command: string; problem: string; usage: string }
  | { code: "unknown_service"; word: string; suggestions: string[] }
  | { code: "unknown_abuse"; words: string[] }
  | { code: "unknown_outcome"; word: string; suggestions: string[]; outcomes: string[] }
  | { code: "unknown_dashboard"; word: string; suggestions: string[] }
  | { code: "unknown_help_topic"; word: string; suggestions: string[] }
  | { code: "too_long"; what: string; length: number; max: number }
  /** a command built by a button or form that is not well formed (an old card, a crafted request) */
  | { code: "malformed"; command: string; field: string }
  // carrying it out
  /** also the answer for a case the person may not see: whether it exists is not theirs to know */
  | { code: "unknown_case"; caseId: string; suggestions: string[] }
  | { code: "not_your_case"; caseId: string; action: "log" | "undo" | "see" }
  | { code: "not_your_team"; caseId: string; action: "log" | "undo" | "see" | "manage" }
  /** `can`: what this role may type instead, from the registry */
  | { code: "role_cannot"; role: string; action: string; who: string; can?: string[] }
  | { code: "not_on_dashboard"; label: string; caseId: string; dashboard: string; labels: string[] }
  | { code: "future_date"; date: IsoDate; what: string }
  | { code: "before_opened"; date: IsoDate; openedOn: IsoDate; caseId: string }
  | { code: "case_closed"; caseId: string; closedOn: IsoDate | null }
  | {
      code: "already_recorded";
      label: string;
      caseId: string;
      date: IsoDate | null;
      value: number | null;
      by: string;
    }
  | { code: "nothing_to_undo" }
  | { code: "unknown_entry"; entryId: number }
  | { code: "already_undone"; label: string; caseId: string; by: string; at: string }
  | { code: "case_exists"; caseId: string }
  | { code: "case_erased"; caseId: string; on: IsoDate }
  | { code: "unknown_person"; token: string; suggestions: string[] }
  | { code: "not_a_caseholder"; name: string; role: string }
  | { code: "outside_team"; name: string; teams: string[] }
  | { code: "already_allocated"; caseId: string; name: string }
  | { code: "already_closed"; caseId: string; closedOn: IsoDate | null }
  | { code: "already_open"; caseId: string }
  | { code: "which_team"; teams: string[] }
  | { code: "unknown_team"; word: string; suggestions: string[]; teams: string[] }
  | { code: "no_team_access"; team: string }
  | { code: "bad_age"; token: string }
  /** `born`: the date of birth, when the age came from one */
  | { code: "adult"; age: number; adultAge: number; born: IsoDate | null }
  | { code: "dob_in_future"; date: IsoDate }
  | { code: "needs_worker"; caseId: string }
  // correcting and moving cases
  | { code: "no_change"; caseId: string; what: string }
  | { code: "has_dob"; caseId: string; dob: IsoDate }
  | { code: "born_after_opening"; dob: IsoDate; openedOn: IsoDate }
  | { code: "practice_before"; caseId: string; date: IsoDate; entryId: number; on: IsoDate }
  | { code: "same_service"; caseId: string; dashboard: string };

export type IssueCode = Issue["code"];
