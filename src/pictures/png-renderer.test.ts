import { afterEach, expect, test } from "vitest";
import { decodePng } from "../../test/helpers/png.ts";
import { isolatedRenderer, type PngRenderer } from "./png-renderer.ts";

let renderer: PngRenderer;
afterEach(async () => renderer?.close());

const svg = (w: number, h: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${w}" height="${h}" fill="#1f5fa8"/></svg>`;

const pngSize = (png: Buffer) => {
  const d = decodePng(png);
  return { width: d.width, height: d.height };
};

test("renders in its own process and answers with the PNG; renders side by side keep their order", async () => {
  renderer = isolatedRenderer();
  const [a, b] = await Promise.all([
    renderer.render(svg(40, 20)),
    renderer.render(svg(10, 30), { palette: 4 }),
  ]);
  expect(a.png.subarray(1, 4).toString()).toBe("PNG");
  expect(pngSize(a.png)).toEqual({ width: 40, height: 20 });
  expect(pngSize(b.png)).toEqual({ width: 10, height: 30 });
  expect(renderer.peakRssMb()).toBeGreaterThan(0);
});

test("after close, the next render starts a new process; a broken SVG is a clear error", async () => {
  renderer = isolatedRenderer();
  await renderer.render(svg(5, 5));
  await renderer.close();
  expect(pngSize((await renderer.render(svg(6, 7))).png)).toEqual({ width: 6, height: 7 });
  await expect(renderer.render("<svg")).rejects.toThrow(/^rendering the picture failed: /);
});
