import { describe, expect, test } from "vitest";
import { downsampleMinMax } from "../../src/charts/downsample";

const flat = (n: number, value = 0) => ({ t: Array.from({ length: n }, (_, i) => i), v: new Array<number>(n).fill(value) });

describe("downsampleMinMax", () => {
  test("a single spike in a million points survives", () => {
    const { t, v } = flat(1_000_000, 5);
    v[654_321] = 900;
    const out = downsampleMinMax(t, v, 2000);
    expect(out.t.length).toBeLessThanOrEqual(2000);
    expect(Math.max(...out.v)).toBe(900);
    expect(out.t[out.v.indexOf(900)]).toBe(654_321);
  });

  test("a single dip survives too", () => {
    const { t, v } = flat(100_000, 1);
    v[777] = 0;
    expect(Math.min(...downsampleMinMax(t, v, 500).v)).toBe(0);
  });

  test("keeps time order", () => {
    const t = Array.from({ length: 10_000 }, (_, i) => i * 10);
    const v = t.map((x) => Math.sin(x / 300));
    const out = downsampleMinMax(t, v, 300);
    for (let i = 1; i < out.t.length; i++) expect(out.t[i]).toBeGreaterThan(out.t[i - 1]);
  });

  test("returns a copy of a series that already fits", () => {
    const t = [0, 1, 2];
    const v = [3, 4, 5];
    const out = downsampleMinMax(t, v, 10);
    expect(out).toEqual({ t, v });
    expect(out.t).not.toBe(t);
  });

  test("keeps a gap (NaN) where a whole bucket has no data", () => {
    const { t, v } = flat(10_000, 1);
    for (let i = 5000; i < 6000; i++) v[i] = NaN;
    const out = downsampleMinMax(t, v, 100);
    expect(out.v.some((x) => Number.isNaN(x))).toBe(true);
  });

  test("rejects series whose times and values differ in length", () => {
    expect(() => downsampleMinMax([1, 2], [1], 10)).toThrow(/2 times but 1 values/);
  });
});
