/**
 * Export through real headless Chromium: sizes, non-blank pixels, vector paths, provenance in the
 * file, no network. One browser for every case, as in real use.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { availabilityChart } from "../../src/charts/availability";
import { createExporter, type ChartExporter } from "../../src/charts/export";
import { lagChart } from "../../src/charts/lag";
import { pngSize, readPngText } from "../../src/charts/png";
import { readSvgProvenance } from "../../src/charts/svg";
import { CHROMIUM, skipWithout } from "../notebooks/tools";
import { sampleChartData } from "./chart-data";
import { colourStats, decodePng } from "./png-decode";

const data = sampleChartData();
const fig = lagChart(data.lag, { faults: data.faults, provenance: data.provenance });
const SIZES = { slides: [1920, 1080], notebook: [1200, 600] } as const;

describe.skipIf(skipWithout([CHROMIUM]))("export to PNG and SVG in headless Chromium", () => {
  let exporter: ChartExporter;

  beforeAll(async () => {
    const started = Date.now();
    exporter = await createExporter();
    console.log(`export: browser launch + plotly.js load ${Date.now() - started} ms`);
  }, 60_000);

  afterAll(async () => {
    await exporter?.close();
  });

  for (const theme of ["slides", "notebook"] as const) {
    test(`PNG, ${theme}: right size, drawn, provenance in tEXt`, async () => {
      const r = await exporter.exportChart(fig, { format: "png", theme });
      console.log(`export: png ${theme} ${r.ms} ms`);
      expect(pngSize(r.bytes)).toEqual({ width: SIZES[theme][0], height: SIZES[theme][1] });
      const stats = colourStats(decodePng(r.bytes));
      expect(stats.distinct).toBeGreaterThan(20);
      expect(stats.nonWhiteShare).toBeGreaterThan(0.01);
      expect(readPngText(r.bytes)).toMatchObject({
        Description: "async-failover · seed 42 · replicalab 0.1.0",
        "replicalab:provenance": JSON.stringify(data.provenance),
      });
    }, 30_000);

    test(`SVG, ${theme}: right size, trace paths, visible and embedded provenance`, async () => {
      const r = await exporter.exportChart(fig, { format: "svg", theme });
      console.log(`export: svg ${theme} ${r.ms} ms`);
      const svg = Buffer.from(r.bytes).toString("utf8");
      expect(svg).toMatch(new RegExp(`<svg [^>]*width="${SIZES[theme][0]}" height="${SIZES[theme][1]}"`));
      // One trace per replica; plotly.js merges collinear points, so only db3's wavy line is long.
      expect(svg.match(/<g class="trace scatter/g)).toHaveLength(2);
      const lines = svg.match(/<path class="js-line" d="M[^"]+"/g) ?? [];
      expect(Math.max(...lines.map((l) => l.length))).toBeGreaterThan(1000);
      expect(svg).toContain("async-failover · seed 42 · replicalab 0.1.0");
      expect(readSvgProvenance(svg)).toEqual(data.provenance);
    }, 30_000);
  }

  test("PNG scale 2 doubles the pixels", async () => {
    const r = await exporter.exportChart(availabilityChart(data.availability, { faults: data.faults }), { format: "png", scale: 2, width: 800, height: 400 });
    expect(pngSize(r.bytes)).toEqual({ width: 1600, height: 800 });
  }, 30_000);

  test("concurrent exports share the page safely", async () => {
    const rs = await Promise.all([1, 2, 3].map(() => exporter.exportChart(fig, { format: "svg" })));
    expect(rs.every((r) => r.bytes.length > 1000)).toBe(true);
  }, 60_000);

  test("the page made no network request", () => {
    expect(exporter.blockedRequests()).toEqual([]);
  });
});
