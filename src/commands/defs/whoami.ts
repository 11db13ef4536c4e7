import { z } from "zod";
import type { Role } from "../../domain/access.ts";
import { defineCommand } from "../def.ts";
import { fail, noExtra, ok } from "../grammar.ts";

const CAN: Readonly<Record<Role, string>> = {
  worker: "You can record practice on cases allocated to you and see your own dashboard.",
  supervisor:
    "You can record practice on your team's cases, see the team dashboard, and open, allocate and close cases.",
  manager: "You can see every team's dashboard and the agency summary; you don't record practice.",
  admin: "You can see everything and open, allocate and close any case; you don't record practice.",
};

/** Who the bot thinks you are, and what that lets you do. */
export const whoami = defineCommand({
  kind: "whoami",
  words: ["whoami", "who-am-i"],
  usage: "/sos whoami",
  about: "who the bot thinks you are, and what you can do",
  ability: "anyone",
  action: "ask who you are",
  who: "",
  writes: false,
  schema: z.object({}),

  read(words) {
    const extra = noExtra(words, 0, "whoami", "/sos whoami");
    return extra ? fail(extra) : ok({});
  },

  async run(env) {
    const { actor, ctx } = env;
    const teams = actor.teams.map((id) => ctx.org.teams.find((t) => t.id === id)?.name ?? id);
    const where = teams.length ? ` in ${teams.join(" and ")}` : ` at ${ctx.org.agency.name}`;
    return {
      ok: true,
      text: `You are ${actor.name} (${actor.email}), ${actor.role === "admin" ? "an" : "a"} ${actor.role}${where}. ${CAN[actor.role]}`,
    };
  },
});
