import { GLYPH_DATA, GLYPH_EM } from "./generated/glyphs.ts";

/**
 * Text in our SVG pictures. Two ways to draw it:
 * - `glyphs` (for PNG): each character is a path from the DejaVu Sans outlines in glyphs.ts, placed
 *   with <use>. The PNG then needs no font on the server and comes out the same on every machine, and
 *   it is fast: resvg lays out real <text> at ~30 µs a character, too slow for a 400-case picture.
 *   A character we have no outline for (Chinese, emoji) is drawn as a box, the way a font draws a
 *   character it lacks: the rest of the name still reads, and nothing silently disappears (falling
 *   back to <text> drew nothing at all on a server without fonts).
 * - `text` (for HTML): plain <text>, so a browser renders it crisply, prints it and can search it.
 * Widths are measured with DejaVu Sans advances either way, so the layout is the same.
 */

export type TextMode = "glyphs" | "text";

const ADVANCE = new Map<number, number>();
const OUTLINE = new Map<number, string>();
// One character a line: hex code point, advance, path data (generated/glyphs.ts).
for (const line of GLYPH_DATA.split("\n")) {
  if (line === "") continue;
  const [hex, advance] = line.split(" ", 2) as [string, string];
  const cp = Number.parseInt(hex, 16);
  ADVANCE.set(cp, Number(advance) / GLYPH_EM);
  const d = line.slice(hex.length + advance.length + 2);
  if (d) OUTLINE.set(cp, d);
}

/** Height of a capital letter, in em: for centring a line in a box. */
export const CAP_HEIGHT = 0.729;
/** Width of a character we have no outline for, in em: about a CJK character's, a little narrower. */
const UNKNOWN_ADVANCE = 0.9;
/**
 * What a character we have no outline for is drawn as, in 1/1000 em: an open box as tall as a
 * capital (like a font's own "missing" glyph), so a reader sees that something is there.
 */
export const MISSING_GLYPH_ID = "gmissing";
const MISSING_OUTLINE = "m100-729h700v729h-700zm60 60v609h580v-609z";

export const FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif";

/** Whether XML 1.0 allows a character (not control characters, lone surrogates, U+FFFE/FFFF). */
function xmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    cp >= 0x10000
  );
}

/**
 * Escapes text for an XML/HTML text node or a quoted attribute. Characters XML forbids become U+FFFD,
 * so a pasted control character can never make the SVG unreadable.
 */
export function escapeXml(s: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (!xmlChar(cp)) out += "\ufffd";
    else if (ch === "&") out += "&amp;";
    else if (ch === "<") out += "&lt;";
    else if (ch === ">") out += "&gt;";
    else if (ch === '"') out += "&quot;";
    else if (ch === "'") out += "&#39;";
    else out += ch;
  }
  return out;
}

/**
 * Letters typed as a letter and a combining accent (as some keyboards and systems store them) become
 * the one precomposed character we have an outline for: "é", not "e" with a floating "´".
 */
const composed = (s: string) => s.normalize("NFC");

/** Width of a line of text at a font size, in px. */
export function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of composed(s)) w += ADVANCE.get(ch.codePointAt(0)!) ?? UNKNOWN_ADVANCE;
  return w * size;
}

/** The text cut to fit a width, with "…" when cut. */
export function fitText(text: string, size: number, maxWidth: number): string {
  const s = composed(text);
  if (textWidth(s, size) <= maxWidth) return s;
  const chars = [...s];
  while (chars.length > 0 && textWidth(`${chars.join("")}…`, size) > maxWidth) chars.pop();
  return `${chars.join("").trimEnd()}…`;
}

/** Numbers in SVG: at most two decimals, no trailing zeros, so output is short and deterministic. */
export function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}

export interface TextStyle {
  readonly size: number;
  readonly fill?: string;
  readonly anchor?: "start" | "middle" | "end";
  readonly bold?: boolean;
}

/** Draws text for one SVG; in `glyphs` mode it remembers the outlines used, for `defs()`. */
/** Stands for the box in the set of outlines used: above every code point, so it sorts last. */
const MISSING = 0x110000;

export class SvgText {
  private readonly used = new Set<number>();

  constructor(readonly mode: TextMode) {}

  /** One line of text with its baseline at y. */
  draw(text: string, x: number, y: number, style: TextStyle): string {
    if (text === "") return "";
    const s = composed(text);
    const fill = style.fill ?? "#1f2328";
    const width = textWidth(s, style.size);
    const left = style.anchor === "middle" ? x - width / 2 : style.anchor === "end" ? x - width : x;
    const cps = [...s].map((ch) => ch.codePointAt(0)!);
    if (this.mode === "text") {
      const weight = style.bold ? ' font-weight="bold"' : "";
      return `<text x="${num(left)}" y="${num(y)}" font-size="${style.size}" fill="${fill}"${weight} xml:space="preserve">${escapeXml(s)}</text>`;
    }
    // Synthetic bold: the outline stroked in its own colour, a little heavier than the regular face.
    const bold = style.bold ? ` stroke="${fill}" stroke-width="36"` : "";
    let out = `<g transform="translate(${num(left)} ${num(y)}) scale(${style.size / GLYPH_EM})" fill="${fill}"${bold}>`;
    let at = 0;
    for (const cp of cps) {
      const advance = ADVANCE.get(cp);
      // A space has an advance and no outline; a character we lack has neither, and gets the box.
      const id = advance === undefined ? MISSING_GLYPH_ID : OUTLINE.has(cp) ? `g${cp.toString(16)}` : null;
      if (id) {
        this.used.add(advance === undefined ? MISSING : cp);
        out += at === 0 ? `<use href="#${id}"/>` : `<use href="#${id}" x="${at}"/>`;
      }
      at += Math.round((advance ?? UNKNOWN_ADVANCE) * GLYPH_EM);
    }
    return `${out}</g>`;
  }

  /** The outlines drawn so far, in code point order (the box last), for the SVG's <defs>. */
  defs(): string {
    return [...this.used]
      .sort((a, b) => a - b)
      .map((cp) =>
        cp === MISSING
          ? `<path id="${MISSING_GLYPH_ID}" d="${MISSING_OUTLINE}"/>`
          : `<path id="g${cp.toString(16)}" d="${OUTLINE.get(cp)}"/>`,
      )
      .join("");
  }
}
