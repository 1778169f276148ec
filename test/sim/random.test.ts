import { describe, expect, it } from "vitest";
import { deriveSeed, Random } from "../../src/sim/random";
import { meanOf, sampler } from "../../src/sim/distributions";
import type { Distribution } from "../../src/scenario/types";

describe("Random", () => {
  it("gives the same sequence for the same seed and stream", () => {
    const a = new Random(42, "network");
    const b = new Random(42, "network");
    expect(Array.from({ length: 50 }, () => a.next())).toEqual(Array.from({ length: 50 }, () => b.next()));
  });

  it("gives unrelated sequences to different streams and nearby seeds", () => {
    expect(deriveSeed(42, "network")).not.toBe(deriveSeed(42, "workload"));
    expect(deriveSeed(42, "network")).not.toBe(deriveSeed(43, "network"));
    expect(new Random(1, "x").next()).not.toBe(new Random(2, "x").next());
  });

  it("distinguishes seeds beyond 32 bits", () => {
    expect(deriveSeed(2 ** 40 + 1, "w")).not.toBe(deriveSeed(1, "w"));
  });

  it("draws floats in [0, 1) with a uniform mean", () => {
    const r = new Random(7, "u");
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 100000; i++) {
      const x = r.next();
      if (!(x >= 0 && x < 1)) outside++;
      sum += x;
    }
    expect(outside).toBe(0);
    expect(sum / 100000).toBeCloseTo(0.5, 2);
  });
});

describe("distributions", () => {
  const cases: Distribution[] = [
    { dist: "constant", value: 3 },
    { dist: "uniform", min: 2, max: 6 },
    { dist: "exponential", mean: 5 },
    { dist: "lognormal", mu: 1, sigma: 0.5 },
  ];
  for (const d of cases) {
    it(`samples ${d.dist} with the mean the closed form gives`, () => {
      const draw = sampler(d);
      const r = new Random(11, d.dist);
      let sum = 0;
      let min = Infinity;
      const n = 200000;
      for (let i = 0; i < n; i++) {
        const x = draw(r);
        min = Math.min(min, x);
        sum += x;
      }
      expect(min).toBeGreaterThanOrEqual(0);
      expect(Math.abs(sum / n - meanOf(d)) / meanOf(d)).toBeLessThan(0.01);
    });
  }
});
