import { Resvg } from "@resvg/resvg-js";
import type { Picture } from "../digest/post.ts";
import { palettePng, rgbaPng } from "./png-encode.ts";
import { whiteboardAlt } from "./whiteboard-style.ts";
import { type PictureSize, whiteboardSvg } from "./whiteboard-svg.ts";
import type { WhiteboardModel } from "./whiteboard-view.ts";

/**
 * Any SVG to PNG. Text drawn as glyph paths needs no font, so fonts are loaded only when the SVG has
 * real <text> left in it (a name in a script glyphs.ts lacks): loading the system's fonts costs time,
 * and on a server without fonts that text is simply not drawn, while the grid still is.
 */
export function svgToPng(
  svg: string,
  opts: { palette?: number } = {},
): { png: Buffer; width: number; height: number } {
  const needsFonts = svg.includes("<text");
  const image = new Resvg(svg, {
    font: { loadSystemFonts: needsFonts, defaultFontFamily: "DejaVu Sans" },
    logLevel: "off",
  }).render();
  const { width, height } = image;
  const pixels = image.pixels;
  const png = opts.palette ? palettePng(pixels, width, height, opts.palette) : rgbaPng(pixels, width, height);
  return { png, width, height };
}

/**
 * The whiteboard as a picture for a digest or an export: `full` for the Slack upload and
 * `sos export --format png`, `compact` for a Teams card. The alt text names no child; the file name
 * carries only the team and the day.
 */
export function whiteboardPng(model: WhiteboardModel, size: PictureSize = "full"): Picture {
  // The compact picture goes inline in a card: 16 colours keep it a few KB (png-palette.ts).
  const { png, width, height } = svgToPng(whiteboardSvg(model, { size }), {
    palette: size === "compact" ? 16 : undefined,
  });
  const team = model.teamId.toLowerCase().replace(/[^a-z0-9]+/g, "-") || "team";
  return {
    png,
    filename: `whiteboard-${team}-${model.asOf}${size === "compact" ? "-compact" : ""}.png`,
    title: whiteboardAlt(model, size),
    width,
    height,
  };
}
