import type { Org } from "../config/org.ts";
import { DASHBOARD_SLUGS, type DashboardSlug, elementColumns } from "../domain/dashboards.ts";
import { builtInWords, ELEMENT_KEYS, ELEMENTS, type ElementKey, normalWord } from "../domain/elements.ts";
import type { Token } from "./tokenize.ts";

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

/**
 * The element the leading words name, reading the longest phrase first ("mapped with family" across
 * three words), with how many words it took and the word as normalised.
 */
export function matchElement(
  tokens: readonly Token[],
  lex: Lexicon,
): { element: ElementKey; used: number; word: string } | null {
  for (let n = Math.min(lex.longestPhrase, tokens.length); n >= 1; n--) {
    const slice = tokens.slice(0, n);
    if (slice.some((t) => t.quoted || (n > 1 && /\d/.test(t.text)))) continue;
    const word = normalWord(slice.map((t) => t.text).join("-"));
    const element = lex.elements.get(word);
    if (element) return { element, used: n, word };
  }
  return null;
}
