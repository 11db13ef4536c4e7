/**
 * Writes src/pictures/generated/glyphs.ts: DejaVu Sans outlines and advance widths for the characters
 * our pictures draw, so a PNG needs no font on the server (a slim container has none) and comes out
 * the same everywhere. `npm run glyphs` runs it (after a change to RANGES), reading the font this
 * machine has (`apt-get install fonts-dejavu-core`); src/pictures/glyphs.test.ts checks that the
 * committed file is what it writes.
 *
 * Outlines come from resvg itself (text converted to paths); advances from the font's hmtx table.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Resvg } from "@resvg/resvg-js";

export const DEJAVU_SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
export const GLYPHS_FILE = fileURLToPath(new URL("./generated/glyphs.ts", import.meta.url));

/** Units per em in the generated data: 1/1000 em is far finer than a pixel at our sizes. */
const EM = 1000;

/**
 * The characters in people's and teams' names as agencies hold them, and the punctuation we draw.
 * About 1,100 characters; what is not here is drawn as a box (svg-text.ts), never left out.
 */
const RANGES: readonly [number, number][] = [
  [0x20, 0x7e], // ASCII
  [0xa0, 0xff], // Latin-1: é, ñ, ø, ß …
  [0x100, 0x17f], // Latin Extended-A: ł, ś, č, ő, ā (Māori), ŵ (Welsh) …
  [0x180, 0x24f], // Latin Extended-B: ș ț (Romanian), ơ ư (Vietnamese), ǎ ǒ (Pinyin), ǅ …
  [0x2b0, 0x2ff], // spacing modifiers: ʻ (Hawaiian ʻokina), ʼ …
  [0x300, 0x36f], // combining marks: for letters typed as letter + accent with no precomposed form
  [0x370, 0x3ff], // Greek
  [0x400, 0x4ff], // Cyrillic: Russian, Ukrainian ї є ґ, Serbian ђ џ, Kazakh ә қ ү …
  [0x1e00, 0x1eff], // Latin Extended Additional: ễ ạ ử (Vietnamese), ẞ, ḥ …
  [0x2013, 0x2014], // – —
  [0x2018, 0x201d], // ‘ ’ “ ”
  [0x2022, 0x2022], // •
  [0x2026, 0x2026], // …
  [0x2212, 0x2212], // −
];

interface Font {
  unitsPerEm: number;
  /** head.fontRevision, e.g. "2.37" */
  revision: string;
  advance(codePoint: number): number | null;
}

/** Just enough of a TrueType reader: head.unitsPerEm, cmap format 4 (the BMP) and hmtx. */
function readFont(buf: Buffer): Font {
  const tables = new Map<string, number>();
  const count = buf.readUInt16BE(4);
  for (let i = 0; i < count; i++) {
    const at = 12 + 16 * i;
    tables.set(buf.toString("latin1", at, at + 4), buf.readUInt32BE(at + 8));
  }
  const table = (tag: string) => {
    const at = tables.get(tag);
    if (at === undefined) throw new Error(`no ${tag} table`);
    return at;
  };
  const unitsPerEm = buf.readUInt16BE(table("head") + 18);
  const metrics = buf.readUInt16BE(table("hhea") + 34);
  const hmtx = table("hmtx");
  const cmap = table("cmap");
  let sub = -1;
  for (let i = 0; i < buf.readUInt16BE(cmap + 2); i++) {
    const at = cmap + 4 + 8 * i;
    const platform = buf.readUInt16BE(at);
    const encoding = buf.readUInt16BE(at + 2);
    const offset = cmap + buf.readUInt32BE(at + 4);
    if (buf.readUInt16BE(offset) === 4 && (platform === 3 || platform === 0) && encoding <= 1) sub = offset;
  }
  if (sub < 0) throw new Error("no cmap format 4");
  const segs = buf.readUInt16BE(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + 2 * segs + 2;
  const deltas = starts + 2 * segs;
  const ranges = deltas + 2 * segs;
  const glyphOf = (cp: number): number => {
    for (let s = 0; s < segs; s++) {
      if (cp > buf.readUInt16BE(ends + 2 * s)) continue;
      const start = buf.readUInt16BE(starts + 2 * s);
      if (cp < start) return 0;
      const delta = buf.readInt16BE(deltas + 2 * s);
      const rangeAt = ranges + 2 * s;
      const range = buf.readUInt16BE(rangeAt);
      if (range === 0) return (cp + delta) & 0xffff;
      const g = buf.readUInt16BE(rangeAt + range + 2 * (cp - start));
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
  const revision = (buf.readUInt32BE(table("head") + 4) / 65536).toFixed(2);
  return {
    unitsPerEm,
    revision,
    advance(cp) {
      const g = glyphOf(cp);
      if (g === 0) return null;
      return buf.readUInt16BE(hmtx + 4 * Math.min(g, metrics - 1));
    },
  };
}

/** The outline resvg draws for one character at 1 px per font unit, absolute, scaled to EM. */
function outline(fontFile: string, cp: number, unitsPerEm: number): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><text x="0" y="0" font-family="DejaVu Sans" font-size="${unitsPerEm}" xml:space="preserve">&#${cp};</text></svg>`;
  const out = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: [fontFile] } }).toString();
  return [...out.matchAll(/ d="([^"]+)"/g)].map((m) => m[1]!).join(" ");
}

/**
 * SVG path data made short: coordinates rounded to whole 1/EM units, then written relative to the
 * pen (`l`, `q`, `c`, and `h`/`v` for the many straight strokes along an axis), with repeated
 * commands left out. About half the size of resvg's absolute form; rounding first, then taking
 * differences, adds no drift.
 */
