import type { Role } from "../domain/access.ts";
import { may } from "../domain/access.ts";
import type { CommandDef, CommandOf, Registry } from "./def.ts";
import { agency } from "./defs/agency.ts";
import { assign } from "./defs/assign.ts";
import { audit } from "./defs/audit.ts";
import { away } from "./defs/away.ts";
import { showCase } from "./defs/case.ts";
import { close } from "./defs/close.ts";
import { digest } from "./defs/digest.ts";
import { edit } from "./defs/edit.ts";
import { exportCsv } from "./defs/export.ts";
import { help } from "./defs/help.ts";
import { log } from "./defs/log.ts";
import { mine } from "./defs/mine.ts";
import { move } from "./defs/move.ts";
import { open } from "./defs/open.ts";
import { reopen } from "./defs/reopen.ts";
import { snooze } from "./defs/snooze.ts";
import { stuck } from "./defs/stuck.ts";
import { team } from "./defs/team.ts";
import { undo } from "./defs/undo.ts";
import { whoami } from "./defs/whoami.ts";

/**
 * Every chat command, in the order help lists them. A new command is a file in `defs/` and a line
 * here; the words, usage, help, role table, write flag and dispatch all follow from it.
 */
export const COMMANDS = [
  log,
  mine,
  team,
  agency,
  showCase,
  stuck,
  undo,
  open,
  assign,
  close,
  reopen,
  edit,
  move,
  audit,
  snooze,
  away,
  digest,
  exportCsv,
  whoami,
  help,
] as const;

type AnyDef = (typeof COMMANDS)[number];

/** A command read and checked for form (not yet for facts): what every surface hands `runCommand`. */
export type Command = CommandOf<AnyDef>;
export type CommandKind = AnyDef["kind"];

function build(defs: readonly CommandDef[]): Registry {
  const byKind = new Map<string, CommandDef>();
  const words = new Map<string, string>();
  for (const d of defs) {
    if (byKind.has(d.kind)) throw new Error(`two commands are called ${d.kind}`);
    byKind.set(d.kind, d);
    for (const w of d.words) {
      const other = words.get(w);
      if (other !== undefined) throw new Error(`"${w}" names both ${other} and ${d.kind}`);
      words.set(w, d.kind);
    }
  }
  return {
    commands: defs,
    words,
    byKind: (kind) => byKind.get(kind),
    forRole: (role: Role) => defs.filter((d) => may(role, d.ability)),
  };
}

export const REGISTRY: Registry = build(COMMANDS);

/** Commands that change the record, and so run through `Records.apply` and honour delivery ids. */
export const WRITES: ReadonlySet<string> = new Set(COMMANDS.filter((d) => d.writes).map((d) => d.kind));

/** The usage line of each command, by kind. */
export const USAGE: Readonly<Record<CommandKind, string>> = Object.fromEntries(
  COMMANDS.map((d) => [d.kind, d.usage]),
) as Record<CommandKind, string>;
