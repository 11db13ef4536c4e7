import { encodePng } from "./png.ts";

type Rgba = readonly [number, number, number, number];

const ACCENT: Rgba = [0x44, 0x64, 0xee, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

/**
 * The app's icons, drawn here: a dashboard, three rows of cells with a few still empty (practice
 * not yet done). Teams wants a 192×192 full-colour icon and a 32×32 white-on-transparent outline.
 */
export function appIcons(): { color: Buffer; outline: Buffer } {
  return { color: grid(192, ACCENT, WHITE, 36, 10), outline: grid(32, CLEAR, WHITE, 4, 2) };
}

function grid(size: number, background: Rgba, cell: Rgba, margin: number, gap: number): Buffer {
  const px = new Uint8Array(size * size * 4);
  const paint = (x: number, y: number, c: Rgba) => px.set(c, (y * size + x) * 4);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) paint(x, y, background);
  const side = Math.floor((size - 2 * margin - 2 * gap) / 3);
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 3; col++) {
      if ((row + col) % 4 === 3) continue; // an empty cell: something not done yet
      const x0 = margin + col * (side + gap);
      const y0 = margin + row * (side + gap);
      for (let y = y0; y < y0 + side; y++) for (let x = x0; x < x0 + side; x++) paint(x, y, cell);
    }
  }
  return encodePng(size, size, px);
}
