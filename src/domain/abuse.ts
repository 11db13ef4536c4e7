/** The seed's abuse type codes, in the order its legend lists them. */
export const ABUSE_TYPES = [
  { code: "PA", label: "Physical Abuse" },
  { code: "SA", label: "Sexual Abuse" },
  { code: "EA", label: "Emotional Abuse" },
  { code: "N", label: "Neglect" },
  {
    code: "FDV",
    label: "Family and Domestic Violence",
  },
] as const;

export type AbuseCode = (typeof ABUSE_TYPES)[number]["code"];

/** The codes alone, as a tuple (for schemas). */
export const ABUSE_CODES = ["PA", "SA", "EA", "N", "FDV"] as const satisfies readonly AbuseCode[];

const CODES: readonly string[] = ABUSE_TYPES.map((a) => a.code);

export function isAbuseCode(word: string): word is AbuseCode {
  return CODES.includes(word);
}

/**
 * Splits what someone typed for abuse types (`N & PA`, `fdv,ea,n`, `N+PA`) into codes. Returns the
 * words that are not codes so the caller can say which one was wrong.
 */
export function readAbuseTypes(words: readonly string[]): { codes: AbuseCode[]; unknown: string[] } {
  const codes: AbuseCode[] = [];
  const unknown: string[] = [];
  for (const word of words) {
    for (const piece of word.split(/[,&+/]/)) {
      const code = piece.trim().toUpperCase();
      if (code === "" || code === "AND") continue;
      if (isAbuseCode(code)) {
        if (!codes.includes(code)) codes.push(code);
      } else unknown.push(piece.trim());
    }
  }
  return { codes, unknown };
}

/** `N & PA`, `FDV, EA & N`: the seed joins codes with `&`; three or more read as an English list. */
export function formatAbuseTypes(codes: readonly string[]): string {
  if (codes.length === 0) return "";
  if (codes.length === 1) return codes[0]!;
  return `${codes.slice(0, -1).join(", ")} & ${codes[codes.length - 1]}`;
}

export const ABUSE_LEGEND = ABUSE_TYPES.map((a) => `${a.code}: ${a.label}`).join("  ");