export function compactPath(d: string, scale: number): string {
  const tokens = d.match(/[MLQCZ]|-?\d+(?:\.\d+)?(?:e-?\d+)?/g) ?? [];
  let out = "";
  let last = "";
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;
  const n = (v: number) => (out === "" || v < 0 || /[a-z]$/.test(out) ? String(v) : ` ${v}`);
  const emit = (cmd: string, values: number[]) => {
    if (cmd !== last || cmd === "m") out += cmd;
    for (const v of values) out += n(v);
    last = cmd;
  };
  for (let i = 0; i < tokens.length; ) {
    const cmd = tokens[i++]!;
    const take = (k: number) => {
      const vs = tokens.slice(i, i + k).map((t) => Math.round(Number(t) * scale));
      i += k;
      return vs;
    };
    if (cmd === "Z") {
      emit("z", []);
      x = startX;
      y = startY;
      continue;
    }
    const arity = { M: 2, L: 2, Q: 4, C: 6 }[cmd];
    if (arity === undefined) throw new Error(`unexpected path command ${cmd}`);
    const vs = take(arity);
    const rel = vs.map((v, k) => v - (k % 2 === 0 ? x : y));
    const [ex, ey] = [vs[arity - 2]!, vs[arity - 1]!];
    if (cmd === "M") {
      emit("m", rel);
      startX = ex;
      startY = ey;
    } else if (cmd === "L" && rel[1] === 0) emit("h", [rel[0]!]);
    else if (cmd === "L" && rel[0] === 0) emit("v", [rel[1]!]);
    else emit(cmd.toLowerCase(), rel);
    x = ex;
    y = ey;
  }
  return out;
}

/** The whole generated module, as `npm run glyphs` writes it. */
export function generateGlyphs(fontFile: string): string {
  const font = readFont(readFileSync(fontFile));
  const scale = EM / font.unitsPerEm;
  const lines: string[] = [];
  for (const [from, to] of RANGES) {
    for (let cp = from; cp <= to; cp++) {
      const adv = font.advance(cp);
      if (adv === null) continue;
      const d = compactPath(outline(fontFile, cp, font.unitsPerEm), scale);
      lines.push(`${cp.toString(16)} ${Math.round(adv * scale)}${d ? ` ${d}` : ""}`);
    }
  }
  return `/**
 * GENERATED by src/pictures/glyphs-generate.ts (\`npm run glyphs\`) from DejaVu Sans ${font.revision}: do
 * not edit by hand. One character a line: code point (hex), advance width, outline as SVG path data
 * (relative commands), in 1/${EM} em, y down from the baseline. Drawn as paths, text in our pictures
 * needs no font installed on the server. ${lines.length} characters.
 *
 * Copyright (c) 2003 by Bitstream, Inc. All Rights Reserved. Bitstream Vera is a trademark of
 * Bitstream, Inc. DejaVu changes are in public domain.
 *
 * Permission is hereby granted, free of charge, to any person obtaining a copy of the fonts
 * accompanying this license ("Fonts") and associated documentation files (the "Font Software"), to
 * reproduce and distribute the Font Software, including without limitation the rights to use, copy,
 * merge, publish, distribute, and/or sell copies of the Font Software, and to permit persons to whom
 * the Font Software is furnished to do so, subject to the following conditions:
 *
 * The above copyright and trademark notices and this permission notice shall be included in all
 * copies of one or more of the Font Software typefaces.
 *
 * The Font Software may be modified, altered, or added to, and in particular the designs of glyphs or
 * characters in the Fonts may be modified and additional glyphs or characters may be added to the
 * Fonts, only if the fonts are renamed to names not containing either the words "Bitstream" or the
 * word "Vera".
 *
 * This License becomes null and void to the extent applicable to Fonts or Font Software that has been
 * modified and is distributed under the "Bitstream Vera" names.
 *
 * The Font Software may be sold as part of a larger software package but no copy of one or more of
 * the Font Software typefaces may be sold by itself.
 *
 * THE FONT SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
 * BUT NOT LIMITED TO ANY WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
 * NONINFRINGEMENT OF COPYRIGHT, PATENT, TRADEMARK, OR OTHER RIGHT. IN NO EVENT SHALL BITSTREAM OR THE
 * GNOME FOUNDATION BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, INCLUDING ANY GENERAL, SPECIAL,
 * INDIRECT, INCIDENTAL, OR CONSEQUENTIAL DAMAGES, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE,
 * ARISING FROM, OUT OF THE USE OR INABILITY TO USE THE FONT SOFTWARE OR FROM OTHER DEALINGS IN THE
 * FONT SOFTWARE.
 *
 * Except as contained in this notice, the names of Gnome, the Gnome Foundation, and Bitstream Inc.,
 * shall not be used in advertising or otherwise to promote the sale, use or other dealings in this
 * Font Software without prior written authorization from the Gnome Foundation or Bitstream Inc.,
 * respectively.
 */

export const GLYPH_EM = ${EM};
export const GLYPH_FONT = "DejaVu Sans ${font.revision}";

export const GLYPH_DATA = \`
${lines.join("\n")}
\`;
`;
}

// `npm run glyphs [font file]`
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2] ?? DEJAVU_SANS;
  writeFileSync(GLYPHS_FILE, generateGlyphs(file));
  process.stdout.write(`Wrote ${GLYPHS_FILE} from ${file}.\n`);
}
