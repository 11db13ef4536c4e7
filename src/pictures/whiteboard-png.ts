import { Resvg } from "@resvg/resvg-js";
import type { Picture } from "../digest/post.ts";
import { palettePng, rgbaPng } from "./png-encode.ts";
import { asPicture, pngOptions } from "./whiteboard-picture.ts";
import { type PictureSize, whiteboardSvg } from "./whiteboard-svg.ts";
import type { WhiteboardModel } from "./whiteboard-view.ts";

/**
 * Any SVG to PNG. Our pictures draw all their text as glyph paths (a character glyphs.ts lacks as a
 * box), so they need no font; the system's fonts, slow to load, are loaded only for an SVG that does
 * have real <text> in it.
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
  return asPicture(model, size, svgToPng(whiteboardSvg(model, { size }), pngOptions(size)));
}
