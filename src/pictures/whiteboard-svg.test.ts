import { Resvg } from "@resvg/resvg-js";
import { afterEach, describe, expect, test } from "vitest";
import { makeTestCtx, SAM, type TestCtx } from "../../test/helpers/ctx.ts";
import { OPERATOR, viewEnv } from "../commands/views.ts";
import { whiteboardModel } from "../digest/whiteboard.ts";
import { escapeXml, fitText, textWidth } from "./svg-text.ts";
import { fullLayout, whiteboardSvg } from "./whiteboard-svg.ts";

let t: TestCtx;
afterEach(() => t?.close());

const HOSTILE = `</text><script>alert('x')</script> & "Co"`;

describe("text", () => {
  test.each([
    ["<b>&</b>", "&lt;b&gt;&amp;&lt;/b&gt;"],
    [`"it's"`, "&quot;it&#39;s&quot;"],
    ["a\u0001b\u{1f600}", "a\ufffdb\u{1f600}"],
    ["lone \ud800 surrogate", "lone \ufffd surrogate"],
  ])("escapeXml(%j)", async (raw, escaped) => {
    expect(escapeXml(raw)).toBe(escaped);
  });

  test("widths come from DejaVu Sans advances; a long name is cut with an ellipsis", async () => {
    expect(textWidth("MMMM", 10)).toBeCloseTo(4 * 8.63, 1);
    const cut = fitText("Bartholomew Fitzwilliam-Montgomery 12", 10, 100);
    expect(cut.endsWith("…")).toBe(true);
    expect(textWidth(cut, 10)).toBeLessThanOrEqual(100);
    expect(fitText("Ana Lee 4", 10, 100)).toBe("Ana Lee 4");
  });
});

describe("a hostile child name", () => {
  const open = async () => {
    t = makeTestCtx();
    expect((await t.run(SAM, `open 90002 "${HOSTILE.replace(/"/g, "'")}" 7 cp`)).ok).toBe(true);
    return await whiteboardModel(viewEnv(t.ctx, OPERATOR, "cli", "private"), "north");
  };

  test("is escaped in the browser SVG, and the SVG still parses", async () => {
    const svg = whiteboardSvg(await open(), { size: "full", text: "text" });
    expect(svg).not.toContain("<script");
    expect(svg).toContain("&lt;/text&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp;");
    expect(() => new Resvg(svg, { font: { loadSystemFonts: false }, logLevel: "off" })).not.toThrow();
  });

  test("is drawn as outlines in the PNG's SVG: no markup from the name survives", async () => {
    const m = await open();
    for (const size of ["full", "compact"] as const) {
      const svg = whiteboardSvg(m, { size });
      expect(svg).not.toContain("<script");
      expect(() => new Resvg(svg, { font: { loadSystemFonts: false }, logLevel: "off" })).not.toThrow();
    }
  });
});

describe("names follow the audience", () => {
  test("a channel picture shows initials, never the full name", async () => {
    t = makeTestCtx();
    const m = await whiteboardModel(viewEnv(t.ctx, OPERATOR, "digest", "channel"), "north");
    for (const size of ["full", "compact"] as const) {
      const svg = whiteboardSvg(m, { size, text: "text" });
      expect(svg).not.toMatch(/Melli|Majid|Mary|Telis/);
    }
    expect(whiteboardSvg(m, { size: "full", text: "text" })).toContain(">M.M. 13</text>");
  });

  test("the compact picture names no child at all, even privately", async () => {
    t = makeTestCtx();
    const m = await whiteboardModel(viewEnv(t.ctx, OPERATOR, "cli", "private"), "north");
    const svg = whiteboardSvg(m, { size: "compact", text: "text" });
    expect(svg).not.toMatch(/Melli|Mary|M\.M\.|M\.T\./);
    expect(svg).toContain(">Jane Smith</text>");
    expect(whiteboardSvg(m, { size: "full", text: "text" })).toContain(">Melli Majid 13</text>");
  });

  test("with channelNames: id the picture shows case ids only", async () => {
    t = makeTestCtx({
      config: `
agency: { name: Id Agency, timeZone: Europe/London }
channelNames: id
teams: [{ id: north, name: North Team }]
staff:
  - { email: jane.smith@demo-agency.example, name: Jane Smith, role: worker, team: North Team }
  - { email: sam.okafor@demo-agency.example, name: Sam Okafor, role: supervisor, team: North Team }
`,
      demo: true,
    });
    const m = await whiteboardModel(viewEnv(t.ctx, OPERATOR, "digest", "channel"), "north");
    expect(m.groups[0]!.rows[0]!.child).toBe("12345");
    const svg = whiteboardSvg(m, { size: "full", text: "text" });
    expect(svg).not.toContain("M.M.");
    expect(fullLayout(m).nameW).toBe(0); // no name column at all
  });
});

describe("the seed's sample team, as the picture shows it", () => {
  const svgOf = async () => {
    t = makeTestCtx();
    const m = await whiteboardModel(viewEnv(t.ctx, OPERATOR, "digest", "channel"), "north");
    return { m, svg: whiteboardSvg(m, { size: "full", text: "text" }) };
  };
  /** the texts drawn on a case's row (its top from the layout, text baselines inside it) */
  const rowTexts = (m: Awaited<ReturnType<typeof svgOf>>["m"], svg: string, caseId: string) => {
    const top = fullLayout(m).rowY.get(caseId)!;
    return [...svg.matchAll(/<text[^>]* y="([\d.]+)"[^>]*>([^<]*)<\/text>/g)]
      .filter((x) => Number(x[1]) > top && Number(x[1]) < top + 15)
      .map((x) => x[2]);
  };

  test("a child with cases on several dashboards: each row names its service", async () => {
    const { m, svg } = await svgOf();
    expect(svg).toContain(">Service</text>");
    expect(rowTexts(m, svg, "12345")).toEqual(["12345", "M.M. 13", "Child protection"]);
    expect(rowTexts(m, svg, "22345")).toEqual(["22345", "M.M. 13", "Family support", "58", "never"]);
  });

  test("days since the scale was rated reads never when it never was", async () => {
    const { m, svg } = await svgOf();
    expect(rowTexts(m, svg, "32346")).toEqual(["32346", "M.T. 5", "Voluntary", "159", "never"]);
    // rated (undated, overdue): days, as before
    expect(rowTexts(m, svg, "12346")).toEqual(["12346", "M.T. 5", "Child protection", "99", "263"]);
  });

  test("12346's Timeline and Trajectory, from the seed's overview, is drawn as recorded", async () => {
    const { m } = await svgOf();
    const at = m.columns.findIndex((c) => c.element === "trajectory");
    const row = m.groups[0]!.rows.find((r) => r.caseId === "12346")!;
    expect(row.cells[at]).toBe("done");
    expect(m.counts.columns[at]).toEqual({ done: 1, missing: 2, stuck: 0, na: 3 });
  });
});
