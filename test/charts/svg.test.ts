import { describe, expect, test } from "vitest";
import { addSvgMetadata, readSvgProvenance } from "../../src/charts/svg";

const svg = `<svg class="main-svg" xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>`;
const p = { scenario: "a<b & \"c\"", seed: 7, version: "0.1.0" };

describe("SVG metadata", () => {
  test("title and metadata become the first children of the root element", () => {
    const out = addSvgMetadata(svg, "Lag", p);
    expect(out).toMatch(/^<svg [^>]*><title>Lag · a&lt;b &amp; &quot;c&quot; · seed 7 · replicalab 0.1.0<\/title><metadata id="replicalab-provenance">/);
    expect(out.endsWith("<rect/></svg>")).toBe(true);
  });

  test("provenance reads back exactly", () => {
    expect(readSvgProvenance(addSvgMetadata(svg, "Lag", p))).toEqual(p);
  });

  test("rejects what is not SVG", () => {
    expect(() => addSvgMetadata("<html></html>", "x", p)).toThrow(/not an SVG/);
  });
});
