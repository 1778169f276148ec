import * as zlib from "zlib";
import { describe, expect, test } from "vitest";
import { addPngText, asciiJson, crc32, pngChunks, pngSize, readPngText } from "../../src/charts/png";
import { colourStats, decodePng } from "./png-decode";

/** A tiny valid RGB PNG, built by hand so the test needs no browser. */
function makePng(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Uint8Array {
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(0);
    for (let x = 0; x < width; x++) rows.push(...pixel(x, y));
  }
  const chunk = (type: string, data: Uint8Array) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(Buffer.from(rows))), chunk("IEND", new Uint8Array(0))]);
}

describe("PNG metadata", () => {
  const png = makePng(3, 2, (x, y) => [x * 100, y * 100, 50]);

  test("crc32 matches the reference value", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
    expect(crc32(Buffer.from("IEND"))).toBe(0xae426082);
  });

  test("reads the size from IHDR", () => {
    expect(pngSize(png)).toEqual({ width: 3, height: 2 });
  });

  test("adds tEXt chunks right after IHDR and reads them back", () => {
    const stamped = addPngText(png, { Description: "smoke · seed 42 · replicalab 0.1.0", Software: "replicalab 0.1.0" });
    expect(pngChunks(stamped).map((c) => c.type)).toEqual(["IHDR", "tEXt", "tEXt", "IDAT", "IEND"]);
    expect(readPngText(stamped)).toEqual({ Description: "smoke · seed 42 · replicalab 0.1.0", Software: "replicalab 0.1.0" });
  });

  test("the stamped file still decodes to the same pixels (chunk CRCs are valid)", () => {
    const stamped = addPngText(png, { Title: "x" });
    expect(decodePng(stamped).rgba).toEqual(decodePng(png).rgba);
    for (const c of pngChunks(stamped)) expect(c.type).toMatch(/^[A-Za-z]{4}$/);
  });

  test("asciiJson keeps non-Latin-1 text intact through tEXt", () => {
    const p = { scenario: "故障 → failover", seed: 1, version: "0.1.0" };
    const back = readPngText(addPngText(png, { "replicalab:provenance": asciiJson(p) }))["replicalab:provenance"];
    expect(JSON.parse(back)).toEqual(p);
  });

  test("rejects what is not a PNG", () => {
    expect(() => pngSize(Buffer.from("GIF89a"))).toThrow(/not a PNG/);
  });

  test("decoder sees colours", () => {
    expect(colourStats(decodePng(png)).distinct).toBe(6);
  });
});
