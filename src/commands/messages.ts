import { admins, type Org } from "../config/org.ts";
import type { IsoDate } from "../domain/dates.ts";
import type { Issue } from "./issues.ts";
import { AGE_MAX, ECHO_MAX } from "./limits.ts";

/**
 * The English for every issue: one plain sentence saying what was wrong, then what to type instead.
 * Written for a worker on a phone between visits, so no jargon and no error codes.
 */
export function describe(issue: Issue, fmt: (d: IsoDate) => string): string {
  const meant = (s: readonly string[]) =>
    s.length ? ` Did you mean ${orList(s.map((x) => `\`${x}\``))}?` : "";
  switch (issue.code) {
    case "unknown_word":
      return `I don't know "${echo(issue.word)}".${meant(issue.suggestions)} Type \`/sos help\` to see what you can type.`;
    case "missing_case":
      return `Which case? Put the case id after ${issue.command}, for example \`${issue.example}\`.`;
    case "bad_case_id":
      return `"${echo(issue.token)}" is not a case id. Case ids are letters and numbers, for example \`${issue.example}\`.`;
    case "missing_value":
      return `${issue.label} needs a number from ${issue.min} to ${issue.max}, for example \`${issue.example}\`.`;
    case "value_out_of_range":
      return Number(issue.value) < 0 && issue.min === 0
        ? `${issue.label} can't be negative (you typed ${issue.value}). Type a whole number from ${issue.min} to ${issue.max}, for example \`${issue.example}\`.`
        : `${issue.label} must be a whole number from ${issue.min} to ${issue.max}, and you typed ${issue.value}. Try \`${issue.example}\`.`;
    case "value_not_allowed":
      return `${issue.label} is recorded with a date, not a number, so I don't know what "${issue.value}" means. Type \`${issue.example}\`, with a date after it if it wasn't today.`;
    case "bad_date":
      return `I can't read "${echo(issue.token)}" as a date. Type it like 06/01/16, 2016-01-06, today or yesterday, for example \`${issue.example}\`.`;
    case "impossible_date":
      return `"${echo(issue.token)}" is not a real date. Check the day and month and type it again.`;
    case "extra_words":
      return `I didn't understand ${orList(
        issue.words.slice(0, 5).map((w) => `"${echo(w)}"`),
        "and",
      )}. To add a note, put it after \`--\`, for example \`${issue.example}\`.`;
    case "usage":
      return `That ${issue.command} command is not complete: ${issue.problem}. Type it as \`${issue.usage}\`.`;
    case "unknown_service":
      return `"${echo(issue.word)}" is not a service.${meant(issue.suggestions)} The services are statutory-cp, family-support and voluntary.`;
    case "unknown_abuse":
      return `${orList(
        issue.words.map((w) => `"${w}"`),
        "and",
      )} ${issue.words.length === 1 ? "is not an abuse type" : "are not abuse types"}. Use PA, SA, EA, N or FDV.`;
    case "unknown_outcome":
      return `"${echo(issue.word)}" is not one of the closing outcomes.${meant(issue.suggestions)} The outcomes are ${issue.outcomes.join(", ")}.`;
    case "unknown_dashboard":
      return `"${echo(issue.word)}" is not a dashboard.${meant(issue.suggestions)} The dashboards are overview, statutory-cp, family-support and voluntary.`;
    case "unknown_help_topic":
      return `There is no help on "${echo(issue.word)}".${meant(issue.suggestions)} Type \`/sos help\` for everything.`;
    case "too_long":
      return `That ${issue.what} is ${issue.length.toLocaleString("en-GB")} characters long, and the most I take is ${issue.max.toLocaleString("en-GB")}. Nothing was stored: shorten it and send it again.`;
    case "malformed":
      return `That ${issue.command} request is missing its ${issue.field} or it can't be read, so nothing was done. If it came from a button, the message may be from an older version of this app: type \`/sos help ${issue.command}\` to carry on.`;
    case "unknown_case":
      return `I can't find case ${issue.caseId}.${meant(issue.suggestions)} Type \`/sos mine\` to see your cases.`;
    case "not_your_case":
      return issue.action === "see"
        ? `Case ${issue.caseId} is not allocated to you, so I can't show it. Type \`/sos mine\` to see your cases.`
        : `Case ${issue.caseId} is not allocated to you, so you can't record on it. Type \`/sos mine\` to see your cases, or ask your supervisor to allocate it to you.`;
    case "not_your_team":
      return issue.action === "manage"
        ? `Case ${issue.caseId} is not in your team, so you can't change it. Its own supervisor or an admin can.`
        : `Case ${issue.caseId} is not in your team, so you can't ${issue.action === "see" ? "see" : "record on"} it.`;
    case "role_cannot": {
      const can = issue.can?.length
        ? ` What you can type: ${issue.can.map((c) => `\`${c}\``).join(", ")}.`
        : "";
      return `As ${article(issue.role)} ${issue.role} you can't ${issue.action}; ${issue.who}.${can}`;
    }
    case "not_on_dashboard":
      return `${issue.label} is not on the ${issue.dashboard} dashboard that case ${issue.caseId} uses. Its columns are: ${issue.labels.join(", ")}.`;
    case "future_date":
      return `${fmt(issue.date)} is in the future, so ${issue.what} can't have happened yet. Type the day it happened, or leave the date out for today.`;
    case "before_opened":
      return `${fmt(issue.date)} is before case ${issue.caseId} was opened (${fmt(issue.openedOn)}). Check the date and type it again.`;
    case "case_closed":
      return `Case ${issue.caseId} was closed${issue.closedOn ? ` on ${fmt(issue.closedOn)}` : ""}, so nothing more can be recorded on it. If work has started again, a supervisor can type \`/sos reopen ${issue.caseId}\`.`;
    case "already_recorded":
      return `${issue.label}${issue.value !== null ? ` ${issue.value}` : ""} is already recorded for case ${issue.caseId}${issue.date ? ` on ${fmt(issue.date)}` : ""} (by ${issue.by}), so I didn't record it twice. Nothing changed.`;
    case "nothing_to_undo":
      return "You have no entries left to undo. Nothing changed.";
    case "unknown_entry":
      return `There is no entry #${issue.entryId}. Type \`/sos undo\` to undo your last entry.`;
    case "already_undone":
      return `That ${issue.label} entry on case ${issue.caseId} was already undone by ${issue.by} (${issue.at}). Nothing changed.`;
    case "case_exists":
      return `Case ${issue.caseId} already exists, so I didn't open it again. Type \`/sos case ${issue.caseId}\` to see it.`;
    case "case_erased":
      return `Case ${issue.caseId} was removed under the retention policy on ${fmt(issue.on)}, and its id is not used again: give the new case an id of its own. Nothing changed.`;
    case "unknown_person":
      return `I don't know "${echo(issue.token)}" in this agency.${meant(issue.suggestions)} Use their work email address.`;
    case "not_a_caseholder":
      return `${issue.name} is ${article(issue.role)} ${issue.role}, and only workers and supervisors hold cases.`;
    case "outside_team":
      return `${issue.name} is not in your team (${issue.teams.join(", ")}). Moving a case to another team needs an admin.`;
    case "already_allocated":
      return `Case ${issue.caseId} is already allocated to ${issue.name}. Nothing changed.`;
    case "already_closed":
      return `Case ${issue.caseId} is already closed${issue.closedOn ? ` (since ${fmt(issue.closedOn)})` : ""}. Nothing changed.`;
    case "already_open":
      return `Case ${issue.caseId} is already open. Nothing changed.`;
    case "which_team":
      return `Which team? Type one of: ${issue.teams.map((t) => `\`/sos team ${t}\``).join(", ")}.`;
    case "unknown_team":
      return `There is no team "${echo(issue.word)}".${meant(issue.suggestions)} The teams are ${orList(issue.teams, "and")}.`;
    case "no_team_access":
      return `You can only see your own team's dashboard, and ${issue.team} is not your team.`;
    case "bad_age":
      return `"${echo(issue.token)}" is not an age or a date of birth. Type the age in years (0 to ${AGE_MAX}) or the date of birth, like 14/03/2012.`;
    case "adult":
      return `A case is for a child, and at ${issue.age}${issue.born ? ` (born ${fmt(issue.born)})` : ""} this is an adult here (${issue.adultAge} and over), so nothing was changed. Check the age or the date of birth; if your agency works with young adults, an admin can raise \`adultAge\` in the config.`;
    case "dob_in_future":
      return `The date of birth ${fmt(issue.date)} is in the future. Check it and type it again.`;
    case "no_change":
      return `The ${issue.what} on case ${issue.caseId} is already that. Nothing changed.`;
    case "has_dob":
      return `Case ${issue.caseId} has a date of birth (${fmt(issue.dob)}), which gives the age: correct that instead, \`/sos edit ${issue.caseId} dob <date>\`.`;
    case "born_after_opening":
      return `The date of birth ${fmt(issue.dob)} is after the case was opened (${fmt(issue.openedOn)}). Check both dates and type it again.`;
    case "practice_before":
      return `Case ${issue.caseId} has practice recorded on ${fmt(issue.on)} (entry #${issue.entryId}), before ${fmt(issue.date)}, so it can't have been opened on that day. Check the date, or undo that entry first.`;
    case "same_service":
      return `Case ${issue.caseId} is already on ${issue.dashboard}. Nothing changed.`;
    case "needs_worker":
      return `Who will hold case ${issue.caseId}? Add their work email at the end: \`/sos open ${issue.caseId} … <their email>\`.`;
  }
}

/**
 * What someone who is not on the staff list is told when they write to the bot: politely, with
 * nothing about any case, and whom to ask (DESIGN §4). `account` is how the platform names them.
 */
export function notStaffText(org: Org, account: string): string {
  const names = admins(org).map((s) => s.name);
  const ask =
    names.length > 0
      ? `Ask ${orList(names)} (${names.length === 1 ? "the admin" : "admins"}) to add you`
      : "Ask your administrator to add you";
  return `Sorry, I can't find you (${account}) on the staff list of ${org.agency.name}, so I can't show or record anything for you. ${ask} with your work email.`;
}

/** A word someone typed, said back: never a whole pasted page. */
export function echo(word: string): string {
  return word.length > ECHO_MAX ? `${word.slice(0, ECHO_MAX)}…` : word;
}

function orList(items: readonly string[], joiner = "or"): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${joiner} ${items[items.length - 1]}`;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}
