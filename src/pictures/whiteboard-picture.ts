import type { Picture } from "../digest/post.ts";
import type { PngRenderer } from "./png-renderer.ts";
import { whiteboardAlt } from "./whiteboard-style.ts";
import { type PictureSize, whiteboardSvg } from "./whiteboard-svg.ts";
import type { WhiteboardModel } from "./whiteboard-view.ts";

// Apart from whiteboard-png.ts, which loads resvg: the server draws its pictures in the renderer
// process, so neither its main thread nor its reader threads load the native library (4.5 MB of RSS).

/**
 * The same, drawn in the renderer's own process: what a long-running server uses (png-renderer.ts).
 * `svg`: the model's picture already drawn (on a reader thread), else drawn here.
 */
export async function whiteboardPngIsolated(
  model: WhiteboardModel,
  size: PictureSize,
  renderer: PngRenderer,
  svg: string = whiteboardSvg(model, { size }),
): Promise<Picture> {
  return asPicture(model, size, await renderer.render(svg, pngOptions(size)));
}

// The compact picture goes inline in a card: 16 colours keep it a few KB (png-encode.ts).
export function pngOptions(size: PictureSize): { palette?: number } {
  return size === "compact" ? { palette: 16 } : {};
}

export function asPicture(
  model: WhiteboardModel,
  size: PictureSize,
  { png, width, height }: { png: Buffer; width: number; height: number },
): Picture {
  const team = model.teamId.toLowerCase().replace(/[^a-z0-9]+/g, "-") || "team";
  return {
    png,
    filename: `whiteboard-${team}-${model.asOf}${size === "compact" ? "-compact" : ""}.png`,
    title: whiteboardAlt(model, size),
    width,
    height,
  };
}
