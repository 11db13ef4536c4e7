import { ELEMENT_KEYS, ELEMENTS } from "../../domain/elements.ts";
import type { Command } from "../command.ts";
import type { Env } from "../env.ts";
import { USAGE } from "../parse.ts";
import type { Reply } from "../reply.ts";

const ABOUT: Readonly<Record<string, string>> = {
  log: "record a practice element on a case (date defaults to today)",
  open: "open a new case and allocate it (supervisors, admins)",
  case: "one case: its row on the dashboard and its history",
  mine: "your open cases, as the dashboard",
  team: "your team's dashboard, grouped by worker (supervisors, managers)",
  agency: "practice coverage by team across the agency (managers, admins)",
  stuck: "cases that are stuck, and why",
  undo: "take back your last entry (or, with its number, exactly that entry: #42)",
  assign: "allocate a case to another worker (supervisors, admins)",
  close: "close a case with its outcome (supervisors, admins)",
  reopen: "reopen a closed case (supervisors, admins)",
  whoami: "who the bot thinks you are, and what you can do",
  help: "this list, or help on one command",
  snooze: "no reminders about a stuck case for some days (7 unless you say)",
  away: "your leave: no reminders on those days",
  digest: "what the next weekly digest will say (workers: your next reminder)",
  export: "a dashboard as a CSV file",
};

const BY_ROLE: Readonly<Record<string, readonly string[]>> = {
  worker: ["log", "mine", "case", "stuck", "undo", "snooze", "away", "digest", "export", "whoami", "help"],
  supervisor: [
    "log",
    "mine",
    "team",
    "case",
    "stuck",
    "undo",
    "open",
    "assign",
    "close",
    "reopen",
    "snooze",
    "away",
    "digest",
    "export",
    "whoami",
    "help",
  ],
  manager: ["agency", "team", "case", "stuck", "digest", "export", "whoami", "help"],
  admin: [
    "agency",
    "team",
    "case",
    "stuck",
    "open",
    "assign",
    "close",
    "reopen",
    "digest",
    "export",
    "whoami",
    "help",
  ],
};

function elementWords(): string {
  return ELEMENT_KEYS.map((k) => {
    const d = ELEMENTS[k];
    const value = d.kind === "rating" ? " <0-10>" : d.kind === "count" ? " <number>" : "";
    return `  ${k}${value}  (also: ${d.aliases.slice(0, 3).join(", ")})`;
  }).join("\n");
}

export function help(env: Env, cmd: Extract<Command, { kind: "help" }>): Reply {
  if (cmd.topic === "log") {
    const text = [
      `Record an element: \`${USAGE.log}\``,
      "For example `/sos mapped-with-family 12345`, `/sos scale 12345 6`, `/sos network 12345 yesterday 7`, `/sos three-houses 12345 06/01/16 -- drawn with both children`.",
      "Dates: today, yesterday, 06/01/16, 6/1/16, 6.1.16, 06/01/2016 or 2016-01-06 (day first), or 6/1 for the most recent 6 January. Leave it out for today.",
      "Elements:",
      elementWords(),
      "Each dashboard's own labels work too, e.g. `critical-worry` or `success-scale`.",
    ].join("\n");
    return { ok: true, text };
  }
  if (cmd.topic !== null) {
    return { ok: true, text: `\`${USAGE[cmd.topic] ?? cmd.topic}\`\n${ABOUT[cmd.topic] ?? ""}` };
  }
  const mine = BY_ROLE[env.actor.role] ?? [];
  const lines = [
    `Signs of Safety dashboards for ${env.ctx.org.agency.name}. What you can type as ${env.actor.role === "admin" ? "an" : "a"} ${env.actor.role}:`,
    ...mine.map((k) => `  \`${USAGE[k]}\`  ${ABOUT[k]}`),
  ];
  if (mine.includes("log")) lines.push("", "Type `/sos help log` for all the element words and date forms.");
  return { ok: true, text: lines.join("\n") };
}

export function whoami(env: Env): Reply {
  const { actor, ctx } = env;
  const teams = actor.teams.map((id) => ctx.org.teams.find((t) => t.id === id)?.name ?? id);
  const where = teams.length ? ` in ${teams.join(" and ")}` : ` at ${ctx.org.agency.name}`;
  const can: Readonly<Record<string, string>> = {
    worker: "You can record practice on cases allocated to you and see your own dashboard.",
    supervisor:
      "You can record practice on your team's cases, see the team dashboard, and open, allocate and close cases.",
    manager: "You can see every team's dashboard and the agency summary; you don't record practice.",
    admin: "You can see everything and open, allocate and close any case; you don't record practice.",
  };
  return {
    ok: true,
    text: `You are ${actor.name} (${actor.email}), ${actor.role === "admin" ? "an" : "a"} ${actor.role}${where}. ${can[actor.role]}`,
  };
}
