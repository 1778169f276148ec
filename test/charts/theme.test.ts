import { describe, expect, test } from "vitest";
import { lagChart } from "../../src/charts/lag";
import { applyTheme } from "../../src/charts/theme";

const fig = lagChart([{ name: "db2", tMs: [0, 1000, 2000], values: [1, 2, 3] }], {
  faults: [{ type: "crash", label: "crash db1", startMs: 500, endMs: 1500 }],
  provenance: { scenario: "s", seed: 1, version: "0.1.0" },
});

describe("themes", () => {
  test("notebook: follows the page width", () => {
    expect(fig.layout.width).toBeUndefined();
    expect(fig.layout.autosize).toBe(true);
    expect(fig.config.responsive).toBe(true);
  });

  test("slides: 1920x1080, titles of at least 28 px, thick lines, black text", () => {
    const slides = applyTheme(fig, "slides");
    expect([slides.layout.width, slides.layout.height]).toEqual([1920, 1080]);
    expect(slides.layout.title.font?.size).toBeGreaterThanOrEqual(28);
    expect(slides.layout.xaxis.title.font?.size).toBeGreaterThanOrEqual(28);
    expect(slides.data[0].line?.width).toBeGreaterThanOrEqual(4);
    expect(slides.layout.font?.color).toBe("#000000");
  });

  test("restyling keeps content and can go back", () => {
    const back = applyTheme(applyTheme(fig, "slides"), "notebook");
    expect(back).toEqual(fig);
  });

  test("does not modify its input", () => {
    const before = JSON.stringify(fig);
    applyTheme(fig, "slides");
    expect(JSON.stringify(fig)).toBe(before);
  });
});
