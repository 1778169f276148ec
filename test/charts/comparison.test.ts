import { describe, expect, test } from "vitest";
import { comparisonChart } from "../../src/charts/comparison";

describe("comparisonChart", () => {
  const input = { scenarios: ["async", "semi-sync", "sync"], series: [{ name: "p50", values: [2, 5, 12] }, { name: "p99", values: [9, 20, 80] }] };

  test("grouped bars, one trace per series, labelled with their values", () => {
    const fig = comparisonChart(input, { valueTitle: "Write latency (ms)", valueFormat: ".1f" });
    expect(fig.layout.barmode).toBe("group");
    expect(fig.data.map((t) => [t.type, t.name])).toEqual([["bar", "p50"], ["bar", "p99"]]);
    expect(fig.data[0].x).toEqual(input.scenarios);
    expect(fig.data[0].texttemplate).toBe("%{y:.1f}");
    expect(fig.layout.yaxis.title.text).toBe("Write latency (ms)");
    expect(fig.layout.title.text).toBe("Write latency (ms)");
  });

  test("a series with the wrong number of values is rejected by name", () => {
    expect(() => comparisonChart({ scenarios: ["a"], series: [{ name: "p99", values: [1, 2] }] }, { valueTitle: "x" })).toThrow(/p99/);
  });
});
