import { describe, expect, test } from "vitest";
import { latencyCdfChart, latencyHistogramChart } from "../../src/charts/latency";

const samples = { write: [1, 2, 3, 4, 100], read: [0.5, 0.6, 0.7] };

describe("latency charts", () => {
  test("histogram: one outline per kind, shares in percent summing to 100", () => {
    const fig = latencyHistogramChart(samples, { bins: 10 });
    expect(fig.data.map((t) => t.name)).toEqual(["write (5 ops)", "read (3 ops)"]);
    const shares = fig.data[0].y.slice(0, -1);
    expect(shares.reduce((a, b) => a + b)).toBeCloseTo(100);
    expect(fig.data[0].x).toHaveLength(11);
    expect(fig.layout.xaxis.title.text).toBe("Latency (ms)");
  });

  test("log-x option switches the axis and labels it", () => {
    const fig = latencyHistogramChart(samples, { logX: true });
    expect(fig.layout.xaxis.type).toBe("log");
    expect(fig.layout.xaxis.title.text).toBe("Latency (ms, log scale)");
  });

  test("CDF ends at 100% at the slowest operation", () => {
    const fig = latencyCdfChart(samples, { logX: true });
    const write = fig.data[0];
    expect(write.x[write.x.length - 1]).toBe(100);
    expect(write.y[write.y.length - 1]).toBe(100);
    expect(fig.layout.yaxis.title.text).toBe("Operations finished within (%)");
  });

  test("a kind without samples is left out", () => {
    expect(latencyCdfChart({ write: [1, 2], read: [] }).data.map((t) => t.name)).toEqual(["write (2 ops)"]);
  });
});
