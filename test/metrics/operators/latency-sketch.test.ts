import { describe, expect, it } from "vitest";
import { LatencySketch } from "../../../src/metrics/operators/latency-sketch";

/** The exact percentile of sorted values, with the same rank rule (the ceil(p% of n)-th value). */
function exact(sorted: number[], p: number): number {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}

describe("LatencySketch", () => {
  it("is exact below 2048 µs", () => {
    const s = new LatencySketch();
    for (const v of [5, 1, 2047, 300, 300]) s.recordUs(v);
    expect([s.percentileUs(0), s.percentileUs(50), s.percentileUs(100)]).toEqual([1, 300, 2047]);
    expect(s.count).toBe(5);
  });

  it("keeps percentiles within 0.1% from microseconds to minutes", () => {
    const s = new LatencySketch();
    const values: number[] = [];
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const v = Math.floor(Math.exp((seed / 2 ** 31) * Math.log(600_000_000))); // 1 µs .. 10 min, log-uniform
      values.push(v);
      s.recordUs(v);
    }
    values.sort((a, b) => a - b);
    for (const p of [1, 10, 50, 90, 99, 99.9, 100]) {
      const want = exact(values, p);
      expect(s.percentileUs(p)).toBeGreaterThanOrEqual(want);
      expect(s.percentileUs(p)).toBeLessThanOrEqual(want * 1.001 + 1);
    }
  });

  it("clamps values beyond its range instead of failing, and starts afresh after reset", () => {
    const s = new LatencySketch();
    s.recordUs(-5);
    s.recordUs(1e12);
    expect(s.percentileUs(0)).toBe(0);
    expect(s.percentileUs(100)).toBeGreaterThanOrEqual(2 ** 31 - 1);
    expect(s.percentileUs(150)).toBe(s.percentileUs(100));
    s.reset();
    expect(s.count).toBe(0);
    expect(s.percentileUs(50)).toBeNaN();
    s.recordUs(10);
    expect(s.percentileUs(99)).toBe(10);
  });
});
