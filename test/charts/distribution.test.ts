import { describe, expect, test } from "vitest";
import { cdf, histogram } from "../../src/charts/distribution";

describe("histogram", () => {
  test("counts every sample once, the maximum in the last bin", () => {
    const h = histogram([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5);
    expect(h.edges).toEqual([0, 2, 4, 6, 8, 10]);
    expect(h.counts).toEqual([2, 2, 2, 2, 3]);
  });

  test("log bins grow by a constant ratio", () => {
    const h = histogram([1, 10, 100, 1000], 3, true);
    expect(h.edges.map((e) => Math.round(e))).toEqual([1, 10, 100, 1000]);
    expect(h.counts).toEqual([1, 1, 2]);
  });

  test("log bins put zero latencies in the first bin", () => {
    expect(histogram([0, 1, 100], 2, true).counts).toEqual([2, 1]);
  });

  test("no samples, no bins", () => {
    expect(histogram([], 10)).toEqual({ edges: [], counts: [] });
  });

  test("identical samples still get a bin", () => {
    expect(histogram([5, 5, 5], 4).counts.reduce((a, b) => a + b)).toBe(3);
  });
});

describe("cdf", () => {
  test("small inputs keep every sample, ascending, ending at 1", () => {
    expect(cdf([3, 1, 2])).toEqual({ x: [1, 2, 3], p: [1 / 3, 2 / 3, 1] });
  });

  test("large inputs are thinned but keep the maximum and the tail", () => {
    const values = Array.from({ length: 100_000 }, (_, i) => i);
    const c = cdf(values, 400);
    expect(c.x.length).toBeLessThanOrEqual(400);
    expect(c.x[c.x.length - 1]).toBe(99_999);
    expect(c.p[c.p.length - 1]).toBe(1);
    expect(c.p.filter((p) => p > 0.999).length).toBeGreaterThan(20);
  });
});
