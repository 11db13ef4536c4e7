import { Resvg } from "@resvg/resvg-js";
import { afterEach, describe, expect, test } from "vitest";
import { makeTestCtx, SAM, type TestCtx } from "../../test/helpers/ctx.ts";
import { decodePng, rgba } from "../../test/helpers/png.ts";
import { OPERATOR, viewEnv } from "../commands/views.ts";
import { whiteboardModel } from "../digest/whiteboard.ts";
import { svgToPng, whiteboardPng } from "./whiteboard-png.ts";
import { FILL } from "./whiteboard-style.ts";
import { fullLayout, whiteboardSvg } from "./whiteboard-svg.ts";

let t: TestCtx;
afterEach(() => t?.close());

const model = (audience: "channel" | "private" = "channel") =>
  whiteboardModel(viewEnv(t.ctx, OPERATOR, "digest", audience), "north");

describe("full picture", () => {
  test("decodes, and is as tall as the frame plus a heading per worker and a row per case", async () => {
    t = makeTestCtx();
    const m = await model();
    const p = whiteboardPng(m, "full");
    const png = decodePng(p.png);
    expect([png.width, png.height]).toEqual([p.width, p.height]);
    const L = fullLayout(m);
    expect([png.width, png.height]).toEqual([L.width, L.height]);
    // 152 px of title, legend, headings and totals; 22 per worker heading (3); 15 per case (6); 16 margin
    expect(png.height).toBe(152 + 3 * 22 + 6 * 15 + 16);
    expect(png.width).toBeGreaterThan(700);
    expect(png.width).toBeLessThan(1000);
  });

  test("one more case is one more row", async () => {
    t = makeTestCtx();
    const before = whiteboardPng(await model(), "full");
    expect((await t.run(SAM, 'open 90001 "Ana Lee" 4 cp')).ok).toBe(true);
    // Sam holds it: one more worker heading as well as the row
    const after = whiteboardPng(await model(), "full");
    expect(after.height - before.height).toBe(22 + 15);
    expect(after.width).toBe(before.width);
  });

  test("cells carry their status colour where the layout puts them", async () => {
    t = makeTestCtx();
    const m = await model();
    const L = fullLayout(m);
    const png = decodePng(whiteboardPng(m, "full").png);
    const at = (caseId: string, col: number) =>
      png.pixel(L.gridX + col * L.cellW + 3, L.rowY.get(caseId)! + 3);
    expect(at("12345", 0)).toEqual(rgba(FILL.done)); // Mapping internal
    expect(at("12345", 1)).toEqual(rgba(FILL.missing)); // Mapping with family, not due yet
    expect(at("12345", 4)).toEqual(rgba(FILL.stuck)); // Safety goal
    expect(at("12345", 6)).toEqual(rgba(FILL.na)); // no trajectory on child protection
  });

  test("the same model gives the same bytes", async () => {
    t = makeTestCtx();
    const m = await model();
    expect(whiteboardPng(m, "full").png.equals(whiteboardPng(m, "full").png)).toBe(true);
    expect(whiteboardPng(m, "compact").png.equals(whiteboardPng(m, "compact").png)).toBe(true);
  });

  test("file name and alt text carry the team and the day, never a child's name", async () => {
    t = makeTestCtx();
    const p = whiteboardPng(await model("private"), "full");
    expect(p.filename).toBe("whiteboard-north-2016-03-01.png");
    expect(p.title).toMatch(/^North Team whiteboard, 01\/03\/16: 6 open cases/);
    expect(p.title).toContain("Safety Scale (4)");
    expect(p.title).not.toMatch(/Melli|Mary|M\.M\./);
  });

  test("text is drawn as glyph outlines, so the PNG needs no font on the server", async () => {
    t = makeTestCtx();
    const svg = whiteboardSvg(await model("private"), { size: "full" });
    expect(svg).not.toContain("<text");
    expect(svg).toContain('<use href="#g4d"'); // M, drawn from its outline
  });

  test("a name in a script we have no outlines for shows a box per missing character, with no font", async () => {
    t = makeTestCtx();
    expect((await t.run(SAM, 'open 90003 "张伟 Zhang" 7 cp')).ok).toBe(true);
    const m = await model("private");
    const svg = whiteboardSvg(m, { size: "full" });
    expect(svg).not.toContain("<text");
    // 张 and 伟 each a box 0.9 em wide, a space, then "Zhang 7" from outlines (svg-text.test.ts looks at the pixels)
    expect(svg).toContain(
      '<use href="#gmissing"/><use href="#gmissing" x="900"/><use href="#g5a" x="2118"/>',
    );
    const png = decodePng(svgToPng(svg).png);
    expect(png.height).toBe(fullLayout(m).height);
    // the same picture, byte for byte, on a server with no fonts at all
    const bare = new Resvg(svg, { font: { loadSystemFonts: false }, logLevel: "off" }).render();
    expect(bare.asPng().equals(new Resvg(svg, { logLevel: "off" }).render().asPng())).toBe(true);
  });
});

describe("compact picture (Teams card)", () => {
  test("decodes as a small palette PNG: one column per case, one band per element", async () => {
    t = makeTestCtx();
    const p = whiteboardPng(await model(), "compact");
    const png = decodePng(p.png);
    expect(png.colourType).toBe(3);
    expect([png.width, png.height]).toEqual([p.width, p.height]);
    expect(p.filename).toBe("whiteboard-north-2016-03-01-compact.png");
    expect(p.png.length).toBeLessThan(8_000);
    expect(p.height).toBeLessThan(260);
  });
});

describe("an empty team", () => {
  const CONFIG = `
agency: { name: Empty Agency, timeZone: Europe/London }
teams:
  - { id: quiet, name: Quiet Team }
  - { id: new, name: New Team }
staff:
  - { email: w@e.example, name: Wren Worker, role: worker, team: Quiet Team }
  - { email: s@e.example, name: Sol Supervisor, role: supervisor, team: [Quiet Team, New Team] }
`;
  test.each(["quiet", "new"])("%s: both pictures render and decode", async (teamId) => {
    t = makeTestCtx({ config: CONFIG });
    const m = await whiteboardModel(viewEnv(t.ctx, OPERATOR, "digest", "channel"), teamId);
    expect(m.counts.cases).toBe(0);
    expect(m.groups.length).toBe(teamId === "quiet" ? 1 : 0);
    for (const size of ["full", "compact"] as const) {
      const p = whiteboardPng(m, size);
      const png = decodePng(p.png);
      expect([png.width, png.height]).toEqual([p.width, p.height]);
      expect(p.title).toContain("0 open cases");
    }
  });
});
