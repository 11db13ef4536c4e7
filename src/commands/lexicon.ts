import type { Org } from "../config/org.ts";
import { DASHBOARD_SLUGS, type DashboardSlug, elementColumns } from "../domain/dashboards.ts";
import { builtInWords, ELEMENT_KEYS, ELEMENTS, type ElementKey, normalWord } from "../domain/elements.ts";

/** The command words, each with the other ways people type it. */
export const COMMAND_WORDS: Readonly<Record<string, string>> = {
  open: "open",
  new: "open",
  case: "case",
  show: "case",
  mine: "mine",
  my: "mine",
  "my-cases": "mine",
  me: "mine",
  team: "team",
  agency: "agency",
  stuck: "stuck",
  undo: "undo",
  assign: "assign",
  transfer: "assign",
  allocate: "assign",
  close: "close",
  reopen: "reopen",
  whoami: "whoami",
  "who-am-i": "whoami",
  help: "help",
  "?": "help",
  log: "log",
  snooze: "snooze",
  away: "away",
  leave: "away",
  digest: "digest",
  preview: "digest",
  export: "export",
};

export { normalWord };

export interface Lexicon {
  /** element words: keys, aliases, and every label the agency's dashboards use */
  readonly elements: ReadonlyMap<string, ElementKey>;
  /** the longest element phrase in words, so "mapped with family" can be read across three tokens */
  readonly longestPhrase: number;
  readonly dashboards: ReadonlyMap<string, DashboardSlug>;
  /** element words that are a dashboard label, to the label: "success-scale" → "Success Scale" */
  readonly labels: ReadonlyMap<string, string>;
}

export function buildLexicon(org: Org): Lexicon {
  const elements = builtInWords();
  const labels = new Map<string, string>();
  for (const key of ELEMENT_KEYS) labels.set(normalWord(ELEMENTS[key].name), ELEMENTS[key].name);
  for (const slug of DASHBOARD_SLUGS) {
    for (const col of elementColumns(org.dashboards[slug])) {
      const w = normalWord(col.label);
      if (!elements.has(w)) elements.set(w, col.id);
      if (elements.get(w) === col.id && !labels.has(w)) labels.set(w, col.label);
    }
  }
  let longestPhrase = 1;
  for (const w of elements.keys()) longestPhrase = Math.max(longestPhrase, w.split("-").length);

  const dashboards = new Map<string, DashboardSlug>();
  for (const slug of DASHBOARD_SLUGS) dashboards.set(slug, slug);
  dashboards.set("cp", "statutory-cp");
  dashboards.set("statutory", "statutory-cp");
  dashboards.set("fs", "family-support");
  dashboards.set("vol", "voluntary");
  dashboards.set("all", "overview");
  return { elements, longestPhrase, dashboards, labels };
}
