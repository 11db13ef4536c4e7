import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, test } from "vitest";
import { makeTestCtx } from "../../test/helpers/ctx.ts";
import { DEMO_CONFIG } from "../app/paths.ts";
import { loadOrg } from "../config/load.ts";
import { ABILITIES, ROLES } from "../domain/access.ts";
import { buildLexicon } from "./lexicon.ts";
import { parseCommand } from "./parse.ts";
import { COMMANDS, REGISTRY, WRITES } from "./registry.ts";

const org = loadOrg(DEMO_CONFIG);
const ctx = { lexicon: buildLexicon(org), org, today: "2016-03-01" };

test("every command word reads as its own command, never as help by accident", () => {
  for (const def of COMMANDS) {
    for (const word of def.words) {
      const parsed = parseCommand(word === "log" ? "log three-houses 12345" : word, ctx);
      // A word may need more words to be complete; it must never be read as another command.
      const kind = parsed.ok ? parsed.command.kind : parsed.issue.code === "usage" ? def.kind : "refused";
      if (kind === "refused") continue;
      expect([def.kind, word]).toEqual([kind, word]);
    }
  }
  for (const stray of ["helpx", "assing 12345 jane", "frobnicate", "snoze 12345", "reopn 12345"]) {
    const parsed = parseCommand(stray, ctx);
    expect([stray, parsed.ok ? parsed.command.kind : parsed.issue.code]).toEqual([stray, "unknown_word"]);
  }
});

test("help lists, for each role, exactly the commands access.ts lets that role run", async () => {
  const t = makeTestCtx();
  try {
    const people = {
      worker: "jane.smith",
      supervisor: "sam.okafor",
      manager: "morgan.reyes",
      admin: "robin.ellis",
    };
    for (const role of ROLES) {
      const text = (await t.run(`${people[role]}@demo-agency.example`, "help")).text;
      for (const def of COMMANDS) {
        const listed = text.includes(`\`${def.usage}\``);
        expect([role, def.kind, listed]).toEqual([
          role,
          def.kind,
          (ABILITIES[def.ability] as readonly string[]).includes(role),
        ]);
      }
    }
  } finally {
    t.close();
  }
});

test("the write set is every command that declares it writes", () => {
  expect([...WRITES].sort()).toEqual([
    "assign",
    "away",
    "close",
    "edit",
    "log",
    "move",
    "open",
    "reopen",
    "snooze",
    "undo",
  ]);
  expect(REGISTRY.commands).toHaveLength(COMMANDS.length);
});

test("the README's command table has every command's usage", () => {
  const readme = readFileSync(resolve(import.meta.dirname, "../../README.md"), "utf8").replaceAll("\\|", "|");
  for (const def of COMMANDS)
    expect([def.kind, readme.includes(def.usage.split(" [")[0]!)]).toEqual([def.kind, true]);
});
