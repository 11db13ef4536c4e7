import { crc32, deflateSync } from "node:zlib";

/**
 * Our own PNG encoding of resvg's pixels. resvg's `asPng` spends ~70 ms on a 400-case whiteboard
 * (6 Mpx); rows copied unfiltered and deflated by Node's zlib at a low level give the same size in
 * ~25 ms. Both encoders here write whole pixels as given: the pictures are opaque (a white ground).
 */

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** RGBA pixels as an 8-bit RGBA PNG, each row unfiltered (flat colours deflate well as they are). */
export function rgbaPng(rgba: Buffer, width: number, height: number): Buffer {
  if (rgba.length !== width * height * 4) throw new Error("pixel buffer does not match the size");
  const stride = width * 4;
  const raw = Buffer.allocUnsafe(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0;
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    SIGNATURE,
    chunk("IHDR", ihdr(width, height, 8, 6)),
    chunk("IDAT", deflateSync(raw, { level: 2 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function ihdr(width: number, height: number, bits: number, colourType: number): Buffer {
  const b = Buffer.alloc(13);
  b.writeUInt32BE(width, 0);
  b.writeUInt32BE(height, 4);
  b.writeUInt8(bits, 8);
  b.writeUInt8(colourType, 9);
  return b;
}

/**
 * RGBA pixels to a palette PNG, for small pictures that must stay small (a Teams card carries its
 * picture inline, ~28 KB for the whole card). A flat-coloured picture has a handful of colours plus
 * the anti-aliased edges of its text; keeping the most used colours and mapping every other to the
 * nearest of them is invisible at that size and takes the file from ~19 KB (resvg's RGBA PNG) to ~4.
 * Deterministic: ties are broken by colour value.
 */
export function palettePng(rgba: Buffer, width: number, height: number, maxColours = 16): Buffer {
  if (rgba.length !== width * height * 4) throw new Error("pixel buffer does not match the size");
  const counts = new Map<number, number>();
  for (let i = 0; i < rgba.length; i += 4) {
    const c = rgba.readUInt32BE(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const palette = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, Math.min(256, maxColours))
    .map(([c]) => c);
  const index = new Map<number, number>();
  for (const c of counts.keys()) index.set(c, nearest(c, palette));

  const bits = palette.length <= 2 ? 1 : palette.length <= 4 ? 2 : palette.length <= 16 ? 4 : 8;
  const perByte = 8 / bits;
  const stride = Math.ceil(width / perByte);
  // Filter type 0 on every row: for palette images the PNG spec advises no filtering.
  const raw = Buffer.alloc(height * (1 + stride));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + stride) + 1;
    for (let x = 0; x < width; x++) {
      const v = index.get(rgba.readUInt32BE((y * width + x) * 4))!;
      raw[row + Math.floor(x / perByte)]! |= v << (8 - bits - (x % perByte) * bits);
    }
  }

  const plte = Buffer.alloc(palette.length * 3);
  const trns = Buffer.alloc(palette.length);
  palette.forEach((c, i) => {
    plte.writeUInt8(c >>> 24, i * 3);
    plte.writeUInt8((c >>> 16) & 255, i * 3 + 1);
    plte.writeUInt8((c >>> 8) & 255, i * 3 + 2);
    trns.writeUInt8(c & 255, i);
  });
  const opaque = palette.every((c) => (c & 255) === 255);
  return Buffer.concat([
    SIGNATURE,
    chunk("IHDR", ihdr(width, height, bits, 3)), // colour type 3: indexed
    chunk("PLTE", plte),
    ...(opaque ? [] : [chunk("tRNS", trns)]),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function nearest(c: number, palette: readonly number[]): number {
  let best = 0;
  let bestD = Number.POSITIVE_INFINITY;
  palette.forEach((p, i) => {
    let d = 0;
    for (let shift = 24; shift >= 0; shift -= 8) {
      const a = (c >>> shift) & 255;
      const b = (p >>> shift) & 255;
      d += (a - b) * (a - b);
    }
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}
