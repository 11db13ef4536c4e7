import { existsSync, readFileSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import { describe, expect, test } from "vitest";
import { GLYPH_FONT } from "./generated/glyphs.ts";
import { compactPath, DEJAVU_SANS, GLYPHS_FILE, generateGlyphs } from "./glyphs-generate.ts";

// Regenerating needs the font the file was made from; a machine without it (or with another
// version) can't check, and says so in the test's name rather than failing.
const font = existsSync(DEJAVU_SANS) ? readFileSync(DEJAVU_SANS) : null;
const revision = font ? `DejaVu Sans ${(font.readUInt32BE(headAt(font) + 4) / 65536).toFixed(2)}` : null;
const why =
  font === null
    ? `skipped: ${DEJAVU_SANS} is not installed (apt-get install fonts-dejavu-core)`
    : revision !== GLYPH_FONT
      ? `skipped: this machine has ${revision}, the file was made from ${GLYPH_FONT}`
      : "";

function headAt(buf: Buffer): number {
  for (let i = 0; i < buf.readUInt16BE(4); i++)
    if (buf.toString("latin1", 12 + 16 * i, 16 + 16 * i) === "head") return buf.readUInt32BE(20 + 16 * i);
  throw new Error("no head table");
}

describe.skipIf(why !== "")(`src/pictures/generated/glyphs.ts ${why}`, () => {
  test("is exactly what `npm run glyphs` writes", () => {
    expect(generateGlyphs(DEJAVU_SANS) === readFileSync(GLYPHS_FILE, "utf8")).toBe(true);
  });
});

describe("compactPath", () => {
  test("writes relative commands that draw the same shape", () => {
    const absolute =
      "M98-729L245-729L431-233L618-729L765-729L765 0L669 0L669-640L481-140L382-140L194-640L194 0L98 0L98-729Z M300 -100 Q 350 -150 400 -100 C 420 -80 440 -60 460 -100 Z";
    const compact = compactPath(absolute, 1);
    expect(compact).toBe(
      "m98-729h147l186 496 187-496h147v729h-96v-640l-188 500h-99l-188-500v640h-96v-729zm202 629q50-50 100 0c20 20 40 40 60 0z",
    );
    const draw = (d: string) =>
      new Resvg(
        `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><g transform="translate(5 90) scale(0.1)"><path d="${d}"/></g></svg>`,
      )
        .render()
        .pixels.toString("hex");
    expect(draw(compact) === draw(absolute)).toBe(true);
  });

  test("rounds to whole units before taking differences, so errors do not add up", () => {
    // 0.4 + 0.4 + 0.4: rounded per step it would drift; here the pen ends where the absolute path does
    expect(compactPath("M0.4 0L0.8 0L1.2 0L1.6 0", 1)).toBe("m0 0h1 0 1"); // h1, h0, h1: at 0, 1, 1, 2
  });
});
