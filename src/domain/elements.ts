/**
 * The twelve Signs of Safety practice elements (DESIGN §2). Each dashboard shows some of them under its
 * own label; the element is the shared concept the events are recorded against.
 */

/** How an element is recorded, which decides what a log needs and how its cell reads. */
export type ElementKind =
  /** done on several dates (mappings): `No`, one date, or a count with the latest date */
  | "dates"
  /** done once, on a date (plans, three houses): `No` or the latest date */
  | "date"
  /** exists or not (danger statement, goal): `Yes`/`No` */
  | "done"
  /** a 0–10 rating, repeated over time: `No` or the latest rating */
  | "rating"
  /** a current size (the safety network): `No` or the latest number */
  | "count"
  /** a running count of occurrences (network meetings held) */
  | "tally";

export const ELEMENT_KEYS = [
  "mapping-internal",
  "mapping-with-family",
  "three-houses",
  "danger-statement",
  "safety-goal",
  "safety-scale",
  "trajectory",
  "words-and-pictures",
  "network",
  "network-meeting",
  "adult-safety-plan",
  "child-safety-plan",
] as const;

export type ElementKey = (typeof ELEMENT_KEYS)[number];

export interface ElementDef {
  readonly key: ElementKey;
  readonly kind: ElementKind;
  /** The wording used when no dashboard label applies (replies about a case use the case's label). */
  readonly name: string;
  /** Words a worker may type for it, besides the key itself and its labels. */
  readonly aliases: readonly string[];
}

export const ELEMENTS: Readonly<Record<ElementKey, ElementDef>> = {
  "mapping-internal": {
    key: "mapping-internal",
    kind: "dates",
    name: "Mapping Internal",
    aliases: ["mapped-internal", "internal-mapping", "mapping-internal", "internal-map", "mapped-internally"],
  },
  "mapping-with-family": {
    key: "mapping-with-family",
    kind: "dates",
    name: "Mapping with Family",
    aliases: ["mapped-with-family", "family-mapping", "mapped-family", "mapping-family", "family-map"],
  },
  "three-houses": {
    key: "three-houses",
    kind: "date",
    name: "Three Houses",
    aliases: ["my-three-houses", "houses", "3-houses"],
  },
  "danger-statement": {
    key: "danger-statement",
    kind: "done",
    name: "Danger Statement",
    aliases: ["critical-worry", "danger", "danger-statements", "worry"],
  },
  "safety-goal": {
    key: "safety-goal",
    kind: "done",
    name: "Safety Goal",
    aliases: ["success-goal", "wellbeing-goal", "goal"],
  },
  "safety-scale": {
    key: "safety-scale",
    kind: "rating",
    name: "Safety Scale",
    aliases: ["scale", "success-scale", "wellbeing-scale", "rating", "cp-rating"],
  },
  trajectory: {
    key: "trajectory",
    kind: "date",
    name: "Timeline and Trajectory",
    aliases: ["timeline", "timeline-and-trajectory", "case-trajectory"],
  },
  "words-and-pictures": {
    key: "words-and-pictures",
    kind: "date",
    name: "Words and Pictures",
    aliases: ["word-and-pictures", "words-pictures", "w&p"],
  },
  network: {
    key: "network",
    kind: "count",
    name: "Network",
    aliases: ["network-size", "network-number", "network-provide-number", "safety-network"],
  },
  "network-meeting": {
    key: "network-meeting",
    kind: "tally",
    name: "Network Meetings",
    aliases: ["meeting", "network-meetings", "conference", "participatory-conference", "meetings"],
  },
  "adult-safety-plan": {
    key: "adult-safety-plan",
    kind: "date",
    name: "Adult Safety Plan",
    aliases: ["adult-plan", "interim-adult-safety-plan", "adult-success-plan", "interim-plan"],
  },
  "child-safety-plan": {
    key: "child-safety-plan",
    kind: "date",
    name: "Child Safety Plan",
    aliases: ["child-plan", "child-success-plan", "child-wellbeing-plan"],
  },
};

export function isElementKey(word: string): word is ElementKey {
  return (ELEMENT_KEYS as readonly string[]).includes(word);
}

/** Whether a log of this element carries a number, and what range it must be in. */
export function valueRule(kind: ElementKind): { min: number; max: number } | null {
  if (kind === "rating") return { min: 0, max: 10 };
  if (kind === "count") return { min: 0, max: 999 };
  return null;
}

/** A word as people type it, made comparable: lower case, spaces, underscores and slashes as dashes. */
export function normalWord(word: string): string {
  return word
    .toLowerCase()
    .replace(/[\s_/]+/g, "-")
    .replace(/[^a-z0-9&?-]/g, "")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

/** Every built-in word for each element: its key, its name and its aliases, made comparable. */
export function builtInWords(): Map<string, ElementKey> {
  const words = new Map<string, ElementKey>();
  for (const key of ELEMENT_KEYS) {
    words.set(key, key);
    words.set(normalWord(ELEMENTS[key].name), key);
    for (const a of ELEMENTS[key].aliases) words.set(normalWord(a), key);
  }
  return words;
}
