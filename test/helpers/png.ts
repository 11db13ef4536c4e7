import { crc32, inflateSync } from "node:zlib";

/**
 * A small, strict PNG decoder for tests: checks the signature and every chunk's CRC, inflates the
 * image data, undoes the row filters, and gives pixels back as RGBA. Handles what our encoders and
 * resvg write: 8-bit RGBA/RGB (colour types 6, 2) and 1/2/4/8-bit palette (3), no interlace.
 */
export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  readonly colourType: number;
  readonly bitDepth: number;
  /** [r, g, b, a] at a pixel */
  pixel(x: number, y: number): [number, number, number, number];
}

const SIGNATURE = "89504e470d0a1a0a";

export function decodePng(png: Buffer): DecodedPng {
  if (png.subarray(0, 8).toString("hex") !== SIGNATURE) throw new Error("not a PNG signature");
  let at = 8;
  let header: Buffer | undefined;
  let palette: Buffer | undefined;
  let alpha: Buffer | undefined;
  const data: Buffer[] = [];
  let ended = false;
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString("latin1", at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    const crc = png.readUInt32BE(at + 8 + length);
    if (crc32(png.subarray(at + 4, at + 8 + length)) >>> 0 !== crc) throw new Error(`bad CRC in ${type}`);
    if (type === "IHDR") header = body;
    else if (type === "PLTE") palette = body;
    else if (type === "tRNS") alpha = body;
    else if (type === "IDAT") data.push(body);
    else if (type === "IEND") ended = true;
    at += 12 + length;
  }
  if (!header || !ended) throw new Error("missing IHDR or IEND");
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const bitDepth = header[8]!;
  const colourType = header[9]!;
  if (header[12] !== 0) throw new Error("interlaced PNGs are not handled");
  const channels = colourType === 6 ? 4 : colourType === 2 ? 3 : colourType === 3 ? 1 : 0;
  if (channels === 0) throw new Error(`colour type ${colourType} not handled`);
  if (colourType === 3 && !palette) throw new Error("palette image without PLTE");
  const bitsPerPixel = channels * bitDepth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const bpp = Math.max(1, bitsPerPixel / 8);

  const raw = inflateSync(Buffer.concat(data));
  if (raw.length !== height * (stride + 1))
    throw new Error(`image data is ${raw.length} bytes, expected ${height * (stride + 1)}`);
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let i = 0; i < stride; i++) {
      const x = raw[src + i]!;
      const a = i >= bpp ? out[row + i - bpp]! : 0;
      const b = y > 0 ? out[row - stride + i]! : 0;
      const c = i >= bpp && y > 0 ? out[row - stride + i - bpp]! : 0;
      let v: number;
      if (filter === 0) v = x;
      else if (filter === 1) v = x + a;
      else if (filter === 2) v = x + b;
      else if (filter === 3) v = x + ((a + b) >> 1);
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      } else throw new Error(`bad filter ${filter} on row ${y}`);
      out[row + i] = v & 255;
    }
  }

  return {
    width,
    height,
    colourType,
    bitDepth,
    pixel(x, y) {
      if (x < 0 || y < 0 || x >= width || y >= height) throw new Error(`pixel ${x},${y} outside the image`);
      if (colourType === 3) {
        const bit = x * bitDepth;
        const byte = out[y * stride + (bit >> 3)]!;
        const i = (byte >> (8 - bitDepth - (bit & 7))) & ((1 << bitDepth) - 1);
        return [palette![i * 3]!, palette![i * 3 + 1]!, palette![i * 3 + 2]!, alpha?.[i] ?? 255];
      }
      const o = y * stride + x * channels;
      return [out[o]!, out[o + 1]!, out[o + 2]!, channels === 4 ? out[o + 3]! : 255];
    },
  };
}

/** "#d55e00" as [r, g, b, 255] */
export function rgba(hex: string): [number, number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 255];
}
