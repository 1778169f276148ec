/**
 * Test helper: decodes the PNGs Chromium writes (8-bit RGB or RGBA, not interlaced) to RGBA pixels,
 * to tell a drawn chart from a blank image. Not a general PNG decoder.
 */
import * as zlib from "zlib";
import { pngChunks, pngSize } from "../../src/charts/png";

export interface Pixels {
  width: number;
  height: number;
  rgba: Uint8Array;
}

export function decodePng(png: Uint8Array): Pixels {
  const { width, height } = pngSize(png);
  const chunks = pngChunks(png);
  const ihdr = chunks[0].data;
  const [bitDepth, colourType, , , interlace] = ihdr.subarray(8, 13);
  const channels = colourType === 6 ? 4 : colourType === 2 ? 3 : 0;
  if (bitDepth !== 8 || channels === 0 || interlace !== 0) throw new Error(`unsupported PNG: depth ${bitDepth}, colour type ${colourType}, interlace ${interlace}`);
  const raw = zlib.inflateSync(Buffer.concat(chunks.filter((c) => c.type === "IDAT").map((c) => c.data)));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const line = unfilter(raw[y * (stride + 1)], raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), prev, channels);
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 4; c++) out[(y * width + x) * 4 + c] = c < channels ? line[x * channels + c] : 255;
    }
    prev = line;
  }
  return { width, height, rgba: out };
}

function unfilter(filter: number, line: Uint8Array, prev: Uint8Array, bpp: number): Uint8Array {
  const out = new Uint8Array(line.length);
  for (let i = 0; i < line.length; i++) {
    const a = i >= bpp ? out[i - bpp] : 0;
    const b = prev[i];
    const c = i >= bpp ? prev[i - bpp] : 0;
    const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
    if (predictor === undefined) throw new Error(`bad PNG filter ${filter}`);
    out[i] = (line[i] + predictor) & 0xff;
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Distinct colours and the share of pixels that are not white. */
export function colourStats(p: Pixels): { distinct: number; nonWhiteShare: number } {
  const colours = new Set<number>();
  let nonWhite = 0;
  for (let i = 0; i < p.rgba.length; i += 4) {
    const rgb = (p.rgba[i] << 16) | (p.rgba[i + 1] << 8) | p.rgba[i + 2];
    colours.add(rgb);
    if (rgb !== 0xffffff) nonWhite++;
  }
  return { distinct: colours.size, nonWhiteShare: nonWhite / (p.width * p.height) };
}
