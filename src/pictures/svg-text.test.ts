import { Resvg } from "@resvg/resvg-js";
import { describe, expect, test } from "vitest";
import { decodePng } from "../../test/helpers/png.ts";
import { MISSING_GLYPH_ID, SvgText, textWidth } from "./svg-text.ts";

/** One line of text drawn at 100 px (1 px = 1/100 em) from x = 10 with its baseline at y = 100. */
function drawn(s: string) {
  const t = new SvgText("glyphs");
  const body = t.draw(s, 10, 100, { size: 100, fill: "#000000" });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="130"><rect width="400" height="130" fill="#ffffff"/><defs>${t.defs()}</defs>${body}</svg>`;
  // As on a server with no fonts at all: only what the SVG itself draws.
  const image = new Resvg(svg, { font: { loadSystemFonts: false }, logLevel: "off" }).render();
  const png = decodePng(image.asPng());
  return { svg, dark: (x: number, y: number) => png.pixel(x, y)[0] < 128 };
}

describe("names in the scripts agencies hold are drawn from outlines", () => {
  test.each([
    "Ștefan Țurcanu", // Latin Extended-B (Romanian)
    "Nguyễn Thị Ánh", // Latin Extended Additional (Vietnamese)
    "Νίκος Παπαδόπουλος", // Greek
    "Олена Шевченко-Ґудзь", // Cyrillic (Ukrainian)
    "Kaʻiulani Āpiki", // ʻokina, macron
  ])("%s", (name) => {
    const { svg } = drawn(name);
    expect(svg).not.toContain("<text");
    expect(svg).not.toContain(MISSING_GLYPH_ID);
  });

  test("a letter typed as letter + combining accent is drawn as the one accented letter", () => {
    const decomposed = "Jose\u0301 Zo\u0308e";
    expect(drawn(decomposed).svg).toBe(drawn("José Zöe").svg);
    expect(textWidth(decomposed, 10)).toBe(textWidth("José Zöe", 10));
  });
});

describe("a character with no outline", () => {
  test("is drawn as a visible box as wide as it was measured, and the rest of the name still reads", () => {
    const { svg, dark } = drawn("张Z");
    expect(svg).not.toContain("<text");
    expect(svg).toContain(`<use href="#${MISSING_GLYPH_ID}"/>`);
    // Drawn from x = 10: the box spans 0.1-0.8 em (x 20-90) and the capital height up from the
    // baseline (y 27-100), its sides 0.06 em (6 px) thick.
    expect(dark(23, 60)).toBe(true); // its left side
    expect(dark(87, 60)).toBe(true); // its right side
    expect(dark(55, 30)).toBe(true); // its top
    expect(dark(55, 97)).toBe(true); // its bottom
    expect(dark(55, 60)).toBe(false); // open inside
    expect(dark(15, 60)).toBe(false); // and nothing before it
    // "Z" follows one measured advance (0.9 em) later, at x = 100: its bottom bar
    expect(textWidth("张", 100)).toBeCloseTo(90);
    expect(dark(115, 96)).toBe(true);
    expect(dark(96, 96)).toBe(false);
  });

  test("a space is drawn as nothing and a missing character never is", () => {
    expect(drawn("a b").svg).not.toContain(MISSING_GLYPH_ID);
    expect(drawn("\u{1f600}").svg.match(new RegExp(`href="#${MISSING_GLYPH_ID}"`, "g"))).toHaveLength(1);
  });
});
