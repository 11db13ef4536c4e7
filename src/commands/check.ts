import { type IsoDate, isIsoDate } from "../domain/dates.ts";
import { ELEMENTS, valueRule } from "../domain/elements.ts";
import type { Command } from "./command.ts";
import type { Issue } from "./issues.ts";
import { isCaseId, USAGE } from "./parse.ts";

/**
 * The checks of form the parser makes on typed text, for commands that arrive already built (a modal,
 * a card, a button): a form can send a rating of 11 or a case id with spaces just as a person can type
 * one. null when the command is well formed; the handlers then check the facts.
 */
export function checkCommand(cmd: Command, today: IsoDate): Issue | null {
  switch (cmd.kind) {
    case "log":
      return checkLog(cmd);
    case "open":
      return checkOpen(cmd, today);
    case "case":
    case "assign":
    case "close":
    case "reopen":
      return isCaseId(cmd.caseId) ? null : badCaseId(cmd.caseId, cmd.kind);
    default:
      return null;
  }
}

function badCaseId(token: string, kind: string): Issue {
  return { code: "bad_case_id", token, example: USAGE[kind] ?? USAGE.log! };
}

function checkLog(cmd: Extract<Command, { kind: "log" }>): Issue | null {
  const def = ELEMENTS[cmd.element];
  const example = `/sos ${cmd.element} ${cmd.caseId}${def.kind === "rating" ? " 6" : def.kind === "count" ? " 7" : ""}`;
  if (!isCaseId(cmd.caseId)) return badCaseId(cmd.caseId, "log");
  if (cmd.date !== null && !isIsoDate(cmd.date)) return { code: "impossible_date", token: cmd.date };
  const rule = valueRule(def.kind);
  if (!rule) {
    return cmd.value === null
      ? null
      : { code: "value_not_allowed", label: def.name, value: String(cmd.value), example };
  }
  if (cmd.value === null) return { code: "missing_value", label: def.name, ...rule, example };
  if (!Number.isInteger(cmd.value) || cmd.value < rule.min || cmd.value > rule.max) {
    return { code: "value_out_of_range", label: def.name, value: String(cmd.value), ...rule, example };
  }
  return null;
}

function checkOpen(cmd: Extract<Command, { kind: "open" }>, today: IsoDate): Issue | null {
  const usage = (problem: string): Issue => ({ code: "usage", command: "open", problem, usage: USAGE.open! });
  if (!isCaseId(cmd.caseId)) return badCaseId(cmd.caseId, "open");
  if (cmd.childName.trim() === "") return usage("it needs the child's name");
  if (cmd.age === null && cmd.dob === null) return usage("it needs the child's age or date of birth");
  if (cmd.age !== null && (!Number.isInteger(cmd.age) || cmd.age < 0 || cmd.age > 25)) {
    return { code: "bad_age", token: String(cmd.age) };
  }
  if (cmd.dob !== null) {
    if (!isIsoDate(cmd.dob)) return { code: "impossible_date", token: cmd.dob };
    if (cmd.dob > today) return { code: "dob_in_future", date: cmd.dob };
  }
  if (cmd.openedOn !== null && !isIsoDate(cmd.openedOn))
    return { code: "impossible_date", token: cmd.openedOn };
  return null;
}
