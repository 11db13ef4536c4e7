/** A word of a command, and whether it was quoted (a quoted child's name is never read as a keyword). */
export interface Token {
  readonly text: string;
  readonly quoted: boolean;
}

// Phones turn "--" into an en or em dash, so all three start a note.
const NOTE = /(?:^|\s)(?:--|—|–)(?:\s|$)/;
const PREFIX = /^\s*\/?sos\b[:,]?/i;
const TOKEN = /"([^"]*)"|“([^”]*)”|‘([^’]*)’|(\S+)/g;
/** A phone's full stop or comma after a word ("12345." "12345,"), an Arabic comma, an ideographic stop. */
const TRAILING = /[.,;،。]+$/u;
const DIGIT = /\p{Nd}/u;

/**
 * Digits of any script as ASCII digits: Arabic-Indic ٠–٩, Extended Arabic-Indic ۰–۹, Devanagari and
 * the rest. Unicode puts each script's digits in a run of ten, zero first, and runs that touch
 * (the mathematical digits) are whole runs of ten, so a digit's value is its distance from the
 * start of its stretch of digits, modulo ten.
 */
export function asciiDigits(s: string): string {
  if (!/\P{ASCII}/u.test(s)) return s;
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80 || !DIGIT.test(ch)) {
      out += ch;
      continue;
    }
    let start = cp;
    while (DIGIT.test(String.fromCodePoint(start - 1))) start--;
    out += String((cp - start) % 10);
  }
  return out;
}

/**
 * An unquoted word as the grammar reads it, whatever keyboard typed it: compatibility forms folded
 * (NFKC: full-width ０-９ and ／ become 0-9 and /), digits of other scripts as ASCII, the Arabic decimal
 * and date separators as `.` and `/`, and a phone's trailing full stop or comma dropped. Done once
 * here, so every command reads case ids, dates and numbers alike.
 */
export function typedWord(word: string): string {
  const folded = asciiDigits(word.normalize("NFKC"))
    .replace(/\u066b/g, ".")
    .replace(/\u060d/g, "/");
  return folded.replace(TRAILING, "");
}

/**
 * Splits a command into words and the free-text note after `--`. Accepts the text with or without
 * the `/sos` (or `sos`) in front, and curly quotes as phones type them. Quoted words (a child's
 * name) and the note stay exactly as typed.
 */
export function tokenize(input: string): { tokens: Token[]; note: string | null } {
  let text = input.replace(/\u00a0/g, " ").replace(PREFIX, "");
  let note: string | null = null;
  const m = NOTE.exec(text);
  if (m) {
    note = text.slice(m.index + m[0].length).trim() || null;
    text = text.slice(0, m.index);
  }
  const tokens: Token[] = [];
  for (const t of text.matchAll(TOKEN)) {
    const quoted = t[1] ?? t[2] ?? t[3];
    if (quoted !== undefined) tokens.push({ text: quoted.trim(), quoted: true });
    else {
      const word = typedWord(t[4]!);
      // a full stop or comma typed on its own ("12345 ." on a phone) is no word at all
      if (word !== "") tokens.push({ text: word, quoted: false });
    }
  }
  return { tokens, note };
}
