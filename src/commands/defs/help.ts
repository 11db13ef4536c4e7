import { z } from "zod";
import { ELEMENT_KEYS, ELEMENTS } from "../../domain/elements.ts";
import { closest } from "../../util/suggest.ts";
import { defineCommand } from "../def.ts";
import { EXAMPLE_CASE, withRealCase } from "../examples.ts";
import { fail, ok } from "../grammar.ts";
import { refuse } from "../invocation.ts";
import { normalWord } from "../lexicon.ts";
import { LOG_USAGE } from "./log.ts";

function elementWords(): string {
  return ELEMENT_KEYS.map((k) => {
    const d = ELEMENTS[k];
    const value = d.kind === "rating" ? " <0-10>" : d.kind === "count" ? " <number>" : "";
    return `  ${k}${value}  (also: ${d.aliases.slice(0, 3).join(", ")})`;
  }).join("\n");
}

const LOG_HELP = [
  `Record an element: \`${LOG_USAGE}\``,
  `For example \`/sos mapped-with-family ${EXAMPLE_CASE}\`, \`/sos scale ${EXAMPLE_CASE} 6\`, \`/sos network ${EXAMPLE_CASE} yesterday 7\`, \`/sos three-houses ${EXAMPLE_CASE} 06/01/16 -- drawn with both children\`.`,
  "Dates: today, yesterday, 06/01/16, 6/1/16, 6.1.16, 06/01/2016 or 2016-01-06 (day first), or 6/1 for the most recent 6 January. Leave it out for today.",
  "Elements:",
  elementWords(),
  "Each dashboard's own labels work too, e.g. `critical-worry` or `success-scale`.",
].join("\n");

/** This list, by role; or one command's usage and help. Built from the registry, so it is never stale. */
export const help = defineCommand({
  kind: "help",
  words: ["help", "?"],
  usage: "/sos help [command]",
  about: "this list, or help on one command",
  ability: "anyone",
  action: "get help",
  who: "",
  writes: false,
  schema: z.object({ topic: z.string().max(40).nullable() }),

  read(words, ctx) {
    const first = words.args[0];
    if (!first) return ok({ topic: null });
    const topic = normalWord(first.text);
    if (ctx.lexicon.elements.has(topic)) return ok({ topic: "log" });
    const kind = ctx.commandWords.get(topic);
    if (kind !== undefined) return ok({ topic: kind });
    const kinds = new Set(ctx.commandWords.values());
    return fail({ code: "unknown_help_topic", word: first.text, suggestions: closest(topic, kinds, 2) });
  },

  async run(env, cmd, registry) {
    if (cmd.topic !== null) {
      const def = registry.byKind(registry.words.get(cmd.topic) ?? cmd.topic);
      if (!def) {
        const kinds = registry.commands.map((d) => d.kind);
        return refuse(env, {
          code: "unknown_help_topic",
          word: cmd.topic,
          suggestions: closest(cmd.topic, kinds, 2),
        });
      }
      // the examples name one of the person's own cases, not a made-up one
      if (def.kind === "log") return { ok: true, text: await withRealCase(env, LOG_HELP) };
      return { ok: true, text: `\`${def.usage}\`\n${def.help ?? def.about}` };
    }
    const { actor } = env;
    const mine = registry.forRole(actor.role);
    const lines = [
      `Signs of Safety dashboards for ${env.ctx.org.agency.name}. What you can type as ${actor.role === "admin" ? "an" : "a"} ${actor.role}:`,
      ...mine.map((d) => `  \`${d.usage}\`  ${d.about}`),
    ];
    if (mine.some((d) => d.kind === "log"))
      lines.push("", "Type `/sos help log` for all the element words and date forms.");
    return { ok: true, text: lines.join("\n") };
  },
});
