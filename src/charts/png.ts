/**
 * Just enough of the PNG format to stamp provenance into exported images (tEXt chunks, which image
 * viewers and `exiftool` show) and to read sizes back in tests. Pure functions on bytes.
 * Format: an 8-byte signature, then chunks of [length u32][type 4 ASCII][data][CRC-32 of type+data].
 */

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

export interface PngChunk {
  type: string;
  data: Uint8Array;
}

/** The chunks of a PNG, in order. Throws on a file that is not a PNG. */
export function pngChunks(png: Uint8Array): PngChunk[] {
  if (png.length < 8 || SIGNATURE.some((b, i) => png[i] !== b)) throw new Error("not a PNG file");
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: PngChunk[] = [];
  for (let at = 8; at + 12 <= png.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    chunks.push({ type, data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return chunks;
}

/** Width and height in pixels, from the IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const ihdr = pngChunks(png)[0];
  if (ihdr?.type !== "IHDR") throw new Error("PNG without IHDR");
  const view = new DataView(ihdr.data.buffer, ihdr.data.byteOffset, ihdr.data.byteLength);
  return { width: view.getUint32(0), height: view.getUint32(4) };
}

/**
 * A copy of `png` with one tEXt chunk per entry, right after IHDR. tEXt is Latin-1: other
 * characters become "?" (keep JSON values ASCII with `asciiJson`). Keywords are 1-79 characters.
 */
export function addPngText(png: Uint8Array, entries: Record<string, string>): Uint8Array {
  const chunks = pngChunks(png);
  const text = Object.entries(entries).map(([k, v]) => encodeChunk("tEXt", textChunkData(k, v)));
  const parts = [Uint8Array.from(SIGNATURE), encodeChunk(chunks[0].type, chunks[0].data), ...text,
    ...chunks.slice(1).map((c) => encodeChunk(c.type, c.data))];
  return concat(parts);
}

/** The tEXt entries of a PNG (keyword -> text). */
export function readPngText(png: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of pngChunks(png)) {
    if (c.type !== "tEXt") continue;
    const nul = c.data.indexOf(0);
    out[latin1(c.data.subarray(0, nul))] = latin1(c.data.subarray(nul + 1));
  }
  return out;
}

/** JSON with every non-ASCII character escaped, so it survives Latin-1 tEXt unchanged. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function textChunkData(keyword: string, text: string): Uint8Array {
  if (keyword.length < 1 || keyword.length > 79) throw new RangeError(`PNG text keyword must be 1-79 characters: "${keyword}"`);
  return concat([toLatin1(keyword), Uint8Array.of(0), toLatin1(text)]);
}

function encodeChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(toLatin1(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as PNG uses), table-driven. */
export function crc32(bytes: Uint8Array): number {
  const table = crcTable ?? (crcTable = makeCrcTable());
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function makeCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

function toLatin1(s: string): Uint8Array {
  return Uint8Array.from(s, (ch) => (ch.charCodeAt(0) <= 0xff ? ch.charCodeAt(0) : 0x3f));
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
